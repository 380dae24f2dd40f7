//! How wire names become Rust names. The checker uses these rules to find names that collide or cannot
//! be identifiers; the generator uses the same rules to name what it emits.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's strict and reserved keywords (2024 edition), which need `r#` to be identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const UNRAWABLE: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Names longer than this are refused: no real API has them, and they make unreadable code.
pub const MAX_NAME_LEN: usize = 128;

/// Why a name cannot become an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Too long.
    TooLong(usize),
    /// Nothing usable is left after case conversion (only punctuation, or non-ASCII).
    Empty,
    /// The result is not ASCII.
    NonAscii(String),
    /// `self`, `super`, `crate` and `Self` cannot be raw identifiers.
    Reserved(String),
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::TooLong(len) => {
                write!(f, "the name is {len} characters long; names are limited to {MAX_NAME_LEN}")
            }
            NameError::Empty => f.write_str("the name has no letters or digits to build a Rust identifier from"),
            NameError::NonAscii(name) => write!(f, "the Rust name `{name}` would not be ASCII"),
            NameError::Reserved(name) => {
                write!(f, "`{name}` is a Rust keyword that cannot be used as an identifier, not even as `r#{name}`")
            }
        }
    }
}

/// Whether a Rust name needs `r#`.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The snake_case identifier for a field or method (`AccessKeyId` → `access_key_id`), without `r#`.
pub fn snake(wire: &str) -> Result<String, NameError> {
    convert(wire, wire.to_snake_case(), "_")
}

/// The UpperCamelCase identifier for a type or variant (`FailedOperation.AccessKeyExist` →
/// `FailedOperationAccessKeyExist`).
pub fn camel(wire: &str) -> Result<String, NameError> {
    convert(wire, wire.to_upper_camel_case(), "V")
}

/// Checks a name given explicitly (`rust_name`): it must already be a valid identifier.
pub fn explicit(name: &str) -> Result<String, NameError> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_";
    if name.len() > MAX_NAME_LEN {
        return Err(NameError::TooLong(name.chars().count()));
    }
    if UNRAWABLE.contains(&name) {
        return Err(NameError::Reserved(name.to_string()));
    }
    if !valid {
        return Err(if name.is_ascii() { NameError::Empty } else { NameError::NonAscii(name.to_string()) });
    }
    Ok(name.to_string())
}

fn convert(wire: &str, converted: String, digit_prefix: &str) -> Result<String, NameError> {
    let len = wire.chars().count();
    if len > MAX_NAME_LEN {
        return Err(NameError::TooLong(len));
    }
    // heck keeps letters and digits of any script and drops everything else.
    let converted = converted.trim_matches('_').to_string();
    if converted.is_empty() {
        return Err(NameError::Empty);
    }
    if !converted.is_ascii() {
        return Err(NameError::NonAscii(converted));
    }
    if UNRAWABLE.contains(&converted.as_str()) {
        return Err(NameError::Reserved(converted));
    }
    // An identifier cannot start with a digit (`5xxPv`).
    Ok(if converted.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{converted}")
    } else {
        converted
    })
}

/// Whether `version` can be an API version: a date `YYYY-MM-DD`, as nearly every service has, or a
/// label of ASCII letters, digits, `.`, `_` and `-` that starts with a letter or digit, at most 32
/// characters (Alibaba's AliGenie `iap_1.0`, aicontent `20240611`).
pub fn valid_version(version: &str) -> bool {
    version.len() <= 32
        && version.starts_with(|c: char| c.is_ascii_alphanumeric())
        && version.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_wire_names() {
        assert_eq!(snake("AccessKeyId").unwrap(), "access_key_id");
        assert_eq!(snake("TaskOption.HttpURI").unwrap(), "task_option_http_uri");
        assert_eq!(snake("x-acs-security-token").unwrap(), "x_acs_security_token");
        assert_eq!(snake("5xxPv").unwrap(), "_5xx_pv");
        assert_eq!(camel("FailedOperation.AccessKeyExist").unwrap(), "FailedOperationAccessKeyExist");
        assert!(is_keyword(&snake("Type").unwrap()));
    }

    #[test]
    fn refuses_what_cannot_be_an_identifier() {
        assert_eq!(snake("Self"), Err(NameError::Reserved("self".into())));
        assert_eq!(snake("***"), Err(NameError::Empty));
        assert!(matches!(snake("名称"), Err(NameError::NonAscii(_))));
        assert!(matches!(snake(&"a".repeat(200)), Err(NameError::TooLong(200))));
        assert_eq!(explicit("name_2").unwrap(), "name_2");
        assert!(explicit("2name").is_err());
    }
}
