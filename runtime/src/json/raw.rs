//! A whole answer parsed once: the tape of a response body ([`Document`]), kept beside the body it
//! was read from, and a light view of its values ([`Node`]) for the envelope (where the payload and the
//! error sit) and the paginator (where the list, the total and the next token sit). The payload is
//! then decoded from its own sub-tree of the same tape: the body is never parsed twice.
//!
//! The tape holds no borrow of the body (its strings are places in it, [`Event::Span`]), so it travels
//! with the body's `Bytes` from the attempt that read the answer to whoever decodes it, the paginator
//! included; every read takes the body again.

use std::fmt;

use super::reader::Reader;
use super::tape::{self, Event};
use super::{Decode, DecodeError};

/// A JSON text recorded onto a tape whose strings point into the text.
#[derive(Clone, Default)]
pub(crate) struct Document {
    events: Vec<Event<'static>>,
}

/// Without its values: an answer's strings may be secrets.
impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document").field("events", &self.events.len()).finish()
    }
}

impl Document {
    /// Parses `text`, which must be one JSON value and nothing else.
    pub(crate) fn parse(text: &[u8]) -> Result<Document, serde_json::Error> {
        // The whole text is checked as UTF-8 at once (word by word, where serde_json would check each
        // string on its own, byte by byte): JSON outside strings is ASCII, so this refuses only texts
        // serde_json refuses too. For those, its own parse says why, as it always did.
        let Ok(text) = std::str::from_utf8(text) else { return Err(not_utf8(text)) };
        // About one event per 8 bytes of a compact answer: one allocation for most.
        let mut events = Vec::with_capacity(text.len() / 8 + 4);
        tape::record_places(text, &mut events)?;
        Ok(Document { events })
    }

    /// The value at the tape's index `at` (0 is the whole text), read with `text`, the text the
    /// document was parsed from.
    pub(crate) fn node<'d>(&'d self, text: &'d [u8], at: usize) -> Node<'d> {
        Node { events: &self.events, text, at }
    }
}

/// serde_json's error for a text that is not UTF-8: where its parse (which checks each string) stops.
#[cold]
fn not_utf8(text: &[u8]) -> serde_json::Error {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    match tape::record(&mut deserializer, &mut Vec::new()).and_then(|()| deserializer.end()) {
        Err(error) => error,
        // Not reached: a text that is not UTF-8 is not JSON. Said the way serde_json says it.
        Ok(()) => serde::de::Error::custom("invalid unicode code point"),
    }
}

/// One value of a [`Document`]: where it is on the tape, and the text to read its strings from.
#[derive(Clone, Copy)]
pub(crate) struct Node<'d> {
    events: &'d [Event<'static>],
    text: &'d [u8],
    at: usize,
}

impl<'d> Node<'d> {
    /// Where the value is on its tape (to find it again with [`Document::node`]).
    pub(crate) fn index(self) -> usize {
        self.at
    }

    fn event(self) -> &'d Event<'static> {
        self.events.get(self.at).unwrap_or(&Event::Null)
    }

    /// The index of the first event after the value at `at`.
    fn after(self, at: usize) -> usize {
        match self.events.get(at) {
            Some(Event::Array { end } | Event::Object { end }) => *end,
            _ => at + 1,
        }
    }

    /// The value of a member, when this is an object: the last, when the name is repeated (as a
    /// decoder that overwrites would take it).
    pub(crate) fn member(self, name: &str) -> Option<Node<'d>> {
        let Event::Object { end } = *self.event() else { return None };
        let mut found = None;
        let mut at = self.at + 1;
        while at < end {
            let value = at + 1;
            if self.bytes_at(at) == Some(name.as_bytes()) {
                found = Some(value);
            }
            at = self.after(value);
        }
        found.map(|at| Node { at, ..self })
    }

    /// The value at a path of member names.
    pub(crate) fn at(self, path: &[&str]) -> Option<Node<'d>> {
        path.iter().try_fold(self, |node, name| node.member(name))
    }

    /// `null`.
    pub(crate) fn is_null(self) -> bool {
        matches!(self.event(), Event::Null)
    }

    /// An object (one nested too deep to be recorded included).
    pub(crate) fn is_object(self) -> bool {
        matches!(self.event(), Event::Object { .. } | Event::TooDeep { object: true })
    }

    /// A value that is a string, unescaped.
    pub(crate) fn as_str(self) -> Option<&'d str> {
        self.text_at(self.at)
    }

    fn text_at(self, at: usize) -> Option<&'d str> {
        match self.events.get(at)? {
            Event::Str(text) => Some(text),
            Event::Span { .. } => std::str::from_utf8(self.bytes_at(at)?).ok(),
            _ => None,
        }
    }

    /// The bytes of a string, without checking them as UTF-8 again (to compare a member's name).
    fn bytes_at(self, at: usize) -> Option<&'d [u8]> {
        match self.events.get(at)? {
            Event::Str(text) => Some(text.as_bytes()),
            Event::Span { start, end } => self.text.get(*start..*end),
            _ => None,
        }
    }

    /// A scalar value (not a list or an object), as serde_json would give it: for the few members
    /// read as they are sent.
    pub(crate) fn scalar(self) -> Option<serde_json::Value> {
        use serde_json::Value;
        Some(match self.event() {
            Event::Null => Value::Null,
            Event::Bool(b) => Value::Bool(*b),
            Event::U64(n) => Value::from(*n),
            Event::I64(n) => Value::from(*n),
            Event::F64(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Event::Str(_) | Event::Span { .. } => Value::String(self.as_str()?.to_string()),
            Event::Array { .. } | Event::Object { .. } | Event::TooDeep { .. } => return None,
        })
    }

    /// The length of a value that is a list, counted without decoding its items.
    pub(crate) fn list_len(self) -> Option<u64> {
        let Event::Array { end } = *self.event() else { return None };
        let mut count = 0;
        let mut at = self.at + 1;
        while at < end {
            count += 1;
            at = self.after(at);
        }
        Some(count)
    }

    /// Decodes the value into `T`, leniently (see [`Reader`]).
    pub(crate) fn decode<T: Decode>(self) -> Result<T, DecodeError> {
        T::decode(&mut self.reader())
    }

    /// A reader on the value. The text is checked as UTF-8 again, once and word by word, so that the
    /// reader takes each string as a slice of it.
    pub(crate) fn reader(self) -> Reader<'d, 'd> {
        // A document's text is UTF-8 ([`Document::parse`]); the empty text for another one only makes
        // its strings empty.
        Reader::within(self.events, std::str::from_utf8(self.text).unwrap_or_default(), self.at)
    }
}
