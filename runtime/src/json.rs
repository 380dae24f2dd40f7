//! Compact deserialization for generated response types.
//!
//! Generated responses implement `Deserialize` by reading a JSON object and taking their fields from
//! it, instead of through `#[derive(Deserialize)]`: the derive's visitor machinery, repeated for
//! thousands of response types, was most of a generated crate's compile time and memory. Unknown keys
//! are ignored; `null` and absence are the same for optional fields.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

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
            Some(value) => T::deserialize(value).map_err(|e| E::custom(format_args!("`{key}`: {e}"))),
        }
    }

    /// A field that may be absent or null.
    pub fn optional<T: DeserializeOwned, E: Error>(&mut self, key: &'static str) -> Result<Option<T>, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::deserialize(value).map(Some).map_err(|e| E::custom(format_args!("`{key}`: {e}"))),
        }
    }

    /// A required field read by a serde adapter (`cloudspec_runtime::timestamp::iso8601::deserialize`).
    pub fn required_with<T, E: Error>(
        &mut self,
        key: &'static str,
        read: fn(Value) -> Result<T, serde_json::Error>,
    ) -> Result<T, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Err(E::missing_field(key)),
            Some(value) => read(value).map_err(|e| E::custom(format_args!("`{key}`: {e}"))),
        }
    }

    /// An optional field read by a serde adapter.
    pub fn optional_with<T, E: Error>(
        &mut self,
        key: &'static str,
        read: fn(Value) -> Result<T, serde_json::Error>,
    ) -> Result<Option<T>, E> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => read(value).map(Some).map_err(|e| E::custom(format_args!("`{key}`: {e}"))),
        }
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
}
