//! Deserialization for generated response types, straight from the JSON text.
//!
//! Generated response types implement `Deserialize` through [`Fields`] (`object.rs`): a tuple struct of
//! slots and a `match` per type, written by `#[derive(Decode)]` (crate `cloudspec-derive`), the loop
//! over members once in the runtime; not through
//! `#[derive(Deserialize)]`, whose visitor machinery, repeated for thousands of response types, was
//! most of a generated crate's compile time and memory. Unknown members are skipped; `null` and absence
//! are the same for every field.
//!
//! Values are read through [`Lenient`] (`lenient.rs`), a deserializer adaptor that accepts what the
//! providers' own examples and servers send besides the declared JSON type: numbers as numeric strings,
//! booleans as `0`/`1` or `"true"`/`"false"`, and numbers or booleans where a string is declared.
//! Anything else that does not match (a list for a string, a fraction for an integer, an overflow) is
//! still an error.
//!
//! Errors are [`DecodeError`]s: they name the JSON path, the expected type and the kind of value found,
//! never the value. A response field that does not match may be a freshly generated secret (or an
//! object holding one), and decode errors end up in `Display`, logs and bug reports; whoever needs the
//! value has the raw body in [`UndecodableResponse::body`](crate::UndecodableResponse::body).

mod lenient;
mod object;
pub(crate) mod raw;

pub use lenient::Lenient;
pub(crate) use lenient::bool_from_text;
pub use object::Fields;

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Error, Expected, Unexpected};
use serde_json::Value;

/// Why a response value did not decode: the JSON path (`` `Result`: `Status` ``), the expected type and
/// the kind of value found, without the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// The kind of an unexpected value, without its content (serde's own `Display` quotes it).
fn kind(unexpected: Unexpected<'_>) -> &'static str {
    match unexpected {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) => "an integer",
        Unexpected::Float(_) => "a floating-point number",
        Unexpected::Char(_) => "a character",
        Unexpected::Str(_) => "a string",
        Unexpected::Bytes(_) => "bytes",
        Unexpected::Unit => "null",
        Unexpected::Option => "an optional value",
        Unexpected::NewtypeStruct => "a newtype struct",
        Unexpected::Seq => "a list",
        Unexpected::Map => "an object",
        Unexpected::Enum | Unexpected::UnitVariant => "an enum variant",
        Unexpected::NewtypeVariant | Unexpected::TupleVariant | Unexpected::StructVariant => "an enum variant",
        Unexpected::Other(_) => "another kind of value",
    }
}

impl Error for DecodeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DecodeError(message.to_string())
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        DecodeError(format!("invalid type: {}, expected {expected}", kind(unexpected)))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        DecodeError(format!("invalid value: {}, expected {expected}", kind(unexpected)))
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        DecodeError(format!("unknown variant, expected one of {expected:?}"))
    }

    fn unknown_field(_field: &str, expected: &'static [&'static str]) -> Self {
        DecodeError(format!("unknown field, expected one of {expected:?}"))
    }
}

/// Decodes a response payload straight from its JSON text into `T`, leniently (see [`Lenient`]).
pub fn from_slice<'de, T: Deserialize<'de>>(text: &'de [u8]) -> Result<T, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let value = T::deserialize(Lenient(&mut deserializer)).map_err(without_position)?;
    deserializer.end().map_err(without_position)?;
    Ok(value)
}

/// serde_json's message without its ` at line L column C`: the path in front says where, and the
/// envelope has already checked the syntax.
fn without_position(error: serde_json::Error) -> DecodeError {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    DecodeError(message.strip_suffix(&position).unwrap_or(&message).to_string())
}

/// Decodes an already parsed value, leniently (see [`Lenient`]); responses are decoded from their
/// text with [`from_slice`].
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    T::deserialize(Lenient(value)).map_err(without_position)
}

#[cfg(test)]
mod tests;
