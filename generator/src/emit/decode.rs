//! `impl Deserialize` of received structs: their members read straight from the response text.
//!
//! Each struct gets a local tuple struct of slots (one `Option` per field) implementing
//! `cloudspec_runtime::json::Fields`: its wire names and one `match` arm per field. The runtime owns the
//! loop over members (unknown ones skipped, `null` as absence, the lenient scalar rules, errors that
//! name the member and never its value), so what is generated per struct is a few lines per field,
//! with no visitor types and no `#[derive(Deserialize)]` expansion.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Out, ident};
use crate::ir::*;
use crate::spec::TimeFormat;

/// `impl Deserialize` for a received struct.
pub fn deserialize_impl(s: &StructIr, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("serde::Deserialize");
    out.uses.add("serde::Deserializer");
    let name = ident(&s.ident);
    if let (true, [field]) = (s.body, s.fields.as_slice()) {
        let member = ident(&field.ident);
        return quote! {
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    Ok(Self { #member: Deserialize::deserialize(deserializer)? })
                }
            }
        };
    }
    out.uses.add("cloudspec_runtime::json::Fields");
    if s.fields.is_empty() {
        return quote! {
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    <() as Fields<'de>>::decode(deserializer, ())?;
                    Ok(Self {})
                }
            }
        };
    }
    let slot_types = s.fields.iter().map(|f| {
        let ty = out.type_tokens(&f.ty);
        if f.boxed {
            quote! { Option<Box<#ty>> }
        } else {
            quote! { Option<#ty> }
        }
    });
    let nones = s.fields.iter().map(|_| quote! { None });
    let wires = s.fields.iter().map(|f| &f.wire);
    let reads: Vec<TokenStream> = s
        .fields
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let slot = syn::Index::from(index);
            match format(&f.ty) {
                Some(format) => {
                    let format = format_ident!("{format}");
                    quote! { Self::read_with(&mut self.#slot, map, cloudspec_runtime::timestamp::#format) }
                }
                None => quote! { Self::read(&mut self.#slot, map) },
            }
        })
        .collect();
    // One field: its read is the whole body (a one-arm `match` is clippy's `match_single_binding`).
    let field_param = if reads.len() == 1 {
        quote! { _field }
    } else {
        quote! { field }
    };
    let read_field = match reads.as_slice() {
        [only] => only.clone(),
        _ => {
            let last = reads.len() - 1;
            let arms = reads.iter().enumerate().map(|(index, read)| {
                let slot = syn::Index::from(index);
                let pattern = if index == last {
                    quote! { _ }
                } else {
                    quote! { #slot }
                };
                quote! { #pattern => #read, }
            });
            quote! { match field { #(#arms)* } }
        }
    };
    let takes = s.fields.iter().enumerate().map(|(index, f)| {
        let field = ident(&f.ident);
        let slot = syn::Index::from(index);
        let wire = &f.wire;
        if f.required {
            quote! { #field: Slots::required(slots.#slot, #wire)?, }
        } else {
            quote! { #field: slots.#slot, }
        }
    });
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Slots(#(#slot_types),*);
                impl<'de> Fields<'de> for Slots {
                    const NAMES: &'static [&'static str] = &[#(#wires),*];
                    fn read_field<A: serde::de::MapAccess<'de>>(&mut self, #field_param: usize, map: &mut A) -> Result<(), A::Error> {
                        #read_field
                    }
                }
                let slots = Slots::decode(deserializer, Slots(#(#nones),*))?;
                Ok(Self { #(#takes)* })
            }
        }
    }
}

/// The runtime's type for a timestamp format (`cloudspec_runtime::timestamp::Iso8601`, …).
fn format(ty: &RustType) -> Option<&'static str> {
    Some(match ty {
        RustType::Timestamp(TimeFormat::Iso8601) => "Iso8601",
        RustType::Timestamp(TimeFormat::Datetime) => "Datetime",
        RustType::Timestamp(TimeFormat::EpochSeconds) => "EpochSeconds",
        RustType::Timestamp(TimeFormat::EpochMillis) => "EpochMillis",
        RustType::Date => "Date",
        _ => return None,
    })
}
