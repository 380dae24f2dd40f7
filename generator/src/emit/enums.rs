//! Open enumerations: known values as variants, anything else kept in `Unknown`. They are received
//! through `#[derive(Decode)]`, which reads them as serde's `from` type (`String`, `i64`) and converts.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Out, ident};
use crate::ir::*;

/// An enumeration that serializes to its wire values and decodes values it does not know.
pub fn enum_type(e: &EnumIr, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("cloudspec_runtime::Decode");
    out.uses.add("serde::Serialize");
    let name = ident(&e.ident);
    let docs = out.doc_attrs(&e.docs);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.ident)).collect();
    let variant_docs = e.variants.iter().map(|v| out.doc_attrs(&v.docs));
    match e.base {
        EnumBase::String => {
            let values: Vec<String> = e.variants.iter().map(|v| crate::check::values::display(&v.value)).collect();
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Decode)]
                #[serde(from = "String", into = "String")]
                #[non_exhaustive]
                pub enum #name {
                    #( #variant_docs #variants, )*
                    /// A value this version of the spec does not list.
                    Unknown(String),
                }

                impl #name {
                    /// Every value the spec lists.
                    pub const VALUES: &'static [&'static str] = &[#(#values),*];

                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#variants => #values, )*
                            Self::Unknown(value) => value,
                        }
                    }

                    /// Whether the spec lists this value.
                    pub fn is_known(&self) -> bool {
                        !matches!(self, Self::Unknown(_))
                    }
                }

                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #( #values => Self::#variants, )*
                            other => Self::Unknown(other.to_owned()),
                        }
                    }
                }

                impl From<String> for #name {
                    fn from(value: String) -> Self {
                        Self::from(value.as_str())
                    }
                }

                impl From<#name> for String {
                    fn from(value: #name) -> Self {
                        value.as_str().to_owned()
                    }
                }

                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            }
        }
        EnumBase::Int => {
            let values: Vec<Literal> =
                e.variants.iter().map(|v| Literal::i64_unsuffixed(v.value.as_i64().unwrap_or_default())).collect();
            quote! {
                #docs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Decode)]
                #[serde(from = "i64", into = "i64")]
                #[non_exhaustive]
                pub enum #name {
                    #( #variant_docs #variants, )*
                    /// A value this version of the spec does not list.
                    Unknown(i64),
                }

                impl #name {
                    /// Every value the spec lists.
                    pub const VALUES: &'static [i64] = &[#(#values),*];

                    /// The value as sent on the wire.
                    pub fn as_i64(&self) -> i64 {
                        match self {
                            #( Self::#variants => #values, )*
                            Self::Unknown(value) => *value,
                        }
                    }

                    /// Whether the spec lists this value.
                    pub fn is_known(&self) -> bool {
                        !matches!(self, Self::Unknown(_))
                    }
                }

                impl From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #( #values => Self::#variants, )*
                            other => Self::Unknown(other),
                        }
                    }
                }

                impl From<#name> for i64 {
                    fn from(value: #name) -> Self {
                        value.as_i64()
                    }
                }

                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "{}", self.as_i64())
                    }
                }
            }
        }
    }
}
