//! Error enums: one per action (documented codes, the provider's common codes, unknown codes) and one
//! per provider (its common codes). The behaviour lives in the runtime's `ServiceError` trait; the
//! generated part is the classification: which code is which variant, and which are transient.

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

/// The per-action error enum.
pub fn action_error(e: &ErrorEnumIr, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("cloudspec_runtime::ErrorMetadata");
    out.uses.add("cloudspec_runtime::ErrorParts");
    out.uses.add("cloudspec_runtime::ServiceError");
    out.uses.add("super::CommonError");
    out.uses.add("cloudspec_runtime::UnknownCode");
    let name = ident(&e.ident);
    let docs = out.doc_attrs(&e.docs);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.ident)).collect();
    let variant_docs = e.variants.iter().map(|v| out.doc_attrs(&v.docs));
    let codes = e.variants.iter().map(|v| &v.code);
    let arms = documented_arms(&e.variants);
    // `m`, not `metadata`: the arms stay on one line each.
    let fallback = quote! { CommonError::classify(m).map_or_else(|m| Self::Unknown(m.into()), Self::Common) };
    let classify = if variants.is_empty() {
        fallback
    } else {
        quote! {
            match m.code() {
                #( #codes => Self::#variants(m), )*
                _ => #fallback,
            }
        }
    };
    let accessors = accessors(&name);
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants(ErrorMetadata), )*
            /// An error any action of the provider may return.
            Common(CommonError),
            /// A code the spec does not list: read it with `code()`, and do not match on it (it gets a
            /// variant of its own the day it is documented).
            Unknown(UnknownCode),
        }

        impl ServiceError for #name {
            fn from_metadata(m: ErrorMetadata) -> Self {
                #classify
            }

            fn parts(&self) -> ErrorParts<'_> {
                match self {
                    #(#arms)*
                    Self::Common(common) => common.parts(),
                    Self::Unknown(unknown) => unknown.parts(),
                }
            }
        }

        #accessors
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
