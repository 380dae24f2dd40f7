//! The wire side of a struct: the serde attributes that name its members and their timestamp formats.
//! The runtime's derives read them: `#[derive(Encode)]`, a sent type's `Encode` through
//! `cloudspec_runtime::json::Encoder`; `#[derive(Decode)]`, a received type's `Decode` through
//! `cloudspec_runtime::json::Reader`; and `#[derive(Builder)]` (its errors name fields by wire name).
//! serde's spelling, because the derives also write `Serialize` and `Deserialize` for users who use
//! serde on these types. `structs.rs` writes the derives.
//!
//! Wire names: a struct whose members follow serde's `rename_all = "PascalCase"` (`request_id` ↔
//! `RequestId`) says so once, and only its other fields (`db_node` ↔ `DBNode`) carry a `rename`. The
//! rule is used where it saves lines (two fields or more then need no attribute at all), so a reader
//! finds each wire name either on its field or in the struct's one rule. The conversion is serde's own (`names::pascal_case`); the derives apply the same
//! (`tests/tests/rename_rule/` checks all three agree on every field name of the seed specs).

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, serde_with};
use crate::ir::*;

/// A struct's serde attributes: the container's (`rename_all`, `transparent`) and one per field.
pub struct WireAttrs {
    pub container: TokenStream,
    pub fields: Vec<TokenStream>,
}

/// The serde attributes of a struct; `sent`: it derives `Encode` (which leaves an unset optional field
/// out, without an attribute).
pub fn wire_attrs(s: &StructIr, sent: bool) -> WireAttrs {
    // A struct that is a whole body (a list, a string, …) has no members to name.
    if s.body && !sent {
        return WireAttrs { container: quote! { #[serde(transparent)] }, fields: vec![quote! {}; s.fields.len()] };
    }
    let bare = |f: &FieldIr| follows_rule(f) && serde_with(&f.ty, f.required).is_none();
    let rule = s.fields.iter().filter(|f| bare(f)).count() >= 2;
    let fields = s
        .fields
        .iter()
        .map(|f| {
            let mut parts = Vec::new();
            if !(rule && follows_rule(f)) {
                let wire = &f.wire;
                parts.push(quote! { rename = #wire });
            }
            if let Some(with) = serde_with(&f.ty, f.required) {
                parts.push(quote! { with = #with });
            }
            if parts.is_empty() {
                quote! {}
            } else {
                quote! { #[serde(#(#parts),*)] }
            }
        })
        .collect();
    let container = if rule {
        quote! { #[serde(rename_all = "PascalCase")] }
    } else {
        quote! {}
    };
    WireAttrs { container, fields }
}

/// Whether serde's `rename_all = "PascalCase"` turns the field's Rust name into its wire name.
fn follows_rule(f: &FieldIr) -> bool {
    let name = ident(&f.ident).to_string();
    crate::names::pascal_case(name.trim_start_matches("r#")) == f.wire
}
