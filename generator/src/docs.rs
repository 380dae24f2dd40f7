//! Turning documentation text from specs into rustdoc lines that render as written and never trip
//! rustdoc: no accidental code blocks (which would become doctests), links, HTML tags or bare URLs.

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
            c if c.is_control() => {}
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Text for inside a code span: backticks replaced, controls dropped.
pub fn code(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).map(|c| if c == '`' { '\'' } else { c }).collect()
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
    }
}
