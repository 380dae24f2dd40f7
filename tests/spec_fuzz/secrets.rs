//! Secrets the generated code would show: a field the spec marks `sensitive` must get a Rust type
//! whose `Debug` hides it (`SecretString`, or a list or map of them). Code that compiles and prints
//! the secret is a failure the compiler cannot see, so this reads the generated file (parsed with
//! `syn`, as the IR is private to the library) beside the spec: each sensitive field's struct is
//! found by the names the library's public naming rules give it (`cloudspec::names`), and the field
//! by its wire name (`#[serde(rename = "…")]`).

use cloudspec::load::SpecSet;
use cloudspec::names;
use cloudspec::spec::types::TypeExpr;
use cloudspec::spec::{Field, ServiceSpec, TypeKind};
use quote::ToTokens;

/// A sensitive field whose generated type shows its value in `Debug`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    /// Where: `Action.request.Pin`, `types.Vault.Key`.
    pub place: String,
    /// The spec's type, with named types shown as `object` or `enum`.
    pub spec_type: String,
    /// The generated type.
    pub rust_type: String,
}

/// A struct of the generated file: the modules around it, its name, and each field's wire name and
/// type.
struct GeneratedStruct {
    modules: Vec<String>,
    ident: String,
    fields: Vec<(String, String)>,
}

/// Every sensitive field of `set` whose generated type in `code` would show it. Code that does not
/// parse has no leaks here: the compile step reports it.
pub fn unredacted(set: &SpecSet, code: &str) -> Vec<Leak> {
    let Ok(file) = syn::parse_file(code) else { return Vec::new() };
    let mut structs = Vec::new();
    collect(&file.items, &mut Vec::new(), &mut structs);
    let mut leaks = Vec::new();
    for loaded in &set.services {
        let spec = &loaded.spec;
        let version = names::version_module(&spec.service.version);
        for (wire, action) in &spec.actions {
            let Ok(module) = names::action(wire, action.rust_name.as_deref()) else { continue };
            let place = |part: &str| format!("{wire}.{part}");
            let path = [version.clone(), module];
            let in_module = |s: &&GeneratedStruct, suffix: &str| {
                s.modules.ends_with(&path) && s.ident.ends_with(suffix) && !s.ident.ends_with("Builder")
            };
            let request = structs.iter().filter(|s| in_module(s, "Request"));
            check_fields(spec, request, &action.request, &place("request"), &mut leaks);
            let response = structs.iter().filter(|s| in_module(s, "Response"));
            check_fields(spec, response, &action.response, &place("response"), &mut leaks);
        }
        for (name, def) in &spec.types {
            let Some(fields) = &def.fields else { continue };
            let Ok(ident) = names::type_name(name, def.rust_name.as_deref()) else { continue };
            let shared =
                structs.iter().filter(|s| s.modules.ends_with(&[version.clone(), "types".into()]) && s.ident == ident);
            check_fields(spec, shared, fields, &format!("types.{name}"), &mut leaks);
        }
    }
    leaks
}

fn collect(items: &[syn::Item], modules: &mut Vec<String>, out: &mut Vec<GeneratedStruct>) {
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = &module.content {
                    modules.push(module.ident.to_string());
                    collect(inner, modules, out);
                    modules.pop();
                }
            }
            syn::Item::Struct(item) => {
                let fields = item
                    .fields
                    .iter()
                    .filter_map(|field| {
                        let ident = field.ident.as_ref()?.to_string();
                        let wire = serde_rename(&field.attrs).unwrap_or(ident);
                        Some((wire, field.ty.to_token_stream().to_string().replace(' ', "")))
                    })
                    .collect();
                out.push(GeneratedStruct { modules: modules.clone(), ident: item.ident.to_string(), fields });
            }
            _ => {}
        }
    }
}

/// The `rename = "…"` of a field's `#[serde(…)]`.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Another `key = value`: its value is skipped.
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    rename
}

fn check_fields<'a>(
    spec: &ServiceSpec,
    structs: impl Iterator<Item = &'a GeneratedStruct>,
    fields: &indexmap::IndexMap<String, Field>,
    place: &str,
    leaks: &mut Vec<Leak>,
) {
    for generated in structs {
        for (wire, field) in fields.iter().filter(|(_, f)| f.sensitive) {
            let Some((_, rust_type)) = generated.fields.iter().find(|(w, _)| w == wire) else { continue };
            if !rust_type.contains("SecretString") {
                leaks.push(Leak {
                    place: format!("{place}.{wire}"),
                    spec_type: spec_shape(spec, &field.ty),
                    rust_type: rust_type.clone(),
                });
            }
        }
    }
}

fn spec_shape(spec: &ServiceSpec, ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::List(inner) => format!("list<{}>", spec_shape(spec, inner)),
        TypeExpr::Map(inner) => format!("map<{}>", spec_shape(spec, inner)),
        TypeExpr::Named(name) => match spec.types.get(name).map(|d| d.kind) {
            Some(TypeKind::Enum) => "enum".into(),
            _ => "object".into(),
        },
        scalar => scalar.to_string(),
    }
}
