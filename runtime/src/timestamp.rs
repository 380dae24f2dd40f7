//! Serde adapters for the timestamp formats specs name, for `#[serde(with = "…")]` in generated code,
//! and the same formats as types ([`Format`]) that the runtime's decoder reads received fields by.
//!
//! Each module has an `option` submodule for optional fields. Errors say which format was expected and
//! never quote the text read: a field of a response may carry a secret.

use serde::{Deserialize, Deserializer, Serializer, de::Error as _};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime, macros::format_description};

use crate::json::{Decode, DecodeError, Encoder, Reader};

macro_rules! option_module {
    () => {
        /// The same format, for `Option` fields (`null` and absence are `None`).
        pub mod option {
            use serde::{Deserialize, Deserializer, Serializer};

            /// Serializes `Some` in the format, `None` as `null`.
            pub fn serialize<S: Serializer>(value: &Option<super::Value>, serializer: S) -> Result<S::Ok, S::Error> {
                match value {
                    Some(value) => super::serialize(value, serializer),
                    None => serializer.serialize_none(),
                }
            }

            /// Deserializes `null` as `None`, anything else in the format.
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<super::Value>, D::Error> {
                #[derive(Deserialize)]
                struct Wrapper(#[serde(with = "super")] super::Value);
                Ok(Option::<Wrapper>::deserialize(deserializer)?.map(|Wrapper(value)| value))
            }
        }
    };
}

/// ISO 8601 / RFC 3339 with a zone: `2020-02-26T06:10:01Z`.
pub mod iso8601 {
    use super::*;

    type Value = OffsetDateTime;

    /// Writes RFC 3339.
    pub fn serialize<S: Serializer>(value: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        let text = value.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    /// Reads RFC 3339.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        OffsetDateTime::parse(&text, &Rfc3339).map_err(|e| D::Error::custom(format!("invalid ISO 8601 timestamp: {e}")))
    }

    option_module!();
}

/// `YYYY-MM-DD HH:MM:SS`, with no zone.
pub mod datetime {
    use super::*;

    type Value = PrimitiveDateTime;

    pub(super) const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

    /// Writes `YYYY-MM-DD HH:MM:SS`.
    pub fn serialize<S: Serializer>(value: &PrimitiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        let text = value.format(FORMAT).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    /// Reads `YYYY-MM-DD HH:MM:SS`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<PrimitiveDateTime, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        PrimitiveDateTime::parse(&text, FORMAT).map_err(|e| D::Error::custom(format!("invalid date-time: {e}")))
    }

    option_module!();
}

/// `YYYY-MM-DD`.
pub mod date {
    use super::*;

    type Value = time::Date;

    pub(super) const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
        format_description!("[year]-[month]-[day]");

    /// Writes `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(value: &time::Date, serializer: S) -> Result<S::Ok, S::Error> {
        let text = value.format(FORMAT).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    /// Reads `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<time::Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        time::Date::parse(&text, FORMAT).map_err(|e| D::Error::custom(format!("invalid date: {e}")))
    }

    option_module!();
}

/// Seconds since the Unix epoch, as a number.
pub mod epoch_seconds {
    use super::*;

    type Value = OffsetDateTime;

    /// Writes whole seconds.
    pub fn serialize<S: Serializer>(value: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(value.unix_timestamp())
    }

    /// Reads whole seconds.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let seconds = i64::deserialize(deserializer)?;
        OffsetDateTime::from_unix_timestamp(seconds).map_err(D::Error::custom)
    }

    option_module!();
}

/// Milliseconds since the Unix epoch, as a number.
pub mod epoch_millis {
    use super::*;

    type Value = OffsetDateTime;

    /// Writes whole milliseconds.
    pub fn serialize<S: Serializer>(value: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        let millis = value.unix_timestamp_nanos() / 1_000_000;
        serializer.serialize_i64(i64::try_from(millis).map_err(serde::ser::Error::custom)?)
    }

    /// Reads whole milliseconds.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let millis = i64::deserialize(deserializer)?;
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).map_err(D::Error::custom)
    }

    option_module!();
}

/// A timestamp format as a type, for generated response types ([`crate::json::Reader::field_with`]):
/// each reads what its module's `deserialize` reads, from the runtime's [`Reader`].
pub trait Format {
    /// The Rust value.
    type Value;

    /// Reads a value in the format.
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self::Value, DecodeError>;

    /// Writes a value in the format (what its module's `serialize` writes).
    fn encode(value: &Self::Value, out: &mut Encoder);
}

/// The text of a timestamp (leniently, as a string field is read), parsed by `parse`, whose error
/// (which never quotes the text) follows `what`.
fn parsed<T, E: std::fmt::Display>(
    reader: &mut Reader<'_, '_>,
    what: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, DecodeError> {
    let text = reader.string()?;
    parse(&text).map_err(|e| DecodeError::new(format!("{what}: {e}")))
}

/// Writes a timestamp's text, or records why it cannot be written (never with the value).
fn formatted(out: &mut Encoder, text: Result<String, time::error::Format>) {
    match text {
        Ok(text) => out.string(&text),
        Err(e) => out.fail(format!("cannot write the timestamp: {e}")),
    }
}

macro_rules! format_marker {
    ($($(#[$doc:meta])* $name:ident: $value:ty = |$reader:ident| $decode:expr, |$v:ident, $out:ident| $encode:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl Format for $name {
            type Value = $value;

            fn decode($reader: &mut Reader<'_, '_>) -> Result<$value, DecodeError> {
                $decode
            }

            fn encode($v: &$value, $out: &mut Encoder) {
                $encode
            }
        }
    )*};
}

format_marker! {
    /// [`iso8601`] as a type.
    Iso8601: OffsetDateTime =
        |reader| parsed(reader, "invalid ISO 8601 timestamp", |text| OffsetDateTime::parse(text, &Rfc3339)),
        |value, out| formatted(out, value.format(&Rfc3339));
    /// [`datetime`] as a type.
    Datetime: PrimitiveDateTime =
        |reader| parsed(reader, "invalid date-time", |text| PrimitiveDateTime::parse(text, datetime::FORMAT)),
        |value, out| formatted(out, value.format(datetime::FORMAT));
    /// [`date`] as a type.
    Date: time::Date = |reader| parsed(reader, "invalid date", |text| time::Date::parse(text, date::FORMAT)),
        |value, out| formatted(out, value.format(date::FORMAT));
    /// [`epoch_seconds`] as a type.
    EpochSeconds: OffsetDateTime = |reader| {
        let seconds = <i64 as Decode>::decode(reader)?;
        OffsetDateTime::from_unix_timestamp(seconds).map_err(|e| DecodeError::new(e.to_string()))
    }, |value, out| out.i64(value.unix_timestamp());
    /// [`epoch_millis`] as a type.
    EpochMillis: OffsetDateTime = |reader| {
        let millis = <i64 as Decode>::decode(reader)?;
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
            .map_err(|e| DecodeError::new(e.to_string()))
    }, |value, out| match i64::try_from(value.unix_timestamp_nanos() / 1_000_000) {
        Ok(millis) => out.i64(millis),
        Err(_) => out.fail("cannot write the timestamp: out of range in milliseconds"),
    };
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use time::OffsetDateTime;

    #[derive(Serialize, Deserialize)]
    struct Times {
        #[serde(with = "super::iso8601")]
        created: OffsetDateTime,
        #[serde(default, with = "super::iso8601::option")]
        modified: Option<OffsetDateTime>,
        #[serde(default, with = "super::datetime::option")]
        local: Option<time::PrimitiveDateTime>,
    }

    #[test]
    fn round_trips() {
        let json = r#"{"created":"2020-02-26T06:10:01Z","modified":null,"local":"2020-02-26 06:10:01"}"#;
        let times: Times = serde_json::from_str(json).unwrap();
        assert_eq!(times.created.unix_timestamp(), 1_582_697_401);
        assert!(times.modified.is_none());
        assert_eq!(serde_json::to_string(&times).unwrap(), json);
        let missing: Times = serde_json::from_str(r#"{"created":"2020-02-26T06:10:01+08:00"}"#).unwrap();
        assert!(missing.local.is_none());
        assert!(serde_json::from_str::<Times>(r#"{"created":"2020-02-26 06:10:01"}"#).is_err());
    }
}
