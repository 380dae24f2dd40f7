//! Source positions of every key and value of a JSON document, found by a small scanner.
//!
//! serde_json does not keep positions, and diagnostics need them. The scanner runs only on text that
//! serde_json has already accepted (so it is valid JSON nested at most 128 deep) and never fails.
//! It also finds duplicate keys, which serde_json silently merges.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::diagnostics::JsonPath;

/// Byte ranges of one member of a document.
#[derive(Debug, Clone)]
pub struct NodeSpan {
    /// The key, quotes included, for object members.
    pub key: Option<Range<usize>>,
    /// The value.
    pub value: Range<usize>,
}

/// Positions of every node of a document, by path.
#[derive(Debug, Default)]
pub struct SpanIndex {
    nodes: HashMap<JsonPath, NodeSpan>,
}

impl SpanIndex {
    /// Indexes `text`, which must be valid JSON.
    pub fn build(text: &str) -> SpanIndex {
        let mut scanner =
            Scanner { text: text.as_bytes(), pos: 0, record: true, nodes: HashMap::new(), duplicates: Vec::new() };
        let root = scanner.value(&JsonPath::root());
        scanner.nodes.insert(JsonPath::root(), NodeSpan { key: None, value: root });
        SpanIndex { nodes: scanner.nodes }
    }

    /// The spans of the node at `path`, if it exists.
    pub fn get(&self, path: &JsonPath) -> Option<&NodeSpan> {
        self.nodes.get(path)
    }
}

/// Duplicate keys of a document: the path of each second (or later) occurrence and its key's span.
pub fn duplicate_keys(text: &str) -> Vec<(JsonPath, Range<usize>)> {
    let mut scanner =
        Scanner { text: text.as_bytes(), pos: 0, record: false, nodes: HashMap::new(), duplicates: Vec::new() };
    scanner.value(&JsonPath::root());
    scanner.duplicates
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
    record: bool,
    nodes: HashMap<JsonPath, NodeSpan>,
    duplicates: Vec<(JsonPath, Range<usize>)>,
}

impl Scanner<'_> {
    fn skip_whitespace(&mut self) {
        while self.pos < self.text.len() && matches!(self.text[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> u8 {
        self.text.get(self.pos).copied().unwrap_or(0)
    }

    /// Scans one value starting at the current position and returns its span.
    fn value(&mut self, path: &JsonPath) -> Range<usize> {
        self.skip_whitespace();
        let start = self.pos;
        match self.peek() {
            b'{' => self.object(path),
            b'[' => self.array(path),
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

    fn object(&mut self, path: &JsonPath) {
        self.pos += 1;
        let mut seen = HashSet::new();
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
            let raw = &self.text[key_span.clone()];
            let key: String = serde_json::from_slice(raw).unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned());
            self.skip_whitespace();
            self.pos += 1; // the colon
            let child = path.key(key.clone());
            let value = self.value(&child);
            if !seen.insert(key) {
                self.duplicates.push((child.clone(), key_span.clone()));
            }
            if self.record {
                self.nodes.entry(child).or_insert(NodeSpan { key: Some(key_span), value });
            }
        }
    }

    fn array(&mut self, path: &JsonPath) {
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
            let child = path.index(index);
            let value = self.value(&child);
            if self.record {
                self.nodes.insert(child, NodeSpan { key: None, value });
            }
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
