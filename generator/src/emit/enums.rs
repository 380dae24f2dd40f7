//! Open enumerations: known values as variants, each with its wire value (`#[value("auto")]`), anything
//! else kept in `Unknown`; `#[derive(OpenEnum)]` writes the rest. They are received through
//! `#[derive(Decode)]`, which reads them as serde's `from` type (`String`, `i64`) and converts.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Out, ident};
use crate::ir::*;

/// An enumeration that is written as its wire values and decodes values it does not know.
pub fn enum_type(e: &EnumIr, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("cloudspec_runtime::Decode");
    // `OpenEnum` writes the values, `as_str`/`as_i64`, `is_known`, the conversions and `Display`.
    out.uses.add("cloudspec_runtime::OpenEnum");
    let name = ident(&e.ident);
    let docs = out.doc_attrs(&e.docs);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.ident)).collect();
    let variant_docs = e.variants.iter().map(|v| out.doc_attrs(&v.docs));
    match e.base {
        EnumBase::String => {
            let values: Vec<String> = e.variants.iter().map(|v| crate::check::values::display(&v.value)).collect();
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash, Decode, OpenEnum)]
                #[serde(from = "String")]
                #[non_exhaustive]
                pub enum #name {
                    #( #variant_docs #[value(#values)] #variants, )*
                    /// A value this version of the spec does not list.
                    Unknown(String),
                }
            }
        }
        EnumBase::Int => {
            let values: Vec<Literal> =
                e.variants.iter().map(|v| Literal::i64_unsuffixed(v.value.as_i64().unwrap_or_default())).collect();
            quote! {
                #docs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Decode, OpenEnum)]
                #[serde(from = "i64")]
                #[non_exhaustive]
                pub enum #name {
                    #( #variant_docs #[value(#values)] #variants, )*
                    /// A value this version of the spec does not list.
                    Unknown(i64),
                }
            }
        }
    }
}
