//! Decoding generated response types straight from the JSON text, through one reading engine
//! compiled once in the runtime; and writing request types through one writer (`encode.rs`,
//! [`Encode`]), for the same reason: a generated type's code is only its list of members.
//!
//! The text is parsed once, by serde_json, into a flat tape of events (`tape.rs`); a [`Reader`]
//! walks it (`reader.rs`), and each type reads itself from the reader through [`Decode`]
//! (`decode.rs`): a generated struct's code is only the `match` over its members that
//! `#[derive(Decode)]` writes (crate `cloudspec-derive`). The loop over members, the lenient scalar
//! rules and the errors are the runtime's, compiled once; before, every response type had its own
//! copy of serde's visitor machinery and of serde_json's value dispatch, which was most of a generated
//! crate's compile time and memory. Unknown members are skipped in one step; `null` and absence are
//! the same for every field; the last of duplicate members wins.
//!
//! Values are read leniently ([`Reader`]): what the providers' own examples and servers send besides
//! the declared JSON type (numbers as numeric strings, booleans as `0`/`1` or `"true"`/`"false"`,
//! numbers or booleans where a string is declared). Anything else that does not match (a list for a
//! string, a fraction for an integer, an overflow) is still an error.
//!
//! Errors are [`DecodeError`]s: they name the JSON path, the expected type and the kind of value found,
//! never the value. A response field that does not match may be a freshly generated secret (or an
//! object holding one), and decode errors end up in `Display`, logs and bug reports; whoever needs the
//! value has the raw body in [`UndecodableResponse::body`](crate::UndecodableResponse::body).

mod decode;
mod encode;
pub(crate) mod raw;
mod reader;
mod tape;

pub use decode::{Decode, Members, Slot, TimestampSlot, deserialize, value_index};
pub use encode::{Encode, Encoder, serialize, to_value, to_vec};
pub use reader::Reader;
pub(crate) use reader::bool_from_text;

use std::fmt;

use serde_json::Value;

/// Why a response value did not decode: the JSON path (`` `Result`: `Status` ``), the expected type and
/// the kind of value found, without the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(String);

impl DecodeError {
    /// An error with this message (which must not quote the value read).
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError(message.into())
    }

    /// The error as seen from the object holding it: the member's name in front.
    fn within(self, member: &str) -> Self {
        DecodeError(format!("`{member}`: {}", self.0))
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a response payload from its JSON text into `T`, leniently (see [`Reader`]).
pub fn from_slice<T: Decode>(text: &[u8]) -> Result<T, DecodeError> {
    // Only this small closure is particular to `T`; the parse and the walk are compiled once.
    let mut decoded = None;
    read_text(text, &mut |reader| {
        decoded = Some(T::decode(reader)?);
        Ok(())
    })?;
    decoded.ok_or_else(|| DecodeError::new("no value"))
}

/// Parses `text` onto a tape and gives `read` a reader at its start.
pub(crate) fn read_text(
    text: &[u8],
    read: &mut dyn FnMut(&mut Reader<'_, '_>) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let mut events = Vec::with_capacity(text.len() / 8);
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let recorded = tape::record(&mut deserializer, &mut events).and_then(|()| deserializer.end());
    match recorded {
        Ok(()) => read(&mut Reader::new(&events)),
        Err(syntax) => Err(first_error(&mut events, without_position(syntax), read)),
    }
}

/// The error a reader in text order meets first, when the text breaks off: a value of the wrong
/// kind before the break, else the syntax error. (A missing member is not known before the object's
/// end, which the text never reached.)
#[cold]
fn first_error(
    events: &mut [tape::Event<'_>],
    syntax: DecodeError,
    read: &mut dyn FnMut(&mut Reader<'_, '_>) -> Result<(), DecodeError>,
) -> DecodeError {
    tape::close_open(events);
    match read(&mut Reader::new(events)) {
        Err(error) if !error.0.contains("missing field `") => error,
        _ => syntax,
    }
}

/// serde_json's message without its ` at line L column C`: the path in front says where, and the
/// envelope has already checked the syntax. (Its syntax errors never quote the text.)
fn without_position(error: serde_json::Error) -> DecodeError {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    DecodeError(message.strip_suffix(&position).unwrap_or(&message).to_string())
}

/// Decodes an already parsed value, leniently (see [`Reader`]); responses are decoded from their text
/// with [`from_slice`].
pub fn from_value<T: Decode>(value: Value) -> Result<T, DecodeError> {
    let mut events = Vec::new();
    tape::record_value(&value, &mut events, 0);
    T::decode(&mut Reader::new(&events))
}

#[cfg(test)]
mod tests;
