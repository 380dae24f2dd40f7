//! `#[derive(Decode)]`: a received type's `cloudspec_runtime::json::Decode`, read through the
//! runtime's `Reader`, and a `Deserialize` that delegates to it (`cloudspec_runtime::json::deserialize`).
//!
//! For a struct, the expansion is a slot per field (an `Option` of its value type), one call to the
//! runtime's object loop (`Reader::members_into`) with the slots as a `json::Members`, whose one
//! method is a `match` that reads a member into its slot (`read_slot`, or `field_with` and the
//! runtime's timestamp format), and the value built from the slots. The runtime owns the rest,
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
/// object loop as a `Members` (a struct of references to them, local to `decode`, whose one method is
/// the `match` that reads a member into its slot), then the value.
///
/// A `Members` rather than a closure: the vtable of a `dyn FnMut` carries `FnOnce::call_once` and
/// its shim, two functions more per struct; the slot struct holds references only, so it has no drop
/// glue. Results are matched rather than passed through `?`, which compiles a `from_residual` per type.
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
    // An item, not hygienic: named so that no generated type is shadowed by it.
    let slots_type = Ident::new("__CloudspecDecodeSlots", Span::call_site());
    let (this, index) = (local("self_"), local(if fields.len() == 1 { "_index" } else { "index" }));
    let slots: Vec<Ident> = (0..fields.len()).map(|i| local(&format!("slot{i}"))).collect();
    let slot_types = fields.iter().map(|f| {
        let value = f.value;
        quote! { &'s mut ::core::option::Option<#value> }
    });
    let declarations = fields.iter().zip(&slots).map(|(f, slot)| {
        let value = f.value;
        quote! { let mut #slot: ::core::option::Option<#value> = ::core::option::Option::None; }
    });
    let reads: Vec<TokenStream> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let position = proc_macro2::Literal::usize_unsuffixed(i);
            match &f.format {
                Some(format) => quote! { #reader.field_with(#this.#position, ::cloudspec_runtime::timestamp::#format) },
                None => quote! { #reader.read_slot(#this.#position) },
            }
        })
        .collect();
    // Each arm is the method's result.
    let read_field = match reads.as_slice() {
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
    let slots_impl = quote! {
        struct #slots_type<'s>(#(#slot_types),*);
        impl #json::Members for #slots_type<'_> {
            fn read_member(
                &mut self,
                #reader: &mut #json::Reader<'_, '_>,
                #index: usize,
            ) -> ::core::result::Result<(), #json::DecodeError> {
                let #this = self;
                #read_field
            }
        }
    };
    // Every field optional: the members are read straight into the value's own fields, so there is
    // nothing to move afterwards and one drop of the value on the way out of a panic.
    if fields.iter().all(|f| !f.required) {
        let value = local("value");
        let idents: Vec<&Ident> = fields.iter().map(|f| f.ident).collect();
        return quote! {
            #slots_impl
            let mut #value = Self { #(#idents: ::core::option::Option::None,)* };
            if let #err(#error) = #reader.members_into(&[#(#wires),*], &mut #slots_type(#(&mut #value.#idents),*)) {
                return #err(#error);
            }
            #ok(#value)
        };
    }
    quote! {
        #slots_impl
        #(#declarations)*
        if let #err(#error) = #reader.members_into(&[#(#wires),*], &mut #slots_type(#(&mut #slots),*)) {
            return #err(#error);
        }
        #ok(Self { #(#takes)* })
    }
}
