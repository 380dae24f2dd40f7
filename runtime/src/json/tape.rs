//! The tape: a JSON text parsed once, by serde_json, into a flat list of events that [`Reader`]
//! walks.
//!
//! One visitor, compiled once in the runtime, records every value; generated types never meet a
//! serde visitor of their own. Strings are borrowed from the text unless they hold escapes; an
//! object or a list records where it ends, so an unknown member is skipped in one step. Nesting deeper
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
            Event::Str(_) => "a string",
            Event::Array { .. } | Event::TooDeep { object: false } => "a list",
            Event::Object { .. } | Event::TooDeep { object: true } => "an object",
        }
    }
}

/// Records the value `deserializer` holds onto `tape` (any serde deserializer; the runtime's own path
/// uses serde_json's, from the text).
pub(crate) fn record<'de, D: Deserializer<'de>>(deserializer: D, tape: &mut Vec<Event<'de>>) -> Result<(), D::Error> {
    deserializer.deserialize_any(Recorder { tape, depth: 0 })
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

/// The one visitor: pushes what it visits.
struct Recorder<'t, 'de> {
    tape: &'t mut Vec<Event<'de>>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Recorder<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Recorder<'_, 'de> {
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
        self.tape.push(Event::Str(Cow::Borrowed(text)));
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
        while seq.next_element_seed(Recorder { tape: &mut *self.tape, depth: self.depth + 1 })?.is_some() {}
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
        while map.next_key_seed(Name(&mut *self.tape))?.is_some() {
            map.next_value_seed(Recorder { tape: &mut *self.tape, depth: self.depth + 1 })?;
        }
        close(self.tape, start);
        Ok(())
    }
}

/// An object member's name, pushed as a [`Event::Str`].
struct Name<'t, 'de>(&'t mut Vec<Event<'de>>);

impl<'de> DeserializeSeed<'de> for Name<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<(), E> {
        self.0.push(Event::Str(Cow::Borrowed(text)));
        Ok(())
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<(), E> {
        self.0.push(Event::Str(Cow::Owned(text.to_owned())));
        Ok(())
    }

    fn visit_string<E: Error>(self, text: String) -> Result<(), E> {
        self.0.push(Event::Str(Cow::Owned(text)));
        Ok(())
    }
}
