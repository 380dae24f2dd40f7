//! Checks of fields and shared types: type references, constraints, defaults, conditions, secrets.
//! Their Rust names are [`super::names`]'s business.

use cloudspec_rules::validation::Validator;
use indexmap::IndexMap;
use serde_json::Value;

use super::cx::ServiceCx;
use super::values::{Direction, ValueChecker, compile, display, same_value};
use crate::diagnostics::{JsonPath, Target, abbreviate, did_you_mean};
use crate::spec::types::{Scalar, TypeExpr};
use crate::spec::{Field, TypeDef, TypeKind};

/// Where a set of fields sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// An action's request parameters.
    Request,
    /// An action's response fields.
    Response,
    /// The members of a shared object type.
    Object,
}

/// Checks the shared types of a service.
pub(super) fn check_types(cx: &mut ServiceCx<'_, '_>) {
    for (name, def) in &cx.spec.types {
        let path = JsonPath::root().key("types").key(name.clone());
        if Scalar::ALL.iter().any(|(scalar, _)| scalar == name) || matches!(name.as_str(), "list" | "map") {
            cx.sink.error("invalid-name", path.clone(), Target::Key, format!("`{name}` is a built-in type name"), None);
        }
        cx.check_sources(&def.sources, &path.key("sources"));
        match def.kind {
            TypeKind::Object => {
                misplaced(cx, &path, "values", def.values.is_some(), "enum");
                misplaced(cx, &path, "base", def.base.is_some(), "enum");
                match &def.fields {
                    Some(fields) => check_fields(cx, fields, &path.key("fields"), Role::Object),
                    None => {
                        cx.sink.error("missing-key", path.clone(), Target::Key, "an object type needs `fields`", None)
                    }
                }
            }
            TypeKind::Enum => {
                misplaced(cx, &path, "fields", def.fields.is_some(), "object");
                check_enum(cx, def, &path);
            }
        }
    }
}

fn misplaced(cx: &mut ServiceCx<'_, '_>, path: &JsonPath, key: &str, present: bool, kind: &str) {
    if present {
        cx.sink.error(
            "invalid-key",
            path.key(key),
            Target::Key,
            format!("`{key}` belongs to `{kind}` types only"),
            None,
        );
    }
}

fn check_enum(cx: &mut ServiceCx<'_, '_>, def: &TypeDef, path: &JsonPath) {
    let base = match def.base.as_deref() {
        None | Some("string") => Scalar::String,
        Some("int32") => Scalar::Int32,
        Some("int64") => Scalar::Int64,
        Some(other) => {
            cx.sink.error(
                "invalid-type",
                path.key("base"),
                Target::Value,
                format!("`{}` cannot be an enumeration's base", abbreviate(other, 40)),
                Some("enumerations are based on `string`, `int32` or `int64`".into()),
            );
            return;
        }
    };
    let Some(values) = def.values.as_deref().filter(|v| !v.is_empty()) else {
        cx.sink.error(
            "missing-key",
            path.clone(),
            Target::Key,
            "an enumeration needs at least one value in `values`",
            None,
        );
        return;
    };
    let mut seen: Vec<&Value> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let here = path.key("values").index(i);
        let fits = match base {
            Scalar::String => value.value.is_string(),
            Scalar::Int32 => value.value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            _ => value.value.is_i64(),
        };
        if !fits {
            cx.sink.error(
                "invalid-value",
                here.key("value"),
                Target::Value,
                format!("the value must be {} like the enumeration's base", base.name()),
                None,
            );
            continue;
        }
        if seen.contains(&&value.value) {
            cx.sink.error(
                "duplicate-value",
                here.key("value"),
                Target::Value,
                format!("`{}` is listed twice", display(&value.value)),
                None,
            );
            continue;
        }
        seen.push(&value.value);
        if value.name.is_none() && !value.value.is_string() {
            cx.sink.error(
                "missing-key",
                here.clone(),
                Target::Value,
                "an integer value needs a `name` for its Rust variant",
                Some("name it after its meaning, as in {\"value\": 1, \"name\": \"Enabled\"}".into()),
            );
        }
    }
}

/// Checks each of a set of fields.
pub(super) fn check_fields(cx: &mut ServiceCx<'_, '_>, fields: &IndexMap<String, Field>, path: &JsonPath, role: Role) {
    for (name, field) in fields {
        check_field(cx, fields, name, field, &path.key(name.clone()), role);
    }
}

/// Checks an action's `http.response_body`: a response field without a name.
pub(super) fn check_body(cx: &mut ServiceCx<'_, '_>, field: &Field, path: &JsonPath) {
    check_field(cx, &IndexMap::new(), "body", field, path, Role::Response);
}

fn check_field(
    cx: &mut ServiceCx<'_, '_>,
    siblings: &IndexMap<String, Field>,
    name: &str,
    field: &Field,
    path: &JsonPath,
    role: Role,
) {
    cx.check_sources(&field.sources, &path.key("sources"));
    if cx.sink.file.has_unparsed_type(path) {
        // Reported when read; its other rules cannot be judged without a type.
        return;
    }
    let ty = &field.ty;
    if let Some(named) = ty.named() {
        if !cx.spec.types.contains_key(named) {
            let hint = alias_hint(named).or_else(|| did_you_mean(named, type_candidates(cx)));
            cx.sink.error(
                "unknown-type",
                path.key("type"),
                Target::Value,
                format!("unknown type `{}`", abbreviate(named, 60)),
                hint.or_else(|| Some("declare it under `types`, or use a built-in type".into())),
            );
            return;
        }
    }
    let element = ty.element();
    match (element, field.format) {
        (TypeExpr::Scalar(Scalar::Timestamp), None) => cx.sink.error(
            "missing-key",
            path.key("type"),
            Target::Value,
            "a timestamp needs a `format`",
            Some("add \"format\": \"iso8601\", \"datetime\", \"epoch_seconds\" or \"epoch_millis\"".into()),
        ),
        (TypeExpr::Scalar(Scalar::Timestamp), Some(_)) | (_, None) => {}
        (_, Some(_)) => cx.sink.error(
            "invalid-key",
            path.key("format"),
            Target::Key,
            "`format` applies to `timestamp` fields only",
            None,
        ),
    }
    check_constraints(cx, field, ty, element, path);
    check_sensitive(cx, field, path);
    if role != Role::Request {
        for (key, present) in [
            ("location", field.location.is_some()),
            ("style", field.style.is_some()),
            ("required_when", field.required_when.is_some()),
            ("default", field.default.is_some()),
        ] {
            if present {
                cx.sink.error(
                    "invalid-key",
                    path.key(key),
                    Target::Key,
                    format!("`{key}` applies to request parameters only"),
                    None,
                );
            }
        }
    }
    let checker = ValueChecker::new(&cx.spec.types, Direction::Request);
    if let Some(default) = &field.default {
        let mut v = Validator::new();
        checker.value(field, ty, default, name, &mut v);
        if let Err(error) = v.finish() {
            let enum_values = enum_values(cx, ty);
            let code = if enum_values.is_some() { "enum-default" } else { "invalid-default" };
            let message = match enum_values {
                Some(values) => format!(
                    "the default `{}` is not one of the values of `{ty}`: {}",
                    display(default),
                    values.join(", ")
                ),
                None => format!("the default does not satisfy the field's own rules: {}", error.violations()[0]),
            };
            cx.sink.error(code, path.key("default"), Target::Value, message, None);
        }
    }
    if let Some(example) = &field.example {
        // Documented examples are often masked (`AKID****`); they are documentation, not test data.
        let direction = if role == Role::Request { Direction::Request } else { Direction::Response };
        let checker = ValueChecker::new(&cx.spec.types, direction);
        let mut v = Validator::new();
        checker.value(field, ty, example, name, &mut v);
        if let Err(error) = v.finish() {
            cx.sink.warning(
                "example-mismatch",
                path.key("example"),
                Target::Value,
                format!("the documented example does not satisfy the field's rules: {}", error.violations()[0]),
                None,
            );
        }
    }
    if let Some(condition) = &field.required_when {
        let here = path.key("required_when");
        if field.required {
            cx.sink.warning(
                "redundant-condition",
                here.clone(),
                Target::Key,
                "the field is always required, so the condition never matters",
                None,
            );
        }
        match siblings.get(&condition.field) {
            None => {
                let hint = did_you_mean(&condition.field, siblings.keys().map(String::as_str));
                cx.sink.error(
                    "unknown-field",
                    here.key("field"),
                    Target::Value,
                    format!(
                        "the condition names `{}`, which is not a parameter of this request",
                        abbreviate(&condition.field, 60)
                    ),
                    hint,
                );
            }
            Some(_) if condition.field == name => {
                cx.sink.error(
                    "invalid-value",
                    here.key("field"),
                    Target::Value,
                    "a field cannot be required on a condition on itself",
                    None,
                );
            }
            Some(other) => {
                let other_ty = &other.ty;
                if let Some(values) = enum_values(cx, other_ty) {
                    let known = cx
                        .spec
                        .types
                        .get(other_ty.named().unwrap_or_default())
                        .and_then(|d| d.values.as_deref())
                        .unwrap_or_default();
                    if !known.iter().any(|v| same_value(&v.value, &condition.equals)) {
                        cx.sink.error(
                            "unknown-value",
                            here.key("equals"),
                            Target::Value,
                            format!(
                                "`{}` is not a value of `{}` ({})",
                                display(&condition.equals),
                                condition.field,
                                values.join(", ")
                            ),
                            did_you_mean(&display(&condition.equals), values.iter().map(String::as_str)),
                        );
                    }
                } else {
                    let mut v = Validator::new();
                    ValueChecker::new(&cx.spec.types, Direction::Response).value(
                        other,
                        other_ty,
                        &condition.equals,
                        &condition.field,
                        &mut v,
                    );
                    if let Err(error) = v.finish() {
                        cx.sink.error(
                            "invalid-value",
                            here.key("equals"),
                            Target::Value,
                            format!(
                                "the condition's value cannot be a value of `{}`: {}",
                                condition.field,
                                error.violations()[0].rule
                            ),
                            None,
                        );
                    }
                }
            }
        }
    }
}

fn check_constraints(cx: &mut ServiceCx<'_, '_>, field: &Field, ty: &TypeExpr, element: &TypeExpr, path: &JsonPath) {
    let c = &field.constraints;
    let here = path.key("constraints");
    let is_string = matches!(element, TypeExpr::Scalar(Scalar::String));
    let is_number = matches!(element, TypeExpr::Scalar(s) if s.is_numeric());
    let is_list = matches!(ty, TypeExpr::List(_));
    for (key, present, applies, what) in [
        ("length", c.length.is_some(), is_string, "string"),
        ("pattern", c.pattern.is_some(), is_string, "string"),
        ("encoding", c.encoding.is_some(), is_string, "string"),
        ("range", c.range.is_some(), is_number, "numeric"),
        ("items", c.items.is_some(), is_list, "list"),
    ] {
        if present && !applies {
            cx.sink.error(
                "inapplicable-constraint",
                here.key(key),
                Target::Key,
                format!("`{key}` applies to {what} values, and this field is `{ty}`"),
                None,
            );
        }
    }
    let mut min_max = |key: &str, min: Option<f64>, max: Option<f64>, empty_when_equal: bool| {
        if let (Some(min), Some(max)) = (min, max) {
            if min > max || (empty_when_equal && min == max) {
                cx.sink.error(
                    "empty-range",
                    here.key(key).key("min"),
                    Target::Value,
                    format!("the minimum ({min}) is greater than the maximum ({max}), so no value is allowed"),
                    Some("swap them, or check the documentation again".into()),
                );
            }
        }
    };
    let f = |n: Option<u64>| n.map(|n| n as f64);
    if let Some(length) = &c.length {
        min_max("length", f(length.min), f(length.max), false);
    }
    if let Some(items) = &c.items {
        min_max("items", f(items.min), f(items.max), false);
    }
    if let Some(range) = &c.range {
        let g = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
        min_max("range", g(&range.min), g(&range.max), range.exclusive_min || range.exclusive_max);
    }
    if let Some(decoded) = c.encoding.as_ref().and_then(|e| e.decoded_length.as_ref()) {
        if let (Some(min), Some(max)) = (decoded.min, decoded.max) {
            if min > max {
                cx.sink.error(
                    "empty-range",
                    here.key("encoding").key("decoded_length").key("min"),
                    Target::Value,
                    format!("the minimum ({min}) is greater than the maximum ({max}), so no value is allowed"),
                    None,
                );
            }
        }
    }
    if let Some(pattern) = &c.pattern {
        if let Err(error) = compile(&pattern.regex) {
            let detail = error.to_string();
            let detail = detail
                .lines()
                .rev()
                .find(|l| l.starts_with("error:"))
                .unwrap_or("the expression does not compile")
                .to_string();
            cx.sink.error(
                "invalid-regex",
                here.key("pattern").key("regex"),
                Target::Value,
                format!("invalid regular expression: {}", detail.trim_start_matches("error: ")),
                Some("patterns use Rust `regex` syntax (no look-around or back-references)".into()),
            );
        }
        if pattern.description.trim().is_empty() {
            cx.sink.error(
                "missing-doc",
                here.key("pattern").key("description"),
                Target::Value,
                "say in words what the pattern allows; errors show it to users",
                None,
            );
        }
    }
}

/// `sensitive` means the value is redacted in `Debug` and zeroed on drop, which generated code does for
/// text (a `SecretString`, or lists and maps of them): on any other type it could only be a promise the
/// code does not keep, so it is refused.
fn check_sensitive(cx: &mut ServiceCx<'_, '_>, field: &Field, path: &JsonPath) {
    if !field.sensitive || matches!(field.ty.element(), TypeExpr::Scalar(Scalar::String | Scalar::Binary)) {
        return;
    }
    let hint = match field.ty.element() {
        TypeExpr::Named(name) if cx.spec.types.get(name).is_some_and(|d| d.kind == TypeKind::Object) => {
            format!("mark the secret string fields of `{name}` as sensitive instead")
        }
        _ => "only text can be redacted; remove `sensitive`, or declare the value as a string".to_string(),
    };
    cx.sink.error(
        "inapplicable-sensitive",
        path.key("sensitive"),
        Target::Key,
        format!("`sensitive` applies to string values (and lists and maps of them), and this field is `{}`", field.ty),
        Some(hint),
    );
}

/// The values of an enumeration type, as text, when `ty` is one.
fn enum_values(cx: &ServiceCx<'_, '_>, ty: &TypeExpr) -> Option<Vec<String>> {
    let TypeExpr::Named(name) = ty else { return None };
    let def = cx.spec.types.get(name).filter(|d| d.kind == TypeKind::Enum)?;
    Some(def.values.as_deref().unwrap_or_default().iter().map(|v| display(&v.value)).collect())
}

fn type_candidates<'a>(cx: &'a ServiceCx<'_, '_>) -> impl Iterator<Item = &'a str> {
    Scalar::ALL.iter().map(|(name, _)| *name).chain(cx.spec.types.keys().map(String::as_str))
}

/// Type names from other formats, and what cloudspec calls them.
fn alias_hint(name: &str) -> Option<String> {
    let builtin = match name.to_ascii_lowercase().as_str() {
        "int" | "integer" | "long" => "int64",
        "float" | "double" | "number" => "float64",
        "boolean" => "bool",
        "str" | "text" => "string",
        "datetime" | "datetime_iso" => "timestamp",
        "array" => "list<T>",
        "object" | "dict" => "map<T>` or a declared object type `",
        _ => return None,
    };
    Some(format!("cloudspec calls this type `{builtin}`"))
}
