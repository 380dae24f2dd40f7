//! `#[derive(Decode)]`: a received struct's `Deserialize`, its members read straight from the response
//! text through the runtime's `cloudspec_runtime::json::Fields`.
//!
//! The expansion declares a local tuple struct of slots (one `Option` per field) and implements
//! `Fields` on it: the wire names, and one read per field (`read`, or `read_with` and the runtime's
//! timestamp format). The runtime owns the loop over members (unknown ones skipped, `null` as absence,
//! the lenient scalar rules, errors that name the member and never its value). A field that is not an
//! `Option` is required: its absence is an error naming its wire name.
//!
//! What it reads, all in serde's own attributes (so a type that is also sent has one spelling of its
//! wire names for both directions): the field's `rename`, else its name under the struct's
//! `rename_all = "PascalCase"`, else its name; the field's `with = "cloudspec_runtime::timestamp::…"`
//! (`::option` for an `Option`), which names its timestamp format; the struct's `transparent`, for a
//! struct whose one field is the whole body. A struct without fields reads any object.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::{DeriveInput, LitStr, Type};

use crate::shape;

/// One field as the decoder sees it.
struct Field<'a> {
    ident: &'a Ident,
    /// The slot's value type: the field's type without its `Option`.
    value: &'a Type,
    /// Not an `Option`: its absence is an error.
    required: bool,
    wire: LitStr,
    /// The runtime's timestamp format type (`Iso8601`, …), from serde's `with`.
    format: Option<Ident>,
}

impl<'a> Field<'a> {
    fn read(field: &'a syn::Field, container: &shape::SerdeContainer) -> syn::Result<Self> {
        let Some(ident) = &field.ident else {
            return Err(syn::Error::new_spanned(field, "`Decode` needs named fields"));
        };
        let (required, value) = match shape::unwrap(&field.ty, "Option") {
            Some(inner) => (false, inner),
            None => (true, &field.ty),
        };
        let serde = shape::SerdeField::read(&field.attrs)?;
        let format = match &serde.with {
            Some(with) => Some(format(with, required)?),
            None if ["OffsetDateTime", "PrimitiveDateTime", "Date"].iter().any(|t| shape::is_named(value, t)) => {
                return Err(syn::Error::new_spanned(
                    &field.ty,
                    "a timestamp needs its format: `#[serde(with = \"cloudspec_runtime::timestamp::…\")]`",
                ));
            }
            None => None,
        };
        let wire = container.wire(ident, serde.rename);
        Ok(Field { ident, value, required, wire, format })
    }
}

/// The format type of a timestamp module named in `with`: `cloudspec_runtime::timestamp::iso8601`
/// (or `…::iso8601::option` on an `Option`) → `Iso8601`.
fn format(with: &LitStr, required: bool) -> syn::Result<Ident> {
    let text = with.value();
    let module = text.trim_start_matches("::").strip_prefix("cloudspec_runtime::timestamp::");
    let module = match (module, required) {
        (Some(module), true) => Some(module),
        (Some(module), false) => module.strip_suffix("::option"),
        (None, _) => None,
    };
    let name = match module {
        Some("iso8601") => "Iso8601",
        Some("datetime") => "Datetime",
        Some("date") => "Date",
        Some("epoch_seconds") => "EpochSeconds",
        Some("epoch_millis") => "EpochMillis",
        _ => {
            let option = if required { "" } else { "::option, on an `Option`" };
            return Err(syn::Error::new_spanned(
                with,
                format!(
                    "expected a timestamp module: `cloudspec_runtime::timestamp::` and one of iso8601, datetime, \
                     date, epoch_seconds, epoch_millis{option}"
                ),
            ));
        }
    };
    Ok(Ident::new(name, with.span()))
}

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let named = shape::named_fields(input, "Decode")?;
    let container = shape::SerdeContainer::read(&input.attrs)?;
    let fields = named.named.iter().map(|f| Field::read(f, &container)).collect::<syn::Result<Vec<_>>>()?;
    let name = &input.ident;
    let deserializer = Ident::new("deserializer", Span::mixed_site());
    let body = if container.transparent {
        let [field] = fields.as_slice() else {
            return Err(syn::Error::new_spanned(&input.ident, "`#[serde(transparent)]` needs exactly one field"));
        };
        if field.format.is_some() {
            return Err(syn::Error::new_spanned(field.ident, "`Decode` reads a transparent field without `with`"));
        }
        let member = field.ident;
        quote! {
            ::core::result::Result::Ok(Self { #member: ::serde::Deserialize::deserialize(#deserializer)? })
        }
    } else if fields.is_empty() {
        quote! {
            <() as ::cloudspec_runtime::json::Fields<'de>>::decode(#deserializer, ())?;
            ::core::result::Result::Ok(Self {})
        }
    } else {
        members(&fields, &deserializer)
    };
    Ok(quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(#deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #body
            }
        }
    })
}

/// The body of `deserialize` for an object of members: the slots, their `Fields`, then the value.
fn members(fields: &[Field<'_>], deserializer: &Ident) -> TokenStream {
    let local = |name: &str| Ident::new(name, Span::mixed_site());
    // One field: its read is the whole body, and the index is not looked at.
    let field = local(if fields.len() == 1 { "_field" } else { "field" });
    let (slots, map) = (local("slots"), local("map"));
    let fields_trait = quote! { ::cloudspec_runtime::json::Fields<'de> };
    // A local item, so not hygienic: the generator reserves the name for this (no spec type takes it).
    let slots_type = format_ident!("Slots");
    let slot_types = fields.iter().map(|f| {
        let value = f.value;
        quote! { ::core::option::Option<#value> }
    });
    let nones = fields.iter().map(|_| quote! { ::core::option::Option::None });
    let wires = fields.iter().map(|f| &f.wire);
    let reads: Vec<TokenStream> = fields
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let slot = syn::Index::from(index);
            match &f.format {
                Some(format) => quote! {
                    <Self as #fields_trait>::read_with(&mut self.#slot, #map, ::cloudspec_runtime::timestamp::#format)
                },
                None => quote! { <Self as #fields_trait>::read(&mut self.#slot, #map) },
            }
        })
        .collect();
    let read_field = match reads.as_slice() {
        [only] => only.clone(),
        _ => {
            let last = reads.len() - 1;
            let arms = reads.iter().enumerate().map(|(index, read)| {
                let pattern = if index == last {
                    quote! { _ }
                } else {
                    let slot = syn::Index::from(index);
                    quote! { #slot }
                };
                quote! { #pattern => #read, }
            });
            quote! { match #field { #(#arms)* } }
        }
    };
    let takes = fields.iter().enumerate().map(|(index, f)| {
        let (ident, wire) = (f.ident, &f.wire);
        let slot = syn::Index::from(index);
        if f.required {
            quote! { #ident: <#slots_type as #fields_trait>::required(#slots.#slot, #wire)?, }
        } else {
            quote! { #ident: #slots.#slot, }
        }
    });
    quote! {
        struct #slots_type(#(#slot_types),*);
        impl<'de> #fields_trait for #slots_type {
            const NAMES: &'static [&'static str] = &[#(#wires),*];
            fn read_field<A: ::serde::de::MapAccess<'de>>(
                &mut self,
                #field: usize,
                #map: &mut A,
            ) -> ::core::result::Result<(), A::Error> {
                #read_field
            }
        }
        let #slots = <#slots_type as #fields_trait>::decode(#deserializer, #slots_type(#(#nones),*))?;
        ::core::result::Result::Ok(Self { #(#takes)* })
    }
}
