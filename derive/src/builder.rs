//! `#[derive(Builder)]`: a sent struct's getters, its builder, `to_builder` and `validate`.
//!
//! On `struct Foo` with private fields, the derive writes:
//!
//! - on `Foo`: `builder()`, `to_builder()`, `validate()` (which runs `self.validate_at("", …)`: the
//!   `Request` trait's, or the struct's own for a type nested in requests), and one getter per field,
//!   named after it and carrying its documentation: `&str` for a `String`, `&[T]` for a `Vec<T>`, `&T`
//!   for a `Box<T>`, `T` for a `Copy` scalar, `&T` otherwise, each in an `Option` when the field is;
//! - `FooBuilder` (or the name in `#[builder(name = "…")]`): `Debug`, `Clone`, `Default`,
//!   `#[must_use]`, one `Option` per field, a setter per field (`impl Into<T>`, or `T` for a `Copy`
//!   scalar), `build` (assembles, then validates) and `build_unchecked` (assembles: every missing
//!   required field is reported at once, by wire name, in field order).
//!
//! A field is required when its type is not an `Option`, or when it says `#[builder(required)]` (an
//! `Option` a sent value must have). Its wire name is serde's `rename`, else its name under the
//! struct's `#[serde(rename_all = "PascalCase")]`, else its name.
//! `#[builder(deprecated = "note")]` deprecates its setter. `to_builder` clones the value whole, so
//! `Foo` must be `Clone` (generated structs derive it).
//!
//! Every function it writes is `#[inline]` (the builder's `Debug` is written out for that): compiled
//! in the crate that calls it, not in the generated crate, which calls none of them. A user builds the
//! requests of the actions they call; a catalogue crate compiled every builder of every action.
//!
//! What does not depend on the struct is in the runtime (`cloudspec_runtime::builder`), called once
//! per function with a table rather than written out per field: the missing-field check of
//! `build_unchecked`, the builder's `Debug`, `validate` and `build`. Each function is still
//! type-checked and borrow-checked in the generated crate, so the smaller each body, the cheaper the
//! crate.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{DeriveInput, LitStr, Type};

use crate::shape;

/// One field as the builder sees it.
struct Field<'a> {
    ident: &'a Ident,
    /// The value's type: without `Option` and `Box`.
    value: &'a Type,
    /// `T`, not `Option<T>`.
    present: bool,
    /// Stored as `Box<T>`.
    boxed: bool,
    /// `build_unchecked` refuses a value without it.
    required: bool,
    wire: LitStr,
    deprecated: Option<LitStr>,
    field: &'a syn::Field,
}

impl<'a> Field<'a> {
    fn read(field: &'a syn::Field, container: &shape::SerdeContainer) -> syn::Result<Self> {
        let Some(ident) = &field.ident else {
            return Err(syn::Error::new_spanned(field, "`Builder` needs named fields"));
        };
        let (present, ty) = match shape::unwrap(&field.ty, "Option") {
            Some(inner) => (false, inner),
            None => (true, &field.ty),
        };
        let (boxed, value) = match shape::unwrap(ty, "Box") {
            Some(inner) => (true, inner),
            None => (false, ty),
        };
        let mut required = present;
        let mut deprecated = None;
        for attr in field.attrs.iter().filter(|attr| attr.path().is_ident("builder")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("required") {
                    required = true;
                } else if meta.path.is_ident("deprecated") {
                    deprecated = Some(meta.value()?.parse()?);
                } else {
                    return Err(meta.error("expected `required` or `deprecated = \"…\"`"));
                }
                Ok(())
            })?;
        }
        let wire = container.wire(ident, shape::SerdeField::read(&field.attrs)?.rename);
        Ok(Field { ident, value, present, boxed, required, wire, deprecated, field })
    }

    fn copy(&self) -> bool {
        !self.boxed && shape::is_copy(self.value)
    }

    /// The getter: the field's documentation, and the value by reference (or by value when `Copy`).
    fn getter(&self) -> TokenStream {
        let Field { ident, value, .. } = self;
        let docs = shape::docs(&self.field.attrs);
        let (ty, body) = if self.boxed {
            match self.present {
                true => (quote! { &#value }, quote! { self.#ident.as_ref() }),
                false => (quote! { ::core::option::Option<&#value> }, quote! { self.#ident.as_deref() }),
            }
        } else if let Some(ty) = self.borrowed() {
            match self.present {
                true => (quote! { &#ty }, quote! { &self.#ident }),
                false => (quote! { ::core::option::Option<&#ty> }, quote! { self.#ident.as_deref() }),
            }
        } else if self.copy() {
            match self.present {
                true => (quote! { #value }, quote! { self.#ident }),
                false => (quote! { ::core::option::Option<#value> }, quote! { self.#ident }),
            }
        } else {
            match self.present {
                true => (quote! { &#value }, quote! { &self.#ident }),
                false => (quote! { ::core::option::Option<&#value> }, quote! { self.#ident.as_ref() }),
            }
        };
        quote! {
            #(#docs)*
            #[must_use]
            #[inline]
            pub fn #ident(&self) -> #ty { #body }
        }
    }

    /// `str` for a `String`, `[T]` for a `Vec<T>`: what the getter lends.
    fn borrowed(&self) -> Option<TokenStream> {
        if shape::is_named(self.value, "String") {
            return Some(quote! { str });
        }
        shape::unwrap(self.value, "Vec").map(|item| quote! { [#item] })
    }

    /// The setter, documented with a pointer to the getter (rustdoc cannot link to `r#type`).
    fn setter(&self, owner: &Ident) -> TokenStream {
        let Field { ident, value, .. } = self;
        let name = ident.to_string();
        let target = if name.starts_with("r#") { format!("`{owner}::{name}`") } else { format!("[`{owner}::{name}`]") };
        let doc = format!(" Sets `{}`: see {target}.", shape::code_text(&self.wire.value()));
        let deprecated = self.deprecated.as_ref().map(|note| quote! { #[deprecated(note = #note)] });
        let (param, set) = if self.copy() {
            (quote! { #value }, quote! { #ident })
        } else {
            (quote! { impl ::core::convert::Into<#value> }, quote! { #ident.into() })
        };
        quote! {
            #[doc = #doc]
            #deprecated
            #[inline]
            pub fn #ident(mut self, #ident: #param) -> Self {
                self.#ident = ::core::option::Option::Some(#set);
                self
            }
        }
    }

    /// The builder's copy of the field, in `to_builder`, from `binding`: the field moved out of a clone
    /// of the whole value (one call to the value's derived `Clone`, rather than a call per field).
    fn to_builder(&self, binding: &Ident) -> TokenStream {
        let ident = self.ident;
        let some = quote! { ::core::option::Option::Some };
        let value = match (self.present, self.boxed) {
            (true, true) => quote! { #some(*#binding) },
            (false, true) => quote! {
                match #binding {
                    #some(value) => #some(*value),
                    ::core::option::Option::None => ::core::option::Option::None,
                }
            },
            (true, false) => quote! { #some(#binding) },
            (false, false) => quote! { #binding },
        };
        quote! { #ident: #value, }
    }
}

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let named = shape::named_fields(input, "Builder")?;
    let container = shape::SerdeContainer::read(&input.attrs)?;
    let fields = named.named.iter().map(|f| Field::read(f, &container)).collect::<syn::Result<Vec<_>>>()?;
    let name = &input.ident;
    let builder = builder_name(input)?;
    let getters = fields.iter().map(Field::getter);
    let setters = fields.iter().map(|f| f.setter(name));
    // Every field's value, bound by position (a field may be `r#type`), hygienically.
    let bindings: Vec<Ident> =
        (0..fields.len()).map(|index| format_ident!("field{index}", span = Span::mixed_site())).collect();
    let to_builder = fields.iter().zip(&bindings).map(|(f, binding)| f.to_builder(binding));
    let idents = fields.iter().map(|f| f.ident);
    let unset = fields.iter().map(|f| {
        let ident = f.ident;
        quote! { #ident: ::core::option::Option::None, }
    });
    let builder_fields = fields.iter().map(|f| {
        let (ident, value) = (f.ident, f.value);
        quote! { #ident: ::core::option::Option<#value>, }
    });
    let assemble = assemble(name, &fields);
    let builder_doc = format!(" Builds a [`{name}`]; `build` checks every rule of the spec.");
    let f = Ident::new("f", Span::mixed_site());
    let values = Ident::new("values", Span::mixed_site());
    let builder_text = builder.to_string();
    // As the derived `Debug` prints them: each field by its name without `r#`.
    let debug_names = fields.iter().map(|field| field.ident.unraw().to_string());
    let debug_values = fields.iter().map(|field| field.ident);
    Ok(quote! {
        impl #name {
            /// Starts a builder; `build` checks every rule of the spec.
            #[inline]
            pub fn builder() -> #builder {
                <#builder as ::core::default::Default>::default()
            }

            /// A builder holding this value's fields, to change some and build again.
            #[inline]
            pub fn to_builder(&self) -> #builder {
                let Self { #(#idents: #bindings,)* } = ::core::clone::Clone::clone(self);
                #builder { #(#to_builder)* }
            }

            /// Checks every rule of the spec. `build` has done so already, unless the value was made
            /// with `build_unchecked`.
            #[inline]
            pub fn validate(&self) -> ::core::result::Result<(), ::cloudspec_runtime::ValidationError> {
                ::cloudspec_runtime::builder::validate(self, Self::validate_at)
            }

            #(#getters)*
        }

        #[doc = #builder_doc]
        #[derive(::core::clone::Clone)]
        #[must_use]
        pub struct #builder { #(#builder_fields)* }

        // Written out rather than derived, to be `#[inline]`: compiled only where a builder is printed.
        // One call with a table of the fields, rather than a `field` call per field.
        impl ::core::fmt::Debug for #builder {
            #[inline]
            fn fmt(&self, #f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let #values: &[&dyn ::core::fmt::Debug] = &[#(&self.#debug_values),*];
                ::cloudspec_runtime::builder::debug(#f, #builder_text, &[#(#debug_names),*], #values)
            }
        }

        // Written out rather than derived: `None` for every field, with no call per field type.
        impl ::core::default::Default for #builder {
            #[inline]
            fn default() -> Self {
                Self { #(#unset)* }
            }
        }

        impl #builder {
            #(#setters)*

            /// Builds the value, checking every rule of the spec. The error lists every missing
            /// required field, or else every broken rule, by wire name, and never contains a secret.
            #[inline]
            pub fn build(self) -> ::core::result::Result<#name, ::cloudspec_runtime::ValidationError> {
                ::cloudspec_runtime::builder::build(self.build_unchecked(), #name::validate)
            }

            /// Builds the value without checking its constraints, for when the provider accepts more
            /// than its documentation says. Required fields must still be set.
            #[inline]
            pub fn build_unchecked(self) -> ::core::result::Result<#name, ::cloudspec_runtime::ValidationError> {
                #assemble
            }
        }
    })
}

/// `#[builder(name = "…")]` on the struct, else the struct's name and `Builder`.
fn builder_name(input: &DeriveInput) -> syn::Result<Ident> {
    let mut name = None;
    for attr in input.attrs.iter().filter(|attr| attr.path().is_ident("builder")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("name") {
                return Err(meta.error("expected `name = \"…\"`"));
            }
            let text: LitStr = meta.value()?.parse()?;
            name = Some(text.parse::<Ident>()?);
            Ok(())
        })?;
    }
    let plain = input.ident.to_string();
    Ok(name.unwrap_or_else(|| format_ident!("{}Builder", plain.trim_start_matches("r#"))))
}

/// `build_unchecked`'s body: every required field present (each missing one reported), the rest moved.
///
/// The builder is taken apart by one refutable pattern: when a required field is missing nothing has
/// been moved yet, so the error path drops the builder whole (one call to its drop glue) rather than
/// each field left behind, which is most of what this function compiles to in a large crate.
fn assemble(name: &Ident, fields: &[Field<'_>]) -> TokenStream {
    let ok = quote! { ::core::result::Result::Ok };
    let some = quote! { ::core::option::Option::Some };
    // Every field's value, bound by position (a field may be `r#type`), hygienically.
    let bindings: Vec<Ident> =
        (0..fields.len()).map(|index| format_ident!("field{index}", span = Span::mixed_site())).collect();
    let checked: Vec<&Field<'_>> = fields.iter().filter(|f| f.required).collect();
    let any_present = fields.iter().any(|f| f.present);
    let inits = fields.iter().zip(&bindings).map(|(f, value)| {
        let ident = f.ident;
        let value = if any_present {
            quote! { #value }
        } else {
            quote! { self.#ident }
        };
        match (f.present, f.boxed) {
            (true, false) | (false, false) => quote! { #ident: #value, },
            (true, true) => quote! { #ident: ::std::boxed::Box::new(#value), },
            (false, true) => quote! { #ident: #value.map(::std::boxed::Box::new), },
        }
    });
    if checked.is_empty() {
        return quote! { #ok(#name { #(#inits)* }) };
    }
    // Whether each required field is set, for the runtime to name the missing ones: a `match` each
    // (no call, so no unwinding edge), in a table for one call.
    let presence = checked.iter().map(|f| {
        let (ident, wire) = (f.ident, &f.wire);
        quote! { (#wire, ::core::matches!(self.#ident, #some(_))) }
    });
    if any_present {
        let patterns = fields.iter().zip(&bindings).map(|(f, value)| {
            let ident = f.ident;
            if f.present {
                quote! { #ident: #some(#value), }
            } else {
                quote! { #ident: #value, }
            }
        });
        quote! {
            let Self { #(#patterns)* } = self else {
                return ::core::result::Result::Err(::cloudspec_runtime::builder::missing_fields(&[#(#presence),*]));
            };
            #ok(#name { #(#inits)* })
        }
    } else {
        quote! {
            if let ::core::result::Result::Err(error) = ::cloudspec_runtime::builder::check_required(&[#(#presence),*]) {
                return ::core::result::Result::Err(error);
            }
            #ok(#name { #(#inits)* })
        }
    }
}
