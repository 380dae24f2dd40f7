//! Problems found in specs, and how they are shown: `file:line:column`, the JSON path, a message, the
//! offending source line and a hint, rendered with `codespan-reporting`.
//!
//! Only a window of the offending line is kept and shown, so a diagnostic on a 1 MB line stays short.

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation must not go ahead.
    Error,
    /// Worth fixing; generation can go ahead.
    Warning,
}

/// A path into a JSON document: `actions.CreateApiKey.request.AccessKeyId.constraints.length.min`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPath(Vec<Segment>);

/// One step of a [`JsonPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

impl JsonPath {
    /// The document root.
    pub fn root() -> JsonPath {
        JsonPath(Vec::new())
    }

    /// The path of these steps from the root.
    pub fn from_segments(segments: Vec<Segment>) -> JsonPath {
        JsonPath(segments)
    }

    /// This path, one key deeper.
    pub fn key(&self, key: impl Into<String>) -> JsonPath {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.into()));
        JsonPath(segments)
    }

    /// This path, one index deeper.
    pub fn index(&self, index: usize) -> JsonPath {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        JsonPath(segments)
    }

    /// The path one step up, or `None` at the root.
    pub fn parent(&self) -> Option<JsonPath> {
        let (_, rest) = self.0.split_last()?;
        Some(JsonPath(rest.to_vec()))
    }

    /// The segments, from the root down.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// The last key, if the path ends in one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }
}

impl From<Vec<Segment>> for JsonPath {
    fn from(segments: Vec<Segment>) -> Self {
        JsonPath(segments)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document root)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) if is_plain_key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                Segment::Key(key) => {
                    write!(f, "[{:?}]", abbreviate(key, 40))?;
                }
            }
        }
        Ok(())
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 80
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-')
}

/// Shortens text for a message: at most `max` characters, with `…` where it was cut.
pub fn abbreviate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Which part of a JSON member a diagnostic points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The key (`"lenght"` in `"lenght": {…}`).
    Key,
    /// The value.
    Value,
}

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// A short stable name for the kind of problem (`unknown-type`).
    pub code: &'static str,
    /// The file, as given by the user.
    pub file: String,
    /// Where in the document.
    pub path: JsonPath,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is something specific to say.
    pub hint: Option<String>,
    /// The position in the file, when known.
    pub location: Option<SourceLocation>,
}

/// A resolved source position, with the window of the line to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The shown part of the line (possibly cut, with `…` marks).
    pub snippet: String,
    /// The highlighted bytes within `snippet`.
    pub highlight: Range<usize>,
}

/// The longest stretch of a line that is shown.
const WINDOW: usize = 120;

impl SourceLocation {
    /// Locates a byte range of `source`, keeping only a window of its line. This scans `source`
    /// once; to locate many ranges of one text, build a [`LineIndex`] and use [`SourceLocation::indexed`].
    pub fn new(source: &str, span: Range<usize>) -> SourceLocation {
        SourceLocation::indexed(source, &LineIndex::new(source), span)
    }

    /// Locates a byte range of `source` through its `lines` (built from the same text): the cost
    /// does not grow with the size of the file, so a file with thousands of diagnostics is not
    /// scanned once for each of them.
    pub fn indexed(source: &str, lines: &LineIndex, span: Range<usize>) -> SourceLocation {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let (line, line_start, line_end) = lines.line_of(source, start);
        let column = lines.chars_between(source, line_start, start) + 1;
        let end = end.min(line_end).max(start);

        // Keep some context before the highlight and at most WINDOW bytes of highlight and context after.
        let from = floor_char_boundary(source, start.saturating_sub(40).max(line_start));
        let to = floor_char_boundary(source, (from + WINDOW).max(end.min(from + WINDOW)).min(line_end));
        let highlight_end = end.min(to);
        let text = source[from..to].trim_end_matches('\r');
        let mut snippet = String::new();
        let mut offset = 0;
        if from > line_start {
            snippet.push('…');
            offset = '…'.len_utf8();
        }
        snippet.push_str(&text.replace('\t', " "));
        if to < line_end {
            snippet.push('…');
        }
        let highlight = (offset + start - from)..(offset + highlight_end.min(from + text.len()) - from);
        SourceLocation { line, column, snippet, highlight }
    }
}

/// Where each line of a text starts, and how many characters come before every 4,096th byte:
/// a position's line is then a binary search and its column at most one chunk's count, however
/// long the file or its lines (a minified spec is one line).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    line_starts: Vec<usize>,
    /// Characters before byte `i * CHUNK`, for each `i`.
    chars_before_chunk: Vec<usize>,
}

/// The stride of [`LineIndex`]'s character counts.
const CHUNK: usize = 4096;

impl LineIndex {
    /// Indexes `text` in one pass.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1));
        let mut chars_before_chunk = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut chars = 0;
        for chunk in bytes.chunks(CHUNK) {
            chars_before_chunk.push(chars);
            chars += count_chars(chunk);
        }
        chars_before_chunk.push(chars);
        LineIndex { line_starts, chars_before_chunk }
    }

    /// The 1-based line holding byte `offset`, and the byte range of that line (without its `\n`).
    fn line_of(&self, text: &str, offset: usize) -> (usize, usize, usize) {
        let index = self.line_starts.partition_point(|&start| start <= offset).max(1) - 1;
        let start = self.line_starts.get(index).copied().unwrap_or(0).min(text.len());
        let end = self.line_starts.get(index + 1).map_or(text.len(), |next| next - 1).max(start);
        (index + 1, start, end)
    }

    /// Characters between two char boundaries `from <= to` of `text`.
    fn chars_between(&self, text: &str, from: usize, to: usize) -> usize {
        self.chars_before(text, to).saturating_sub(self.chars_before(text, from))
    }

    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        let chunk = offset / CHUNK;
        let counted = self.chars_before_chunk.get(chunk).copied().unwrap_or(0);
        counted + count_chars(&text.as_bytes()[chunk * CHUNK..offset])
    }
}

/// The characters of UTF-8 bytes that start on a char boundary: every byte but continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl Diagnostic {
    /// An error at `path`.
    pub fn error(code: &'static str, file: impl Into<String>, path: JsonPath, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            path,
            message: message.into(),
            hint: None,
            location: None,
        }
    }

    /// A warning at `path`.
    pub fn warning(code: &'static str, file: impl Into<String>, path: JsonPath, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, file, path, message) }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Renders the diagnostic as plain text, as the CLI prints it.
    pub fn render(&self) -> String {
        let severity = match self.severity {
            Severity::Error => codespan_reporting::diagnostic::Severity::Error,
            Severity::Warning => codespan_reporting::diagnostic::Severity::Warning,
        };
        let mut notes = vec![format!("at: {}", self.path)];
        if let Some(hint) = &self.hint {
            notes.push(format!("help: {hint}"));
        }
        let report = Report::new(severity).with_code(self.code).with_message(&self.message);
        let text = match &self.location {
            Some(location) => {
                let files = Snippet { name: &self.file, location };
                let report = report.with_labels(vec![Label::primary((), location.highlight.clone())]).with_notes(notes);
                term::emit_into_string(&term::Config::default(), &files, &report)
            }
            None => {
                let mut notes = notes;
                notes.insert(0, format!("in: {}", self.file));
                term::emit_into_string(&term::Config::default(), &NoFiles, &report.with_notes(notes))
            }
        };
        text.unwrap_or_else(|_| format!("{}: {}: {}\n", self.file, self.path, self.message))
    }
}

/// A one-line window of a file, with the real line and column numbers.
struct Snippet<'a> {
    name: &'a str,
    location: &'a SourceLocation,
}

impl<'a> Files<'a> for Snippet<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.location.snippet)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
        Ok(self.location.line)
    }

    fn column_number(&'a self, (): (), _line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        // Columns count from the real line start, not from the window.
        let within =
            self.location.snippet.get(self.location.highlight.start..byte_index).map_or(0, |s| s.chars().count());
        Ok(self.location.column + within)
    }

    fn line_range(&'a self, (): (), _line_index: usize) -> Result<Range<usize>, FilesError> {
        Ok(0..self.location.snippet.len())
    }
}

/// For diagnostics without a position (a file that cannot be read).
struct NoFiles;

impl<'a> Files<'a> for NoFiles {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok("")
    }
    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok("")
    }
    fn line_index(&'a self, (): (), _: usize) -> Result<usize, FilesError> {
        Ok(0)
    }
    fn line_range(&'a self, (): (), _: usize) -> Result<Range<usize>, FilesError> {
        Ok(0..0)
    }
}

/// Suggests the closest candidate to a misspelt name, if one is close enough.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    if name.len() > crate::names::MAX_NAME_LEN {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let distance = if candidate.to_ascii_lowercase() == lower {
            0
        } else {
            strsim::damerau_levenshtein(&lower, &candidate.to_ascii_lowercase())
        };
        let limit = (name.chars().count().max(candidate.chars().count()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_like_the_spec_reads() {
        let path = JsonPath::root().key("actions").key("CreateApiKey").key("errors").index(2).key("code");
        assert_eq!(path.to_string(), "actions.CreateApiKey.errors[2].code");
        assert_eq!(JsonPath::root().key("a.b").to_string(), "[\"a.b\"]");
    }

    #[test]
    fn windows_long_lines() {
        let source = format!("{{\"name\": \"{}\"}}", "x".repeat(1_000_000));
        let location = SourceLocation::new(&source, 9..source.len() - 1);
        assert_eq!((location.line, location.column), (1, 10));
        assert!(location.snippet.len() < 200, "{}", location.snippet.len());
    }

    #[test]
    fn indexed_positions_match_a_plain_count() {
        // Multi-byte characters, CRLF, empty lines, a line longer than a chunk, positions at both ends.
        let long = "é".repeat(CHUNK + 100);
        let source = format!("{{\r\n\n  \"ä\": \"{long}\", \"b\": 1\n}}");
        let lines = LineIndex::new(&source);
        let near_ends = (0..40).chain(source.len() - 40..=source.len());
        for start in near_ends.chain((0..source.len()).step_by(37)).filter(|&i| source.is_char_boundary(i)) {
            let line = source[..start].matches('\n').count() + 1;
            let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
            let column = source[line_start..start].chars().count() + 1;
            let location = SourceLocation::indexed(&source, &lines, start..start + 1);
            assert_eq!((location.line, location.column), (line, column), "at byte {start}");
            assert_eq!(location, SourceLocation::new(&source, start..start + 1));
        }
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(did_you_mean("lenght", ["length", "pattern"]).as_deref(), Some("did you mean `length`?"));
        assert_eq!(did_you_mean("Tga", ["Tag", "ApiKey"]).as_deref(), Some("did you mean `Tag`?"));
        assert_eq!(did_you_mean("zzzzzz", ["length", "pattern"]), None);
    }
}
