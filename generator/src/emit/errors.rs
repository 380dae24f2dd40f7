//! Error enums: one per action (documented codes, the provider's common codes, unknown codes) and one
//! per provider (its common codes). The behaviour lives in the runtime's `ServiceError` trait; the
//! generated part is the classification: which code is which variant, and which are transient. An
//! action's enum says it in attributes (`#[code("…", retryable)]`) that `#[derive(ServiceError)]`
//! reads; the provider's enum, one per provider, spells out its `classify` and `parts`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Out, ident};
use crate::ir::*;

/// `Self::A(m) | Self::B(m) => ErrorParts::documented(m, retryable, throttling)`: one arm per
/// classification.
fn documented_arms(variants: &[ErrorVariantIr]) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    for (retryable, throttling) in [(false, false), (true, false), (true, true), (false, true)] {
        let names: Vec<_> = variants
            .iter()
            .filter(|v| (v.retryable, v.throttling) == (retryable, throttling))
            .map(|v| ident(&v.ident))
            .collect();
        if !names.is_empty() {
            arms.push(quote! { #( Self::#names(m) )|* => ErrorParts::documented(m, #retryable, #throttling), });
        }
    }
    arms
}

/// Inherent `code()`, `message()`, `request_id()`, `is_retryable()`, `is_throttling()`, so callers need
/// not import the trait.
fn accessors(name: &proc_macro2::Ident) -> TokenStream {
    quote! { cloudspec_runtime::error_impls!(#name); }
}

/// The per-action error enum: its variants, each with its code and classification, and
/// `#[derive(ServiceError)]`, which writes the classification and the accessors.
pub fn action_error(e: &ErrorEnumIr, out: &mut Out<'_>) -> TokenStream {
    if !e.variants.is_empty() {
        out.uses.add("cloudspec_runtime::ErrorMetadata");
    }
    out.uses.add("cloudspec_runtime::ServiceError");
    out.uses.add("super::CommonError");
    out.uses.add("cloudspec_runtime::UnknownCode");
    let name = ident(&e.ident);
    let docs = out.doc_attrs(&e.docs);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let docs = out.doc_attrs(&v.docs);
        let code = &v.code;
        let retryable = v.retryable.then(|| quote! { , retryable });
        let throttling = v.throttling.then(|| quote! { , throttling });
        quote! { #docs #[code(#code #retryable #throttling)] #variant(ErrorMetadata), }
    });
    let variants: Vec<_> = variants.collect();
    quote! {
        #docs
        #[derive(ServiceError)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error any action of the provider may return.
            Common(CommonError),
            /// A code the spec does not list: read it with `code()`, and do not match on it (it gets a
            /// variant of its own the day it is documented).
            Unknown(UnknownCode),
        }
    }
}

/// The provider's `CommonError`.
pub fn common_error(variants_ir: &[ErrorVariantIr], provider_title: &str, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("cloudspec_runtime::ErrorMetadata");
    out.uses.add("cloudspec_runtime::ErrorParts");
    let name = ident("CommonError");
    let variants: Vec<_> = variants_ir.iter().map(|v| ident(&v.ident)).collect();
    let variant_docs = variants_ir.iter().map(|v| out.doc_attrs(&v.docs));
    let codes = variants_ir.iter().map(|v| &v.code);
    let arms = documented_arms(variants_ir);
    let doc = format!(" An error code any {provider_title} action may return.");
    let parts_body = if variants.is_empty() {
        quote! { match *self {} }
    } else {
        quote! { match self { #(#arms)* } }
    };
    let accessors = accessors(&name);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum CommonError {
            #( #variant_docs #variants(ErrorMetadata), )*
        }

        impl CommonError {
            /// The common error with this metadata's code, or the metadata back if the code is not common.
            pub fn classify(metadata: ErrorMetadata) -> Result<Self, ErrorMetadata> {
                match metadata.code() {
                    #( #codes => Ok(Self::#variants(metadata)), )*
                    _ => Err(metadata),
                }
            }

            /// What the error says, and how the spec classifies it.
            pub fn parts(&self) -> ErrorParts<'_> {
                #parts_body
            }
        }

        #accessors
    }
}
