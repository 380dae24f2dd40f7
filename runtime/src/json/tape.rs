//! The tape: a JSON text parsed once, by serde_json, into a flat list of events that [`Reader`]
//! walks.
//!
//! One visitor, compiled once in the runtime, records every value; generated types never meet a
//! serde visitor of their own. Strings are borrowed from the text unless they hold escapes, or, on a
//! tape kept beside its text ([`record_places`], for a whole answer), recorded as their place in it;
//! an object or a list records where it ends, so an unknown member is skipped in one step. Nesting deeper
//! than [`MAX_DEPTH`] is not recorded: serde_json skips it without recursion and the tape keeps a
//! [`Event::TooDeep`] marker, which is an error only for a type that asks for its content.
//!
//! [`Reader`]: super::Reader

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// How deep the tape records lists and objects (serde_json itself stops at 128).
pub(crate) const MAX_DEPTH: usize = 100;

/// One step of the tape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Event<'a> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    /// A string value, or an object member's name (the event before its value).
    Str(Cow<'a, str>),
    /// A string without escapes as its byte range in the text the tape was recorded from (a tape
    /// kept beside its text, [`record_places`]); read as [`Event::Str`] is.
    Span {
        start: usize,
        end: usize,
    },
    /// A list; `end` is the index of the first event after its last item.
    Array {
        end: usize,
    },
    /// An object of (name, value) pairs; `end` as for a list.
    Object {
        end: usize,
    },
    /// A list or object nested deeper than [`MAX_DEPTH`], not recorded.
    TooDeep {
        object: bool,
    },
}

impl Event<'_> {
    /// The kind of the value, as errors name it (never the value itself).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Event::Null => "null",
            Event::Bool(_) => "a boolean",
            Event::U64(_) | Event::I64(_) => "an integer",
            Event::F64(_) => "a floating-point number",
            Event::Str(_) | Event::Span { .. } => "a string",
            Event::Array { .. } | Event::TooDeep { object: false } => "a list",
            Event::Object { .. } | Event::TooDeep { object: true } => "an object",
        }
    }
}

/// Records the value `deserializer` holds onto `tape` (any serde deserializer; the runtime's own path
/// uses serde_json's, from the text).
pub(crate) fn record<'de, D: Deserializer<'de>>(deserializer: D, tape: &mut Vec<Event<'de>>) -> Result<(), D::Error> {
    deserializer.deserialize_any(Recorder { tape, depth: 0, strings: Borrow })
}

/// Records the whole of `text` (one JSON value, nothing after it) onto a tape that does not borrow
/// it: its strings without escapes are [`Event::Span`]s, so the tape can be kept beside the text (an
/// answer's body) and read with it.
pub(crate) fn record_places(text: &str, tape: &mut Vec<Event<'static>>) -> Result<(), serde_json::Error> {
    // From a `str`, serde_json does not check each string's UTF-8 again: the caller checked the whole.
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let strings = Places { base: text.as_ptr() as usize };
    (&mut deserializer).deserialize_any(Recorder { tape, depth: 0, strings })?;
    deserializer.end()
}

/// Records a value already parsed into a [`Value`] (strings borrowed from it).
pub(crate) fn record_value<'a>(value: &'a Value, tape: &mut Vec<Event<'a>>, depth: usize) {
    match value {
        Value::Null => tape.push(Event::Null),
        Value::Bool(b) => tape.push(Event::Bool(*b)),
        Value::Number(n) => tape.push(match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Event::U64(u),
            (_, Some(i)) => Event::I64(i),
            _ => Event::F64(n.as_f64().unwrap_or_default()),
        }),
        Value::String(s) => tape.push(Event::Str(Cow::Borrowed(s))),
        Value::Array(_) | Value::Object(_) if depth >= MAX_DEPTH => {
            tape.push(Event::TooDeep { object: value.is_object() })
        }
        Value::Array(items) => {
            let start = open(tape, Event::Array { end: 0 });
            for item in items {
                record_value(item, tape, depth + 1);
            }
            close(tape, start);
        }
        Value::Object(members) => {
            let start = open(tape, Event::Object { end: 0 });
            for (name, item) in members {
                tape.push(Event::Str(Cow::Borrowed(name)));
                record_value(item, tape, depth + 1);
            }
            close(tape, start);
        }
    }
}

/// Ends every list and object that a text broken off left open at the end of what was recorded.
pub(crate) fn close_open(tape: &mut [Event<'_>]) {
    let end = tape.len();
    for event in tape.iter_mut() {
        if let Event::Array { end: slot @ 0 } | Event::Object { end: slot @ 0 } = event {
            *slot = end;
        }
    }
}

/// Pushes a container's start, its end to be filled in by [`close`].
fn open<'a>(tape: &mut Vec<Event<'a>>, start: Event<'a>) -> usize {
    tape.push(start);
    tape.len() - 1
}

fn close(tape: &mut [Event<'_>], start: usize) {
    let end = tape.len();
    if let Some(Event::Array { end: slot } | Event::Object { end: slot }) = tape.get_mut(start) {
        *slot = end;
    }
}

/// How a recorder keeps the strings it can borrow from its input.
trait Strings<'de, 'e>: Copy {
    fn borrowed(self, text: &'de str) -> Event<'e>;
}

/// Borrowed, as they are: a tape that lives no longer than its input.
#[derive(Clone, Copy)]
struct Borrow;

impl<'de: 'e, 'e> Strings<'de, 'e> for Borrow {
    fn borrowed(self, text: &'de str) -> Event<'e> {
        Event::Str(Cow::Borrowed(text))
    }
}

/// As their place in the text whose first byte is at `base` (what serde_json borrows is a slice of it).
#[derive(Clone, Copy)]
struct Places {
    base: usize,
}

impl<'e> Strings<'_, 'e> for Places {
    fn borrowed(self, text: &str) -> Event<'e> {
        let start = (text.as_ptr() as usize).wrapping_sub(self.base);
        Event::Span { start, end: start.wrapping_add(text.len()) }
    }
}

/// The one visitor: pushes what it visits.
struct Recorder<'t, 'e, S> {
    tape: &'t mut Vec<Event<'e>>,
    depth: usize,
    strings: S,
}

impl<'de, 'e, S: Strings<'de, 'e>> DeserializeSeed<'de> for Recorder<'_, 'e, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, 'e, S: Strings<'de, 'e>> Visitor<'de> for Recorder<'_, 'e, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: Error>(self) -> Result<(), E> {
        self.tape.push(Event::Null);
        Ok(())
    }

    fn visit_none<E: Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: Error>(self, b: bool) -> Result<(), E> {
        self.tape.push(Event::Bool(b));
        Ok(())
    }

    fn visit_u64<E: Error>(self, n: u64) -> Result<(), E> {
        self.tape.push(Event::U64(n));
        Ok(())
    }

    fn visit_i64<E: Error>(self, n: i64) -> Result<(), E> {
        // serde_json gives non-negative integers as u64; other deserializers may not.
        self.tape.push(u64::try_from(n).map_or(Event::I64(n), Event::U64));
        Ok(())
    }

    fn visit_f64<E: Error>(self, n: f64) -> Result<(), E> {
        self.tape.push(Event::F64(n));
        Ok(())
    }

    fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<(), E> {
        self.tape.push(self.strings.borrowed(text));
        Ok(())
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<(), E> {
        self.tape.push(Event::Str(Cow::Owned(text.to_owned())));
        Ok(())
    }

    fn visit_string<E: Error>(self, text: String) -> Result<(), E> {
        self.tape.push(Event::Str(Cow::Owned(text)));
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.depth >= MAX_DEPTH {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            self.tape.push(Event::TooDeep { object: false });
            return Ok(());
        }
        let start = open(self.tape, Event::Array { end: 0 });
        let strings = self.strings;
        while seq.next_element_seed(Recorder { tape: &mut *self.tape, depth: self.depth + 1, strings })?.is_some() {}
        close(self.tape, start);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.depth >= MAX_DEPTH {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            self.tape.push(Event::TooDeep { object: true });
            return Ok(());
        }
        let start = open(self.tape, Event::Object { end: 0 });
        let strings = self.strings;
        while map.next_key_seed(Name { tape: &mut *self.tape, strings })?.is_some() {
            map.next_value_seed(Recorder { tape: &mut *self.tape, depth: self.depth + 1, strings })?;
        }
        close(self.tape, start);
        Ok(())
    }
}

/// An object member's name, pushed as a string is.
struct Name<'t, 'e, S> {
    tape: &'t mut Vec<Event<'e>>,
    strings: S,
}

impl<'de, 'e, S: Strings<'de, 'e>> DeserializeSeed<'de> for Name<'_, 'e, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'e, S: Strings<'de, 'e>> Visitor<'de> for Name<'_, 'e, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<(), E> {
        self.tape.push(self.strings.borrowed(text));
        Ok(())
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<(), E> {
        self.tape.push(Event::Str(Cow::Owned(text.to_owned())));
        Ok(())
    }

    fn visit_string<E: Error>(self, text: String) -> Result<(), E> {
        self.tape.push(Event::Str(Cow::Owned(text)));
        Ok(())
    }
}
