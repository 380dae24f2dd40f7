//! Tests from documented examples: each output decodes into its response type (or its error), each
//! input builds into a valid request.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::{ident, variant};
use crate::ir::*;

/// The `examples` test module of a service.
pub fn examples(service: &ServiceIr) -> TokenStream {
    let protocol = variant("Protocol", service.protocol.variant_name());
    let mut tests = Vec::new();
    for action in &service.actions {
        let response = ident(&action.response.ident);
        let error = ident(&action.error.ident);
        for example in &action.examples {
            let title = format!(" {}", example.title);
            if let Some(body) = &example.output {
                let name = format_ident!("{}_output", example.test_ident);
                let request_id = serde_json::from_str::<Value>(body)
                    .ok()
                    .and_then(|v| v.get("Response").cloned().or(Some(v)))
                    .and_then(|v| v.get("RequestId").and_then(Value::as_str).map(str::to_string));
                let has_request_id =
                    action.response.fields.iter().any(|f| f.wire == "RequestId" && f.ty == RustType::String);
                let check_id = request_id.filter(|_| has_request_id).map(|id| {
                    let field = action.response.fields.iter().find(|f| f.wire == "RequestId");
                    let required = field.is_some_and(|f| f.required);
                    let field = field.map(|f| ident(&f.ident));
                    if required {
                        quote! { assert_eq!(response.#field, #id); }
                    } else {
                        quote! { assert_eq!(response.#field.as_deref(), Some(#id)); }
                    }
                });
                // Without a request id to compare, decoding is the whole test.
                let binding = if check_id.is_some() {
                    quote! { response }
                } else {
                    quote! { _ }
                };
                tests.push(quote! {
                    #[doc = #title]
                    #[test]
                    fn #name() {
                        let body = #body;
                        let #binding: #response = decodes(#protocol, body);
                        #check_id
                    }
                });
            }
            if let Some((body, code)) = &example.error_output {
                let name = format_ident!("{}_error", example.test_ident);
                tests.push(quote! {
                    #[doc = #title]
                    #[test]
                    fn #name() {
                        let body = #body;
                        decodes_error::<#error>(#protocol, body, #code);
                    }
                });
            }
            if let Some(params) = &example.input {
                let name = format_ident!("{}_input", example.test_ident);
                let request = ident(&action.request.ident);
                let setters = action.request.fields.iter().filter_map(|f| {
                    let value = params.get(&f.wire)?;
                    let setter = ident(&f.ident);
                    let value = value_tokens(&f.ty, value, &service.types);
                    Some(quote! { .#setter(#value) })
                });
                // Only a test that sets a deprecated field calls a deprecated setter.
                let deprecated = action
                    .request
                    .fields
                    .iter()
                    .any(|f| params.get(&f.wire).is_some_and(|v| sets_deprecated(f, v, &service.types)));
                let allow = deprecated.then(|| quote! { #[allow(deprecated)] });
                tests.push(quote! {
                    #[doc = #title]
                    #[test]
                    #allow
                    fn #name() {
                        let request = #request::builder() #(#setters)* .build();
                        assert!(request.is_ok(), "the documented input is invalid: {request:?}");
                    }
                });
            }
        }
    }
    if tests.is_empty() {
        return quote! {};
    }
    // Only what the tests use is imported: documented inputs alone need neither helper nor `Protocol`.
    let examples = || service.actions.iter().flat_map(|a| &a.examples);
    let mut helpers = Vec::new();
    if examples().any(|e| e.output.is_some()) {
        helpers.push(quote! { decodes });
    }
    if examples().any(|e| e.error_output.is_some()) {
        helpers.push(quote! { decodes_error });
    }
    let imports = (!helpers.is_empty()).then(|| {
        quote! {
            use cloudspec_runtime::envelope::Protocol;
            use cloudspec_runtime::testing::{#(#helpers),*};
        }
    });
    quote! {
        #![doc = " Tests generated from the documented examples."]

        use super::*;
        #imports

        #(#tests)*
    }
}

/// Whether setting `field` to the documented `value` calls a deprecated setter: its own, or one of an
/// object inside the value (`value_tokens` builds those with their setters).
fn sets_deprecated(field: &FieldIr, value: &Value, types: &[TypeIr]) -> bool {
    field.deprecated.is_some() || builds_deprecated(&field.ty, value, types)
}

fn builds_deprecated(ty: &RustType, value: &Value, types: &[TypeIr]) -> bool {
    match ty {
        RustType::List(inner) => {
            value.as_array().is_some_and(|items| items.iter().any(|v| builds_deprecated(inner, v, types)))
        }
        RustType::Map(inner) => {
            value.as_object().is_some_and(|m| m.values().any(|v| builds_deprecated(inner, v, types)))
        }
        RustType::Struct(id) => match types.get(id.0) {
            Some(TypeIr::Struct(def)) => {
                def.fields.iter().any(|f| value.get(&f.wire).is_some_and(|v| sets_deprecated(f, v, types)))
            }
            _ => false,
        },
        _ => false,
    }
}

/// A Rust expression of type `ty` for a documented value (query-style examples carry text).
pub(crate) fn value_tokens(ty: &RustType, value: &Value, types: &[TypeIr]) -> TokenStream {
    let text = crate::check::values::display(value);
    let int = |suffix: &str| -> TokenStream {
        let n: i128 = value.as_i64().map(i128::from).or_else(|| text.trim().parse().ok()).unwrap_or_default();
        let literal: TokenStream = format!("{n}{suffix}").parse().unwrap_or_else(|_| quote! { 0 });
        literal
    };
    match ty {
        RustType::String | RustType::Secret => quote! { #text },
        RustType::Bool => {
            let b = value.as_bool().unwrap_or(text == "true");
            quote! { #b }
        }
        RustType::I32 => int("i32"),
        RustType::I64 => int("i64"),
        RustType::U32 => int("u32"),
        RustType::U64 => int("u64"),
        RustType::F32 | RustType::F64 => {
            let x = value.as_f64().or_else(|| text.parse().ok()).unwrap_or_default();
            let x =
                if matches!(ty, RustType::F32) { Literal::f32_suffixed(x as f32) } else { Literal::f64_suffixed(x) };
            quote! { #x }
        }
        RustType::Json => {
            let json = value.to_string();
            quote! { serde_json::from_str::<serde_json::Value>(#json).expect("a documented value") }
        }
        RustType::Timestamp(_) | RustType::Date => {
            let module: syn::Path = super::serde_with(ty, true)
                .and_then(|path| syn::parse_str(&path).ok())
                .unwrap_or_else(|| syn::parse_quote!(cloudspec_runtime::timestamp::iso8601));
            let json = value.to_string();
            quote! {
                #module::deserialize(serde_json::from_str::<serde_json::Value>(#json).expect("a documented value"))
                    .expect("a documented timestamp")
            }
        }
        RustType::Enum(id, EnumBase::String) => {
            let name = ident(type_ident(types, *id));
            quote! { #name::from(#text) }
        }
        RustType::Enum(id, EnumBase::Int) => {
            let name = ident(type_ident(types, *id));
            let n = int("i64");
            quote! { #name::from(#n) }
        }
        RustType::List(inner) => {
            let items = value
                .as_array()
                .map(|items| items.iter().map(|item| element_tokens(inner, item, types)).collect::<Vec<_>>())
                .unwrap_or_default();
            quote! { vec![#(#items),*] }
        }
        RustType::Map(inner) => {
            let entries = value
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            let v = element_tokens(inner, v, types);
                            quote! { (#k.to_string(), #v) }
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            quote! { std::collections::BTreeMap::from([#(#entries),*]) }
        }
        RustType::Struct(id) => {
            let def = match types.get(id.0) {
                Some(TypeIr::Struct(s)) => Some(s),
                _ => None,
            };
            let type_name = ident(type_ident(types, *id));
            let setters = def.into_iter().flat_map(|s| &s.fields).filter_map(|f| {
                let v = value.get(&f.wire)?;
                let setter = ident(&f.ident);
                let v = value_tokens(&f.ty, v, types);
                Some(quote! { .#setter(#v) })
            });
            quote! { #type_name::builder() #(#setters)* .build().expect("a documented value") }
        }
    }
}

/// A value inside a list or map: a setter's `impl Into<…>` converts the outermost value only, so text
/// is made the element type itself (`vec![String::from("a")]`, not `vec!["a"]`).
fn element_tokens(ty: &RustType, value: &Value, types: &[TypeIr]) -> TokenStream {
    let tokens = value_tokens(ty, value, types);
    match ty {
        RustType::String => quote! { String::from(#tokens) },
        RustType::Secret => quote! { cloudspec_runtime::SecretString::from(#tokens) },
        _ => tokens,
    }
}

fn type_ident(types: &[TypeIr], id: TypeId) -> &str {
    match types.get(id.0) {
        Some(TypeIr::Struct(s)) => &s.ident,
        Some(TypeIr::Enum(e)) => &e.ident,
        None => "",
    }
}

/// The hidden `example_probe` module of a service version: decodes a response body by action name,
/// so a script can check every official output example against the generated response types. It
/// knows `actions`: all of the service's, or those of one part crate of a split service.
pub fn example_probe(service: &ServiceIr, actions: &[ActionIr]) -> TokenStream {
    let protocol = variant("Protocol", service.protocol.variant_name());
    let arms = actions.iter().map(|action| {
        let wire = &action.wire;
        let response = ident(&action.response.ident);
        let error = ident(&action.error.ident);
        quote! { #wire => probe::<super::#response, super::#error>(#protocol, body) }
    });
    quote! {
        #![doc = " Decodes documented output examples by action name (used by the catalogue scripts)."]
        #![doc(hidden)]
        use cloudspec_runtime::envelope::{Protocol, probe};

        /// Decodes `body` as the output of `action`: `None` for an unknown action, otherwise whether it
        /// decodes into the action's response type (an error envelope counts as not decoding).
        pub fn decode_output(action: &str, body: &str) -> Option<Result<(), String>> {
            Some(match action {
                #(#arms,)*
                _ => return None,
            })
        }
    }
}

/// A runnable example of an action (`examples/<action>.rs` of the generated crate): its documented
/// input (or the documented examples of its required parameters), sent to `CLOUDSPEC_ENDPOINT` with
/// credentials from the environment.
pub fn runnable_example(krate: &str, module_path: &[&str], service: &ServiceIr, action: &ActionIr) -> TokenStream {
    let params: serde_json::Map<String, Value> =
        action.examples.iter().find_map(|e| e.input.clone()).unwrap_or_else(|| {
            action
                .request
                .fields
                .iter()
                .filter(|f| f.required)
                .filter_map(|f| Some((f.wire.clone(), f.example.clone()?)))
                .collect()
        });
    let krate = ident(krate);
    let path = module_path.iter().map(|m| ident(m));
    let request = ident(&action.request.ident);
    let method = ident(&action.module);
    let setters = action.request.fields.iter().filter_map(|f| {
        let value = params.get(&f.wire)?;
        let setter = ident(&f.ident);
        let value = value_tokens(&f.ty, value, &service.types);
        Some(quote! { .#setter(#value) })
    });
    // Values of enumerations and objects name their types: bring the service's types into scope then.
    let named = |ty: &RustType| match ty {
        RustType::Struct(_) | RustType::Enum(..) => true,
        RustType::List(inner) | RustType::Map(inner) => matches!(**inner, RustType::Struct(_) | RustType::Enum(..)),
        _ => false,
    };
    let uses_types = action.request.fields.iter().any(|f| params.contains_key(&f.wire) && named(&f.ty));
    let path: Vec<_> = path.collect();
    let import = if uses_types {
        quote! { use #krate::#(#path)::*::*; }
    } else {
        quote! { use #krate::#(#path)::*::{Client, #request}; }
    };
    let doc = format!(
        " Calls `{}` with its documented example against `CLOUDSPEC_ENDPOINT` (for example a local `cloudspec serve`), with credentials and region from the environment.",
        action.wire
    );
    let done = format!("{}: {{response:#?}}", action.wire);
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![doc = #doc]

        #import
        use #krate::Config;

        #[tokio::main(flavor = "current_thread")]
        #[allow(deprecated)]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let client = Client::new(Config::from_env());
            let request = #request::builder() #(#setters)* .build()?;
            let response = client.#method(request).await?;
            println!(#done);
            Ok(())
        }
    }
}
