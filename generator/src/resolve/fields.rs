//! Fields: each spec field with its Rust name (from the names table), type, and the checks a sent one
//! runs.

use indexmap::IndexMap;

use super::Cx;
use crate::ir::*;
use crate::spec::Field;

impl Cx<'_> {
    /// The fields of a struct used as `usage` says, named by `idents` (the names table's entry for them,
    /// in spec order).
    pub(super) fn fields(&self, fields: &IndexMap<String, Field>, idents: &[String], usage: Usage) -> Vec<FieldIr> {
        fields
            .iter()
            .zip(idents)
            .map(|((wire, field), ident)| self.field(wire, field, ident, fields, idents, usage))
            .collect()
    }

    /// One field of a struct used as `usage` says. `siblings` and `idents` are the struct's fields and
    /// their names, for conditions.
    pub(super) fn field(
        &self,
        wire: &str,
        field: &Field,
        ident: &str,
        siblings: &IndexMap<String, Field>,
        idents: &[String],
        usage: Usage,
    ) -> FieldIr {
        let ty = self.rust_type(&field.ty, field);
        // A type both sent and received keeps its request rules, but a response may lack a member a
        // request must have: such a field is an `Option`, and sending checks it.
        let required_to_send = usage.input && usage.output && field.required;
        let required = match (usage.input, usage.output) {
            (true, true) => false,
            (true, false) => field.required,
            _ => field.required && !field.nullable,
        };
        // A received field's checks are never run (responses are decoded leniently), but they document
        // what the provider promises, rendered as for a sent field.
        let checks = self.checks(field, &ty, siblings, idents);
        FieldIr {
            wire: wire.to_string(),
            ident: ident.to_string(),
            docs: super::docs::field_docs(wire, field, &ty, &checks, usage, self.spec.service.docs),
            deprecated: field.deprecated.as_ref().map(|d| d.message.clone()),
            required,
            required_to_send,
            ty,
            checks,
            default: field.default.clone(),
            example: field.example.clone(),
            boxed: false,
        }
    }

    /// What the validator checks on a sent field, in the order it checks them (and what the provider
    /// documents of a received one).
    fn checks(
        &self,
        field: &Field,
        ty: &RustType,
        siblings: &IndexMap<String, Field>,
        idents: &[String],
    ) -> Vec<Check> {
        let mut checks = Vec::new();
        let c = &field.constraints;
        if let RustType::List(_) = ty {
            if let Some(items) = &c.items {
                checks.push(Check::Items { min: items.min, max: items.max });
            }
        }
        if let Some(length) = &c.length {
            checks.push(Check::Length { min: length.min, max: length.max, unit: length.unit });
        }
        if let Some(pattern) = &c.pattern {
            checks.push(Check::Pattern { regex: pattern.regex.clone(), description: pattern.description.clone() });
        }
        if let Some(encoding) = &c.encoding {
            let (min, max) = encoding.decoded_length.as_ref().map_or((None, None), |r| (r.min, r.max));
            checks.push(Check::Base64 { min, max });
        }
        // Enumerations and objects are checked however deep in lists and maps they sit.
        let mut item = ty;
        while let RustType::List(inner) | RustType::Map(inner) = item {
            item = inner.as_ref();
        }
        if let Some(range) = &c.range {
            if matches!(item, RustType::F32 | RustType::F64) {
                let bound = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
                checks.push(Check::FloatRange {
                    min: bound(&range.min),
                    max: bound(&range.max),
                    exclusive_min: range.exclusive_min,
                    exclusive_max: range.exclusive_max,
                });
            } else {
                let bound = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_i128);
                checks.push(Check::IntRange {
                    min: bound(&range.min),
                    max: bound(&range.max),
                    exclusive_min: range.exclusive_min,
                    exclusive_max: range.exclusive_max,
                });
            }
        }
        match item {
            RustType::Enum(id, _) => checks.push(Check::Known { enumeration: *id }),
            RustType::Struct(_) => checks.push(Check::Nested),
            _ => {}
        }
        if let Some(condition) = &field.required_when {
            if let Some((index, _, other)) = siblings.get_full(&condition.field) {
                checks.push(Check::RequiredWhen {
                    other_ident: idents.get(index).cloned().unwrap_or_default(),
                    other_wire: condition.field.clone(),
                    other_ty: self.rust_type(&other.ty, other),
                    other_required: other.required,
                    other_default: other.default.clone(),
                    equals: condition.equals.clone(),
                });
            }
        }
        checks
    }
}
