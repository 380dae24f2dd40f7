//! Encoding generated request types to JSON through one writer compiled once in the runtime: the
//! sending side's counterpart of the tape.
//!
//! A sent struct's code is only the list of its members that `#[derive(Encode)]` writes
//! (`out.member("Name", &self.name)`); each value is passed as `&dyn Encode`, so the writer, the
//! string escaping and the number formatting are the runtime's and no generated type is compiled
//! against a serializer. Before, every request type had serde's `Serialize` expansion, instantiated
//! for two serializers (bytes for Tencent, a `Value` tree for the rest): about a quarter of a
//! catalogue crate's expanded source.
//!
//! An unset optional member is left out, as serde's `skip_serializing_if = "Option::is_none"` did; a
//! `None` inside a list is `null`. Numbers and strings are written by serde_json, so the bytes are the
//! ones `serde_json::to_vec` wrote (a non-finite float is `null`). The one failure is a timestamp its
//! format cannot write (a year past 9999 in RFC 3339): [`to_vec`] reports it by the member's path and
//! never with the value.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::secret::SecretString;

/// A value the runtime can write as JSON: what `#[derive(Encode)]` implements for a sent struct and
/// `#[derive(OpenEnum)]` for an enumeration.
pub trait Encode {
    /// Writes the value.
    fn encode(&self, out: &mut Encoder);

    /// Whether the value is left out when it is an object's member: an unset `Option`.
    fn is_absent(&self) -> bool {
        false
    }
}

/// The JSON writer [`Encode`] writes to.
#[derive(Debug, Default)]
pub struct Encoder {
    out: Vec<u8>,
    /// The next member or element is its container's first: no comma before it.
    first: bool,
    /// The path of the member being written, for an error: `Filters[0].Time`.
    path: Vec<PathPart>,
    error: Option<String>,
}

#[derive(Debug, Clone, Copy)]
enum PathPart {
    Member(&'static str),
    Index(usize),
}

impl Encoder {
    /// An empty writer.
    pub fn new() -> Self {
        Encoder::default()
    }

    /// Starts an object: then [`member`](Self::member) for each member, and [`end_object`](Self::end_object).
    pub fn begin_object(&mut self) {
        self.out.push(b'{');
        self.first = true;
    }

    /// Writes a member, unless its value [is absent](Encode::is_absent).
    pub fn member(&mut self, name: &'static str, value: &dyn Encode) {
        if value.is_absent() {
            return;
        }
        self.key(name);
        self.path.push(PathPart::Member(name));
        value.encode(self);
        self.path.pop();
        self.first = false;
    }

    /// Writes a whole object: each of `names` with the value at the same index of `values`, unless it
    /// [is absent](Encode::is_absent). What `#[derive(Encode)]` writes for a struct without timestamps:
    /// one call with a table, rather than a call per field.
    pub fn object(&mut self, names: &'static [&'static str], values: &[&dyn Encode]) {
        self.begin_object();
        for (&name, &value) in names.iter().zip(values) {
            self.member(name, value);
        }
        self.end_object();
    }

    /// Writes a timestamp member in its format, unless it is `None`.
    pub fn timestamp<F: crate::timestamp::Format>(&mut self, name: &'static str, value: Option<&F::Value>, _format: F) {
        let Some(value) = value else { return };
        self.key(name);
        self.path.push(PathPart::Member(name));
        F::encode(value, self);
        self.path.pop();
        self.first = false;
    }

    /// Ends an object.
    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.first = false;
    }

    /// Starts a list: then [`element`](Self::element) for each element, and [`end_list`](Self::end_list).
    pub fn begin_list(&mut self) {
        self.out.push(b'[');
        self.first = true;
        self.path.push(PathPart::Index(0));
    }

    /// Writes a list's next element.
    pub fn element(&mut self, value: &dyn Encode) {
        self.separate();
        value.encode(self);
        self.first = false;
        if let Some(PathPart::Index(index)) = self.path.last_mut() {
            *index += 1;
        }
    }

    /// Ends a list.
    pub fn end_list(&mut self) {
        self.path.pop();
        self.out.push(b']');
        self.first = false;
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    /// Writes a string, escaped.
    pub fn string(&mut self, value: &str) {
        self.write_str(value);
    }

    /// Writes a boolean.
    pub fn bool(&mut self, value: bool) {
        self.out.extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// Writes an integer.
    pub fn i64(&mut self, value: i64) {
        self.write_serde(&value);
    }

    /// Writes an unsigned integer.
    pub fn u64(&mut self, value: u64) {
        self.write_serde(&value);
    }

    /// Writes a number, or `null` for a value JSON has no number for (as serde_json does).
    pub fn f64(&mut self, value: f64) {
        self.write_serde(&value);
    }

    /// Writes a 32-bit float the way serde_json does (its shortest 32-bit form).
    pub fn f32(&mut self, value: f32) {
        self.write_serde(&value);
    }

    /// Writes a free-form value as it is.
    pub fn value(&mut self, value: &Value) {
        self.write_serde(value);
    }

    /// Records that the value being written cannot be: the first failure is the one reported, with
    /// the member's path in front. `why` must not quote the value.
    pub fn fail(&mut self, why: impl std::fmt::Display) {
        if self.error.is_none() {
            let path = self.path();
            self.error = Some(if path.is_empty() { why.to_string() } else { format!("`{path}`: {why}") });
        }
        self.null();
    }

    fn path(&self) -> String {
        let mut path = String::new();
        for part in &self.path {
            match part {
                PathPart::Member(name) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                }
                PathPart::Index(index) => {
                    path.push_str(&format!("[{index}]"));
                }
            }
        }
        path
    }

    /// A member's name and the colon, after a comma unless it is its object's first.
    fn key(&mut self, name: &str) {
        self.separate();
        self.write_str(name);
        self.out.push(b':');
    }

    fn separate(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
    }

    fn write_str(&mut self, value: &str) {
        self.write_serde(value);
    }

    /// Writes through serde_json: its escaping and number formats, compiled once here.
    fn write_serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        // Writing to a `Vec` does not fail, and neither do strings, numbers or a `Value`.
        if serde_json::to_writer(&mut self.out, value).is_err() {
            self.fail("serde_json could not write the value");
        }
    }

    /// The text written, or the first failure.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.out),
        }
    }
}

/// Writes `value` as JSON text.
pub fn to_vec(value: &dyn Encode) -> Result<Vec<u8>, String> {
    let mut out = Encoder::new();
    value.encode(&mut out);
    out.finish()
}

/// Writes `value` as a JSON tree (for a protocol that flattens parameters, a client token to fill in,
/// a paginator's token to set).
pub fn to_value(value: &dyn Encode) -> Result<Value, String> {
    let text = to_vec(value)?;
    serde_json::from_slice(&text).map_err(|e| format!("the encoded request is not JSON: {e}"))
}

/// A `Serialize` that goes through [`Encode`]: what the derives write for users who use serde on
/// generated types. It is only compiled for the serializers it is used with.
pub fn serialize<T: Encode + ?Sized, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    to_value(&Wrapped(value)).map_err(S::Error::custom)?.serialize(serializer)
}

/// `&T` as `&dyn Encode` for an unsized `T`.
struct Wrapped<'a, T: ?Sized>(&'a T);

impl<T: Encode + ?Sized> Encode for Wrapped<'_, T> {
    fn encode(&self, out: &mut Encoder) {
        self.0.encode(out);
    }
}

impl Encode for str {
    fn encode(&self, out: &mut Encoder) {
        out.string(self);
    }
}

impl Encode for String {
    fn encode(&self, out: &mut Encoder) {
        out.string(self);
    }
}

impl Encode for SecretString {
    fn encode(&self, out: &mut Encoder) {
        out.string(self.expose_secret());
    }
}

impl Encode for bool {
    fn encode(&self, out: &mut Encoder) {
        out.bool(*self);
    }
}

macro_rules! encode_ints {
    ($($ty:ty => $method:ident),*) => {$(
        impl Encode for $ty {
            fn encode(&self, out: &mut Encoder) {
                out.$method((*self).into());
            }
        }
    )*};
}

encode_ints!(i8 => i64, i16 => i64, i32 => i64, i64 => i64, u8 => u64, u16 => u64, u32 => u64, u64 => u64);

impl Encode for f64 {
    fn encode(&self, out: &mut Encoder) {
        out.f64(*self);
    }
}

impl Encode for f32 {
    fn encode(&self, out: &mut Encoder) {
        out.f32(*self);
    }
}

impl Encode for Value {
    fn encode(&self, out: &mut Encoder) {
        out.value(self);
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, out: &mut Encoder) {
        match self {
            Some(value) => value.encode(out),
            None => out.null(),
        }
    }

    #[allow(clippy::redundant_pattern_matching, reason = "`is_none()` is one more function per type")]
    fn is_absent(&self) -> bool {
        matches!(self, None)
    }
}

impl<T: Encode + ?Sized> Encode for Box<T> {
    fn encode(&self, out: &mut Encoder) {
        (**self).encode(out);
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, out: &mut Encoder) {
        (**self).encode(out);
    }

    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl<T: Encode> Encode for [T] {
    #[allow(clippy::needless_range_loop, reason = "the slice iterator is three more functions per type")]
    fn encode(&self, out: &mut Encoder) {
        // By index: an iterator passed as `dyn` would compile its every method per element type, and
        // even a `for` loop compiles the slice iterator's `new`, `next` and `into_iter` per type.
        out.begin_list();
        for index in 0..self.len() {
            out.element(&self[index]);
        }
        out.end_list();
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, out: &mut Encoder) {
        self.as_slice().encode(out);
    }
}

impl<T: Encode> Encode for BTreeMap<String, T> {
    fn encode(&self, out: &mut Encoder) {
        out.begin_object();
        for (key, value) in self {
            // A map's keys are data, not `'static` names: written here rather than through `member`.
            out.key(key);
            value.encode(out);
            out.first = false;
        }
        out.end_object();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Filter {
        name: String,
        values: Vec<String>,
        limit: Option<u32>,
        secret: Option<SecretString>,
    }

    impl Encode for Filter {
        fn encode(&self, out: &mut Encoder) {
            out.begin_object();
            out.member("Name", &self.name);
            out.member("Values", &self.values);
            out.member("Limit", &self.limit);
            out.member("Secret", &self.secret);
            out.end_object();
        }
    }

    struct Request {
        filters: Vec<Filter>,
        nested: Option<Box<Filter>>,
        at: Option<time::OffsetDateTime>,
        tags: BTreeMap<String, Option<i64>>,
        free: Value,
        ratio: f64,
    }

    impl Encode for Request {
        fn encode(&self, out: &mut Encoder) {
            out.begin_object();
            out.member("Filters", &self.filters);
            out.member("Nested", &self.nested);
            out.timestamp("At", self.at.as_ref(), crate::timestamp::Iso8601);
            out.member("Tags", &self.tags);
            out.member("Free", &self.free);
            out.member("Ratio", &self.ratio);
            out.end_object();
        }
    }

    fn filter(name: &str, limit: Option<u32>) -> Filter {
        Filter { name: name.into(), values: vec!["a\"b".into(), "ü\n".into()], limit, secret: None }
    }

    #[test]
    fn writes_what_serde_json_writes_and_leaves_out_unset_members() {
        let request = Request {
            filters: vec![filter("x", Some(3)), filter("y", None)],
            nested: Some(Box::new(Filter { secret: Some("s3cr3t".into()), ..filter("z", None) })),
            at: Some(time::macros::datetime!(2020-02-26 06:10:01 UTC)),
            tags: BTreeMap::from([("k".to_string(), None), ("a".to_string(), Some(-1))]),
            free: serde_json::json!({"deep": [1, 2.5, null, "t"]}),
            ratio: 0.1,
        };
        let text = String::from_utf8(to_vec(&request).unwrap()).unwrap();
        let expected = serde_json::json!({
            "Filters": [
                {"Name": "x", "Values": ["a\"b", "ü\n"], "Limit": 3},
                {"Name": "y", "Values": ["a\"b", "ü\n"]}
            ],
            "Nested": {"Name": "z", "Values": ["a\"b", "ü\n"], "Secret": "s3cr3t"},
            "At": "2020-02-26T06:10:01Z",
            "Tags": {"a": -1, "k": null},
            "Free": {"deep": [1, 2.5, null, "t"]},
            "Ratio": 0.1
        });
        assert_eq!(text, serde_json::to_string(&expected).unwrap());
        assert_eq!(to_value(&request).unwrap(), expected);
        // Empty containers and an object with every member unset.
        let empty = Request {
            filters: vec![],
            nested: Some(Box::new(Filter { name: String::new(), values: vec![], limit: None, secret: None })),
            at: None,
            tags: BTreeMap::new(),
            free: Value::Null,
            ratio: f64::NAN,
        };
        let text = String::from_utf8(to_vec(&empty).unwrap()).unwrap();
        assert_eq!(text, r#"{"Filters":[],"Nested":{"Name":"","Values":[]},"Tags":{},"Free":null,"Ratio":null}"#);
    }

    #[test]
    fn a_timestamp_its_format_cannot_write_is_an_error_naming_the_member_not_the_value() {
        let far = time::Date::from_calendar_date(-5, time::Month::January, 1).unwrap().midnight().assume_utc();
        let request = Request {
            filters: vec![],
            nested: None,
            at: Some(far),
            tags: BTreeMap::new(),
            free: Value::Null,
            ratio: 1.0,
        };
        let error = to_vec(&request).unwrap_err();
        assert!(error.starts_with("`At`: "), "{error}");
        // Inside a list, the path has the element's index.
        struct Listed(Vec<Request>);
        impl Encode for Listed {
            fn encode(&self, out: &mut Encoder) {
                out.begin_object();
                out.member("Requests", &self.0);
                out.end_object();
            }
        }
        let later = Request { at: None, ..request };
        let request = Request {
            at: Some(far),
            ..Request { filters: vec![], nested: None, at: None, tags: BTreeMap::new(), free: Value::Null, ratio: 1.0 }
        };
        let listed = to_vec(&Listed(vec![later, request])).unwrap_err();
        assert!(listed.starts_with("`Requests[1].At`: "), "{listed}");
        assert!(!error.contains("-5") && !error.contains("0005"), "{error}");
    }

    #[test]
    fn serde_users_get_the_same_json() {
        struct Via(Filter);
        impl Serialize for Via {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize(&self.0, serializer)
            }
        }
        let via = Via(filter("x", Some(1)));
        assert_eq!(serde_json::to_vec(&via).unwrap(), to_vec(&via.0).unwrap());
    }

    /// `Filter` as `#[derive(Encode)]` writes it now: one `object` call with a table.
    struct TableFilter<'a>(&'a Filter);

    impl Encode for TableFilter<'_> {
        fn encode(&self, out: &mut Encoder) {
            let f = self.0;
            out.object(&["Name", "Values", "Limit", "Secret"], &[&f.name, &f.values, &f.limit, &f.secret]);
        }
    }

    #[test]
    fn an_object_by_table_writes_the_bytes_of_a_member_per_call() {
        for value in [filter("a", Some(3)), filter("b", None)] {
            let by_member = to_vec(&value).expect("written");
            assert_eq!(to_vec(&TableFilter(&value)).expect("written"), by_member);
            assert!(by_member.starts_with(b"{\"Name\":"), "{}", String::from_utf8_lossy(&by_member));
        }
    }
}
