//! Rust types: what each spec type expression becomes, the shared object and enumeration types, and the
//! boxes that give recursive types a finite size.

use indexmap::IndexMap;

use super::Cx;
use crate::ir::*;
use crate::spec::types::{Scalar, TypeExpr};
use crate::spec::{Field, TypeDef, TypeKind};

impl Cx<'_> {
    /// The shared types, in spec order: a type's [`TypeId`] is its position.
    pub(super) fn shared_types(&self) -> Vec<TypeIr> {
        self.spec
            .types
            .iter()
            .zip(&self.names.types)
            .map(|((name, def), names)| match def.kind {
                TypeKind::Object => TypeIr::Struct(self.object_type(name, def, names)),
                TypeKind::Enum => TypeIr::Enum(self.enum_type(name, def, names)),
            })
            .collect()
    }

    /// The Rust type of a field: `sensitive` text becomes `SecretString`, however deep in lists and
    /// maps (check refuses `sensitive` on anything else).
    pub(super) fn rust_type(&self, expr: &TypeExpr, field: &Field) -> RustType {
        match expr {
            TypeExpr::Scalar(scalar) => match scalar {
                Scalar::String | Scalar::Binary if field.sensitive => RustType::Secret,
                Scalar::String | Scalar::Binary => RustType::String,
                Scalar::Bool => RustType::Bool,
                Scalar::Int32 => RustType::I32,
                Scalar::Int64 => RustType::I64,
                Scalar::Uint32 => RustType::U32,
                Scalar::Uint64 => RustType::U64,
                Scalar::Float32 => RustType::F32,
                Scalar::Float64 => RustType::F64,
                Scalar::Timestamp => match field.format {
                    Some(format) => RustType::Timestamp(format),
                    None => RustType::String,
                },
                Scalar::Date => RustType::Date,
                Scalar::Any => RustType::Json,
            },
            // Timestamps inside collections stay text: serde adapters apply to whole fields only.
            TypeExpr::List(inner) => RustType::List(Box::new(self.collection_item(inner, field))),
            TypeExpr::Map(inner) => RustType::Map(Box::new(self.collection_item(inner, field))),
            TypeExpr::Named(name) => match self.spec.types.get_full(name.as_str()) {
                Some((id, _, def)) if def.kind == TypeKind::Enum => RustType::Enum(TypeId(id), enum_base(def)),
                Some((id, _, _)) => RustType::Struct(TypeId(id)),
                None => RustType::Json,
            },
        }
    }

    fn collection_item(&self, inner: &TypeExpr, field: &Field) -> RustType {
        match self.rust_type(inner, field) {
            RustType::Timestamp(_) | RustType::Date => RustType::String,
            other => other,
        }
    }

    fn object_type(&self, name: &str, def: &TypeDef, names: &crate::names::table::TypeNames) -> StructIr {
        let empty = IndexMap::new();
        let fields = def.fields.as_ref().unwrap_or(&empty);
        let mut lines = def.description.as_deref().map(|d| self.text(d)).unwrap_or_default();
        if lines.is_empty() {
            lines.push(format!("The `{}` object.", crate::docs::code(name)));
        }
        StructIr {
            ident: names.ident.clone(),
            builder: names.builder.clone(),
            docs: lines,
            fields: self.fields(fields, &names.fields, names.usage),
            usage: names.usage,
            body: false,
        }
    }

    fn enum_type(&self, name: &str, def: &TypeDef, names: &crate::names::table::TypeNames) -> EnumIr {
        let mut lines = def.description.as_deref().map(|d| self.text(d)).unwrap_or_default();
        if lines.is_empty() {
            lines.push(format!("The values of `{}`.", crate::docs::code(name)));
        }
        lines.push(String::new());
        lines.push("Values the provider adds after this spec was written decode as `Unknown`.".into());
        let variants = def
            .values
            .iter()
            .flatten()
            .zip(&names.variants)
            .map(|(value, ident)| {
                let mut docs = vec![format!("`{}`", crate::docs::code(&display(&value.value)))];
                if let Some(description) = &value.description {
                    docs[0].push_str(": ");
                    docs[0].push_str(&self.inline(description));
                }
                VariantIr { ident: ident.clone(), value: value.value.clone(), docs }
            })
            .collect();
        EnumIr { ident: names.ident.clone(), docs: lines, base: enum_base(def), variants }
    }
}

fn enum_base(def: &TypeDef) -> EnumBase {
    if def.base.as_deref().is_some_and(|b| b.starts_with("int")) { EnumBase::Int } else { EnumBase::String }
}

/// Whether the type holds a secret anywhere: a `SecretString`, or a shared type with one inside.
pub(super) fn reaches_secret(ty: &RustType, types: &IndexMap<String, TypeDef>) -> bool {
    let mut seen = vec![false; types.len()];
    let mut stack = vec![ty.clone()];
    while let Some(ty) = stack.pop() {
        match ty {
            RustType::Secret => return true,
            RustType::List(inner) | RustType::Map(inner) => stack.push(*inner),
            RustType::Struct(TypeId(id)) if !seen[id] => {
                seen[id] = true;
                let Some((_, def)) = types.get_index(id) else { continue };
                for field in def.fields.iter().flat_map(|fields| fields.values()) {
                    if field.sensitive {
                        return true;
                    }
                    if let Some((id, _, _)) = field.ty.named().and_then(|name| types.get_full(name)) {
                        stack.push(RustType::Struct(TypeId(id)));
                    }
                }
            }
            _ => {}
        }
    }
    false
}

/// Marks the fields that close a cycle of structs through plain (not list, not map) fields as `boxed`, so
/// that every generated struct has a finite size (Tencent cls `EscalateNoticeInfo` holds an
/// `EscalateNoticeInfo`). A depth-first walk over the structs, in spec order, boxes each edge that leads back
/// to a struct still on the walk's stack; removing those back edges leaves no cycle, and the choice is
/// deterministic.
pub fn box_cycles(types: &mut [TypeIr]) {
    let edges: Vec<Vec<(usize, usize)>> = types
        .iter()
        .map(|t| match t {
            TypeIr::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .filter_map(|(f, field)| match &field.ty {
                    RustType::Struct(TypeId(to)) if matches!(types.get(*to), Some(TypeIr::Struct(_))) => Some((f, *to)),
                    _ => None,
                })
                .collect(),
            TypeIr::Enum(_) => Vec::new(),
        })
        .collect();
    // 0: not visited, 1: on the stack, 2: done.
    let mut state = vec![0u8; types.len()];
    let mut back_edges = Vec::new();
    for start in 0..types.len() {
        if state[start] != 0 || edges[start].is_empty() {
            continue;
        }
        // An explicit stack of (node, next edge index), so deep type graphs cannot overflow the call stack.
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(&(field, to)) = edges[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => back_edges.push((node, field)),
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    for (node, field) in back_edges {
        if let TypeIr::Struct(s) = &mut types[node] {
            s.fields[field].boxed = true;
        }
    }
}

/// A JSON value as text: strings without quotes.
pub fn display(value: &serde_json::Value) -> String {
    crate::check::values::display(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(wire: &str, ty: RustType) -> FieldIr {
        FieldIr {
            wire: wire.into(),
            ident: wire.to_ascii_lowercase(),
            ty,
            required: false,
            required_to_send: false,
            docs: Vec::new(),
            deprecated: None,
            checks: Vec::new(),
            default: None,
            example: None,
            boxed: false,
        }
    }

    fn object(ident: &str, fields: Vec<FieldIr>) -> TypeIr {
        TypeIr::Struct(StructIr {
            ident: ident.into(),
            builder: None,
            docs: Vec::new(),
            fields,
            usage: Usage { input: false, output: true },
            body: false,
        })
    }

    fn boxed(types: &[TypeIr]) -> Vec<String> {
        types
            .iter()
            .flat_map(|t| match t {
                TypeIr::Struct(s) => {
                    s.fields.iter().filter(|f| f.boxed).map(|f| format!("{}.{}", s.ident, f.wire)).collect()
                }
                TypeIr::Enum(_) => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn boxes_exactly_the_edges_that_close_cycles() {
        let s = |id: usize| RustType::Struct(TypeId(id));
        let mut types = vec![
            // A → B → A (a two-step cycle), A → A (a self-loop), C → A (no cycle through C).
            object("A", vec![field("B", s(1)), field("Me", s(0)), field("Name", RustType::String)]),
            object("B", vec![field("Back", s(0)), field("Many", RustType::List(Box::new(s(1))))]),
            object("C", vec![field("A", s(0))]),
            // Lists and maps are already indirect: no Box.
            object("D", vec![field("Ds", RustType::List(Box::new(s(3)))), field("M", RustType::Map(Box::new(s(3))))]),
        ];
        box_cycles(&mut types);
        assert_eq!(boxed(&types), ["A.Me", "B.Back"]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 20_000;
        let mut types: Vec<TypeIr> = (0..n)
            .map(|i| object(&format!("T{i}"), vec![field("Next", RustType::Struct(TypeId((i + 1) % n)))]))
            .collect();
        box_cycles(&mut types);
        assert_eq!(boxed(&types), [format!("T{}.Next", n - 1)]);
    }
}
