//! Structs: requests and sent objects (private fields, getters, a validating builder) and responses
//! and received objects (public fields, `Deserialize`).
//!
//! The rules are checked on the value, in place: `build` assembles it (every missing required field is
//! reported at once), then validates it (every broken rule is reported at once).

use proc_macro2::TokenStream;
use quote::quote;

use super::{Out, ident, serde_with};
use crate::ir::*;

/// A received struct: public fields, and a compact `Deserialize` (`decode.rs`).
pub fn output_struct(s: &StructIr, out: &mut Out<'_>) -> TokenStream {
    let name = ident(&s.ident);
    let docs = out.doc_attrs(&s.docs);
    let fields = s
        .fields
        .iter()
        .map(|f| {
            let field = ident(&f.ident);
            let ty = field_type(f, out);
            let docs = out.doc_attrs(&f.docs);
            quote! { #docs pub #field: #ty, }
        })
        .collect::<Vec<_>>();
    let deserialize = super::decode::deserialize_impl(s, out);
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        #deserialize
    }
}

/// A sent struct: private fields, getters, `validate`, and a builder whose `build` checks every rule.
/// With `nested`, it also offers `validate_at` for the structs that contain it.
pub fn input_struct(s: &StructIr, nested: bool, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("serde::Serialize");
    out.uses.add("cloudspec_runtime::ValidationError");
    let name = ident(&s.ident);
    let builder_name = s.builder.clone().unwrap_or_else(|| format!("{}Builder", s.ident));
    let builder = ident(&builder_name);
    let docs = out.doc_attrs(&s.docs);
    let derive = quote! { #[derive(Debug, Clone, PartialEq, Serialize)] };
    let deserialize = s.usage.output.then(|| super::decode::deserialize_impl(s, out));
    let fields = s
        .fields
        .iter()
        .map(|f| {
            let field = ident(&f.ident);
            let ty = field_type(f, out);
            let serde = serde_attr(f);
            quote! { #serde #field: #ty, }
        })
        .collect::<Vec<_>>();
    let getters: Vec<_> = s.fields.iter().map(|f| getter(f, out)).collect();
    let builder_fields = s
        .fields
        .iter()
        .map(|f| {
            let field = ident(&f.ident);
            let ty = out.type_tokens(&f.ty);
            quote! { #field: Option<#ty>, }
        })
        .collect::<Vec<_>>();
    let to_builder = s.fields.iter().map(|f| {
        let field = ident(&f.ident);
        if f.boxed {
            return if f.required {
                quote! { #field: Some(self.#field.as_ref().clone()), }
            } else {
                quote! { #field: self.#field.as_deref().cloned(), }
            };
        }
        match (f.required, f.ty.is_copy()) {
            (true, true) => quote! { #field: Some(self.#field), },
            (true, false) => quote! { #field: Some(self.#field.clone()), },
            (false, true) => quote! { #field: self.#field, },
            (false, false) => quote! { #field: self.#field.clone(), },
        }
    });
    let setters: Vec<_> = s.fields.iter().map(|f| setter(f, &s.ident, out)).collect();
    let assemble = assemble(s, &name, out);
    // A request's checks are its `impl Request` (`client::request_impl`), which `validate` runs; a
    // nested struct records its violations under the path its container gives.
    let (validate_body, check_fn) = if nested {
        out.uses.add("cloudspec_runtime::Validator");
        let checks: Vec<_> = s.fields.iter().map(|f| super::checks::field_checks(f, out)).collect();
        let (path, v) = if checks.iter().all(TokenStream::is_empty) {
            (quote! { _path }, quote! { _v })
        } else {
            (quote! { path }, quote! { v })
        };
        let body = quote! {
            let mut v = Validator::new();
            self.validate_at("", &mut v);
            v.finish()
        };
        let check_fn = quote! {
            /// Records this value's violations under `path`, for the structs that contain it.
            pub(crate) fn validate_at(&self, #path: &str, #v: &mut Validator) { #(#checks)* }
        };
        (body, check_fn)
    } else {
        out.uses.add("cloudspec_runtime::Request");
        (quote! { Request::validate(self) }, quote! {})
    };
    // `Builder::default()` would call the setter of a field named `default`.
    let make_builder = if s.fields.iter().any(|f| f.ident == "default") {
        quote! { <#builder as ::core::default::Default>::default() }
    } else {
        quote! { #builder::default() }
    };
    let builder_doc = format!(" Builds a [`{}`]; `build` checks every rule of the spec.", s.ident);
    quote! {
        #docs
        #derive
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        #deserialize

        impl #name {
            /// Starts a builder; `build` checks every rule of the spec.
            pub fn builder() -> #builder {
                #make_builder
            }

            /// A builder holding this value's fields, to change some and build again.
            pub fn to_builder(&self) -> #builder {
                #builder { #(#to_builder)* }
            }

            /// Checks every rule of the spec. `build` has done so already, unless the value was made
            /// with `build_unchecked`.
            pub fn validate(&self) -> Result<(), ValidationError> {
                #validate_body
            }

            #check_fn
            #(#getters)*
        }

        #[doc = #builder_doc]
        #[derive(Debug, Clone, Default)]
        #[must_use]
        pub struct #builder { #(#builder_fields)* }

        impl #builder {
            #(#setters)*

            /// Builds the value, checking every rule of the spec. The error lists every missing
            /// required field, or else every broken rule, by wire name, and never contains a secret.
            pub fn build(self) -> Result<#name, ValidationError> {
                let value = self.build_unchecked()?;
                value.validate()?;
                Ok(value)
            }

            /// Builds the value without checking its constraints, for when the provider accepts more
            /// than its documentation says. Required fields must still be set.
            pub fn build_unchecked(self) -> Result<#name, ValidationError> {
                #assemble
            }
        }
    }
}

/// The field's type, in `Option` unless required.
fn field_type(f: &FieldIr, out: &mut Out<'_>) -> TokenStream {
    let ty = out.type_tokens(&f.ty);
    let ty = if f.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    };
    if f.required {
        ty
    } else {
        quote! { Option<#ty> }
    }
}

/// `#[serde(…)]` of a sent field: its wire name, skipped when unset, its timestamp adapter.
fn serde_attr(f: &FieldIr) -> TokenStream {
    let wire = &f.wire;
    let mut parts = vec![quote! { rename = #wire }];
    if !f.required {
        parts.push(quote! { skip_serializing_if = "Option::is_none" });
    }
    if let Some(with) = serde_with(&f.ty, f.required) {
        parts.push(quote! { with = #with });
    }
    quote! { #[serde(#(#parts),*)] }
}

fn getter(f: &FieldIr, out: &mut Out<'_>) -> TokenStream {
    let field = ident(&f.ident);
    let docs = out.doc_attrs(&f.docs);
    let (ty, body) = match (&f.ty, f.required) {
        (ty, true) if f.boxed => {
            let ty = out.type_tokens(ty);
            (quote! { &#ty }, quote! { self.#field.as_ref() })
        }
        (ty, false) if f.boxed => {
            let ty = out.type_tokens(ty);
            (quote! { Option<&#ty> }, quote! { self.#field.as_deref() })
        }
        (RustType::String, true) => (quote! { &str }, quote! { &self.#field }),
        (RustType::String, false) => (quote! { Option<&str> }, quote! { self.#field.as_deref() }),
        (RustType::List(inner), true) => {
            let inner = out.type_tokens(inner);
            (quote! { &[#inner] }, quote! { &self.#field })
        }
        (RustType::List(inner), false) => {
            let inner = out.type_tokens(inner);
            (quote! { Option<&[#inner]> }, quote! { self.#field.as_deref() })
        }
        (ty, true) if ty.is_copy() => (out.type_tokens(ty), quote! { self.#field }),
        (ty, false) if ty.is_copy() => {
            let ty = out.type_tokens(ty);
            (quote! { Option<#ty> }, quote! { self.#field })
        }
        (ty, true) => {
            let ty = out.type_tokens(ty);
            (quote! { &#ty }, quote! { &self.#field })
        }
        (ty, false) => {
            let ty = out.type_tokens(ty);
            (quote! { Option<&#ty> }, quote! { self.#field.as_ref() })
        }
    };
    quote! {
        #docs
        #[must_use]
        pub fn #field(&self) -> #ty { #body }
    }
}

fn setter(f: &FieldIr, owner: &str, out: &mut Out<'_>) -> TokenStream {
    let field = ident(&f.ident);
    // The full documentation is on the getter; the setter points there.
    // rustdoc cannot link to a raw identifier (`r#type`), so those get plain text.
    let getter = if field.to_string().starts_with("r#") {
        format!("`{owner}::{field}`")
    } else {
        format!("[`{owner}::{field}`]")
    };
    let docs = out.doc_attrs(&[format!("Sets `{}`: see {getter}.", crate::docs::code(&f.wire))]);
    let ty = out.type_tokens(&f.ty);
    let deprecated = f.deprecated.as_ref().map(|note| quote! { #[deprecated(note = #note)] });
    let (param, value) = if f.ty.is_copy() {
        (quote! { #ty }, quote! { #field })
    } else {
        (quote! { impl Into<#ty> }, quote! { #field.into() })
    };
    quote! {
        #docs
        #deprecated
        pub fn #field(mut self, #field: #param) -> Self {
            self.#field = Some(#value);
            self
        }
    }
}

/// `build_unchecked`'s body: required fields must be present, everything else moves over.
fn assemble(s: &StructIr, name: &proc_macro2::Ident, out: &mut Out<'_>) -> TokenStream {
    let required: Vec<&FieldIr> = s.fields.iter().filter(|f| f.required).collect();
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.ident);
        match (f.required, f.boxed) {
            (true, false) => quote! { #field, },
            (true, true) => quote! { #field: Box::new(#field), },
            (false, false) => quote! { #field: self.#field, },
            (false, true) => quote! { #field: self.#field.map(Box::new), },
        }
    });
    let to_send: Vec<&FieldIr> = s.fields.iter().filter(|f| f.required || f.required_to_send).collect();
    if to_send.is_empty() {
        return quote! { Ok(#name { #(#inits)* }) };
    }
    out.uses.add("cloudspec_runtime::Validator");
    let presence = to_send.iter().map(|f| {
        let field = ident(&f.ident);
        let wire = &f.wire;
        quote! { v.required(#wire, self.#field.is_some()); }
    });
    if required.is_empty() {
        // Every field stays an `Option`; those a request needs must be there.
        return quote! {
            let mut v = Validator::new();
            #(#presence)*
            v.finish()?;
            Ok(#name { #(#inits)* })
        };
    }
    let patterns = required.iter().map(|f| {
        let field = ident(&f.ident);
        quote! { Some(#field) }
    });
    let sources = required.iter().map(|f| {
        let field = ident(&f.ident);
        quote! { self.#field }
    });
    let binding = if required.len() == 1 {
        quote! { let #(#patterns)* = #(#sources)* else { return Err(v.into_error()); }; }
    } else {
        quote! { let (#(#patterns,)*) = (#(#sources,)*) else { return Err(v.into_error()); }; }
    };
    quote! {
        let mut v = Validator::new();
        #(#presence)*
        #binding
        Ok(#name { #(#inits)* })
    }
}
