//! `#[derive(Decode)]`: a received type's `cloudspec_runtime::json::Decode`, read through the
//! runtime's `Reader`, and a `Deserialize` that delegates to it (`cloudspec_runtime::json::deserialize`).
//!
//! For a struct, the expansion is a slot per field (an `Option` of its value type), one call to the
//! runtime's object loop with a `match` that reads a member into its slot (`field`, or `field_with`
//! and the runtime's timestamp format), and the value built from the slots. The runtime owns the rest,
//! compiled once (the loop over members, unknown ones skipped, `null` as absence, the lenient scalar
//! rules, errors that name the member and never its value). A field that is not an `Option` is
//! required: its absence is an error naming its wire name. An enum with serde's `from = "…"` (the
//! generator's open enumerations) is read as that type and converted with its `From`.
//!
//! What it reads, all in serde's own attributes (so a type that is also sent has one spelling of its
//! wire names for both directions): the field's `rename`, else its name under the struct's
//! `rename_all = "PascalCase"`, else its name; the field's `with = "cloudspec_runtime::timestamp::…"`
//! (`::option` for an `Option`), which names its timestamp format; the struct's `transparent`, for a
//! struct whose one field is the whole body; an enum's `from`. A struct without fields reads any object.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{DeriveInput, LitStr, Type};

use crate::shape;

/// One field as the decoder sees it.
type Field<'a> = shape::WireField<'a>;

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let container = shape::SerdeContainer::read(&input.attrs)?;
    let name = &input.ident;
    let reader = Ident::new("reader", Span::mixed_site());
    let body = match (&input.data, &container.from) {
        (syn::Data::Enum(_), Some(from)) => from_type(input, from, &reader)?,
        _ => struct_body(input, &container, &reader)?,
    };
    Ok(quote! {
        impl ::cloudspec_runtime::json::Decode for #name {
            fn decode(
                #reader: &mut ::cloudspec_runtime::json::Reader<'_, '_>,
            ) -> ::core::result::Result<Self, ::cloudspec_runtime::json::DecodeError> {
                #body
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                ::cloudspec_runtime::json::deserialize(deserializer)
            }
        }
    })
}

/// The body of `decode` for an enum read as serde's `from` type (`String`, `i64`) and converted.
fn from_type(input: &DeriveInput, from: &LitStr, reader: &Ident) -> syn::Result<TokenStream> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "`Decode` does not take generic enums"));
    }
    let from: Type = from.parse()?;
    Ok(quote! {
        <#from as ::cloudspec_runtime::json::Decode>::decode(#reader).map(<Self as ::core::convert::From<#from>>::from)
    })
}

/// The body of `decode` for a struct: its one field (`transparent`), or its members.
fn struct_body(input: &DeriveInput, container: &shape::SerdeContainer, reader: &Ident) -> syn::Result<TokenStream> {
    if matches!(input.data, syn::Data::Enum(_)) {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`Decode` derives for structs only, or for an enum read through `#[serde(from = \"…\")]`",
        ));
    }
    let named = shape::named_fields(input, "Decode")?;
    let fields = named.named.iter().map(|f| Field::read(f, container, "Decode")).collect::<syn::Result<Vec<_>>>()?;
    if container.transparent {
        let [field] = fields.as_slice() else {
            return Err(syn::Error::new_spanned(&input.ident, "`#[serde(transparent)]` needs exactly one field"));
        };
        if field.format.is_some() {
            return Err(syn::Error::new_spanned(field.ident, "`Decode` reads a transparent field without `with`"));
        }
        let member = field.ident;
        return Ok(quote! {
            ::core::result::Result::Ok(Self { #member: ::cloudspec_runtime::json::Decode::decode(#reader)? })
        });
    }
    Ok(members(&fields, reader))
}

/// The body of `decode` for an object of members: a slot per field, the runtime's object loop with
/// the `match` that reads a member into its slot, then the value.
fn members(fields: &[Field<'_>], reader: &Ident) -> TokenStream {
    let local = |name: &str| Ident::new(name, Span::mixed_site());
    // One field (or none): its read is the whole body, and the index is not looked at.
    let index = local(if fields.len() == 1 { "_index" } else { "index" });
    let slots: Vec<Ident> = (0..fields.len()).map(|i| local(&format!("slot{i}"))).collect();
    let wires = fields.iter().map(|f| &f.wire);
    let declarations = fields.iter().zip(&slots).map(|(f, slot)| {
        let value = f.value;
        quote! { let mut #slot: ::core::option::Option<#value> = ::core::option::Option::None; }
    });
    let reads: Vec<TokenStream> = fields
        .iter()
        .zip(&slots)
        .map(|(f, slot)| match &f.format {
            Some(format) => quote! { #reader.field_with(&mut #slot, ::cloudspec_runtime::timestamp::#format) },
            None => quote! { #reader.field(&mut #slot) },
        })
        .collect();
    // Each arm is the closure's result: no `?` per field.
    let read_field = match reads.as_slice() {
        [] => quote! { ::core::result::Result::Ok(()) },
        [only] => quote! { #only },
        _ => {
            let last = reads.len() - 1;
            let arms = reads.iter().enumerate().map(|(i, read)| {
                let pattern = if i == last {
                    quote! { _ }
                } else {
                    proc_macro2::Literal::usize_unsuffixed(i).into_token_stream()
                };
                quote! { #pattern => #read, }
            });
            quote! { match #index { #(#arms)* } }
        }
    };
    let takes = fields.iter().zip(&slots).map(|(f, slot)| {
        let (ident, wire) = (f.ident, &f.wire);
        if f.required {
            quote! { #ident: ::cloudspec_runtime::json::Reader::required(#slot, #wire)?, }
        } else {
            quote! { #ident: #slot, }
        }
    });
    quote! {
        #(#declarations)*
        #reader.object(&[#(#wires),*], &mut |#reader, #index| #read_field)?;
        ::core::result::Result::Ok(Self { #(#takes)* })
    }
}
