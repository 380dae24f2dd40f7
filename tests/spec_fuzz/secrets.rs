//! Secrets the generated code would show: a field the spec marks `sensitive` must get a Rust type
//! whose `Debug` hides it (`SecretString`, or a list or map of them). A spec `check` accepts with a
//! `sensitive` field of another type (an `int64`, `any`, an object, an enum, a timestamp) either
//! needs a redacting type or a diagnostic; code that compiles and prints the secret is a failure
//! the compiler cannot see, so this reads the resolved IR (`cloudspec::ir`) beside the spec.

use cloudspec::ir::{ProviderIr, RustType, StructIr, TypeIr};
use cloudspec::load::SpecSet;
use cloudspec::spec::types::TypeExpr;
use cloudspec::spec::{Field, ServiceSpec, TypeKind};

/// A sensitive field whose generated type shows its value in `Debug`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    /// Where: `Action.request.Pin`, `types.Vault.Key`.
    pub place: String,
    /// The spec's type, with named types shown as `object` or `enum`.
    pub spec_type: String,
    /// The generated type, with names taken out.
    pub rust_type: String,
}

/// Every sensitive field of `set` whose generated type in `providers` would show it.
pub fn unredacted(set: &SpecSet, providers: &[ProviderIr]) -> Vec<Leak> {
    let mut leaks = Vec::new();
    for service in providers.iter().flat_map(|p| &p.services) {
        let Some(spec) = set
            .services
            .iter()
            .map(|s| &s.spec)
            .find(|s| s.service.name == service.name && s.service.version == service.version)
        else {
            continue;
        };
        for action in &service.actions {
            let Some(action_spec) = spec.actions.get(&action.wire) else { continue };
            let place = |part: &str| format!("{}.{part}", action.wire);
            check_struct(spec, &action.request, action_spec.request.iter(), &place("request"), &mut leaks);
            check_struct(spec, &action.response, action_spec.response.iter(), &place("response"), &mut leaks);
        }
        for ty in &service.types {
            let TypeIr::Struct(ir) = ty else { continue };
            let Some((name, def)) =
                spec.types.iter().find(|(name, def)| rust_ident(name, def.rust_name.as_deref()) == ir.ident)
            else {
                continue;
            };
            let fields = def.fields.iter().flatten();
            check_struct(spec, ir, fields, &format!("types.{name}"), &mut leaks);
        }
    }
    leaks
}

fn rust_ident(name: &str, explicit: Option<&str>) -> String {
    explicit.map(str::to_string).unwrap_or_else(|| cloudspec::names::camel(name).unwrap_or_default())
}

fn check_struct<'a>(
    spec: &ServiceSpec,
    ir: &StructIr,
    fields: impl Iterator<Item = (&'a String, &'a Field)>,
    place: &str,
    leaks: &mut Vec<Leak>,
) {
    for (wire, field) in fields.filter(|(_, f)| f.sensitive) {
        let Some(generated) = ir.fields.iter().find(|f| f.wire == *wire) else { continue };
        if !redacted(&generated.ty) {
            leaks.push(Leak {
                place: format!("{place}.{wire}"),
                spec_type: spec_shape(spec, &field.ty),
                rust_type: rust_shape(&generated.ty),
            });
        }
    }
}

fn redacted(ty: &RustType) -> bool {
    match ty {
        RustType::Secret => true,
        RustType::List(inner) | RustType::Map(inner) => redacted(inner),
        _ => false,
    }
}

fn spec_shape(spec: &ServiceSpec, ty: &str) -> String {
    match TypeExpr::parse(ty) {
        Ok(TypeExpr::List(inner)) => format!("list<{}>", spec_shape(spec, &inner.to_string())),
        Ok(TypeExpr::Map(inner)) => format!("map<{}>", spec_shape(spec, &inner.to_string())),
        Ok(TypeExpr::Named(name)) => match spec.types.get(&name).map(|d| d.kind) {
            Some(TypeKind::Enum) => "enum".into(),
            _ => "object".into(),
        },
        Ok(scalar) => scalar.to_string(),
        Err(_) => "?".into(),
    }
}

fn rust_shape(ty: &RustType) -> String {
    match ty {
        RustType::List(inner) => format!("Vec<{}>", rust_shape(inner)),
        RustType::Map(inner) => format!("BTreeMap<String, {}>", rust_shape(inner)),
        RustType::Struct(_) => "a struct".into(),
        RustType::Enum(..) => "an enum".into(),
        RustType::Json => "serde_json::Value".into(),
        other => format!("{other:?}").to_lowercase(),
    }
}
