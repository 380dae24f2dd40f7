//! Request validation: every rule a spec states becomes one call on a [`Validator`].
//!
//! A validator collects *all* violations, so a caller fixes a request in one pass. A violation names the
//! field by its wire name and the rule with its limit; it never contains the offending value, so secrets
//! cannot leak through validation errors.

use std::fmt;

use base64::Engine as _;
use regex::Regex;

/// What a length counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum LengthUnit {
    /// Unicode scalar values.
    #[default]
    Chars,
    /// UTF-8 bytes.
    Bytes,
}

/// The rule a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The field must be set.
    Required,
    /// The field must be set because another field has a given value.
    RequiredWhen {
        /// Wire name of the other field.
        field: String,
        /// The value that makes this field required.
        equals: String,
    },
    /// The length is outside its range.
    Length {
        /// Shortest allowed.
        min: Option<u64>,
        /// Longest allowed.
        max: Option<u64>,
        /// What is counted.
        unit: LengthUnit,
        /// The value's length.
        actual: u64,
    },
    /// The value does not have the documented shape or characters.
    Pattern {
        /// The rule in words ("letters, digits and underscores").
        description: String,
    },
    /// The value is not one of the allowed values.
    OneOf {
        /// The allowed values.
        allowed: Vec<String>,
    },
    /// A number is outside its range.
    Range {
        /// Lower bound, as written in the spec.
        min: Option<String>,
        /// Upper bound, as written in the spec.
        max: Option<String>,
        /// Whether the lower bound itself is excluded.
        exclusive_min: bool,
        /// Whether the upper bound itself is excluded.
        exclusive_max: bool,
    },
    /// A list has too few or too many items.
    Items {
        /// Fewest allowed.
        min: Option<u64>,
        /// Most allowed.
        max: Option<u64>,
        /// The list's length.
        actual: u64,
    },
    /// The value is not valid base64.
    Base64,
    /// The base64-decoded content has a length outside its range.
    DecodedLength {
        /// Fewest bytes allowed.
        min: Option<u64>,
        /// Most bytes allowed.
        max: Option<u64>,
        /// Bytes decoded.
        actual: u64,
    },
    /// The value has the wrong type (used when checking JSON values, such as documented examples).
    Type {
        /// The expected type.
        expected: String,
    },
    /// The value names a field the spec does not declare.
    Unknown,
}

/// One broken rule on one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The field's wire name, with a path for nested values (`Tags[0].Key`).
    pub field: String,
    /// The rule it broke.
    pub rule: Rule,
}

/// Every rule a request broke. Its `Display` lists them, one per line after the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// The violations, in the order the fields were checked.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Consumes the error, returning its violations.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }
}

impl std::error::Error for ValidationError {}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.violations.as_slice() {
            [only] => write!(f, "invalid request: {only}"),
            all => {
                write!(f, "invalid request: {} problems", all.len())?;
                for violation in all {
                    write!(f, "\n  - {violation}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.rule)
    }
}

fn bounds(min: Option<u64>, max: Option<u64>, what: &str) -> String {
    match (min, max) {
        (Some(min), Some(max)) if min == max => format!("exactly {min} {what}"),
        (Some(min), Some(max)) => format!("{min} to {max} {what}"),
        (Some(min), None) => format!("at least {min} {what}"),
        (None, Some(max)) => format!("at most {max} {what}"),
        (None, None) => format!("any number of {what}"),
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("is required"),
            Rule::RequiredWhen { field, equals } => {
                write!(f, "is required when `{field}` is `{equals}`")
            }
            Rule::Length { min, max, unit, actual } => {
                let what = match unit {
                    LengthUnit::Chars => "characters",
                    LengthUnit::Bytes => "bytes",
                };
                write!(f, "must be {} long (it has {actual})", bounds(*min, *max, what))
            }
            Rule::Pattern { description } => write!(f, "must consist of {description}"),
            Rule::OneOf { allowed } => {
                let list: Vec<String> = allowed.iter().map(|v| format!("`{v}`")).collect();
                write!(f, "must be one of {}", list.join(", "))
            }
            Rule::Range { min, max, exclusive_min, exclusive_max } => {
                let mut parts = Vec::new();
                if let Some(min) = min {
                    parts.push(if *exclusive_min { format!("greater than {min}") } else { format!("at least {min}") });
                }
                if let Some(max) = max {
                    parts.push(if *exclusive_max { format!("less than {max}") } else { format!("at most {max}") });
                }
                write!(f, "must be {}", parts.join(" and "))
            }
            Rule::Items { min, max, actual } => {
                write!(f, "must have {} (it has {actual})", bounds(*min, *max, "items"))
            }
            Rule::Base64 => f.write_str("must be valid base64"),
            Rule::DecodedLength { min, max, actual } => {
                write!(f, "must decode to {} (it decodes to {actual})", bounds(*min, *max, "bytes"))
            }
            Rule::Type { expected } => write!(f, "must be {expected}"),
            Rule::Unknown => f.write_str("is not a parameter of this action"),
        }
    }
}

/// Collects violations while a generated `validate()` walks a request.
#[derive(Debug, Default)]
pub struct Validator {
    violations: Vec<Violation>,
}

impl Validator {
    /// An empty validator.
    pub fn new() -> Self {
        Validator::default()
    }

    /// Records a violation directly.
    pub fn push(&mut self, field: impl Into<String>, rule: Rule) {
        self.violations.push(Violation { field: field.into(), rule });
    }

    /// A required field must be set.
    pub fn required(&mut self, field: &str, is_set: bool) {
        if !is_set {
            self.push(field, Rule::Required);
        }
    }

    /// A field must be set when another field has a given value.
    pub fn required_when(&mut self, field: &str, is_set: bool, other: &str, equals: &str, holds: bool) {
        if holds && !is_set {
            self.push(field, Rule::RequiredWhen { field: other.into(), equals: equals.into() });
        }
    }

    /// The length of a string must be within a range.
    pub fn length(&mut self, field: &str, value: &str, min: Option<u64>, max: Option<u64>, unit: LengthUnit) {
        let actual = match unit {
            LengthUnit::Chars => value.chars().count(),
            LengthUnit::Bytes => value.len(),
        } as u64;
        if min.is_some_and(|min| actual < min) || max.is_some_and(|max| actual > max) {
            self.push(field, Rule::Length { min, max, unit, actual });
        }
    }

    /// A string must match a pattern (compiled once by the caller).
    pub fn pattern(&mut self, field: &str, value: &str, pattern: &Regex, description: &str) {
        if !pattern.is_match(value) {
            self.push(field, Rule::Pattern { description: description.into() });
        }
    }

    /// A string must match a spec pattern declared in a `static`.
    pub fn matches(&mut self, field: &str, value: &str, pattern: &crate::Pattern, description: &str) {
        if !pattern.is_match(value) {
            self.push(field, Rule::Pattern { description: description.into() });
        }
    }

    /// A value must be one of a fixed set.
    pub fn one_of(&mut self, field: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.push(field, Rule::OneOf { allowed: allowed.iter().map(|v| v.to_string()).collect() });
        }
    }

    /// An integer must be within a range.
    pub fn int_range(&mut self, field: &str, value: i128, range: &IntRange) {
        let below = range.min.is_some_and(|min| if range.exclusive_min { value <= min } else { value < min });
        let above = range.max.is_some_and(|max| if range.exclusive_max { value >= max } else { value > max });
        if below || above {
            self.push(
                field,
                Rule::Range {
                    min: range.min.map(|v| v.to_string()),
                    max: range.max.map(|v| v.to_string()),
                    exclusive_min: range.exclusive_min,
                    exclusive_max: range.exclusive_max,
                },
            );
        }
    }

    /// A float must be within a range.
    pub fn float_range(&mut self, field: &str, value: f64, range: &FloatRange) {
        let below = range.min.is_some_and(|min| if range.exclusive_min { value <= min } else { value < min });
        let above = range.max.is_some_and(|max| if range.exclusive_max { value >= max } else { value > max });
        if below || above || value.is_nan() {
            self.push(
                field,
                Rule::Range {
                    min: range.min.map(|v| v.to_string()),
                    max: range.max.map(|v| v.to_string()),
                    exclusive_min: range.exclusive_min,
                    exclusive_max: range.exclusive_max,
                },
            );
        }
    }

    /// A list must have a number of items within a range.
    pub fn items(&mut self, field: &str, count: usize, min: Option<u64>, max: Option<u64>) {
        let actual = count as u64;
        if min.is_some_and(|min| actual < min) || max.is_some_and(|max| actual > max) {
            self.push(field, Rule::Items { min, max, actual });
        }
    }

    /// A string must be standard, padded base64 whose decoded length is within a range.
    pub fn base64(&mut self, field: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        match base64::engine::general_purpose::STANDARD.decode(value) {
            Err(_) => self.push(field, Rule::Base64),
            Ok(bytes) => {
                let actual = bytes.len() as u64;
                if min.is_some_and(|min| actual < min) || max.is_some_and(|max| actual > max) {
                    self.push(field, Rule::DecodedLength { min, max, actual });
                }
            }
        }
    }

    /// An enumeration value must be one the spec lists (`Unknown` values are refused when sending).
    pub fn known<T: fmt::Display>(&mut self, field: &str, is_known: bool, allowed: &[T]) {
        if !is_known {
            self.push(field, Rule::OneOf { allowed: allowed.iter().map(|v| v.to_string()).collect() });
        }
    }

    /// How many violations were recorded so far.
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// Whether nothing was recorded so far.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// The violations recorded so far as an error, whether or not there are any; for callers that
    /// already know a rule was broken.
    pub fn into_error(self) -> ValidationError {
        ValidationError { violations: self.violations }
    }

    /// Ends validation: `Ok` when every rule held.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() { Ok(()) } else { Err(ValidationError { violations: self.violations }) }
    }
}

/// The path of a field inside `path` (`Tags[0]` + `Key` → `Tags[0].Key`); a top-level field is its name.
pub fn join<'a>(path: &str, name: &'a str) -> std::borrow::Cow<'a, str> {
    if path.is_empty() { std::borrow::Cow::Borrowed(name) } else { std::borrow::Cow::Owned(format!("{path}.{name}")) }
}

/// An integer range, bounds inclusive unless marked exclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntRange {
    /// Lower bound.
    pub min: Option<i128>,
    /// Upper bound.
    pub max: Option<i128>,
    /// The lower bound is excluded.
    pub exclusive_min: bool,
    /// The upper bound is excluded.
    pub exclusive_max: bool,
}

/// A float range, bounds inclusive unless marked exclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FloatRange {
    /// Lower bound.
    pub min: Option<f64>,
    /// Upper bound.
    pub max: Option<f64>,
    /// The lower bound is excluded.
    pub exclusive_min: bool,
    /// The upper bound is excluded.
    pub exclusive_max: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_at_and_beyond_limits() {
        for (len, ok) in [(4, false), (5, true), (50, true), (51, false)] {
            let mut v = Validator::new();
            v.length("AccessKeyId", &"a".repeat(len), Some(5), Some(50), LengthUnit::Chars);
            assert_eq!(v.is_empty(), ok, "length {len}");
        }
        let mut v = Validator::new();
        v.length("Name", "ééé", None, Some(4), LengthUnit::Bytes);
        assert_eq!(
            v.finish().unwrap_err().violations()[0].rule,
            Rule::Length { min: None, max: Some(4), unit: LengthUnit::Bytes, actual: 6 }
        );
    }

    #[test]
    fn base64_checks_decoded_length() {
        let encode = |n: usize| base64::engine::general_purpose::STANDARD.encode(vec![7u8; n]);
        for (len, ok) in [(31, false), (32, true), (48, true), (49, false)] {
            let mut v = Validator::new();
            v.base64("SecretKey", &encode(len), Some(32), Some(48));
            assert_eq!(v.is_empty(), ok, "decoded length {len}");
        }
        let mut v = Validator::new();
        v.base64("SecretKey", "not base64!", Some(32), Some(48));
        assert_eq!(v.finish().unwrap_err().violations()[0].rule, Rule::Base64);
    }

    #[test]
    fn errors_never_contain_values() {
        let secret = "hunter2-super-secret";
        let mut v = Validator::new();
        v.length("AccessKeySecret", secret, Some(30), Some(50), LengthUnit::Chars);
        v.pattern(
            "AccessKeySecret",
            secret,
            &Regex::new("^[A-Za-z0-9_]+$").unwrap(),
            "letters, digits and underscores",
        );
        v.base64("AccessKeySecret", secret, None, None);
        let err = v.finish().unwrap_err();
        assert_eq!(err.violations().len(), 3);
        assert!(!format!("{err} {err:?}").contains(secret));
    }

    #[test]
    fn ranges_honour_exclusive_bounds() {
        let range = IntRange { min: Some(1), max: Some(10), exclusive_min: true, exclusive_max: false };
        let mut v = Validator::new();
        v.int_range("N", 1, &range);
        v.int_range("N", 2, &range);
        v.int_range("N", 10, &range);
        v.int_range("N", 11, &range);
        assert_eq!(v.finish().unwrap_err().violations().len(), 2);
    }

    #[test]
    fn display_lists_every_violation() {
        let mut v = Validator::new();
        v.required("SecretName", false);
        v.required_when("AccessKeyId", false, "AccessKeyType", "manual", true);
        let text = v.finish().unwrap_err().to_string();
        assert_eq!(
            text,
            "invalid request: 2 problems\n  - `SecretName` is required\n  - `AccessKeyId` is required when `AccessKeyType` is `manual`"
        );
    }
}
