//! Compact deserialization for generated response types.
//!
//! Generated responses implement `Deserialize` by reading a JSON object and taking their fields from
//! it, instead of through `#[derive(Deserialize)]`: the derive's visitor machinery, repeated for
//! thousands of response types, was most of a generated crate's compile time and memory. Unknown keys
//! are ignored; `null` and absence are the same for optional fields.
//!
//! Field values are read through [`Lenient`], which accepts what the providers' own examples and
//! servers send besides the declared JSON type: numbers as numeric strings, booleans as `0`/`1` or
//! `"true"`/`"false"`, and numbers or booleans where a string is declared. Anything else that does
//! not match (a list for a string, a fraction for an integer, an overflow) is still an error.
//!
//! Errors are [`DecodeError`]s: they name the JSON path, the expected type and the kind of value found,
//! never the value. A response field that does not match may be a freshly generated secret (or an
//! object holding one), and decode errors end up in `Display`, logs and bug reports; whoever needs the
//! value has the raw body in [`UndecodableResponse::body`](crate::UndecodableResponse::body).

use std::fmt;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Error, Expected, IntoDeserializer, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, forward_to_deserialize_any};
use serde_json::{Map, Number, Value};

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

/// A JSON object whose fields are taken one by one.
#[derive(Debug, Default)]
pub struct Object(Map<String, Value>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Object)
    }
}

impl Object {
    /// A field that must be present and not null.
    pub fn required<T: DeserializeOwned, E: Error>(&mut self, key: &'static str) -> Result<T, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Err(E::missing_field(key)),
            Some(value) => T::deserialize(Lenient(value)).map_err(|e| E::custom(format_args!("`{key}`: {e}"))),
        }
    }

    /// A field that may be absent or null.
    pub fn optional<T: DeserializeOwned, E: Error>(&mut self, key: &'static str) -> Result<Option<T>, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => {
                T::deserialize(Lenient(value)).map(Some).map_err(|e| E::custom(format_args!("`{key}`: {e}")))
            }
        }
    }

    /// A required field read by a serde adapter (`cloudspec_runtime::timestamp::iso8601::deserialize`).
    pub fn required_with<T, E: Error>(
        &mut self,
        key: &'static str,
        read: fn(Lenient) -> Result<T, DecodeError>,
    ) -> Result<T, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Err(E::missing_field(key)),
            Some(value) => read(Lenient(value)).map_err(|e| E::custom(format_args!("`{key}`: {e}"))),
        }
    }

    /// An optional field read by a serde adapter.
    pub fn optional_with<T, E: Error>(
        &mut self,
        key: &'static str,
        read: fn(Lenient) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => read(Lenient(value)).map(Some).map_err(|e| E::custom(format_args!("`{key}`: {e}"))),
        }
    }
}

/// Decodes a whole response payload, leniently (see [`Lenient`]).
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    T::deserialize(Lenient(value))
}

/// A JSON value that deserializes into the type asked for when the providers' usual variations
/// allow it: `"42"` into an integer, `"1"`, `1` or `"TRUE"` into `true`, `42` or `true` into a
/// string. Other mismatches are errors, as with `serde_json::Value`.
#[derive(Debug)]
pub struct Lenient(pub Value);

fn number_from_text(text: &str) -> Option<Number> {
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

/// A boolean as the providers write it: `true`, `1`, `"true"`, `"1"` (any case) and their opposites.
pub(crate) fn bool_from(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

impl Lenient {
    /// The value as a number, when it is one or a string holding one.
    fn numeric(self) -> Value {
        match self.0 {
            Value::String(text) => match number_from_text(&text) {
                Some(number) => Value::Number(number),
                None => Value::String(text),
            },
            other => other,
        }
    }
}

impl<'de> IntoDeserializer<'de, DecodeError> for Lenient {
    type Deserializer = Lenient;

    fn into_deserializer(self) -> Lenient {
        self
    }
}

macro_rules! numeric {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
            Lenient(self.numeric()).deserialize_any(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for Lenient {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (_, Some(i), _) => visitor.visit_i64(i),
                (_, _, Some(f)) => visitor.visit_f64(f),
                _ => Err(DecodeError::custom("a number out of range")),
            },
            Value::String(text) => visitor.visit_string(text),
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter().map(Lenient));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Object(members) => {
                let mut map = MapDeserializer::new(members.into_iter().map(|(k, v)| (k, Lenient(v))));
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    numeric! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match bool_from(&self.0) {
            Some(b) => visitor.visit_bool(b),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            other => Lenient(other).deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Lenient(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    /// Unit variants, written as their name; anything else is refused by the visitor.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::String(variant) => visitor.visit_enum(variant.into_deserializer()),
            other => Lenient(other).deserialize_any(visitor),
        }
    }

    forward_to_deserialize_any! {
        char bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Key {
        id: String,
        status: Option<i64>,
        created: time::OffsetDateTime,
    }

    impl<'de> Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut object = Object::deserialize(deserializer)?;
            Ok(Key {
                id: object.required("Id")?,
                status: object.optional("Status")?,
                created: object.required_with("Created", crate::timestamp::iso8601::deserialize)?,
            })
        }
    }

    #[test]
    fn takes_fields_and_names_the_bad_one() {
        let key: Key =
            serde_json::from_str(r#"{"Id": "a", "Status": null, "Created": "2020-02-26T06:10:01Z", "Extra": 1}"#)
                .unwrap();
        assert_eq!((key.id.as_str(), key.status, key.created.unix_timestamp()), ("a", None, 1_582_697_401));
        let missing = serde_json::from_str::<Key>(r#"{"Created": "2020-02-26T06:10:01Z"}"#).unwrap_err();
        assert!(missing.to_string().contains("missing field `Id`"), "{missing}");
        let wrong = serde_json::from_str::<Key>(r#"{"Id": "a", "Status": "x", "Created": "2020-02-26T06:10:01Z"}"#)
            .unwrap_err();
        assert!(wrong.to_string().contains("`Status`: invalid type"), "{wrong}");
    }

    #[test]
    fn accepts_the_providers_variations_and_nothing_else() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Shape {
            count: i64,
            ratio: f64,
            on: bool,
            off: Option<bool>,
            name: String,
            ids: Vec<u32>,
            nested: Option<Vec<Option<String>>>,
        }
        let shape: Shape = from_value(serde_json::json!({
            "count": "42", "ratio": "0.5", "on": "TRUE", "off": 0, "name": 7, "ids": ["1", 2], "nested": [true, null]
        }))
        .unwrap();
        assert_eq!(
            shape,
            Shape {
                count: 42,
                ratio: 0.5,
                on: true,
                off: Some(false),
                name: "7".into(),
                ids: vec![1, 2],
                nested: Some(vec![Some("true".into()), None]),
            }
        );
        for (field, value) in [
            ("count", serde_json::json!("4x")),
            ("count", serde_json::json!(1.5)),
            ("count", serde_json::json!("NaN")),
            ("on", serde_json::json!(2)),
            ("name", serde_json::json!(["a"])),
            ("ids", serde_json::json!(["-1"])),
        ] {
            let mut body = serde_json::json!({"count": 1, "ratio": 1, "on": true, "name": "n", "ids": []});
            body[field] = value.clone();
            assert!(from_value::<Shape>(body).is_err(), "{field} = {value} was accepted");
        }
    }

    #[test]
    fn errors_name_the_path_and_the_expected_type_never_the_value() {
        #[derive(Debug)]
        struct Envelope {
            #[allow(dead_code)]
            key: Key,
        }
        impl<'de> Deserialize<'de> for Envelope {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut object = Object::deserialize(deserializer)?;
                Ok(Envelope { key: object.required("Result")? })
            }
        }
        let secret = "TopSecretValue0001";
        let cases = [
            // A whole object sent as a string (double-encoded JSON) with the secret inside.
            serde_json::json!({"Result": format!("{{\"AccessKeySecret\": \"{secret}\"}}")}),
            serde_json::json!({"Result": {"Id": [secret], "Created": "2020-02-26T06:10:01Z"}}),
            serde_json::json!({"Result": {"Id": "a", "Status": secret, "Created": "2020-02-26T06:10:01Z"}}),
            serde_json::json!({"Result": {"Id": "a", "Created": secret}}),
            serde_json::json!({"Result": {"Id": "a", "Created": 12345}}),
            serde_json::json!({"Result": {"Id": "a", "Status": 1e300, "Created": "2020-02-26T06:10:01Z"}}),
        ];
        let mut messages = Vec::new();
        for body in cases {
            let message = from_value::<Envelope>(body).unwrap_err().to_string();
            assert!(!message.contains(secret) && !message.contains("12345"), "{message}");
            assert!(message.starts_with("`Result`: "), "{message}");
            messages.push(message);
        }
        assert_eq!(messages[0], "`Result`: invalid type: a string, expected a map");
        assert_eq!(messages[1], "`Result`: `Id`: invalid type: a list, expected a string");
        assert_eq!(messages[2], "`Result`: `Status`: invalid type: a string, expected i64");
        assert!(messages[3].starts_with("`Result`: `Created`: invalid ISO 8601 timestamp"), "{}", messages[3]);
        assert_eq!(messages[5], "`Result`: `Status`: invalid type: a floating-point number, expected i64");
    }
}
