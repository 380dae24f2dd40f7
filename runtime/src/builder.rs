//! What `#[derive(Builder)]`'s expansion calls, compiled once here rather than written out per struct:
//! the missing-field check of `build_unchecked`, the validation in `validate` and `build`, and the
//! builder's `Debug`. Not an API of its own: generated code is its only caller.
//!
//! Each helper replaces a few statements per field (or per struct) of every builder with one call, so
//! that a crate with hundreds of request structs type-checks and borrow-checks less: a call per field
//! with its unwinding edge becomes an element of a table.

use std::fmt;

use cloudspec_rules::{ValidationError, Validator};

/// `build_unchecked`'s error when a required field is missing: every field of `fields` (wire name,
/// whether it is set) that is not set, in order, as `Validator::required` reports it.
pub fn missing_fields(fields: &[(&str, bool)]) -> ValidationError {
    let mut validator = Validator::new();
    for &(wire, is_set) in fields {
        validator.required(wire, is_set);
    }
    validator.into_error()
}

/// `build_unchecked`'s check when every required field is an `Option` it keeps: `Err` naming each one
/// of `fields` that is not set.
pub fn check_required(fields: &[(&str, bool)]) -> Result<(), ValidationError> {
    if fields.iter().all(|&(_, is_set)| is_set) { Ok(()) } else { Err(missing_fields(fields)) }
}

/// `validate`: runs the value's `validate_at` from the top (an empty path) and reports what it found.
#[inline]
pub fn validate<T: ?Sized>(value: &T, validate_at: fn(&T, &str, &mut Validator)) -> Result<(), ValidationError> {
    let mut validator = Validator::new();
    validate_at(value, "", &mut validator);
    validator.finish()
}

/// `build`: the value `build_unchecked` assembled, once `validate` accepts it.
#[inline]
pub fn build<T>(
    assembled: Result<T, ValidationError>,
    validate: fn(&T) -> Result<(), ValidationError>,
) -> Result<T, ValidationError> {
    match assembled {
        Ok(value) => match validate(&value) {
            Ok(()) => Ok(value),
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    }
}

/// The builder's `Debug`: `name { field: value, … }` as `#[derive(Debug)]` prints it, from a table of
/// field names and values (`names` and `values` in the same order).
pub fn debug(f: &mut fmt::Formatter<'_>, name: &str, names: &[&str], values: &[&dyn fmt::Debug]) -> fmt::Result {
    let mut out = f.debug_struct(name);
    for (name, value) in names.iter().zip(values) {
        out.field(name, value);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(dead_code)] // Read through `Debug` only.
    struct Sample {
        name: Option<String>,
        size: Option<i64>,
    }

    #[test]
    fn missing_fields_names_each_unset_field_in_order() {
        let error = missing_fields(&[("Name", false), ("Size", true), ("Zone", false)]);
        let fields: Vec<&str> = error.violations().iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["Name", "Zone"]);
        assert!(check_required(&[("Name", true), ("Size", true)]).is_ok());
        let error = check_required(&[("Name", true), ("Size", false)]).expect_err("Size is unset");
        assert_eq!(error.violations().len(), 1);
    }

    #[test]
    fn debug_prints_as_the_derived_debug_does() {
        let sample = Sample { name: Some("a \"b\"".into()), size: None };
        let table = Table(&sample);
        assert_eq!(format!("{table:?}"), format!("{sample:?}"));
        assert_eq!(format!("{table:#?}"), format!("{sample:#?}"));
    }

    struct Table<'a>(&'a Sample);

    impl fmt::Debug for Table<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug(f, "Sample", &["name", "size"], &[&self.0.name, &self.0.size])
        }
    }
}
