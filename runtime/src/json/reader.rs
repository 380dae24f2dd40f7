//! [`Reader`]: a cursor over the tape, with the lenient scalar rules and the object loop, compiled
//! once in the runtime for every generated type.
//!
//! The lenient rules accept what the providers' own examples and servers send besides the declared
//! JSON type: a numeric string where a number is wanted (`"42"`, `" -7 "`, `"0.5"`), `0`/`1` or
//! `"true"`/`"FALSE"`/`"1"` where a boolean is, and a number or boolean where a string is (written as
//! serde_json writes it). Anything else that does not match (a list for a string, a fraction for an
//! integer, an overflow) is an error naming the expected type and the kind of value found, never the
//! value.

use std::borrow::Cow;

use serde_json::Number;

use super::DecodeError;
use super::tape::Event;

/// A cursor over a parsed JSON text: [`Decode`](super::Decode) implementations read one value from
/// it. Generated types call [`Reader::object`] and [`Reader::field`]; the scalar types' own readers
/// are the runtime's.
#[derive(Debug)]
pub struct Reader<'t, 'a> {
    tape: &'t [Event<'a>],
    /// The text a kept tape's [`Event::Span`]s point into (empty for a tape that borrows its strings).
    text: &'a str,
    at: usize,
}

/// What reads one map member: the reader on its value, and its name.
pub(crate) type ReadMember<'r, 't, 'a> = dyn FnMut(&mut Reader<'t, 'a>, Cow<'a, str>) -> Result<(), DecodeError> + 'r;

/// A value the tape could not hold (nested deeper than serde_json's limit allows the tape to record).
const TOO_DEEP: &str = "recursion limit exceeded";

impl<'t, 'a> Reader<'t, 'a> {
    pub(crate) fn new(tape: &'t [Event<'a>]) -> Self {
        Reader { tape, text: "", at: 0 }
    }

    /// A reader on the value at `at` of a tape kept beside `text` ([`super::tape::record_places`]).
    pub(crate) fn within(tape: &'t [Event<'a>], text: &'a str, at: usize) -> Self {
        Reader { tape, text, at }
    }

    /// The event at the cursor; a tape always holds a whole value, so the end is never read.
    fn peek(&self) -> &'t Event<'a> {
        self.tape.get(self.at).unwrap_or(&Event::Null)
    }

    /// The text of a string event (a member's name or a value), `None` for any other event.
    fn text_of(&self, event: &'t Event<'a>) -> Option<&'t str> {
        match event {
            Event::Str(text) => Some(text),
            Event::Span { start, end } => Some(span(self.text, *start, *end)),
            _ => None,
        }
    }

    /// Moves past the value at the cursor, however large, in one step.
    pub(crate) fn skip(&mut self) {
        self.at = match self.peek() {
            Event::Array { end } | Event::Object { end } => *end,
            _ => self.at + 1,
        };
    }

    /// Skips the value at `at` if a reader left the cursor there (a hand-written `Decode` that read
    /// nothing), so that a loop over members or items always ends.
    fn moved_past(&mut self, at: usize) {
        if self.at == at {
            self.skip();
        }
    }

    /// Whether the value at the cursor is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.peek(), Event::Null)
    }

    /// The error for the value at the cursor when `expected` was wanted (the value is skipped).
    pub fn invalid_type(&mut self, expected: &str) -> DecodeError {
        let found = self.peek();
        self.skip();
        match found {
            Event::TooDeep { .. } if expected == "a map" || expected == "a sequence" => DecodeError::new(TOO_DEEP),
            _ => DecodeError::new(format!("invalid type: {}, expected {expected}", found.kind())),
        }
    }

    /// Reads an object: for each member named in `names`, calls `read` with the index of its name and
    /// the cursor on its value; other members are skipped. `read` must read the value (or skip it).
    /// An error from inside a member is prefixed with its name.
    pub fn object(
        &mut self,
        names: &[&'static str],
        read: &mut dyn FnMut(&mut Reader<'t, 'a>, usize) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let Event::Object { end } = *self.peek() else { return Err(self.invalid_type("a map")) };
        self.at += 1;
        while self.at < end {
            // A name is compared as bytes: one in place in the text needs no UTF-8 check for that.
            let name = match self.peek() {
                Event::Str(name) => name.as_bytes(),
                Event::Span { start, end } => span(self.text, *start, *end).as_bytes(),
                _ => return Err(DecodeError::new("a member without a name")),
            };
            self.at += 1;
            match names.iter().position(|known| known.as_bytes() == name) {
                Some(index) => {
                    let at = self.at;
                    read(self, index).map_err(|error| error.within(names[index]))?;
                    self.moved_past(at);
                }
                None => self.skip(),
            }
        }
        self.at = end;
        Ok(())
    }

    /// The members of an object, each name with the cursor on its value for `read`, in order (for maps).
    pub(crate) fn members(&mut self, read: &mut ReadMember<'_, 't, 'a>) -> Result<(), DecodeError> {
        let Event::Object { end } = *self.peek() else { return Err(self.invalid_type("a map")) };
        self.at += 1;
        while self.at < end {
            let name = match self.peek() {
                Event::Str(name) => name.clone(),
                Event::Span { start, end } => Cow::Borrowed(span(self.text, *start, *end)),
                _ => return Err(DecodeError::new("a member without a name")),
            };
            self.at += 1;
            let at = self.at;
            read(self, name)?;
            self.moved_past(at);
        }
        self.at = end;
        Ok(())
    }

    /// The items of a list, with the cursor on each for `read`.
    pub(crate) fn items(
        &mut self,
        read: &mut dyn FnMut(&mut Reader<'t, 'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let Event::Array { end } = *self.peek() else { return Err(self.invalid_type("a sequence")) };
        self.at += 1;
        while self.at < end {
            let at = self.at;
            read(self)?;
            self.moved_past(at);
        }
        self.at = end;
        Ok(())
    }

    /// The number of items of the list at the cursor, when it is one (a capacity hint).
    pub(crate) fn list_len_hint(&self) -> usize {
        match self.peek() {
            Event::Array { end } => (end - self.at - 1).min(4096),
            _ => 0,
        }
    }

    /// Reads a member's value into its slot: `null` empties it (absence and `null` are the same, and
    /// the last of duplicate members wins).
    pub fn field<T: super::Decode>(&mut self, slot: &mut Option<T>) -> Result<(), DecodeError> {
        self.read_slot(slot)
    }

    /// [`Reader::field`] in a timestamp format ([`crate::timestamp::Format`]).
    pub fn field_with<F: crate::timestamp::Format>(
        &mut self,
        slot: &mut Option<F::Value>,
        _format: F,
    ) -> Result<(), DecodeError> {
        *slot = if self.is_null() {
            self.skip();
            None
        } else {
            Some(F::decode(self)?)
        };
        Ok(())
    }

    /// The value of a required member, or an error naming it by its wire name.
    pub fn required<T>(slot: Option<T>, name: &'static str) -> Result<T, DecodeError> {
        slot.ok_or_else(|| DecodeError::missing_field(name))
    }

    /// A string, leniently: a number or a boolean is taken as its text.
    pub fn string(&mut self) -> Result<String, DecodeError> {
        let event = self.peek();
        let text = match event {
            Event::Str(_) | Event::Span { .. } => self.text_of(event).unwrap_or_default().to_string(),
            Event::Bool(b) => b.to_string(),
            Event::U64(n) => n.to_string(),
            Event::I64(n) => n.to_string(),
            // As serde_json writes it: `1.5`, `1e300`.
            Event::F64(n) => Number::from_f64(*n).map(|n| n.to_string()).unwrap_or_default(),
            _ => return Err(self.invalid_type("a string")),
        };
        self.at += 1;
        Ok(text)
    }

    /// A boolean, leniently: `0`/`1`, and `"true"`/`"1"` (any case, trimmed) and their opposites.
    pub fn bool(&mut self) -> Result<bool, DecodeError> {
        let event = self.peek();
        let value = match event {
            Event::Bool(b) => Some(*b),
            Event::U64(n @ (0 | 1)) => Some(*n == 1),
            Event::Str(_) | Event::Span { .. } => self.text_of(event).and_then(bool_from_text),
            _ => None,
        };
        match value {
            Some(b) => {
                self.at += 1;
                Ok(b)
            }
            None => Err(self.invalid_type("a boolean")),
        }
    }

    /// A number, leniently (a numeric string is its number), for a reader of type `expected`.
    fn number(&mut self, expected: &str) -> Result<Number, DecodeError> {
        let event = self.peek();
        let number = match event {
            Event::U64(n) => Some(Number::from(*n)),
            Event::I64(n) => Some(Number::from(*n)),
            Event::F64(n) => Number::from_f64(*n),
            Event::Str(_) | Event::Span { .. } => self.text_of(event).and_then(number_from_text),
            _ => None,
        };
        match number {
            Some(number) => {
                self.at += 1;
                Ok(number)
            }
            None => Err(self.invalid_type(expected)),
        }
    }

    /// An integer in the range of `expected` (`i64`, `u32`, …): a fraction or an overflow is an error.
    pub(crate) fn integer(&mut self, expected: &str) -> Result<Integer, DecodeError> {
        let number = self.number(expected)?;
        match (number.as_u64(), number.as_i64()) {
            (Some(n), _) => Ok(Integer::Unsigned(n)),
            (_, Some(n)) => Ok(Integer::Signed(n)),
            _ => Err(DecodeError::new(format!("invalid type: a floating-point number, expected {expected}"))),
        }
    }

    /// A floating-point number (an integer is taken as one).
    pub(crate) fn float(&mut self, expected: &str) -> Result<f64, DecodeError> {
        let number = self.number(expected)?;
        Ok(number.as_f64().unwrap_or_default())
    }

    /// The value at the cursor as a [`serde_json::Value`].
    pub(crate) fn value(&mut self) -> Result<serde_json::Value, DecodeError> {
        use serde_json::Value;
        let event = self.peek();
        let value = match event {
            Event::Null => Value::Null,
            Event::Bool(b) => Value::Bool(*b),
            Event::U64(n) => Value::from(*n),
            Event::I64(n) => Value::from(*n),
            Event::F64(n) => Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Event::Str(_) | Event::Span { .. } => Value::String(self.text_of(event).unwrap_or_default().to_string()),
            Event::TooDeep { .. } => return Err(DecodeError::new(TOO_DEEP)),
            Event::Array { .. } => {
                let mut items = Vec::with_capacity(self.list_len_hint());
                self.items(&mut |reader| {
                    items.push(reader.value()?);
                    Ok(())
                })?;
                return Ok(Value::Array(items));
            }
            Event::Object { .. } => {
                let mut members = serde_json::Map::new();
                self.members(&mut |reader, name| {
                    let value = reader.value()?;
                    members.insert(name.into_owned(), value);
                    Ok(())
                })?;
                return Ok(Value::Object(members));
            }
        };
        self.at += 1;
        Ok(value)
    }
}

/// The string at `start..end` of a kept tape's text (the empty string for a range that is not one,
/// which a tape recorded from that text never holds).
fn span(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or_default()
}

/// An integer as read, before its range is checked against the type that wants it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Integer {
    Unsigned(u64),
    Signed(i64),
}

/// Decimal text as a number: `"42"`, `" -7 "`, `"0.5"`, `"1e3"`; not `inf`, `NaN` or hexadecimal.
pub(crate) fn number_from_text(text: &str) -> Option<Number> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return Some(n.into());
    }
    if let Ok(n) = text.parse::<u64>() {
        return Some(n.into());
    }
    // Only decimal notation: `inf`, `NaN` and the like are not numbers on the wire.
    if text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')) {
        return text.parse::<f64>().ok().and_then(Number::from_f64);
    }
    None
}

/// A boolean written as text: `"true"`, `"1"` (any case, trimmed) and their opposites.
pub(crate) fn bool_from_text(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}
