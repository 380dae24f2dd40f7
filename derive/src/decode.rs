//! `#[derive(Decode)]`: a received type's `cloudspec_runtime::json::Decode`, read through the
//! runtime's `Reader`, and a `Deserialize` that delegates to it (`cloudspec_runtime::json::deserialize`).
//!
//! For a struct, the expansion is a slot per field (an `Option` of its value type), one call to the
//! runtime's object loop (`Reader::slots_into`) with the slots as a table of `&mut dyn json::Slot`
//! (a timestamp's wrapped in `json::TimestampSlot` with its format), which the runtime's own
//! `Members` reads each member into by its index, and the value built from the slots. The runtime owns the rest,
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
use quote::quote;
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
    // Matched, not `map(From::from)`: that compiles a `map` and a `call_once` per enum.
    Ok(quote! {
        match <#from as ::cloudspec_runtime::json::Decode>::decode(#reader) {
            ::core::result::Result::Ok(value) => ::core::result::Result::Ok(<Self as ::core::convert::From<#from>>::from(value)),
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        }
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

/// The body of `decode` for an object of members: a slot per field, the slots handed to the runtime's
/// object loop as a table of `&mut dyn Slot`, then the value.
///
/// A table rather than a `Members` of the struct's own (a slot struct, its `impl` and a `match` over
/// the members, per struct: about a tenth of a type-heavy crate's type checking and borrow checking)
/// or a closure (the vtable of a `dyn FnMut` carries `FnOnce::call_once` and its shim). The table
/// holds references only, so it has no drop glue. Results are matched rather than passed through `?`,
/// which compiles a `from_residual` per type.
fn members(fields: &[Field<'_>], reader: &Ident) -> TokenStream {
    let local = |name: &str| Ident::new(name, Span::mixed_site());
    let error = local("error");
    let ok = quote! { ::core::result::Result::Ok };
    let err = quote! { ::core::result::Result::Err };
    let json = quote! { ::cloudspec_runtime::json };
    let wires = fields.iter().map(|f| &f.wire);
    if fields.is_empty() {
        return quote! {
            if let #err(#error) = #reader.members_into(&[], &mut ()) {
                return #err(#error);
            }
            #ok(Self {})
        };
    }
    let slots: Vec<Ident> = (0..fields.len()).map(|i| local(&format!("slot{i}"))).collect();
    let declarations = fields.iter().zip(&slots).map(|(f, slot)| {
        let value = f.value;
        quote! { let mut #slot: ::core::option::Option<#value> = ::core::option::Option::None; }
    });
    // The table of slots: each an `Option` of its value type, a timestamp's with its format.
    let table = |targets: Vec<TokenStream>| -> Vec<TokenStream> {
        fields
            .iter()
            .zip(targets)
            .map(|(f, target)| match &f.format {
                Some(format) => {
                    quote! { &mut #json::TimestampSlot(#target, ::cloudspec_runtime::timestamp::#format) }
                }
                None => target,
            })
            .collect()
    };
    let table_name = local("slots");
    let takes = fields.iter().zip(&slots).map(|(f, slot)| {
        let (ident, wire) = (f.ident, &f.wire);
        let value = local("value");
        if f.required {
            quote! {
                #ident: match #slot {
                    ::core::option::Option::Some(#value) => #value,
                    ::core::option::Option::None => return #err(#json::DecodeError::missing_field(#wire)),
                },
            }
        } else {
            quote! { #ident: #slot, }
        }
    });
    // Every field optional: the members are read straight into the value's own fields, so there is
    // nothing to move afterwards and one drop of the value on the way out of a panic.
    if fields.iter().all(|f| !f.required) {
        let value = local("value");
        let idents: Vec<&Ident> = fields.iter().map(|f| f.ident).collect();
        let table = table(idents.iter().map(|ident| quote! { &mut #value.#ident }).collect());
        return quote! {
            let mut #value = Self { #(#idents: ::core::option::Option::None,)* };
            let #table_name: &mut [&mut dyn #json::Slot] = &mut [#(#table),*];
            if let #err(#error) = #reader.slots_into(&[#(#wires),*], #table_name) {
                return #err(#error);
            }
            #ok(#value)
        };
    }
    let table = table(slots.iter().map(|slot| quote! { &mut #slot }).collect());
    quote! {
        #(#declarations)*
        let #table_name: &mut [&mut dyn #json::Slot] = &mut [#(#table),*];
        if let #err(#error) = #reader.slots_into(&[#(#wires),*], #table_name) {
            return #err(#error);
        }
        #ok(Self { #(#takes)* })
    }
}
