//! The checks a sent struct's `validate_at` runs on each field: required-when conditions, list sizes,
//! and each rule on every value however deep in lists and maps it sits, through the runtime's
//! `Validator`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::{Out, ident, variant};
use crate::ir::*;

/// The checks of one field of the value (required fields are there; the others are `Option`s).
pub(super) fn field_checks(f: &FieldIr, out: &mut Out<'_>) -> TokenStream {
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
            // A secret is exposed once, below, and checked as the text it is.
            RustType::Secret => &RustType::String,
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
            RustType::List(_) if !on_item.is_empty() => {
                let each = each_item(quote! { #(#on_item)* });
                quote! {
                    #(#on_list)*
                    #each
                }
            }
            RustType::Map(_) if !on_item.is_empty() => quote! {
                for (key, value) in value {
                    let field = format!("{field}.{key}");
                    #(#on_item)*
                }
            },
            _ => quote! { #(#on_list)* #(#on_item)* },
        };
        // A boxed field is checked through its box.
        let unbox = if f.boxed {
            quote! { let value = value.as_ref(); }
        } else if matches!(f.ty, RustType::Secret) {
            quote! { let value = value.expose_secret(); }
        } else {
            quote! {}
        };
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
        RustType::List(inner) => each_item(deep(inner, leaf)),
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

/// `body` on every item of the list `value` (each named `field[i]`), by index over the slice: an
/// iterator (`iter().enumerate()`) compiled five functions per item type in every crate. The index
/// moves on before `body`, which may be a nested list's loop with an `i` of its own.
fn each_item(body: TokenStream) -> TokenStream {
    quote! {
        let items = value.as_slice();
        let mut i = 0;
        while i < items.len() {
            let value = &items[i];
            let field = format!("{field}[{i}]");
            i += 1;
            #body
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of lists: the outer loop's index moves on before the inner loop, whose own `i` shadows
    /// it for the rest of the body (the other order left the outer loop on its first item forever).
    #[test]
    fn nested_lists_walk_every_item_of_each() {
        let ty = RustType::List(Box::new(RustType::List(Box::new(RustType::String))));
        let text = deep(&ty, quote! { leaf(&field, value); }).to_string();
        let outer_step = text.find("i += 1").expect("the outer loop moves on");
        let inner_start = text.rfind("let mut i = 0").expect("the inner loop");
        assert!(outer_step < inner_start, "{text}");
        assert_eq!(text.matches("i += 1").count(), 2, "{text}");
        assert!(text.trim_end().ends_with("leaf (& field , value) ; } }"), "the leaf is the inner body: {text}");
    }
}
