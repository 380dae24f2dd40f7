//! Server text made safe to show: control characters and Unicode bidirectional controls escaped, so a
//! hostile message cannot move the cursor, recolour a terminal or reorder what is shown.

use std::fmt::{self, Write as _};

/// Whether a character could change how a terminal or a text view shows the text around it: C0 and C1
/// controls and DEL (colours, cursor moves, line breaks), the Unicode line and paragraph separators,
/// and the bidirectional controls (embeddings, overrides, isolates and marks) that reorder a line.
pub(crate) fn is_disruptive(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// A `fmt::Write` that escapes disruptive characters (`\u{1b}`) and passes everything else through.
struct Neutralising<'a, W: fmt::Write + ?Sized>(&'a mut W);

impl<W: fmt::Write + ?Sized> fmt::Write for Neutralising<'_, W> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut rest = text;
        while let Some(at) = rest.find(is_disruptive) {
            self.0.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            write!(self.0, "{}", c.escape_unicode())?;
            rest = &rest[at + c.len_utf8()..];
        }
        self.0.write_str(rest)
    }
}

/// Text from a server, displayed with control and bidirectional characters escaped.
#[derive(Debug, Clone, Copy)]
pub struct Neutralised<'a>(pub &'a str);

impl fmt::Display for Neutralised<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Neutralising(f).write_str(self.0)
    }
}

/// Writes formatted text through [`Neutralised`]'s escaping.
pub(crate) fn write_neutralised(f: &mut fmt::Formatter<'_>, args: fmt::Arguments<'_>) -> fmt::Result {
    Neutralising(f).write_fmt(args)
}
