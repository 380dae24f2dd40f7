//! Source positions of every key and value of a JSON document, found by a small scanner.
//!
//! serde_json does not keep positions, and diagnostics need them. The scanner runs only on text that
//! serde_json has already accepted (so it is valid JSON nested at most 128 deep) and never fails.
//! It also finds duplicate keys, which serde_json silently merges.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::diagnostics::{JsonPath, LineIndex, Segment};

/// Byte ranges of one member of a document.
#[derive(Debug, Clone)]
pub struct NodeSpan {
    /// The key, quotes included, for object members.
    pub key: Option<Range<usize>>,
    /// The value.
    pub value: Range<usize>,
}

/// Positions of every node of a document, by path, and of its lines.
#[derive(Debug, Default)]
pub struct SpanIndex {
    nodes: HashMap<JsonPath, NodeSpan>,
    lines: LineIndex,
}

impl SpanIndex {
    /// Indexes `text`, which must be valid JSON.
    pub fn build(text: &str) -> SpanIndex {
        let mut scanner = Scanner::new(text, true);
        let root = scanner.value();
        scanner.nodes.insert(JsonPath::root(), NodeSpan { key: None, value: root });
        SpanIndex { nodes: scanner.nodes, lines: LineIndex::new(text) }
    }

    /// The document's lines, to turn byte offsets into lines and columns.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The spans of the node at `path`, if it exists.
    pub fn get(&self, path: &JsonPath) -> Option<&NodeSpan> {
        self.nodes.get(path)
    }
}

/// Duplicate keys of a document: the path of each second (or later) occurrence and its key's span.
pub fn duplicate_keys(text: &str) -> Vec<(JsonPath, Range<usize>)> {
    let mut scanner = Scanner::new(text, false);
    scanner.value();
    scanner.duplicates
}

/// A step of the path being scanned, borrowing the text where it can.
enum Step<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
    /// Index every node (a path per node), or only look for duplicate keys (a path per duplicate:
    /// every spec file is checked for them, so that must be cheap).
    record: bool,
    /// The path of the value being scanned.
    path: Vec<Step<'a>>,
    nodes: HashMap<JsonPath, NodeSpan>,
    duplicates: Vec<(JsonPath, Range<usize>)>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, record: bool) -> Self {
        Scanner {
            text: text.as_bytes(),
            pos: 0,
            record,
            path: Vec::new(),
            nodes: HashMap::new(),
            duplicates: Vec::new(),
        }
    }

    fn skip_whitespace(&mut self) {
        while self.pos < self.text.len() && matches!(self.text[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> u8 {
        self.text.get(self.pos).copied().unwrap_or(0)
    }

    fn current_path(&self) -> JsonPath {
        JsonPath::from_segments(
            self.path
                .iter()
                .map(|step| match step {
                    Step::Key(key) => Segment::Key(key.to_string()),
                    Step::Index(index) => Segment::Index(*index),
                })
                .collect(),
        )
    }

    /// Scans one value starting at the current position and returns its span.
    fn value(&mut self) -> Range<usize> {
        self.skip_whitespace();
        let start = self.pos;
        match self.peek() {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => {
                self.string();
            }
            _ => {
                while self.pos < self.text.len()
                    && !matches!(self.text[self.pos], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    self.pos += 1;
                }
            }
        }
        start..self.pos
    }

    /// Scans a string and returns its span, quotes included.
    fn string(&mut self) -> Range<usize> {
        let start = self.pos;
        self.pos += 1;
        while self.pos < self.text.len() {
            match self.text[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        start..self.pos.min(self.text.len())
    }

    /// The text of a key: borrowed unless it has escapes.
    fn key_text(&self, span: &Range<usize>) -> Cow<'a, str> {
        let raw = &self.text[span.clone()];
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
        match std::str::from_utf8(inner) {
            Ok(text) if !inner.contains(&b'\\') => Cow::Borrowed(text),
            _ => Cow::Owned(serde_json::from_slice(raw).unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())),
        }
    }

    fn object(&mut self) {
        self.pos += 1;
        let mut seen: HashSet<Cow<'a, str>> = HashSet::new();
        loop {
            self.skip_whitespace();
            match self.peek() {
                b'}' | 0 => {
                    self.pos += 1;
                    return;
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let key_span = self.string();
            let key = self.key_text(&key_span);
            self.skip_whitespace();
            self.pos += 1; // the colon
            self.path.push(Step::Key(key.clone()));
            let value = self.value();
            if !seen.insert(key) {
                self.duplicates.push((self.current_path(), key_span.clone()));
            }
            if self.record {
                self.nodes.entry(self.current_path()).or_insert(NodeSpan { key: Some(key_span), value });
            }
            self.path.pop();
        }
    }

    fn array(&mut self) {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_whitespace();
            match self.peek() {
                b']' | 0 => {
                    self.pos += 1;
                    return;
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            self.path.push(Step::Index(index));
            let value = self.value();
            if self.record {
                self.nodes.insert(self.current_path(), NodeSpan { key: None, value });
            }
            self.path.pop();
            index += 1;
        }
    }
}

/// The deepest existing ancestor of `path` (itself included) in `index`.
pub fn nearest<'a>(index: &'a SpanIndex, path: &JsonPath) -> Option<(&'a NodeSpan, bool)> {
    let mut current = Some(path.clone());
    let mut exact = true;
    while let Some(candidate) = current {
        if let Some(span) = index.get(&candidate) {
            return Some((span, exact));
        }
        exact = false;
        current = candidate.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_values_and_duplicates() {
        let text = r#"{"a": {"b": [1, {"c": "x\"y"}]}, "d": true, "a": 2}"#;
        let index = SpanIndex::build(text);
        let c = JsonPath::root().key("a").key("b").index(1).key("c");
        let span = index.get(&c).unwrap();
        assert_eq!(&text[span.value.clone()], r#""x\"y""#);
        assert_eq!(&text[span.key.clone().unwrap()], r#""c""#);
        let dups = duplicate_keys(text);
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].0, JsonPath::root().key("a"));
        assert_eq!(&text[dups[0].1.clone()], r#""a""#);
    }
}
