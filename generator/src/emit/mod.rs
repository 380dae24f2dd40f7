//! Printing the [`crate::ir`] as Rust: every item is built with `quote!` and formatted with
//! `prettyplease`; nothing here decides a name or a type.

mod client;
mod enums;
mod errors;
mod examples;
mod structs;

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::*;

pub use client::{client, request_impl};
pub use enums::enum_type;
pub use errors::{action_error, common_error};
pub use examples::{example_probe, examples, runnable_example};
pub use structs::{input_struct, output_struct};

/// An identifier, escaped with `r#` when it is a keyword. Never panics: names were checked, and any
/// character that could not be in an identifier is replaced.
pub fn ident(name: &str) -> Ident {
    let mut clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if clean.is_empty() || clean.starts_with(|c: char| c.is_ascii_digit()) {
        clean.insert(0, '_');
    }
    if matches!(clean.as_str(), "self" | "Self" | "super" | "crate" | "_") {
        clean.push('_');
    }
    if crate::names::is_keyword(&clean) {
        Ident::new_raw(&clean, Span::call_site())
    } else {
        Ident::new(&clean, Span::call_site())
    }
}

/// `#[doc = "…"]` attributes, one per line.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "…"]` attributes, one per line: a module's own documentation.
pub fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #![doc = #lines] )* }
}

/// What a generated file needs to import.
#[derive(Debug, Default)]
pub struct Uses {
    names: BTreeSet<String>,
}

impl Uses {
    /// Records a need.
    pub fn add(&mut self, path: impl Into<String>) {
        self.names.insert(path.into());
    }

    /// Forgets one need (the item is in scope already).
    pub fn remove(&mut self, path: &str) {
        self.names.remove(path);
    }

    /// Forgets the needs under `prefix` (a file does not import its own items).
    pub fn remove_prefix(&mut self, prefix: &str) {
        self.names.retain(|name| !name.starts_with(prefix));
    }

    /// The `use` items.
    pub fn tokens(&self) -> TokenStream {
        let items = self.names.iter().map(|path| {
            let path: syn::Path = syn::parse_str(path).unwrap_or_else(|_| syn::parse_quote!(std));
            quote! { use #path; }
        });
        quote! { #(#items)* }
    }
}

/// The tokens of a Rust type, recording its imports.
pub fn type_tokens(ty: &RustType, uses: &mut Uses) -> TokenStream {
    match ty {
        RustType::String => quote! { String },
        RustType::Secret => {
            uses.add("cloudspec_runtime::SecretString");
            quote! { SecretString }
        }
        RustType::Bool => quote! { bool },
        RustType::I32 => quote! { i32 },
        RustType::I64 => quote! { i64 },
        RustType::U32 => quote! { u32 },
        RustType::U64 => quote! { u64 },
        RustType::F32 => quote! { f32 },
        RustType::F64 => quote! { f64 },
        RustType::Timestamp(crate::spec::TimeFormat::Datetime) => {
            uses.add("cloudspec_runtime::time::PrimitiveDateTime");
            quote! { PrimitiveDateTime }
        }
        RustType::Timestamp(_) => {
            uses.add("cloudspec_runtime::time::OffsetDateTime");
            quote! { OffsetDateTime }
        }
        RustType::Date => {
            uses.add("cloudspec_runtime::time::Date");
            quote! { Date }
        }
        RustType::Json => quote! { serde_json::Value },
        RustType::List(inner) => {
            let inner = type_tokens(inner, uses);
            quote! { Vec<#inner> }
        }
        RustType::Map(inner) => {
            uses.add("std::collections::BTreeMap");
            let inner = type_tokens(inner, uses);
            quote! { BTreeMap<String, #inner> }
        }
        RustType::Struct(name) | RustType::Enum(name, _) => {
            uses.add(format!("super::{name}"));
            let name = ident(name);
            quote! { #name }
        }
    }
}

/// The serde adapter module of a timestamp field, if it needs one.
pub fn serde_with(ty: &RustType, required: bool) -> Option<String> {
    use crate::spec::TimeFormat;
    let module = match ty {
        RustType::Timestamp(TimeFormat::Iso8601) => "iso8601",
        RustType::Timestamp(TimeFormat::Datetime) => "datetime",
        RustType::Timestamp(TimeFormat::EpochSeconds) => "epoch_seconds",
        RustType::Timestamp(TimeFormat::EpochMillis) => "epoch_millis",
        RustType::Date => "date",
        _ => return None,
    };
    Some(if required {
        format!("cloudspec_runtime::timestamp::{module}")
    } else {
        format!("cloudspec_runtime::timestamp::{module}::option")
    })
}

/// Formats a file: the header comment, then the items, pretty-printed.
pub fn format_file(header: &str, tokens: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    let mut text = String::from(header);
    text.push_str(&space_items(&prettyplease::unparse(&file)));
    Ok(text)
}

/// Puts a blank line between items, as people write them (prettyplease packs them together).
fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous = "";
    for line in code.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let previous_trimmed = previous.trim_start();
        let previous_indent = previous.len() - previous_trimmed.len();
        // Short declarations (`mod x;`, `pub use x::*;`) stay together; anything documented or
        // attributed, and anything after a block, gets room.
        let after_block = previous_trimmed == "}";
        let after_declaration = previous_trimmed.ends_with(';') && previous_indent == 0;
        let ends_item = after_block || after_declaration;
        let starts_item = if after_block {
            ["///", "#[", "#![", "pub ", "pub(", "impl", "fn ", "mod ", "use ", "const ", "static "]
                .iter()
                .any(|start| trimmed.starts_with(start))
        } else {
            ["///", "#[", "#![", "impl", "pub struct", "pub enum", "fn ", "pub fn"]
                .iter()
                .any(|start| trimmed.starts_with(start))
        };
        let both_uses = previous_trimmed.starts_with("use ") && trimmed.starts_with("use ");
        let after_inner_doc = previous_trimmed.starts_with("//!") && !trimmed.starts_with("//!");
        let in_body = indent > 0 && previous_trimmed.ends_with(';');
        if !previous.is_empty()
            && indent == previous_indent
            && ((ends_item && starts_item && !both_uses && !in_body) || after_inner_doc)
        {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}
