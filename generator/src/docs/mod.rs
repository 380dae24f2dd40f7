//! Turning documentation text from specs into rustdoc lines that render as written and never trip
//! rustdoc: no accidental code blocks (which would become doctests), links, HTML tags or bare URLs.
//! Plain text is escaped character by character; Markdown (a service's `docs: markdown`) is translated
//! by [`markdown`], keeping its structure.

mod emphasis;
pub mod markdown;

use crate::spec::DocFormat;

/// Rustdoc lines for a description written in `format`.
pub fn render(description: &str, format: DocFormat) -> Vec<String> {
    match format {
        DocFormat::Text => text(description),
        DocFormat::Markdown => markdown::render(description),
    }
}

/// One line of rustdoc for a short text written in `format` (a summary, a note): Markdown is rendered and
/// its lines joined.
pub fn inline(text: &str, format: DocFormat) -> String {
    match format {
        DocFormat::Text => escape(text),
        DocFormat::Markdown => markdown::render(text).join(" "),
    }
}

/// Rustdoc lines for a description: each line trimmed, markup characters escaped.
pub fn text(description: &str) -> Vec<String> {
    let mut lines: Vec<String> = description.lines().map(|line| escape(line.trim())).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    lines
}

/// Escapes one line of prose for rustdoc's Markdown.
pub fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line.trim();
    while !rest.is_empty() {
        // Bare URLs become autolinks, which rustdoc accepts.
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let end =
                rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')).unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ')', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        match c {
            '[' | ']' | '<' | '>' | '*' | '_' | '#' | '|' | '\\' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '`' => out.push_str("\\`"),
            '\t' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Text for inside a code span: backticks replaced, controls dropped.
pub fn code(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).map(|c| if c == '`' { '\'' } else { c }).collect()
}

/// Text fit for a `///` line, whatever made it: bidirectional controls dropped, and every other
/// control character (a line break, a carriage return, a tab) a space, so the comment stays one line
/// that rustc accepts.
pub fn comment_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars().filter(|c| !is_bidi_control(*c)).map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069), which rustc refuses in comments
/// and literals: they make code read differently from how it compiles.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `5 to 50 characters`, `at most 10 items`.
pub fn bounds(min: Option<u64>, max: Option<u64>, unit: &str) -> String {
    match (min, max) {
        (Some(min), Some(max)) if min == max => format!("exactly {min} {unit}"),
        (Some(min), Some(max)) => format!("{min} to {max} {unit}"),
        (Some(min), None) => format!("at least {min} {unit}"),
        (None, Some(max)) => format!("at most {max} {unit}"),
        (None, None) => format!("any number of {unit}"),
    }
}

/// Doc text wrapped to `width` columns at spaces, as people wrap prose: list items continue indented
/// under their text, and what wrapping would change the meaning of — code blocks, table rows,
/// headings, a word longer than the width — is left as it is.
pub fn wrap(lines: &[String], width: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_code = false;
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
        }
        if in_code || trimmed.starts_with("```") || trimmed.starts_with('|') || trimmed.starts_with('#') {
            out.push(line.clone());
            continue;
        }
        // Continuation lines stay in their block quote and under their list item's text.
        let quote: String = trimmed.chars().take_while(|c| *c == '>' || *c == ' ').collect();
        let quote = quote.trim_end().to_string();
        let inner = trimmed[quote.len()..].trim_start();
        let marker = list_marker(inner).map_or(0, str::len);
        let continuation = if quote.is_empty() {
            " ".repeat(line.len() - trimmed.len() + marker)
        } else {
            format!("{quote} {}", " ".repeat(marker))
        };
        // The line's own indentation, quote and list marker stay; words are laid after them, the
        // first always on the first line (a break right after a marker would end the item).
        let lead = line.len() - inner.len() + marker;
        let mut current = line[..lead].to_string();
        let mut has_word = false;
        for word in line[lead..].split(' ') {
            let fits = current.chars().count() + 1 + word.chars().count() <= width;
            if !has_word || fits {
                if has_word {
                    current.push(' ');
                }
                current.push_str(word);
                has_word = true;
            } else {
                out.push(std::mem::take(&mut current));
                current = format!("{continuation}{word}");
            }
        }
        out.push(current);
    }
    out
}

/// The marker of a Markdown list item (`- `, `* `, `12. `), if the line starts one.
fn list_marker(line: &str) -> Option<&str> {
    if line.starts_with("- ") || line.starts_with("* ") {
        return Some(&line[..2]);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then(|| &line[..digits + 2])
}

/// At most `max` characters, with `…` where cut.
pub fn abbreviate(text: &str, max: usize) -> String {
    crate::diagnostics::abbreviate(text, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralizes_markup() {
        assert_eq!(escape("see [docs] <b>bold</b> `x`"), "see \\[docs\\] \\<b\\>bold\\</b\\> \\`x\\`");
        assert_eq!(escape("at https://example.com/a_b."), "at <https://example.com/a_b>.");
        assert_eq!(text("    indented code\n\n  ```rust\n"), ["indented code", "", "\\`\\`\\`rust"]);
        assert_eq!(escape("a */ b \\ c"), "a \\*/ b \\\\ c");
        assert_eq!(escape("left\u{202E}right"), "leftright");
    }

    #[test]
    fn wraps_prose_and_leaves_code_and_tables() {
        let lines: Vec<String> = [
            "one two three four five six",
            "- item one two three four",
            "| a | b | c | d | e | f |",
            "```text",
            "code code code code code code",
            "```",
            "unbreakable_word_longer_than_the_width",
            "> quoted text goes on",
            "    1. nested item text",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            wrap(&lines, 12),
            [
                "one two",
                "three four",
                "five six",
                "- item one",
                "  two three",
                "  four",
                "| a | b | c | d | e | f |",
                "```text",
                "code code code code code code",
                "```",
                "unbreakable_word_longer_than_the_width",
                "> quoted",
                "> text goes",
                "> on",
                "    1. nested",
                "       item",
                "       text",
            ]
        );
    }
}
