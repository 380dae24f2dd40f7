//! The lenient rules and the member loop, on the path responses take: straight from the text.

use serde::de::MapAccess;
use serde::{Deserialize, Deserializer};

use super::*;

/// What the generator emits for `{Id: string (required), Status: int64, Created: timestamp (required)}`.
#[derive(Debug)]
struct Key {
    id: String,
    status: Option<i64>,
    created: time::OffsetDateTime,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Slots(Option<String>, Option<i64>, Option<time::OffsetDateTime>);
        impl<'de> Fields<'de> for Slots {
            const NAMES: &'static [&'static str] = &["Id", "Status", "Created"];
            fn read_field<A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
                match field {
                    0 => Self::read(&mut self.0, map),
                    1 => Self::read(&mut self.1, map),
                    _ => Self::read_with(&mut self.2, map, crate::timestamp::Iso8601),
                }
            }
        }
        let slots = Slots::decode(deserializer, Slots(None, None, None))?;
        Ok(Key { id: Slots::required(slots.0, "Id")?, status: slots.1, created: Slots::required(slots.2, "Created")? })
    }
}

/// `{Result: Key (required)}`.
#[derive(Debug)]
struct Envelope {
    key: Key,
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Slots(Option<Key>);
        impl<'de> Fields<'de> for Slots {
            const NAMES: &'static [&'static str] = &["Result"];
            fn read_field<A: MapAccess<'de>>(&mut self, _field: usize, map: &mut A) -> Result<(), A::Error> {
                Self::read(&mut self.0, map)
            }
        }
        let slots = Slots::decode(deserializer, Slots(None))?;
        Ok(Envelope { key: Slots::required(slots.0, "Result")? })
    }
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    from_slice(text.as_bytes())
}

#[test]
fn takes_fields_and_names_the_bad_one() {
    let key: Key =
        decode(r#"{"Id": "a", "Status": null, "Created": "2020-02-26T06:10:01Z", "Extra": {"x": [1]}}"#).unwrap();
    assert_eq!((key.id.as_str(), key.status, key.created.unix_timestamp()), ("a", None, 1_582_697_401));
    let missing = decode::<Key>(r#"{"Created": "2020-02-26T06:10:01Z"}"#).unwrap_err();
    assert!(missing.to_string().starts_with("missing field `Id`"), "{missing}");
    // `null` is absence for a required field too.
    let null = decode::<Key>(r#"{"Id": null, "Created": "2020-02-26T06:10:01Z"}"#).unwrap_err();
    assert!(null.to_string().starts_with("missing field `Id`"), "{null}");
    let wrong = decode::<Key>(r#"{"Id": "a", "Status": "x", "Created": "2020-02-26T06:10:01Z"}"#).unwrap_err();
    assert!(wrong.to_string().starts_with("`Status`: invalid type: a string, expected i64"), "{wrong}");
    // Members the type does not know are skipped, whatever they hold; so are escaped names.
    let key: Key =
        decode(r#"{"\u0049d": "b", "Unknown": [{"deep": [null, true, "s"]}], "Created": "2020-02-26T06:10:01Z"}"#)
            .unwrap();
    assert_eq!(key.id, "b");
    // The text after the value must be whitespace.
    assert!(decode::<Key>(r#"{"Id": "a", "Created": "2020-02-26T06:10:01Z"} x"#).is_err());
}

#[test]
fn the_last_of_duplicate_members_wins() {
    let key: Key =
        decode(r#"{"Id": "a", "Id": "b", "Status": 1, "Status": null, "Created": "2020-02-26T06:10:01Z"}"#).unwrap();
    assert_eq!((key.id.as_str(), key.status), ("b", None));
}

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

#[test]
fn accepts_the_providers_variations_and_nothing_else() {
    let expected = Shape {
        count: 42,
        ratio: 0.5,
        on: true,
        off: Some(false),
        name: "7".into(),
        ids: vec![1, 2],
        nested: Some(vec![Some("true".into()), None, Some("1.5".into())]),
    };
    let text = r#"{"count": " 42 ", "ratio": "0.5", "on": "TRUE", "off": 0, "name": 7, "ids": ["1", 2],
                   "nested": [true, null, 1.5]}"#;
    assert_eq!(decode::<Shape>(text).unwrap(), expected);
    // The same rules on an already parsed value.
    assert_eq!(from_value::<Shape>(serde_json::from_str(text).unwrap()).unwrap(), expected);
    // Booleans in every form the providers use.
    for (on, expected) in [("true", true), ("1", true), (r#""1""#, true), (r#""False""#, false), ("0", false)] {
        let text = format!(r#"{{"count": 1, "ratio": 1, "on": {on}, "name": "n", "ids": []}}"#);
        assert_eq!(decode::<Shape>(&text).unwrap().on, expected, "{on}");
    }
    for (field, value) in [
        ("count", r#""4x""#),
        ("count", "1.5"),
        ("count", r#""NaN""#),
        ("count", r#""0x10""#),
        ("count", "true"),
        ("ratio", r#""inf""#),
        ("on", "2"),
        ("on", r#""yes""#),
        ("name", r#"["a"]"#),
        ("name", "null"),
        ("ids", r#"["-1"]"#),
        ("ids", r#""1,2""#),
    ] {
        let mut body: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"count": 1, "ratio": 1, "on": true, "name": "n", "ids": []}"#).unwrap();
        body.insert(field.into(), serde_json::from_str(value).unwrap());
        let text = serde_json::to_string(&body).unwrap();
        assert!(decode::<Shape>(&text).is_err(), "{field} = {value} was accepted");
    }
}

#[test]
fn errors_name_the_path_and_the_expected_type_never_the_value() {
    let secret = "TopSecretValue0001";
    let cases = [
        // A whole object sent as a string (double-encoded JSON) with the secret inside.
        format!(r#"{{"Result": "{{\"AccessKeySecret\": \"{secret}\"}}"}}"#),
        format!(r#"{{"Result": {{"Id": ["{secret}"], "Created": "2020-02-26T06:10:01Z"}}}}"#),
        format!(r#"{{"Result": {{"Id": "a", "Status": "{secret}", "Created": "2020-02-26T06:10:01Z"}}}}"#),
        format!(r#"{{"Result": {{"Id": "a", "Created": "{secret}"}}}}"#),
        r#"{"Result": {"Id": "a", "Created": 12345}}"#.to_string(),
        r#"{"Result": {"Id": "a", "Status": 1e300, "Created": "2020-02-26T06:10:01Z"}}"#.to_string(),
        format!(r#"{{"Result": {{"Id": {{"{secret}": 1}}, "Created": "2020-02-26T06:10:01Z"}}}}"#),
        format!(
            r#"{{"Result": {{"Id": "a", "Status": true, "Created": "2020-02-26T06:10:01Z", "x": "{secret}"}}, "y": {secret}}}"#
        ),
    ];
    let mut messages = Vec::new();
    for body in &cases {
        let message = decode::<Envelope>(body).unwrap_err().to_string();
        assert!(!message.contains(secret) && !message.contains("12345"), "{message}");
        messages.push(message);
    }
    assert_eq!(messages[0], "`Result`: invalid type: a string, expected a map");
    assert_eq!(messages[1], "`Result`: `Id`: invalid type: a list, expected a string");
    assert_eq!(messages[2], "`Result`: `Status`: invalid type: a string, expected i64");
    assert!(messages[3].starts_with("`Result`: `Created`: invalid ISO 8601 timestamp"), "{}", messages[3]);
    assert!(messages[5].starts_with("`Result`: `Status`: invalid type: a floating-point number, expected i64"));
    assert!(messages[6].starts_with("`Result`: `Id`: invalid type: an object, expected a string"), "{}", messages[6]);
    assert!(messages[7].starts_with("`Result`: `Status`: invalid type: a boolean, expected i64"), "{}", messages[7]);
}

#[test]
fn deep_nesting_is_an_error_or_skipped_never_a_crash() {
    for depth in [200, 100_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        // Decoded: serde_json's recursion limit (128) stops it.
        let message = decode::<Value>(&deep).unwrap_err().to_string();
        assert!(message.starts_with("recursion limit exceeded"), "{message}");
        // Where an object is wanted, the first bracket is already the wrong type.
        let message = decode::<Envelope>(&format!(r#"{{"Result": {deep}}}"#)).unwrap_err().to_string();
        assert!(message.starts_with("`Result`: invalid type: a list, expected a map"), "{message}");
        // An unknown member is skipped without recursion (serde_json skips iteratively).
        let body = format!(r#"{{"Result": {{"Id": "a", "Created": "2020-02-26T06:10:01Z", "x": {deep}}}}}"#);
        assert_eq!(decode::<Envelope>(&body).unwrap().key.id, "a");
    }
}
