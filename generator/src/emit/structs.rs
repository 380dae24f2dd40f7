//! Structs: requests and sent objects (private fields, getters, a validating builder) and responses
//! and received objects (public fields, `Deserialize`).
//!
//! The rules are checked on the value, in place: `build` assembles it (every missing required field is
//! reported at once), then validates it (every broken rule is reported at once).

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::{Out, ident, serde_with, variant};
use crate::ir::*;

/// A received struct: public fields, and a compact `Deserialize` (see `cloudspec_runtime::json`).
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
    let deserialize = deserialize_impl(s, out);
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        #deserialize
    }
}

/// `impl Deserialize`: take each field from the JSON object by its wire name.
fn deserialize_impl(s: &StructIr, out: &mut Out<'_>) -> TokenStream {
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
    out.uses.add("cloudspec_runtime::json::Object");
    let takes = s.fields.iter().map(|f| {
        let field = ident(&f.ident);
        let wire = &f.wire;
        let adapter =
            serde_with(&f.ty, true).and_then(|path| syn::parse_str::<syn::Path>(&format!("{path}::deserialize")).ok());
        let take = match (adapter, f.required) {
            (Some(read), true) => quote! { object.required_with(#wire, #read)? },
            (Some(read), false) => quote! { object.optional_with(#wire, #read)? },
            (None, true) => quote! { object.required(#wire)? },
            (None, false) => quote! { object.optional(#wire)? },
        };
        quote! { #field: #take, }
    });
    let binding = if s.fields.is_empty() {
        quote! { _object }
    } else {
        quote! { mut object }
    };
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let #binding = Object::deserialize(deserializer)?;
                Ok(Self { #(#takes)* })
            }
        }
    }
}

/// A sent struct: private fields, getters, `validate`, and a builder whose `build` checks every rule.
/// With `nested`, it also offers `validate_at` for the structs that contain it.
pub fn input_struct(s: &StructIr, nested: bool, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("serde::Serialize");
    out.uses.add("cloudspec_runtime::ValidationError");
    out.uses.add("cloudspec_runtime::Validator");
    let name = ident(&s.ident);
    let builder_name = s.builder.clone().unwrap_or_else(|| format!("{}Builder", s.ident));
    let builder = ident(&builder_name);
    let docs = out.doc_attrs(&s.docs);
    let derive = quote! { #[derive(Debug, Clone, PartialEq, Serialize)] };
    let deserialize = s.usage.output.then(|| deserialize_impl(s, out));
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
    let assemble = assemble(s, &name);
    let checks: Vec<_> = s.fields.iter().map(|f| checks(f, out)).collect();
    let (visibility, check_name) =
        if nested { (quote! { pub(crate) }, quote! { validate_at }) } else { (quote! {}, quote! { check }) };
    let check_docs = nested
        .then(|| quote! { #[doc = " Records this value's violations under `path`, for the structs that contain it."] });
    let (path, v) = if checks.iter().all(TokenStream::is_empty) {
        (quote! { _path }, quote! { _v })
    } else {
        (quote! { path }, quote! { v })
    };
    let check_fn = quote! {
        #check_docs
        #visibility fn #check_name(&self, #path: &str, #v: &mut Validator) { #(#checks)* }
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
                let mut v = Validator::new();
                self.#check_name("", &mut v);
                v.finish()
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
fn assemble(s: &StructIr, name: &proc_macro2::Ident) -> TokenStream {
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

/// The checks of one field of the value (required fields are there; the others are `Option`s).
fn checks(f: &FieldIr, out: &mut Out<'_>) -> TokenStream {
    let field = ident(&f.ident);
    let wire = &f.wire;
    let mut lines = Vec::new();
    if f.required_to_send {
        lines.push(quote! { v.required(&join(path, #wire), self.#field.is_some()); });
    }
    for check in &f.checks {
        if let Check::RequiredWhen { other_ident, other_wire, other_ty, other_required, other_default, equals } = check
        {
            let holds = condition(other_ident, other_ty, !other_required, other_default.as_ref(), equals);
            let equals_text = crate::check::values::display(equals);
            let is_set = if f.required {
                quote! { true }
            } else {
                quote! { self.#field.is_some() }
            };
            lines.push(quote! {
                v.required_when(&join(path, #wire), #is_set, #other_wire, #equals_text, #holds);
            });
        }
    }
    let (list_checks, item_checks): (Vec<&Check>, Vec<&Check>) = f
        .checks
        .iter()
        .filter(|c| !matches!(c, Check::RequiredWhen { .. }))
        .partition(|c| matches!(c, Check::Items { .. }));
    if !list_checks.is_empty() || !item_checks.is_empty() {
        let item_ty = match &f.ty {
            RustType::List(inner) | RustType::Map(inner) => inner.as_ref(),
            other => other,
        };
        let on_item: Vec<TokenStream> = item_checks.iter().map(|c| value_check(c, item_ty, &f.ident, out)).collect();
        let on_list = list_checks.iter().map(|c| match c {
            Check::Items { min, max } => {
                let (min, max) = (opt_u64(*min), opt_u64(*max));
                quote! { v.items(&field, value.len(), #min, #max); }
            }
            _ => quote! {},
        });
        let body = match &f.ty {
            RustType::List(_) if !on_item.is_empty() => quote! {
                #(#on_list)*
                for (i, value) in value.iter().enumerate() {
                    let field = format!("{field}[{i}]");
                    #(#on_item)*
                }
            },
            RustType::Map(_) if !on_item.is_empty() => quote! {
                for (key, value) in value {
                    let field = format!("{field}.{key}");
                    #(#on_item)*
                }
            },
            _ => quote! { #(#on_list)* #(#on_item)* },
        };
        // A boxed field is checked through its box.
        let unbox = f.boxed.then(|| quote! { let value = value.as_ref(); });
        lines.push(if f.required {
            // Each field's `value` and `field` shadow the previous ones.
            quote! {
                let value = &self.#field;
                #unbox
                let field = join(path, #wire);
                #body
            }
        } else {
            quote! {
                if let Some(value) = &self.#field {
                    #unbox
                    let field = join(path, #wire);
                    #body
                }
            }
        });
    }
    if !lines.is_empty() {
        out.uses.add("cloudspec_runtime::validation::join");
    }
    quote! { #(#lines)* }
}

/// A check on one value (`value: &T`, named `field`) of the field `owner`, applied to every innermost
/// value however deep in lists and maps it sits (`list<list<int32>>` with a range: each number).
fn value_check(check: &Check, ty: &RustType, owner: &str, out: &mut Out<'_>) -> TokenStream {
    let mut leaf_ty = ty;
    while let RustType::List(inner) | RustType::Map(inner) = leaf_ty {
        leaf_ty = inner.as_ref();
    }
    deep(ty, leaf_check(check, leaf_ty, owner, out))
}

/// A check on one scalar, enumeration or object value (`value: &T`, named `field`).
fn leaf_check(check: &Check, ty: &RustType, owner: &str, out: &mut Out<'_>) -> TokenStream {
    let text = if matches!(ty, RustType::Secret) {
        quote! { value.expose_secret() }
    } else {
        quote! { value }
    };
    match check {
        Check::Length { min, max, unit } => {
            out.uses.add("cloudspec_runtime::validation::LengthUnit");
            let unit = variant("LengthUnit", unit.variant_name());
            let (min, max) = (opt_u64(*min), opt_u64(*max));
            quote! { v.length(&field, #text, #min, #max, #unit); }
        }
        Check::Pattern { regex, description } => {
            let pattern = out.pattern(regex, owner);
            quote! { v.matches(&field, #text, &#pattern, #description); }
        }
        Check::Base64 { min, max } => {
            let (min, max) = (opt_u64(*min), opt_u64(*max));
            quote! { v.base64(&field, #text, #min, #max); }
        }
        Check::IntRange { min, max, exclusive_min, exclusive_max } => {
            out.uses.add("cloudspec_runtime::validation::IntRange");
            let bound = |b: &Option<i128>| match b {
                Some(b) => {
                    let b = Literal::i128_unsuffixed(*b);
                    quote! { Some(#b) }
                }
                None => quote! { None },
            };
            let (min, max) = (bound(min), bound(max));
            quote! {
                v.int_range(&field, i128::from(*value), &IntRange { min: #min, max: #max, exclusive_min: #exclusive_min, exclusive_max: #exclusive_max });
            }
        }
        Check::FloatRange { min, max, exclusive_min, exclusive_max } => {
            out.uses.add("cloudspec_runtime::validation::FloatRange");
            let bound = |b: &Option<f64>| match b {
                Some(b) => {
                    let b = Literal::f64_suffixed(*b);
                    quote! { Some(#b) }
                }
                None => quote! { None },
            };
            let (min, max) = (bound(min), bound(max));
            let value = if matches!(ty, RustType::F64) {
                quote! { *value }
            } else {
                quote! { f64::from(*value) }
            };
            quote! {
                v.float_range(&field, #value, &FloatRange { min: #min, max: #max, exclusive_min: #exclusive_min, exclusive_max: #exclusive_max });
            }
        }
        Check::Known { enumeration } => {
            let name = out.type_ident(*enumeration);
            out.uses.add(format!("super::{name}"));
            let name = ident(name);
            quote! { v.known(&field, value.is_known(), #name::VALUES); }
        }
        Check::Nested => quote! { value.validate_at(&field, v); },
        Check::Items { .. } | Check::RequiredWhen { .. } => quote! {},
    }
}

/// `leaf` applied to every innermost value of `value: &ty`, through the lists and maps still around it
/// (`map<list<Grant>>`: the caller walks the map, this walks each list).
fn deep(ty: &RustType, leaf: TokenStream) -> TokenStream {
    match ty {
        RustType::List(inner) => {
            let body = deep(inner, leaf);
            quote! {
                for (i, value) in value.iter().enumerate() {
                    let field = format!("{field}[{i}]");
                    #body
                }
            }
        }
        RustType::Map(inner) => {
            let body = deep(inner, leaf);
            quote! {
                for (key, value) in value {
                    let field = format!("{field}.{key}");
                    #body
                }
            }
        }
        _ => leaf,
    }
}

fn opt_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote! { Some(#n) }
        }
        None => quote! { None },
    }
}

/// Whether the other field (its default counting when unset) equals the condition's value. The other
/// field is an `Option` when `optional` (in the builder, or an optional field of the value); a required
/// field of the value is always set, and is read as `Some(…)` the same way.
fn condition(other: &str, ty: &RustType, optional: bool, default: Option<&Value>, equals: &Value) -> TokenStream {
    let other = ident(other);
    // A required field of the value: `Some(self.x)`, then the same comparison.
    let read_value = |present: TokenStream| -> TokenStream {
        if optional {
            present
        } else {
            quote! { Some(#present) }
        }
    };
    let text = crate::check::values::display(equals);
    let default_text = default.map(crate::check::values::display);
    match ty {
        RustType::Enum(_, EnumBase::String) | RustType::String | RustType::Secret => {
            let read = match (ty, optional) {
                (RustType::Enum(..), true) => quote! { self.#other.as_ref().map(|o| o.as_str()) },
                (RustType::Secret, true) => quote! { self.#other.as_ref().map(|o| o.expose_secret()) },
                (_, true) => quote! { self.#other.as_deref() },
                (RustType::Enum(..), false) => read_value(quote! { self.#other.as_str() }),
                (RustType::Secret, false) => read_value(quote! { self.#other.expose_secret() }),
                (_, false) => read_value(quote! { self.#other.as_str() }),
            };
            match default_text {
                Some(default) => quote! { #read.unwrap_or(#default) == #text },
                None => quote! { #read == Some(#text) },
            }
        }
        RustType::Enum(_, EnumBase::Int) | RustType::I32 | RustType::I64 | RustType::U32 | RustType::U64 => {
            let Some(n) = equals.as_i64().or_else(|| text.parse().ok()) else { return quote! { false } };
            let read = match (ty, optional) {
                (RustType::Enum(..), true) => quote! { self.#other.as_ref().map(|o| i128::from(o.as_i64())) },
                (_, true) => quote! { self.#other.map(i128::from) },
                (RustType::Enum(..), false) => read_value(quote! { i128::from(self.#other.as_i64()) }),
                (_, false) => read_value(quote! { i128::from(self.#other) }),
            };
            let n = Literal::i128_unsuffixed(i128::from(n));
            match default.and_then(Value::as_i64) {
                Some(d) => {
                    let d = Literal::i128_unsuffixed(i128::from(d));
                    quote! { #read.unwrap_or(#d) == #n }
                }
                None => quote! { #read == Some(#n) },
            }
        }
        RustType::Bool => {
            let Some(b) = equals.as_bool().or_else(|| text.parse().ok()) else { return quote! { false } };
            if !optional {
                return quote! { self.#other == #b };
            }
            match default.and_then(Value::as_bool) {
                Some(d) => quote! { self.#other.unwrap_or(#d) == #b },
                None => quote! { self.#other == Some(#b) },
            }
        }
        _ => quote! { false },
    }
}
