//! The lenient rules, the member loop and the tape, on the path responses take: straight from the text.

use std::collections::BTreeMap;

use super::*;
use crate::Decode;

/// What the generator emits for `{Id: string (required), Status: int64, Created: timestamp (required)}`.
#[derive(Debug, Decode)]
#[serde(rename_all = "PascalCase")]
struct Key {
    id: String,
    status: Option<i64>,
    #[serde(with = "cloudspec_runtime::timestamp::iso8601")]
    created: time::OffsetDateTime,
}

/// `{Result: Key (required)}`.
#[derive(Debug, Decode)]
struct Envelope {
    #[serde(rename = "Result")]
    key: Key,
}

/// Decodes `text` as a payload is decoded from its own text ([`from_slice`]), and checks that the
/// same text kept as a whole answer's tape ([`raw::Document`], strings as places in the text) reads
/// the same.
fn decode<T: Decode + std::fmt::Debug>(text: &str) -> Result<T, DecodeError> {
    let decoded = from_slice(text.as_bytes());
    if let Ok(document) = raw::Document::parse(text.as_bytes()) {
        let kept = document.node(text.as_bytes(), 0).decode::<T>();
        assert_eq!(format!("{kept:?}"), format!("{decoded:?}"), "{text}");
    }
    decoded
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

#[derive(Debug, Decode, PartialEq)]
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

/// Every scalar type's lenient rules, one value at a time.
#[test]
fn each_scalar_takes_its_variations_and_nothing_else() {
    fn ok<T: Decode + PartialEq + std::fmt::Debug>(text: &str, expected: T) {
        assert_eq!(decode::<T>(text).unwrap(), expected, "{text}");
    }
    fn err<T: Decode + std::fmt::Debug>(text: &str, message: &str) {
        let error = decode::<T>(text).unwrap_err().to_string();
        assert_eq!(error, message, "{text}");
    }
    ok::<i64>("-7", -7);
    ok::<i64>(r#"" -7 ""#, -7);
    err::<i64>(r#""1e3""#, "invalid type: a floating-point number, expected i64");
    ok::<u64>("18446744073709551615", u64::MAX);
    ok::<u64>(r#""18446744073709551615""#, u64::MAX);
    ok::<i32>("2147483647", i32::MAX);
    ok::<u32>(r#""4294967295""#, u32::MAX);
    err::<i32>("2147483648", "invalid value: an integer, expected i32");
    err::<u32>("-1", "invalid value: an integer, expected u32");
    err::<i64>("9223372036854775808", "invalid value: an integer, expected i64");
    err::<i64>("1.5", "invalid type: a floating-point number, expected i64");
    err::<i64>(r#""1.5""#, "invalid type: a floating-point number, expected i64");
    // Beyond u64, serde_json reads a float.
    err::<u64>("18446744073709551616", "invalid type: a floating-point number, expected u64");
    err::<i64>("true", "invalid type: a boolean, expected i64");
    err::<i64>(r#""0x10""#, "invalid type: a string, expected i64");
    err::<i64>("null", "invalid type: null, expected i64");
    ok::<f64>("1", 1.0);
    ok::<f64>(r#""0.25""#, 0.25);
    ok::<f32>("1.5", 1.5);
    err::<f64>(r#""inf""#, "invalid type: a string, expected f64");
    err::<f64>("[1]", "invalid type: a list, expected f64");
    for (text, expected) in [("true", true), ("1", true), ("0", false), (r#""FALSE""#, false), (r#"" 1 ""#, true)] {
        ok::<bool>(text, expected);
    }
    err::<bool>("2", "invalid type: an integer, expected a boolean");
    err::<bool>(r#""yes""#, "invalid type: a string, expected a boolean");
    err::<bool>("-1", "invalid type: an integer, expected a boolean");
    ok::<String>("7", "7".to_string());
    ok::<String>("-7", "-7".to_string());
    ok::<String>("1.5", "1.5".to_string());
    ok::<String>("1e300", "1e+300".to_string());
    ok::<String>("false", "false".to_string());
    err::<String>(r#"{"a": 1}"#, "invalid type: an object, expected a string");
    ok::<crate::SecretString>("7", crate::SecretString::from("7"));
    ok::<Option<i64>>("null", None);
    ok::<Vec<Option<u8>>>(r#"[1, null, "3"]"#, vec![Some(1), None, Some(3)]);
    err::<Vec<u8>>(r#""1,2""#, "invalid type: a string, expected a sequence");
    ok::<Box<i64>>("5", Box::new(5));
    let map: BTreeMap<String, i64> = [("a".to_string(), 2), ("b".to_string(), 3)].into();
    ok::<BTreeMap<String, i64>>(r#"{"a": 1, "b": "3", "a": 2}"#, map);
    err::<BTreeMap<String, i64>>("[]", "invalid type: a list, expected a map");
    let value: Value = serde_json::from_str(r#"{"a": [1, -2, 1.5, "x\n", null, true, {}]}"#).unwrap();
    ok::<Value>(r#"{"a": [1, -2, 1.5, "x\n", null, true, {}]}"#, value);
    // Numbers too large for any number type are serde_json's error, which does not quote them.
    assert!(decode::<Value>("1e400").unwrap_err().to_string().starts_with("number out of range"));
}

#[test]
fn escapes_in_names_and_strings_are_read() {
    let key: Key =
        decode(r#"{"\u0049\u0064": "a\"b\\c\u00e9\ud83d\ude00", "Created": "2020-02-26T06:10:01Z"}"#).unwrap();
    assert_eq!(key.id, "a\"b\\c\u{e9}\u{1f600}");
}

#[test]
fn unknown_members_are_skipped_whole() {
    let text = r#"{"A": {"Id": "x", "Created": 5, "Result": [{"Result": 1}]}, "Result": {"Id": "a",
        "Unknown": {"Id": "b", "deep": [[[{"Id": "c"}]]]}, "Created": "2020-02-26T06:10:01Z", "After": [1, [2]]},
        "Z": [[{}]]}"#;
    assert_eq!(decode::<Envelope>(text).unwrap().key.id, "a");
}

/// A small deterministic generator (xorshift), for generated cases without a dependency.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A received type with a field of every scalar kind, nested, for the generated cases below.
#[derive(Debug, Decode)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Every {
    count: Option<i32>,
    total: Option<u64>,
    ratio: Option<f64>,
    on: Option<bool>,
    name: Option<String>,
    items: Option<Vec<Every>>,
    inner: Option<Box<Every>>,
    tags: Option<BTreeMap<String, String>>,
}

#[test]
fn errors_never_contain_the_value_read() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let fields = ["Count", "Total", "Ratio", "On", "Name", "Items", "Inner", "Tags"];
    let mut errors = 0;
    for case in 0..2000 {
        // A distinctive value of some kind, in text that cannot be mistaken for the rest of the message.
        let secret = format!("S3cr{case}x{}", random.below(1 << 40));
        let number = format!("{}{}", 7 + random.below(2), random.below(1 << 50) + (1 << 49));
        let value = match random.below(7) {
            0 => format!(r#""{secret}""#),
            1 => format!(r#"["{secret}"]"#),
            2 => format!(r#"{{"{secret}": "{secret}"}}"#),
            3 => number.clone(),
            4 => format!("-{number}"),
            5 => format!("{number}.25"),
            _ => format!(r#"[{number}, "{secret}"]"#),
        };
        // At a random depth, under random (known) members.
        let depth = random.below(5);
        let mut text = format!(r#"{{"{}": {value}}}"#, fields[random.below(fields.len() as u64) as usize]);
        for _ in 0..depth {
            text = match random.below(3) {
                0 => format!(r#"{{"Inner": {text}}}"#),
                1 => format!(r#"{{"Items": [{{}}, {text}]}}"#),
                _ => format!(r#"{{"Name": "n", "Inner": {text}, "Count": 1}}"#),
            };
        }
        if let Err(error) = decode::<Every>(&text) {
            errors += 1;
            let message = error.to_string();
            assert!(!message.contains(&secret) && !message.contains(&number), "{text}: {message}");
            assert!(message.contains("expected"), "{text}: {message}");
        }
    }
    // Most of the values are of the wrong kind for the member they sit in.
    assert!(errors > 1000, "{errors} errors");
}

#[test]
fn ten_thousand_brackets_are_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for text in [deep.clone(), format!(r#"{{"Inner": {{"Items": {deep}}}}}"#)] {
        let message = decode::<Every>(&text).unwrap_err().to_string();
        assert!(message.contains("expected a map") || message.contains("recursion limit exceeded"), "{message}");
    }
    // Deep but within the tape, where the type wants it: decoded.
    let nested = format!("{}{}{}", r#"{"Inner": "#.repeat(60), r#"{"Count": 3}"#, "}".repeat(60));
    let mut every = decode::<Every>(&nested).unwrap();
    for _ in 0..60 {
        every = *every.inner.unwrap();
    }
    assert_eq!(every.count, Some(3));
    // Deeper than the tape records, where the type wants it: an error.
    let nested = format!("{}{}{}", r#"{"Inner": "#.repeat(120), "{}", "}".repeat(120));
    let message = decode::<Every>(&nested).unwrap_err().to_string();
    assert!(message.ends_with("recursion limit exceeded"), "{message}");
    // A deep free-form value: serde_json's own limit on the way in.
    let message = decode::<Value>(&"[".repeat(10_000)).unwrap_err().to_string();
    assert!(message.starts_with("recursion limit exceeded") || message.starts_with("EOF"), "{message}");
}

#[test]
fn serde_deserialize_goes_through_the_same_reader() {
    // A derived type's `Deserialize` is the runtime's decoding, from any serde deserializer.
    let text = r#"{"Result": {"Id": 5, "Status": "7", "Created": "2020-02-26T06:10:01Z", "x": [1]}}"#;
    let from_text: Envelope = serde_json::from_str(text).unwrap();
    let from_value: Envelope = serde_json::from_value(serde_json::from_str(text).unwrap()).unwrap();
    for envelope in [from_text, from_value] {
        assert_eq!((envelope.key.id.as_str(), envelope.key.status), ("5", Some(7)));
    }
    let error = serde_json::from_str::<Envelope>(r#"{"Result": {"Id": ["TopSecret"]}}"#).unwrap_err().to_string();
    assert!(error.starts_with("`Result`: `Id`: invalid type: a list, expected a string"), "{error}");
    assert!(!error.contains("TopSecret"), "{error}");
}

/// What the generator emits for an open enumeration.
#[derive(Debug, PartialEq, crate::Decode)]
#[serde(from = "String")]
enum Status {
    Running,
    Unknown(String),
}

impl From<String> for Status {
    fn from(value: String) -> Self {
        if value == "RUNNING" { Status::Running } else { Status::Unknown(value) }
    }
}

#[test]
fn enums_are_read_as_their_from_type() {
    assert_eq!(
        decode::<Vec<Status>>(r#"["RUNNING", "x", 5]"#).unwrap(),
        [Status::Running, Status::Unknown("x".into()), Status::Unknown("5".into())]
    );
    let error = decode::<Status>("[]").unwrap_err().to_string();
    assert_eq!(error, "invalid type: a list, expected a string");
    assert_eq!(serde_json::from_str::<Status>(r#""RUNNING""#).unwrap(), Status::Running);
}

/// A hand-written `Decode` that reads nothing.
#[derive(Debug, PartialEq)]
struct Lazy;

impl Decode for Lazy {
    fn decode(_reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        Ok(Lazy)
    }
}

#[test]
fn a_reader_that_reads_nothing_does_not_stall_a_loop() {
    assert_eq!(decode::<Vec<Lazy>>("[1, [2], {}]").unwrap(), [Lazy, Lazy, Lazy]);
    assert_eq!(decode::<BTreeMap<String, Lazy>>(r#"{"a": [1]}"#).unwrap().len(), 1);
}

#[test]
fn a_kept_document_reads_strings_with_and_without_escapes() {
    let text = br#"{"Plain": "r-1", "Escaped": "a\u0062\"c", "Number": 5, "Empty": "", "List": [1, [2, 3], {}]}"#;
    let document = raw::Document::parse(text).unwrap();
    let top = document.node(text, 0);
    let string = |name| top.member(name).and_then(raw::Node::as_str);
    assert_eq!(string("Plain"), Some("r-1"));
    assert_eq!(string("Escaped"), Some("ab\"c"));
    assert_eq!(string("Empty"), Some(""));
    assert_eq!(string("Number"), None);
    assert_eq!(string("Missing"), None);
    assert_eq!(top.member("List").and_then(raw::Node::list_len), Some(3));
    assert_eq!(top.member("Number").and_then(raw::Node::scalar), Some(serde_json::json!(5)));
    assert_eq!(top.member("List").and_then(raw::Node::scalar), None);
    assert!(raw::Document::parse(b"{} {}").is_err(), "one value, nothing after it");
    // A text that is not UTF-8 is refused with serde_json's own error, where it stops.
    let error = raw::Document::parse(b"{\"a\": \"\xff\"}").unwrap_err().to_string();
    assert_eq!(error, "invalid unicode code point at line 1 column 8");
}
