//! Which `*` and `_` in a provider's Markdown were meant as emphasis. CommonMark pairs any two
//! delimiters that can open and close, so the asterisks of a resource pattern (`acs:alikafka:*:*:{id}`),
//! a policy's `"ecs:*", "vpc:*"` or code-like `a*b*c` become italics. [`escape_unmeant`] lets the
//! parser pair them, judges each pair it made by what surrounds its delimiters, and escapes the pairs no
//! writer meant, so the asterisks show as written; `*word*`, `**bold**` and `**Note:**` still render.

use pulldown_cmark::{Event, Options, Parser, Tag};
use std::ops::Range;

/// `markdown` with the delimiters of emphasis its writer did not mean escaped (`\*`), or unchanged.
pub fn escape_unmeant(markdown: &str, options: Options) -> std::borrow::Cow<'_, str> {
    if !markdown.contains(['*', '_']) {
        return markdown.into();
    }
    let mut text = markdown.to_string();
    // Each round escapes at least one pair, so the loop ends; the bound only guards against a parser
    // that would report a pair it had been told is text.
    for _ in 0..=text.len() {
        let mut unmeant: Vec<usize> = Vec::new();
        for (event, range) in Parser::new_ext(&text, options).into_offset_iter() {
            let width = match event {
                Event::Start(Tag::Emphasis) => 1,
                Event::Start(Tag::Strong) => 2,
                _ => continue,
            };
            if let Some(delimiters) = delimiters(&text, range, width)
                && !meant(&text, &delimiters)
            {
                unmeant.extend(delimiters.opener.clone().chain(delimiters.closer.clone()));
            }
        }
        if unmeant.is_empty() {
            break;
        }
        unmeant.sort_unstable();
        unmeant.dedup();
        for at in unmeant.into_iter().rev() {
            text.insert(at, '\\');
        }
    }
    text.into()
}

/// Where a span's opening and closing delimiters are in the text.
struct Delimiters {
    opener: Range<usize>,
    closer: Range<usize>,
}

/// The delimiters of an emphasis span the parser reported over `range`, if they are where they should be.
fn delimiters(text: &str, range: Range<usize>, width: usize) -> Option<Delimiters> {
    let span = text.get(range.clone())?;
    let bytes = span.as_bytes();
    let (first, last) = (*bytes.first()?, *bytes.last()?);
    let is_delimiter = |b: u8| b == b'*' || b == b'_';
    if span.len() < 2 * width + 1 || !is_delimiter(first) || first != last {
        return None;
    }
    Some(Delimiters { opener: range.start..range.start + width, closer: range.end - width..range.end })
}

/// Whether a writer meant this pair as emphasis: the text between holds a letter or digit, and each
/// delimiter sits as emphasis does — the opener before its word, the closer after it — rather than
/// between punctuation (`:*:`) or inside a code-like word (`a*b*c`).
fn meant(text: &str, span: &Delimiters) -> bool {
    let inner = &text[span.opener.end..span.closer.start];
    if !inner.chars().any(char::is_alphanumeric) {
        return false;
    }
    let (before_opener, after_opener) = neighbours(text, &span.opener);
    let (before_closer, after_closer) = neighbours(text, &span.closer);
    opens(before_opener, after_opener) && closes(before_closer, after_closer)
}

/// The characters either side of a delimiter run, looking past adjacent delimiters (`***a***`); `None`
/// at either end of the text.
fn neighbours(text: &str, run: &Range<usize>) -> (Option<char>, Option<char>) {
    let is_delimiter = |c: &char| *c == '*' || *c == '_';
    let before = text[..run.start].chars().rev().find(|c| !is_delimiter(c));
    let after = text[run.end..].chars().find(|c| !is_delimiter(c));
    (before, after)
}

/// Punctuation that may stand just inside an opening delimiter (`**"quoted"**`, ``**`Code`**``).
const OPENING: &[char] = &['(', '[', '{', '"', '\'', '`', '<', '“', '‘'];
/// Punctuation that may stand just inside a closing delimiter (`**Note:**`, `*(optional)*`).
const CLOSING: &[char] = &[')', ']', '}', '"', '\'', '`', '>', '”', '’', '.', ':', '!', '?', '%'];

/// A word boundary: white space, either end of the text, or a table cell's edge.
fn is_space(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || c == '|')
}

/// A letter, digit or any other character that is not ASCII punctuation (CJK text and its
/// punctuation take emphasis with no space around it).
fn is_wordlike(c: char) -> bool {
    !c.is_whitespace() && !c.is_ascii_punctuation()
}

/// Inside a word of ASCII letters and digits, as `a*b*c` or `2*3*4` in code-like text.
fn inside_ascii_word(before: Option<char>, after: Option<char>) -> bool {
    before.is_some_and(|c| c.is_ascii_alphanumeric()) && after.is_some_and(|c| c.is_ascii_alphanumeric())
}

fn opens(before: Option<char>, after: Option<char>) -> bool {
    let Some(first) = after.filter(|c| !c.is_whitespace()) else { return false };
    if inside_ascii_word(before, after) {
        return false;
    }
    // Glued to punctuation on its left (`:*instance`, `/*name`) an opener is part of a pattern, unless
    // that punctuation opens a phrase itself (`(*optional*)`).
    let starts_phrase = is_space(before) || before.is_some_and(|c| is_wordlike(c) || OPENING.contains(&c));
    // Before punctuation, only an opener that starts a phrase (`**"quoted"**`), not `:*"` in a policy.
    starts_phrase && (is_wordlike(first) || OPENING.contains(&first))
}

fn closes(before: Option<char>, after: Option<char>) -> bool {
    let Some(last) = before.filter(|c| !c.is_whitespace()) else { return false };
    if inside_ascii_word(before, after) {
        return false;
    }
    // After its word a closer may be followed by anything but more of the word.
    if is_wordlike(last) {
        return true;
    }
    // After punctuation, only a closer that ends a phrase (`**Note:**`, ``**`Code`**,``), not `:*:`.
    let ends_phrase = is_space(after)
        || after.is_some_and(|c| matches!(c, ')' | ']' | '}' | ',' | ';' | '.' | ':' | '!' | '?') && c != last);
    CLOSING.contains(&last) && ends_phrase
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(markdown: &str) -> String {
        escape_unmeant(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).into_owned()
    }

    /// Whether the parser finds any emphasis in the escaped text.
    fn emphasised(markdown: &str) -> bool {
        let text = escaped(markdown);
        Parser::new_ext(&text, Options::ENABLE_TABLES)
            .any(|event| matches!(event, Event::Start(Tag::Emphasis) | Event::Start(Tag::Strong)))
    }

    #[test]
    fn resource_patterns_and_wildcards_are_not_emphasis() {
        for text in [
            "acs:alikafka:*:*:{instanceId}",
            "|Resource|\n|---|\n|acs:alikafka:*:*:{instanceId}|",
            "acs:ecs:*:*:instance/*",
            "acs:ram::*:role/*",
            "acs:ram:*:123456:role/*",
            "acs:oss:*:*:mybucket/*/object*",
            "\"Action\": [\"ecs:*\", \"vpc:*\"]",
            "ecs:Describe* and ecs:List*",
            "*.example.com and *.example.org",
            "the domain *.example.com*",
            "a*b*c",
            "2*3*4 = 24",
            "matches file*.log or *.txt*",
            "**/*.log and src/**/*.rs",
            "- acs:vpc:*:*:vpc/*\n- acs:vpc:*:*:vswitch/*",
            "* item acs:cs:*:*:cluster/*\n* item two",
            "cron: 0 0 * * * and 0/5 * * * ?",
            "a:_:b and c:_:d",
            "count(*) and sum(*)",
        ] {
            assert!(!emphasised(text), "{text} -> {}", escaped(text));
        }
    }

    #[test]
    fn the_asterisks_of_a_pattern_are_kept_as_written() {
        assert_eq!(escaped("acs:alikafka:*:*:{instanceId}"), "acs:alikafka:\\*:\\*:{instanceId}");
        assert_eq!(escaped("a*b*c"), "a\\*b\\*c");
        // Nothing to pair: the text is left as it was.
        assert_eq!(escaped("*.example.com"), "*.example.com");
        assert_eq!(escaped("plain text"), "plain text");
    }

    #[test]
    fn real_emphasis_still_renders() {
        for text in [
            "*word*",
            "**bold**",
            "***both***",
            "_italic_ and __bold__",
            "**Note:** this matters",
            "**Note**: this matters",
            "(**Required**)",
            "*(optional)*",
            "**`Code`**, then",
            "**\"quoted\"**",
            "a list:\n\n* **one**\n* *two*",
            "|a|b|\n|---|---|\n|**yes**|*no*|",
            "中文**加粗**中文",
            "**注意**：中文",
            "## **Permissions**",
            "**Warning** Do not call this often.",
        ] {
            assert!(emphasised(text), "{text} -> {}", escaped(text));
            assert_eq!(escaped(text), text, "meant emphasis is left alone");
        }
    }

    #[test]
    fn a_pattern_beside_real_emphasis_leaves_it_alone() {
        let text = escaped("**Note:** grant acs:ecs:*:*:instance/* to the *role*.");
        assert!(text.starts_with("**Note:**"), "{text}");
        assert!(text.ends_with("the *role*."), "{text}");
        assert!(text.contains("acs:ecs:\\*:\\*:instance/"), "{text}");
    }

    #[test]
    fn code_is_untouched() {
        for text in ["`acs:alikafka:*:*:{instanceId}`", "```\nacs:ecs:*:*:x\na*b*c\n```", "    a*b*c\n    *:*"] {
            assert_eq!(escaped(text), text);
        }
    }
}
