//! Checks a JSON value against a field's type and rules — for defaults, conditions and documented
//! examples. Requests are checked with the very [`Validator`] rules generated code applies; responses
//! only for shape (clients never reject what a server sends because of a documented constraint).

use std::cell::RefCell;
use std::collections::HashMap;

use cloudspec_rules::validation::{FloatRange, IntRange, Rule, Validator};
use indexmap::IndexMap;
use regex::Regex;
use serde_json::{Map, Value};

use crate::spec::types::{Scalar, TypeExpr};
use crate::spec::{Field, TimeFormat, TypeDef, TypeKind};

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the client: constraints apply.
    Request,
    /// Sent by the server: only the shape is checked.
    Response,
}

/// Checks values against the types of one service.
pub struct ValueChecker<'a> {
    /// The service's shared types, which named types refer to.
    pub types: &'a IndexMap<String, TypeDef>,
    /// Requests are checked against every constraint, responses only for their shape.
    pub direction: Direction,
    /// Scalars may arrive as strings (query-style examples carry every value as text).
    pub scalars_as_strings: bool,
    regexes: RefCell<HashMap<String, Option<Regex>>>,
}

impl<'a> ValueChecker<'a> {
    /// A checker of values of a service with these shared types.
    pub fn new(types: &'a IndexMap<String, TypeDef>, direction: Direction) -> Self {
        ValueChecker { types, direction, scalars_as_strings: false, regexes: RefCell::new(HashMap::new()) }
    }

    /// Checks an object's members against `fields`: unknown members, required ones, each value.
    pub fn object(
        &self,
        fields: &IndexMap<String, Field>,
        object: &Map<String, Value>,
        prefix: &str,
        v: &mut Validator,
    ) {
        for name in object.keys() {
            if !fields.contains_key(name) {
                v.push(join(prefix, name), Rule::Unknown);
            }
        }
        for (name, field) in fields {
            let path = join(prefix, name);
            let value = object.get(name).filter(|value| !value.is_null());
            match (value, self.direction) {
                (Some(value), _) => self.value(field, &field.ty, value, &path, v),
                (None, Direction::Request) => {
                    if field.required {
                        v.push(path, Rule::Required);
                    } else if let Some(condition) = &field.required_when {
                        let other = object
                            .get(&condition.field)
                            .or_else(|| fields.get(&condition.field).and_then(|f| f.default.as_ref()));
                        let holds = other.is_some_and(|other| same_value(other, &condition.equals));
                        v.required_when(&path, false, &condition.field, &display(&condition.equals), holds);
                    }
                }
                (None, Direction::Response) => {
                    if object.contains_key(name) && !field.nullable {
                        v.push(path, Rule::Type { expected: "a value: the field is not nullable".into() });
                    } else if !object.contains_key(name) && field.required && !field.nullable {
                        v.push(path, Rule::Required);
                    }
                }
            }
        }
    }

    /// Checks one value of type `ty`, applying `field`'s constraints in the request direction.
    pub fn value(&self, field: &Field, ty: &TypeExpr, value: &Value, path: &str, v: &mut Validator) {
        match ty {
            TypeExpr::Scalar(scalar) => self.scalar(field, *scalar, value, path, v),
            TypeExpr::List(inner) => match value {
                Value::Array(items) => {
                    if self.direction == Direction::Request {
                        if let Some(range) = &field.constraints.items {
                            v.items(path, items.len(), range.min, range.max);
                        }
                    }
                    for (i, item) in items.iter().enumerate() {
                        self.value(field, inner, item, &format!("{path}[{i}]"), v);
                    }
                }
                _ => v.push(path, Rule::Type { expected: "a list".into() }),
            },
            TypeExpr::Map(inner) => match value {
                Value::Object(members) => {
                    for (key, item) in members {
                        self.value(field, inner, item, &join(path, key), v);
                    }
                }
                _ => v.push(path, Rule::Type { expected: "an object".into() }),
            },
            TypeExpr::Named(name) => match self.types.get(name) {
                Some(def) if def.kind == TypeKind::Object => match value {
                    Value::Object(members) => {
                        if let Some(fields) = &def.fields {
                            self.object(fields, members, path, v);
                        }
                    }
                    _ => v.push(path, Rule::Type { expected: format!("an object ({name})") }),
                },
                Some(def) => self.enumeration(def, value, path, v),
                // An unknown type is reported where it is named.
                None => {}
            },
        }
    }

    fn enumeration(&self, def: &TypeDef, value: &Value, path: &str, v: &mut Validator) {
        let base = match def.base.as_deref().map(TypeExpr::parse) {
            Some(Ok(TypeExpr::Scalar(scalar))) => scalar,
            _ => Scalar::String,
        };
        let plain = Field::plain(base);
        let before = v.len();
        self.scalar(&plain, base, value, path, v);
        if v.len() > before || self.direction == Direction::Response {
            // Servers may send values added after the spec was written; only the shape matters.
            return;
        }
        let values = def.values.as_deref().unwrap_or_default();
        if !values.iter().any(|known| same_value(&known.value, value)) {
            let allowed: Vec<String> = values.iter().map(|known| display(&known.value)).collect();
            let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
            v.one_of(path, &display(value), &allowed);
        }
    }

    fn scalar(&self, field: &Field, scalar: Scalar, value: &Value, path: &str, v: &mut Validator) {
        let text = value.as_str();
        let from_text = self.scalars_as_strings && text.is_some();
        let ok = match scalar {
            Scalar::String | Scalar::Binary => value.is_string(),
            Scalar::Any => true,
            Scalar::Bool => value.is_boolean() || (from_text && matches!(text, Some("true" | "false"))),
            Scalar::Int32 | Scalar::Int64 | Scalar::Uint32 | Scalar::Uint64 => {
                integer(value, from_text).is_some_and(|n| fits(scalar, n))
            }
            Scalar::Float32 | Scalar::Float64 => float(value, from_text).is_some(),
            Scalar::Date => text.is_some_and(is_date),
            Scalar::Timestamp => timestamp_ok(field.format, value, from_text),
        };
        if !ok {
            v.push(path, Rule::Type { expected: expected(scalar, field.format) });
            return;
        }
        if self.direction == Direction::Response {
            return;
        }
        let constraints = &field.constraints;
        if let Some(text) = text.filter(|_| matches!(scalar, Scalar::String)) {
            if let Some(length) = &constraints.length {
                v.length(path, text, length.min, length.max, length.unit);
            }
            if let Some(pattern) = &constraints.pattern {
                if let Some(regex) = self.regex(&pattern.regex) {
                    v.pattern(path, text, &regex, &pattern.description);
                }
            }
            if let Some(encoding) = &constraints.encoding {
                let (min, max) = encoding.decoded_length.as_ref().map_or((None, None), |r| (r.min, r.max));
                v.base64(path, text, min, max);
            }
        }
        if let Some(range) = &constraints.range {
            if scalar.is_integer() {
                if let Some(n) = integer(value, from_text) {
                    let bound = |b: &Option<serde_json::Number>| b.as_ref().and_then(|b| b.as_i128());
                    let range = IntRange {
                        min: bound(&range.min),
                        max: bound(&range.max),
                        exclusive_min: range.exclusive_min,
                        exclusive_max: range.exclusive_max,
                    };
                    v.int_range(path, n, &range);
                }
            } else if let Some(x) = float(value, from_text) {
                let bound = |b: &Option<serde_json::Number>| b.as_ref().and_then(serde_json::Number::as_f64);
                let range = FloatRange {
                    min: bound(&range.min),
                    max: bound(&range.max),
                    exclusive_min: range.exclusive_min,
                    exclusive_max: range.exclusive_max,
                };
                v.float_range(path, x, &range);
            }
        }
    }

    fn regex(&self, pattern: &str) -> Option<Regex> {
        self.regexes.borrow_mut().entry(pattern.to_string()).or_insert_with(|| compile(pattern).ok()).clone()
    }
}

/// Compiles a spec pattern with a size limit, so a hostile pattern cannot exhaust memory.
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern).size_limit(1 << 20).dfa_size_limit(1 << 20).build()
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") }
}

/// Equality of JSON values, where `"1"` equals `1` (query-style examples carry numbers as text).
pub fn same_value(a: &Value, b: &Value) -> bool {
    a == b || display(a) == display(b)
}

/// A value as shown in messages: strings without quotes.
pub fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn integer(value: &Value, from_text: bool) -> Option<i128> {
    match value {
        Value::Number(n) => n.as_i128(),
        Value::String(text) if from_text => text.parse().ok(),
        _ => None,
    }
}

fn float(value: &Value, from_text: bool) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) if from_text => text.parse().ok(),
        _ => None,
    }
}

fn fits(scalar: Scalar, n: i128) -> bool {
    match scalar {
        Scalar::Int32 => i32::try_from(n).is_ok(),
        Scalar::Int64 => i64::try_from(n).is_ok(),
        Scalar::Uint32 => u32::try_from(n).is_ok(),
        Scalar::Uint64 => u64::try_from(n).is_ok(),
        _ => true,
    }
}

fn timestamp_ok(format: Option<TimeFormat>, value: &Value, from_text: bool) -> bool {
    use time::format_description::well_known::Rfc3339;
    let text = value.as_str();
    match format {
        Some(TimeFormat::Iso8601) => text.is_some_and(|t| time::OffsetDateTime::parse(t, &Rfc3339).is_ok()),
        Some(TimeFormat::Datetime) => text.is_some_and(|t| {
            time::PrimitiveDateTime::parse(
                t,
                time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
            )
            .is_ok()
        }),
        Some(TimeFormat::EpochSeconds | TimeFormat::EpochMillis) => integer(value, from_text).is_some_and(|n| n >= 0),
        // A missing format is reported on the field itself.
        None => true,
    }
}

fn expected(scalar: Scalar, format: Option<TimeFormat>) -> String {
    match scalar {
        Scalar::String => "a string".into(),
        Scalar::Binary => "a base64 string".into(),
        Scalar::Bool => "true or false".into(),
        Scalar::Int32 | Scalar::Int64 | Scalar::Uint32 | Scalar::Uint64 => {
            format!("an integer that fits {}", scalar.name())
        }
        Scalar::Float32 | Scalar::Float64 => "a number".into(),
        Scalar::Date => "a date, YYYY-MM-DD".into(),
        Scalar::Timestamp => match format {
            Some(TimeFormat::Iso8601) => "an ISO 8601 timestamp with a zone, such as 2020-02-26T06:10:01Z".into(),
            Some(TimeFormat::Datetime) => "a timestamp written YYYY-MM-DD HH:MM:SS".into(),
            _ => "a non-negative integer timestamp".into(),
        },
        Scalar::Any => "any value".into(),
    }
}

/// Whether `text` is a calendar date, `YYYY-MM-DD`.
pub(super) fn is_date(text: &str) -> bool {
    time::Date::parse(text, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
}
