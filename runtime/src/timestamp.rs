//! Serde adapters for the timestamp formats specs name, for `#[serde(with = "…")]` in generated code.
//!
//! Each module has an `option` submodule for optional fields. Errors say which format was expected and
//! never quote the text read: a field of a response may carry a secret.

use serde::{Deserialize, Deserializer, Serializer, de::Error as _};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime, macros::format_description};

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

    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
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

    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day]");

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

/// A timestamp format as a type, for generated response types ([`crate::json::Fields::read_with`]):
/// each reads what its module's `deserialize` reads.
pub trait Format {
    /// The Rust value.
    type Value;

    /// Reads a value in the format.
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error>;
}

macro_rules! format_marker {
    ($($(#[$doc:meta])* $name:ident => $module:ident: $value:ty;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl Format for $name {
            type Value = $value;

            fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$value, D::Error> {
                $module::deserialize(deserializer)
            }
        }
    )*};
}

format_marker! {
    /// [`iso8601`] as a type.
    Iso8601 => iso8601: OffsetDateTime;
    /// [`datetime`] as a type.
    Datetime => datetime: PrimitiveDateTime;
    /// [`date`] as a type.
    Date => date: time::Date;
    /// [`epoch_seconds`] as a type.
    EpochSeconds => epoch_seconds: OffsetDateTime;
    /// [`epoch_millis`] as a type.
    EpochMillis => epoch_millis: OffsetDateTime;
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
