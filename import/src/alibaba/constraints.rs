//! Openmeta's rules on a request value (`minLength`, `pattern`, `minimum`, `maxItems`, …) as cloudspec
//! constraints, and documented examples and defaults as values of the field's type. Rules that do not apply
//! to the type, or contradict each other, are dropped and counted as defects.

use serde_json::{Map, Number, Value};

use super::schema::Mapper;
use cloudspec::spec::{Constraints, CountRange, LengthRange, NumericRange, Pattern};

impl Mapper<'_> {
    /// Request constraints that apply to the field's type; the others are reported.
    pub(super) fn constraints(&mut self, node: &Map<String, Value>, ty: &str, entry: &str) -> Constraints {
        let mut c = Constraints::default();
        let is_string = ty == "string";
        let is_list = ty.starts_with("list<");
        let element = ty.trim_start_matches("list<").trim_end_matches('>');
        let numeric = matches!(element, "int32" | "int64" | "float64");
        let int = matches!(element, "int32" | "int64");
        let (min_len, max_len) = (count(node.get("minLength")), count(node.get("maxLength")));
        if min_len.is_some() || max_len.is_some() {
            if !is_string {
                self.defect("length-on-non-string-ignored", entry);
            } else if min_len.zip(max_len).is_some_and(|(a, b)| a > b) {
                self.defect("min-length-above-max-length-ignored", entry);
            } else {
                c.length = Some(LengthRange { min: min_len, max: max_len, unit: Default::default() });
                self.validators.count("length", 1);
            }
        }
        if let Some(regex) = node.get("pattern").and_then(Value::as_str) {
            if regex.is_empty() {
                self.mapped.count("empty-pattern-ignored", 1);
            } else if !is_string {
                self.defect("pattern-on-non-string-ignored", entry);
            } else if cloudspec::check::values::compile(regex).is_err() {
                self.defect("pattern-does-not-compile-ignored", entry);
            } else {
                c.pattern = Some(Pattern {
                    regex: regex.to_string(),
                    description: format!("the documented pattern `{regex}`"),
                });
                self.validators.count("pattern", 1);
            }
        }
        let (min, max) = (bound(node.get("minimum"), int), bound(node.get("maximum"), int));
        if min.is_some() || max.is_some() {
            let f = |n: &Option<Number>| n.as_ref().and_then(Number::as_f64);
            let exclusive_min = node.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true) && min.is_some();
            let exclusive_max = node.get("exclusiveMaximum").and_then(Value::as_bool) == Some(true) && max.is_some();
            let empty =
                f(&min).zip(f(&max)).is_some_and(|(a, b)| a > b || (a == b && (exclusive_min || exclusive_max)));
            if !numeric {
                self.defect("range-on-non-number-ignored", entry);
            } else if empty {
                self.defect("minimum-above-maximum-ignored", entry);
            } else {
                c.range = Some(NumericRange { min, max, exclusive_min, exclusive_max });
                self.validators.count("range", 1);
                if exclusive_min || exclusive_max {
                    self.validators.count("range-exclusive", 1);
                }
            }
        } else if node.contains_key("minimum") || node.contains_key("maximum") {
            self.defect("unparsable-bound-ignored", entry);
        }
        let (min_items, max_items) = (count(node.get("minItems")), count(node.get("maxItems")));
        if min_items.is_some() || max_items.is_some() {
            if !is_list {
                self.defect("items-on-non-list-ignored", entry);
            } else if min_items.zip(max_items).is_some_and(|(a, b)| a > b) {
                self.defect("min-items-above-max-items-ignored", entry);
            } else {
                c.items = Some(CountRange { min: min_items, max: max_items });
                self.validators.count("items", 1);
            }
        }
        c
    }
}

/// A count (`maxLength`, `minItems`): a JSON number or a numeric string.
fn count(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A numeric bound (`minimum`: always a string in Openmeta): an integer for integer fields.
fn bound(value: Option<&Value>, integer: bool) -> Option<Number> {
    let text = match value? {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    if integer {
        if let Ok(n) = text.parse::<i64>() {
            return Some(Number::from(n));
        }
    }
    text.parse::<f64>().ok().filter(|f| f.is_finite()).and_then(Number::from_f64)
}

impl Mapper<'_> {
    /// A documented example or default as a value of the field's type; `None` when it is blank or not a scalar
    /// type. Values that do not convert stay text, and are checked (and dropped) later.
    pub(super) fn scalar_value(value: &Value, ty: &str, enum_int: Option<bool>) -> Option<Value> {
        let text = match value {
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => s.clone(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            _ => return None,
        };
        let kind = match enum_int {
            Some(true) => "int64",
            Some(false) => "string",
            None => ty,
        };
        Some(match kind {
            "string" => Value::String(text),
            "int32" | "int64" => text.trim().parse::<i64>().map(Value::from).unwrap_or(Value::String(text)),
            "float64" => text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
                .unwrap_or(Value::String(text)),
            "bool" => match text.trim() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(text),
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bounds_and_counts_are_read_from_strings() {
        assert_eq!(bound(Some(&json!("1")), true), Some(Number::from(1)));
        assert_eq!(bound(Some(&json!(" 2.5 ")), false).and_then(|n| n.as_f64()), Some(2.5));
        assert_eq!(bound(Some(&json!("abc")), true), None);
        assert_eq!(count(Some(&json!("64"))), Some(64));
        assert_eq!(count(Some(&json!(8))), Some(8));
        assert_eq!(count(Some(&json!(-1))), None);
    }

    #[test]
    fn documented_values_take_the_field_type() {
        assert_eq!(Mapper::scalar_value(&json!("10"), "int32", None), Some(json!(10)));
        assert_eq!(Mapper::scalar_value(&json!("95***135"), "int64", None), Some(json!("95***135")));
        assert_eq!(Mapper::scalar_value(&json!("true"), "bool", None), Some(json!(true)));
        assert_eq!(Mapper::scalar_value(&json!("fasle"), "bool", None), Some(json!("fasle")));
        assert_eq!(Mapper::scalar_value(&json!("0.5"), "float64", None), Some(json!(0.5)));
        assert_eq!(Mapper::scalar_value(&json!(" "), "string", None), None);
        assert_eq!(Mapper::scalar_value(&json!("x"), "list<string>", None), None);
        assert_eq!(Mapper::scalar_value(&json!("3"), "SomeEnum", Some(true)), Some(json!(3)));
    }
}
