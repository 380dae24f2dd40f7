//! Structs: requests and sent objects (private fields; `#[derive(Builder)]` makes the getters and the
//! validating builder) and responses and received objects (public fields, `#[derive(Decode)]`); their
//! serde attributes come from `decode.rs`.
//!
//! The rules are checked on the value, in place: `build` assembles it (every missing required field is
//! reported at once), then validates it (every broken rule is reported at once).

use proc_macro2::TokenStream;
use quote::quote;

use super::decode::wire_attrs;
use super::{Out, ident};
use crate::ir::*;

/// A received struct: public fields, and `#[derive(Decode)]`, which reads their serde attributes.
pub fn output_struct(s: &StructIr, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("cloudspec_runtime::Decode");
    let name = ident(&s.ident);
    let docs = out.doc_attrs(&s.docs);
    let wire = wire_attrs(s, false);
    let fields = s
        .fields
        .iter()
        .zip(&wire.fields)
        .map(|(f, serde)| {
            let field = ident(&f.ident);
            let ty = field_type(f, out);
            let docs = out.doc_attrs(&f.docs);
            quote! { #docs #serde pub #field: #ty, }
        })
        .collect::<Vec<_>>();
    let container = wire.container;
    quote! {
        #docs
        #[derive(Debug, Clone, Decode)]
        #container
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
    }
}

/// How a sent struct is sent: as a request, or inside others (a shared type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// An action's request.
    AsRequest,
    /// A shared type, in the crate of the requests that contain it.
    InSameCrate,
    /// A shared type in a crate of its own, which the crates of the requests containing it depend on
    /// (a split service, `layout::catalogue`).
    InSharedCrate,
}

/// A sent struct: private fields, each with its documentation (which `#[derive(Builder)]` puts on its
/// getter), and the derive's builder. A nested struct also gets the `validate_at` its containers call
/// (a request's is its `impl Request`, `client::request_impl`).
pub fn input_struct(s: &StructIr, sent: Sent, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("cloudspec_runtime::Encode");
    out.uses.add("cloudspec_runtime::Builder");
    let name = ident(&s.ident);
    let docs = out.doc_attrs(&s.docs);
    // A type that is also received decodes by the same serde attributes it is sent by.
    let decode = s.usage.output.then(|| {
        out.uses.add("cloudspec_runtime::Decode");
        quote! { , Decode }
    });
    let wire = wire_attrs(s, true);
    let fields = s
        .fields
        .iter()
        .zip(&wire.fields)
        .map(|(f, serde)| {
            let field = ident(&f.ident);
            let ty = field_type(f, out);
            let docs = out.doc_attrs(&f.docs);
            let mut flags = Vec::new();
            if !f.required && f.required_to_send {
                flags.push(quote! { required });
            }
            if let Some(note) = &f.deprecated {
                flags.push(quote! { deprecated = #note });
            }
            let builder = (!flags.is_empty()).then(|| quote! { #[builder(#(#flags),*)] });
            quote! { #docs #serde #builder #field: #ty, }
        })
        .collect::<Vec<_>>();
    let builder_name = s.builder.as_deref().filter(|b| *b != format!("{}Builder", s.ident));
    let builder_attr = builder_name.map(|b| quote! { #[builder(name = #b)] });
    let validate_at = if sent != Sent::AsRequest {
        out.uses.add("cloudspec_runtime::Validator");
        let checks: Vec<_> = s.fields.iter().map(|f| super::checks::field_checks(f, out)).collect();
        let (path, v) = if checks.iter().all(TokenStream::is_empty) {
            (quote! { _path }, quote! { _v })
        } else {
            (quote! { path }, quote! { v })
        };
        // Across crates (a split service's shared types) the containers' crates call it too; it is
        // not for users, who validate whole requests.
        let visibility = match sent {
            Sent::InSharedCrate => quote! { #[doc(hidden)] pub },
            _ => quote! { pub(crate) },
        };
        quote! {
            impl #name {
                /// Records this value's violations under `path`, for the structs that contain it.
                #visibility fn validate_at(&self, #path: &str, #v: &mut Validator) { #(#checks)* }
            }
        }
    } else {
        // The derive's `validate` runs the trait's `validate_at`.
        out.uses.add("cloudspec_runtime::Request");
        quote! {}
    };
    let container = wire.container;
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Encode, Builder #decode)]
        #container
        #builder_attr
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        #validate_at
    }
}

/// The field's type, in `Option` unless required.
fn field_type(f: &FieldIr, out: &mut Out<'_>) -> TokenStream {
    let ty = out.type_tokens(&f.ty);
    let ty = if f.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    };
    if f.required {
        ty
    } else {
        quote! { Option<#ty> }
    }
}
