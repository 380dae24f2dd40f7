//! Constraints on a value, as a spec states them: length, pattern, numeric range, item count and
//! encoding. `check` validates them; `resolve` turns each into the check the generated validator runs
//! and the doc line that describes it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::is_false;
use cloudspec_rules::LengthUnit;

/// Rules on a value. Each becomes a check in the generated validator, except `unchecked`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Constraints {
    /// Length range of a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<LengthRange>,
    /// Allowed characters or shape of a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Pattern>,
    /// Numeric range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<NumericRange>,
    /// Number of items of a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<CountRange>,
    /// The string encodes other content (base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Encoding>,
    /// Rules that cannot be checked locally ("must be globally unique"), kept as documentation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unchecked: Vec<String>,
}

impl Constraints {
    /// Whether no rule is stated.
    pub fn is_empty(&self) -> bool {
        self.length.is_none()
            && self.pattern.is_none()
            && self.range.is_none()
            && self.items.is_none()
            && self.encoding.is_none()
            && self.unchecked.is_empty()
    }
}

/// An inclusive length range.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LengthRange {
    /// Shortest allowed length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    /// Longest allowed length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// What is counted.
    #[serde(default, skip_serializing_if = "is_chars")]
    pub unit: LengthUnit,
}

/// An inclusive count range.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CountRange {
    /// Fewest allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    /// Most allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
}

/// A regular expression the whole value must match.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Pattern {
    /// The expression, in Rust `regex` syntax; anchor it with `^…$` to constrain the whole value.
    pub regex: String,
    /// The rule in words, as documented ("letters, digits and underscores").
    pub description: String,
}

/// A numeric range; bounds are inclusive unless marked exclusive.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NumericRange {
    /// Lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<serde_json::Number>,
    /// Upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<serde_json::Number>,
    /// The lower bound itself is not allowed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclusive_min: bool,
    /// The upper bound itself is not allowed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclusive_max: bool,
}

/// Encoded content carried in a string.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Encoding {
    /// The encoding.
    pub kind: EncodingKind,
    /// Length range, in bytes, of the decoded content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decoded_length: Option<CountRange>,
}

/// A content encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EncodingKind {
    /// Standard base64 with padding (RFC 4648 §4).
    Base64,
}

fn is_chars(unit: &LengthUnit) -> bool {
    *unit == LengthUnit::Chars
}
