//! Derive macros for the code cloudspec generates, so that generated source reads like hand-written
//! Rust: plain structs and enums with their documentation, and a derive for the machinery each needs.
//! Use them through `cloudspec_runtime` (which re-exports them), as generated crates do.
//!
//! - `Builder`, on a sent struct: its getters, a validating builder, `to_builder` and `validate`
//!   (`builder.rs`);
//! - `Encode`, on a sent struct: its `json::Encode`, member by member through the runtime's
//!   `json::Encoder`, and a `Serialize` that goes through it (`encode.rs`);
//! - `Decode`, on a received struct or open enumeration: its `json::Decode`, member by member through
//!   the runtime's `json::Reader`, and a `Deserialize` that goes through it (`decode.rs`);
//! - `ServiceError`, on an action's error enum: `impl ServiceError` from each variant's
//!   `#[code("…")]`, its `Clone` and `Debug` (through a table of the documented codes), and the
//!   inherent accessors (`service_error.rs`);
//! - `OpenEnum`, on an open enumeration: its values, `as_str` or `as_i64`, `is_known` and the
//!   conversions from each variant's `#[value(…)]` (`open_enum.rs`).
//!
//! Every path in an expansion is absolute (`::cloudspec_runtime::…`, `::core::…`), so a generated
//! type of any name cannot capture one; local variables are hygienic. Bad input is a
//! `compile_error!` at the offending token, never a panic.

mod builder;
mod decode;
mod encode;
mod open_enum;
mod service_error;
mod shape;

use proc_macro::TokenStream;

/// A sent struct's getters, builder, `to_builder` and `validate` (its helper attribute: `#[builder(…)]`).
#[proc_macro_derive(Builder, attributes(builder, serde))]
pub fn derive_builder(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    builder::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// A received type's `json::Decode` through the runtime's `json::Reader`, and its `Deserialize` (it
/// reads serde's own `rename`, `rename_all = "PascalCase"`, `with`, `transparent` and an enum's `from`).
#[proc_macro_derive(Decode, attributes(serde))]
pub fn derive_decode(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    decode::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// A sent struct's `json::Encode` through the runtime's `json::Encoder`, and its `Serialize` (it reads
/// serde's own `rename`, `rename_all = "PascalCase"`, `with` and `transparent`).
#[proc_macro_derive(Encode, attributes(serde))]
pub fn derive_encode(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    encode::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// An action's error enum: `impl ServiceError`, `Clone`, `Debug` and its accessors (its helper attribute:
/// `#[code("…")]`).
#[proc_macro_derive(ServiceError, attributes(code))]
pub fn derive_service_error(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    service_error::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// An open enumeration's `VALUES`, `as_str` (or `as_i64`), `is_known`, conversions and `Display`
/// (its helper attribute: `#[value("…")]` or `#[value(1)]` on each known variant).
#[proc_macro_derive(OpenEnum, attributes(value))]
pub fn derive_open_enum(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    open_enum::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

#[cfg(test)]
mod tests;
