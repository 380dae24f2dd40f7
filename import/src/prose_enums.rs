//! Closed lists of values stated in a member's prose ("Valid values: auto, manual"), extracted only when the
//! text leaves no doubt. Both importers use it: Tencent for every text member, Alibaba for text members
//! without an `enum` key (`InstanceChargeType`: "Valid values: * PrePaid: subscription * PostPaid: …").
//!
//! The Tencent catalogue has no enumeration key (audit §7): the only statement of a member's values is its
//! documentation, in English (`Valid values: a, b`, `Enumeration values: <ul><li>a: …</li>…`) or Chinese
//! (`取值：a、b`, `枚举值：<li>a：…</li>`). Precision comes before recall, so the extraction gives up on
//! anything it cannot read completely:
//!
//! - exactly one marker (`Valid values:`, `Enumeration values:`, `取值：`, …) in the whole text;
//! - every item of the list is a value token (a letter, then letters, digits, `_`, `.`, `-`), optionally in
//!   backticks or quotes, optionally followed by a description (`: text`, `(text)`, ` - text`);
//! - at least two values, pairwise distinct also as Rust variant names, none named `Unknown`;
//! - no wording that opens the list (`e.g.`, `such as`, `etc`, `等`, `例如`) or makes the member a list of
//!   values (`separated by`, `comma`, `逗号`, `分隔`);
//! - list items (`<li>`, `<br>`, line breaks) after the list has ended make it ambiguous too.
//!
//! Numeric lists (`0: disabled; 1: enabled`) do not start with a letter and stay documentation.

use std::sync::LazyLock;

use regex::Regex;

/// One extracted value and the text the documentation gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Value {
    /// The wire value.
    pub value: String,
    /// What the documentation says it means.
    pub description: Option<String>,
}

/// The "may return null" notes, removed before reading the text.
static NULL_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:Note|注意)\s*[:：][^\n]*?(?:null|NULL)[^\n]*").expect("a valid regex"));

/// Where a list of values starts.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:\b(?:valid|possible|available|optional|supported|allowed|enumeration|enumerated)",
        r"\s+values?(?:\s+(?:are|include|is))?|取值|可选值|枚举值|有效值)\s*(?:[:：])",
    ))
    .expect("a valid regex")
});

/// Any mention of values, with or without a colon: more than one makes the list ambiguous.
static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:valid|possible|available|optional|supported|allowed|enumeration|enumerated)\s+values?\b",
        r"|取值|可选值|枚举值|有效值",
    ))
    .expect("a valid regex")
});

/// Wording that makes the list open, or the member a list of several values.
static OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\betc\b|e\.g\.|\bsuch as\b|for example|and so on|not limited|\bor other\b|\bcustom values?\b",
        r"|separated by|\bcomma|multiple values|等|例如|比如|逗号|分隔|多个|自定义值",
    ))
    .expect("a valid regex")
});

/// A value token.
static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$").expect("a valid regex"));

/// Leading item bullets and the HTML tags that only lay out a list.
static LAYOUT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</?(?:li|ul|ol|p|br|div)\s*/?>|\\n").expect("a valid regex"));

/// The closed list of values `text` states, or `None` when it states none or is not unambiguous.
pub(crate) fn extract(text: &str) -> Option<Vec<Value>> {
    let text = NULL_NOTE.replace_all(text, "");
    if OPEN.is_match(&text) {
        return None;
    }
    let text = LAYOUT.replace_all(&text, "\n");
    let text = text.replace(['“', '”', '"', '\'', '`'], "").replace("&nbsp;", " ");
    if text.contains('<') || text.contains('>') {
        return None;
    }
    if MENTION.find_iter(&text).count() != 1 {
        return None;
    }
    let mut markers = MARKER.find_iter(&text);
    let marker = markers.next()?;
    if markers.next().is_some() {
        return None;
    }
    let rest = &text[marker.end()..];
    let first_line_empty = rest.split('\n').next().is_some_and(|l| l.trim().is_empty());
    let values = if first_line_empty { list(rest)? } else { inline(rest)? };
    if values.len() < 2 {
        return None;
    }
    let mut names = std::collections::HashSet::new();
    for value in &values {
        let name = cloudspec::names::camel(&value.value).ok()?;
        if cloudspec::names::Scope::EnumVariants.is_reserved(&name) || !names.insert(name) {
            return None;
        }
    }
    Some(values)
}

/// One value per line (`<li>`, `<br>` or line breaks): every line up to the first that is not an item.
fn list(rest: &str) -> Option<Vec<Value>> {
    let mut values = Vec::new();
    let mut ended = false;
    for line in rest.split('\n') {
        let line = line.trim().trim_start_matches(['•', '-', '*', '·']).trim();
        if line.is_empty() {
            continue;
        }
        match item(line, true).map(classify) {
            Some(Piece::Value(value)) if !ended => values.push(value),
            // An item after prose that ended the list: which list is meant is not clear.
            Some(Piece::Value(_) | Piece::Ambiguous) => return None,
            Some(Piece::End) | None => ended = true,
        }
    }
    Some(values)
}

/// Values on one line, up to the end of the sentence: `a, b or c`, `a (x), b (y)`, `a: x; b: y`.
fn inline(rest: &str) -> Option<Vec<Value>> {
    let line = rest.split('\n').next().unwrap_or_default();
    let mut end = line.len();
    for stop in [". ", "。"] {
        if let Some(at) = line.find(stop) {
            end = end.min(at);
        }
    }
    let sentence = line[..end].trim().trim_end_matches(['.', '。']).trim();
    // Anything after the sentence that looks like more items makes the extent unclear.
    if rest[line.len()..].split('\n').any(|l| matches!(item(l.trim(), true).map(classify), Some(Piece::Value(_)))) {
        return None;
    }
    let pieces: Vec<&str> = if sentence.contains([';', '；']) {
        sentence.split([';', '；']).collect()
    } else {
        let separated =
            sentence.replace(", and ", ", ").replace(", or ", ", ").replace(" or ", ", ").replace(" and ", ", ");
        return gather(separated.split([',', '，', '、', '/', '|']).map(|p| item(p.trim(), false)));
    };
    gather(pieces.into_iter().filter(|p| !p.trim().is_empty()).map(|p| item(p.trim(), true)))
}

/// A parsed item: a value, prose that ends the list (`Note: …`, `Default: auto`), or prose that makes it unclear.
enum Piece {
    Value(Value),
    End,
    Ambiguous,
}

/// Tells list items from the prose lines that look like them. `Default: auto` states the default and ends the
/// list; `Default: use the default library` may be a value named `Default` or a statement: unclear.
fn classify(value: Value) -> Piece {
    const PROSE: &[&str] =
        &["Note", "Notes", "NOTE", "Remark", "Remarks", "Description", "Example", "Examples", "Caution", "Tip"];
    if PROSE.contains(&value.value.as_str()) {
        return Piece::End;
    }
    if value.value == "Default" || value.value == "default" {
        return match &value.description {
            None => Piece::Value(value),
            Some(text) if TOKEN.is_match(text) => Piece::End,
            Some(_) => Piece::Ambiguous,
        };
    }
    Piece::Value(value)
}

/// The values of a sequence of items: all must parse, and none may follow prose that ended the list.
fn gather(items: impl Iterator<Item = Option<Value>>) -> Option<Vec<Value>> {
    let mut values = Vec::new();
    let mut ended = false;
    for piece in items {
        match classify(piece?) {
            Piece::Value(value) if !ended => values.push(value),
            Piece::Value(_) | Piece::Ambiguous => return None,
            Piece::End => ended = true,
        }
    }
    Some(values)
}

/// `value`, `value (text)`, and with `described`, `value: text` / `value - text`.
fn item(piece: &str, described: bool) -> Option<Value> {
    let piece = piece.trim().trim_end_matches([';', '；', ',', '，', '.', '。']).trim();
    let split = piece.find([' ', ':', '：', '(', '（']).unwrap_or(piece.len());
    let (token, tail) = piece.split_at(split);
    if !TOKEN.is_match(token) {
        return None;
    }
    let tail = tail.trim();
    let description = if tail.is_empty() {
        None
    } else if let Some(inner) = tail.strip_prefix(['(', '（']) {
        let inner = inner.strip_suffix([')', '）'])?;
        if inner.contains(['(', ')', '（', '）']) {
            return None;
        }
        Some(inner.trim().to_string())
    } else if described {
        let text = tail.strip_prefix([':', '：']).or_else(|| tail.strip_prefix("- "))?;
        Some(text.trim().to_string())
    } else {
        return None;
    };
    Some(Value { value: token.to_string(), description: description.filter(|d| !d.is_empty()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Option<Vec<String>> {
        extract(text).map(|v| v.into_iter().map(|v| v.value).collect())
    }

    #[test]
    fn inline_lists() {
        assert_eq!(
            values("Key type. Valid values: auto, manual (custom key). Default value: auto.").unwrap(),
            ["auto", "manual"]
        );
        let v = extract("Service type. Valid values: `mysql` (TencentDB for MySQL), `cynosdb` (TDSQL-C for MySQL).");
        let v = v.unwrap();
        assert_eq!(v[1].value, "cynosdb");
        assert_eq!(v[1].description.as_deref(), Some("TDSQL-C for MySQL"));
        assert_eq!(
            values("Policy type. Valid values: SERVICE_CONTROL_POLICY: service control policy; TAG_POLICY: tag policy. The default value is SERVICE_CONTROL_POLICY.").unwrap(),
            ["SERVICE_CONTROL_POLICY", "TAG_POLICY"]
        );
        assert_eq!(values("类型。取值：auto、manual。").unwrap(), ["auto", "manual"]);
        assert_eq!(values("Either. Valid values: on or off").unwrap(), ["on", "off"]);
    }

    #[test]
    fn html_and_line_lists() {
        assert_eq!(
            values(
                "Sorting type. Valid values:\n<li> ASC: ascending sort </li>\n<li> DESC: sort in descending order </li>"
            )
            .unwrap(),
            ["ASC", "DESC"]
        );
        assert_eq!(
            values("<p>Initial status<br>Enumeration values:<br>ON: Enable<br>OFF: Disable</p>").unwrap(),
            ["ON", "OFF"]
        );
        assert_eq!(
            values("<p>状态</p><p>枚举值：</p><ul><li>ON：开启</li><li>OFF：关闭</li></ul>").unwrap(),
            ["ON", "OFF"]
        );
        // A note that may return null is not part of the list.
        assert_eq!(
            values("Mode. Valid values:\n<li>A: a</li>\n<li>B: b</li>\nNote: this field may return null, indicating that no valid values can be obtained.")
                .unwrap(),
            ["A", "B"]
        );
    }

    #[test]
    fn ambiguous_text_is_left_alone() {
        // Numbers, open lists, several markers, prose in place of values, a single value.
        assert_eq!(values("Ad unit type. Valid values: 1: Banner; 2: Rewarded."), None);
        assert_eq!(values("Region. Valid values: ap-guangzhou, ap-beijing, etc."), None);
        assert_eq!(values("Valid values: a, b. Valid values for X: c, d."), None);
        assert_eq!(values("Valid values: Mainland: Query data for Mainland China (domestic). Oversea: more."), None);
        assert_eq!(values("Valid values: only"), None);
        assert_eq!(values("Tags separated by commas. Valid values: a, b"), None);
        assert_eq!(values("Valid values are between 1 and 100."), None);
        assert_eq!(values("Type. Valid values:\n<li>A: a</li>\nMore prose.\n<li>B: b</li>"), None);
        // `Default:` with prose may be a value or a statement; `Default: x` after the list ends it, as `Note:` does.
        assert_eq!(
            values("Library. Valid values:\n<li>Default: use the default library</li>\n<li>All: all</li>"),
            None
        );
        assert_eq!(values("Charge. Valid values:\n<li>A: a</li>\n<li>B: b</li>\nDefault: A").unwrap(), ["A", "B"]);
        assert_eq!(
            values("Origin. Valid values:\n<li>IP: ip</li>\n<li>LB: lb</li>\nNote: required when creating.").unwrap(),
            ["IP", "LB"]
        );
        // Values that collide as Rust variants.
        assert_eq!(values("Valid values: on, ON"), None);
        assert_eq!(values("Valid values: known, unknown"), None);
        assert_eq!(values("Default value: auto"), None);
    }
}
