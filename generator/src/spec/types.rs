//! Type expressions: the `type` of a field (`string`, `list<Tag>`, `map<int64>`, `ApiKey`).

use std::fmt;

/// A built-in scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Scalar {
    String,
    Bool,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Float32,
    Float64,
    /// A point in time; the field's `format` says how it is written.
    Timestamp,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// Bytes, base64 in JSON.
    Binary,
    /// Any JSON value.
    Any,
}

impl Scalar {
    /// Every scalar with its spelling in specs.
    pub const ALL: [(&'static str, Scalar); 12] = [
        ("string", Scalar::String),
        ("bool", Scalar::Bool),
        ("int32", Scalar::Int32),
        ("int64", Scalar::Int64),
        ("uint32", Scalar::Uint32),
        ("uint64", Scalar::Uint64),
        ("float32", Scalar::Float32),
        ("float64", Scalar::Float64),
        ("timestamp", Scalar::Timestamp),
        ("date", Scalar::Date),
        ("binary", Scalar::Binary),
        ("any", Scalar::Any),
    ];

    /// The spelling used in specs.
    pub fn name(self) -> &'static str {
        Scalar::ALL.iter().find(|(_, s)| *s == self).map(|(n, _)| *n).unwrap_or("any")
    }

    /// Whether the value is an integer or a float.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Scalar::Int32 | Scalar::Int64 | Scalar::Uint32 | Scalar::Uint64 | Scalar::Float32 | Scalar::Float64
        )
    }

    /// Whether the value is an integer.
    pub fn is_integer(self) -> bool {
        matches!(self, Scalar::Int32 | Scalar::Int64 | Scalar::Uint32 | Scalar::Uint64)
    }
}

/// A parsed type expression. Specs write it as text (`"list<Tag>"`); it is parsed once, when the spec
/// is read, and a malformed one is reported at its `type` key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeExpr {
    /// A built-in scalar.
    Scalar(Scalar),
    /// `list<T>`.
    List(Box<TypeExpr>),
    /// `map<T>`: an object with string keys.
    Map(Box<TypeExpr>),
    /// A type declared in the spec's `types`.
    Named(String),
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::Scalar(s) => f.write_str(s.name()),
            TypeExpr::List(inner) => write!(f, "list<{inner}>"),
            TypeExpr::Map(inner) => write!(f, "map<{inner}>"),
            TypeExpr::Named(name) => f.write_str(name),
        }
    }
}

/// Compares with the spelling in specs: `field.ty == "list<Tag>"`.
impl PartialEq<str> for TypeExpr {
    fn eq(&self, other: &str) -> bool {
        TypeExpr::parse(other).is_ok_and(|parsed| parsed == *self)
    }
}

impl PartialEq<&str> for TypeExpr {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl From<Scalar> for TypeExpr {
    fn from(scalar: Scalar) -> Self {
        TypeExpr::Scalar(scalar)
    }
}

impl serde::Serialize for TypeExpr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for TypeExpr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        // The loader parses every `type` before decoding and reports a malformed one at its key.
        TypeExpr::parse(&text).map_err(|error| serde::de::Error::custom(error.message))
    }
}

impl schemars::JsonSchema for TypeExpr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TypeExpr".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "`string`, `bool`, `int32`, `int64`, `uint32`, `uint64`, `float32`, `float64`, `timestamp`, `date`, `binary`, `any`, `list<T>`, `map<T>`, or the name of a declared type."
        })
    }

    fn inline_schema() -> bool {
        true
    }
}

/// Why a type expression does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeSyntaxError {
    /// What is wrong.
    pub message: String,
}

/// Type expressions nest at most this deep (`list<list<…>>`).
const MAX_NESTING: usize = 8;

impl TypeExpr {
    /// Parses a type expression. Names are not resolved here: any identifier is a [`TypeExpr::Named`].
    pub fn parse(text: &str) -> Result<TypeExpr, TypeSyntaxError> {
        parse_at(text.trim(), 0)
    }

    /// A list of `item`.
    pub fn list(item: TypeExpr) -> TypeExpr {
        TypeExpr::List(Box::new(item))
    }

    /// A map of `value`.
    pub fn map(value: TypeExpr) -> TypeExpr {
        TypeExpr::Map(Box::new(value))
    }

    /// The type of a list's items or a map's values, innermost first (`list<map<Tag>>` → `Tag`), or
    /// the type itself.
    pub fn element(&self) -> &TypeExpr {
        match self {
            TypeExpr::List(inner) | TypeExpr::Map(inner) => inner.element(),
            other => other,
        }
    }

    /// The named types this expression refers to.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeExpr::Named(name) => Some(name),
            TypeExpr::List(inner) | TypeExpr::Map(inner) => inner.named(),
            TypeExpr::Scalar(_) => None,
        }
    }
}

fn parse_at(text: &str, depth: usize) -> Result<TypeExpr, TypeSyntaxError> {
    let error = |message: String| Err(TypeSyntaxError { message });
    if depth > MAX_NESTING {
        return error(format!("type nests deeper than {MAX_NESTING} levels"));
    }
    if text.is_empty() {
        return error("empty type".into());
    }
    for (keyword, wrap) in [("list", TypeExpr::List as fn(Box<TypeExpr>) -> TypeExpr), ("map", TypeExpr::Map)] {
        if let Some(rest) = text.strip_prefix(keyword) {
            let rest = rest.trim_start();
            if let Some(inner) = rest.strip_prefix('<') {
                let Some(inner) = inner.strip_suffix('>') else {
                    return error(format!("`{keyword}<` is not closed by `>`"));
                };
                return Ok(wrap(Box::new(parse_at(inner.trim(), depth + 1)?)));
            }
            if rest.is_empty() {
                return error(format!("`{keyword}` needs an item type, as in `{keyword}<string>`"));
            }
        }
    }
    if let Some((_, scalar)) = Scalar::ALL.iter().find(|(name, _)| *name == text) {
        return Ok(TypeExpr::Scalar(*scalar));
    }
    let mut chars = text.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if !starts_well || !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return error(format!(
            "`{}` is not a type: use a built-in type, `list<T>`, `map<T>` or the name of a declared type",
            crate::diagnostics::abbreviate(text, 60)
        ));
    }
    Ok(TypeExpr::Named(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_types() {
        assert_eq!(
            TypeExpr::parse("list<map<Tag>>").unwrap(),
            TypeExpr::List(Box::new(TypeExpr::Map(Box::new(TypeExpr::Named("Tag".into())))))
        );
        assert_eq!(TypeExpr::parse(" int64 ").unwrap(), TypeExpr::Scalar(Scalar::Int64));
        assert_eq!(TypeExpr::parse("list<Tag>").unwrap().to_string(), "list<Tag>");
    }

    #[test]
    fn rejects_malformed_types() {
        for bad in ["", "list<", "list", "list<string", "a b", "1abc", "list<>", "Tag!"] {
            assert!(TypeExpr::parse(bad).is_err(), "{bad:?} should not parse");
        }
        let deep = format!("{}string{}", "list<".repeat(50), ">".repeat(50));
        assert!(TypeExpr::parse(&deep).unwrap_err().message.contains("deeper"));
    }
}
