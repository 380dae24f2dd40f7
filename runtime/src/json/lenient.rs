//! [`Lenient`]: a streaming `Deserializer` adaptor that gives the visitor what it asked for when the
//! providers' usual variations allow it, straight from the JSON text (no `serde_json::Value` between).
//!
//! Every request for a value is turned into `deserialize_any` on the wrapped deserializer, and what it
//! finds is converted on the way to the visitor: a numeric string where a number is wanted, `0`/`1`
//! or `"true"`/`"FALSE"` where a boolean is, a number or boolean where a string is, a string where an
//! enum is. Lists and objects are wrapped in turn, so the rules hold at every depth. Only `option`,
//! `newtype_struct` and `ignored_any` reach the wrapped deserializer as they are (so `null` is `None`,
//! and unknown members are skipped without being read into anything).
//!
//! The visitor sees its errors as [`DecodeError`]s, which name the expected type and the kind of the
//! value, never the value; they reach the caller as the wrapped deserializer's error (`serde_json`
//! adds the line and column). Asking the wrapped deserializer for a specific type would let it quote
//! the value it found (`invalid type: string "…"`), which is why everything goes through
//! `deserialize_any`.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use super::DecodeError;

/// A deserializer that decodes leniently (see the module documentation).
#[derive(Debug)]
pub struct Lenient<D>(pub D);

/// What the visitor asked for, so that what is found can be converted to it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Number,
    Bool,
    String,
    Enum,
    Other,
}

macro_rules! wanting {
    ($want:ident: $($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.deserialize_any(Convert { visitor, want: Want::$want })
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Lenient<D> {
    type Error = D::Error;

    wanting! { Number:
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }
    wanting! { Bool: deserialize_bool }
    wanting! { String: deserialize_str deserialize_string }
    wanting! { Other:
        deserialize_any deserialize_char deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_seq
        deserialize_map deserialize_identifier
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(Convert { visitor, want: Want::Other })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Convert { visitor, want: Want::Other })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Convert { visitor, want: Want::Enum })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_ignored_any(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }
}

/// The visitor's own errors are value-free [`DecodeError`]s; this passes them on as `E`.
fn pass<T, E: serde::de::Error>(result: Result<T, DecodeError>) -> Result<T, E> {
    result.map_err(E::custom)
}

/// A number as the visitor would have been given it had the JSON held it unquoted.
fn visit_number<'de, V: Visitor<'de>>(visitor: V, number: &Number) -> Result<V::Value, DecodeError> {
    match (number.as_u64(), number.as_i64(), number.as_f64()) {
        (Some(u), _, _) => visitor.visit_u64(u),
        (_, Some(i), _) => visitor.visit_i64(i),
        (_, _, Some(f)) => visitor.visit_f64(f),
        _ => Err(DecodeError::custom("a number out of range")),
    }
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

/// Wraps the visitor: converts what the JSON holds into what was asked for, when allowed.
struct Convert<V> {
    visitor: V,
    want: Want,
}

impl<V> Convert<V> {
    fn string<'de, E: serde::de::Error>(self, text: &str) -> Result<V::Value, E>
    where
        V: Visitor<'de>,
    {
        let Convert { visitor, want } = self;
        pass(match want {
            Want::Number => match number_from_text(text) {
                Some(number) => visit_number(visitor, &number),
                None => visitor.visit_str(text),
            },
            Want::Bool => match bool_from_text(text) {
                Some(b) => visitor.visit_bool(b),
                None => visitor.visit_str(text),
            },
            Want::Enum => visitor.visit_enum(IntoDeserializer::<DecodeError>::into_deserializer(text)),
            Want::String | Want::Other => visitor.visit_str(text),
        })
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Convert<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<V::Value, E> {
        pass(match self.want {
            Want::String => self.visitor.visit_string(b.to_string()),
            _ => self.visitor.visit_bool(b),
        })
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<V::Value, E> {
        pass(match (self.want, n) {
            (Want::String, _) => self.visitor.visit_string(n.to_string()),
            (Want::Bool, 0 | 1) => self.visitor.visit_bool(n == 1),
            _ => self.visitor.visit_u64(n),
        })
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<V::Value, E> {
        pass(match self.want {
            Want::String => self.visitor.visit_string(n.to_string()),
            _ => self.visitor.visit_i64(n),
        })
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<V::Value, E> {
        pass(match (self.want, Number::from_f64(n)) {
            // As `serde_json` writes it: `1.5`, `1e300`.
            (Want::String, Some(number)) => self.visitor.visit_string(number.to_string()),
            _ => self.visitor.visit_f64(n),
        })
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<V::Value, E> {
        self.string(text)
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<V::Value, E> {
        match self.want {
            Want::String | Want::Other => pass(self.visitor.visit_borrowed_str(text)),
            _ => self.string(text),
        }
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<V::Value, E> {
        match self.want {
            Want::String | Want::Other => pass(self.visitor.visit_string(text)),
            _ => self.string(&text),
        }
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<V::Value, E> {
        pass(self.visitor.visit_bytes(bytes))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        pass(self.visitor.visit_unit())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        pass(self.visitor.visit_none())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Lenient(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Lenient(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        pass(self.visitor.visit_seq(LenientSeq(seq)))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        pass(self.visitor.visit_map(LenientMap(map)))
    }
}

/// A seed whose deserializer is wrapped in [`Lenient`].
struct LenientSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for LenientSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Lenient(deserializer))
    }
}

/// The wrapped deserializer's error as a [`DecodeError`] (its own never quote values: syntax, depth).
fn own<E: fmt::Display>(error: E) -> DecodeError {
    DecodeError(error.to_string())
}

/// List items, each read leniently. Its errors are [`DecodeError`]s, so that the visitor's own (a list
/// where a string is wanted) are worded as the module says.
struct LenientSeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for LenientSeq<A> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DecodeError> {
        self.0.next_element_seed(LenientSeed(seed)).map_err(own)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// Object members: keys as they are (JSON keys are strings), values read leniently; errors as in
/// [`LenientSeq`].
struct LenientMap<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for LenientMap<A> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DecodeError> {
        self.0.next_key_seed(seed).map_err(own)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, DecodeError> {
        self.0.next_value_seed(LenientSeed(seed)).map_err(own)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}
