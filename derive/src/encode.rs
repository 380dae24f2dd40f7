//! `#[derive(Encode)]`: a sent struct's `cloudspec_runtime::json::Encode`, written through the
//! runtime's `Encoder`, and a `Serialize` that delegates to it (`cloudspec_runtime::json::serialize`).
//!
//! The expansion is one call with a table of the members: `out.object(&["Wire", …], &[&self.field,
//! …])`, each value as `&dyn Encode` so that nothing is compiled per field type, and no call per field.
//! A struct with a timestamp writes a line per field instead: `out.member("Wire", &self.field)`, and
//! `out.timestamp("Wire", …, Format)` for the timestamp. The runtime owns the rest, compiled once: the JSON text, an unset
//! `Option` left out, the errors. It reads serde's own attributes, as `Decode` does (a type both sent and
//! received has one spelling of its wire names): `rename`, `rename_all = "PascalCase"`, `with` (a
//! timestamp format) and `transparent` (the one field is the whole value). serde's
//! `skip_serializing_if` is accepted and has no effect: every unset `Option` is left out.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::DeriveInput;

use crate::shape;

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let named = shape::named_fields(input, "Encode")?;
    let container = shape::SerdeContainer::read(&input.attrs)?;
    let out = Ident::new("out", Span::mixed_site());
    let mut writes = Vec::new();
    let (mut idents, mut wires, mut timestamps) = (Vec::new(), Vec::new(), false);
    for field in &named.named {
        let shape::WireField { ident, required, wire, format, .. } =
            shape::WireField::read(field, &container, "Encode")?;
        if container.transparent {
            if named.named.len() != 1 || format.is_some() {
                return Err(syn::Error::new_spanned(
                    &input.ident,
                    "`#[serde(transparent)]` needs exactly one field, without `with`",
                ));
            }
            writes.push(quote! { ::cloudspec_runtime::json::Encode::encode(&self.#ident, #out); });
            continue;
        }
        idents.push(ident);
        wires.push(wire.clone());
        timestamps |= format.is_some();
        writes.push(match (format, required) {
            (Some(format), true) => {
                quote! { #out.timestamp(#wire, ::core::option::Option::Some(&self.#ident), ::cloudspec_runtime::timestamp::#format); }
            }
            (Some(format), false) => {
                quote! { #out.timestamp(#wire, self.#ident.as_ref(), ::cloudspec_runtime::timestamp::#format); }
            }
            (None, _) => quote! { #out.member(#wire, &self.#ident); },
        });
    }
    let body = if container.transparent {
        quote! { #(#writes)* }
    } else if !timestamps {
        // One call with a table of the members: a call per field was most of what `encode` compiled to.
        let values = Ident::new("values", Span::mixed_site());
        quote! {
            let #values: &[&dyn ::cloudspec_runtime::json::Encode] = &[#(&self.#idents),*];
            #out.object(&[#(#wires),*], #values);
        }
    } else {
        quote! {
            #out.begin_object();
            #(#writes)*
            #out.end_object();
        }
    };
    let name = &input.ident;
    Ok(quote! {
        impl ::cloudspec_runtime::json::Encode for #name {
            fn encode(&self, #out: &mut ::cloudspec_runtime::json::Encoder) {
                #body
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                ::cloudspec_runtime::json::serialize(self, serializer)
            }
        }
    })
}
