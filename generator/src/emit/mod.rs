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

/// `Type::Variant`, for the shared vocabulary's enums (`Protocol::AlibabaRpc`).
pub fn variant(type_name: &str, variant: &str) -> TokenStream {
    let (type_name, variant) = (ident(type_name), ident(variant));
    quote! { #type_name::#variant }
}

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

/// Documentation: `///` lines in the formatted file.
///
/// The text is not put in the tokens: it would be escaped into string literals, parsed by syn and
/// printed back by prettyplease, a tenth of the formatting time of a whole catalogue. One
/// placeholder attribute stands for the whole block instead, and [`format_file`] puts the lines in
/// its place. A placeholder prints as `///@cloudspec-doc:N`, which no real line can: those print as
/// `/// text` or `///`.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    let id = NEXT_DOC.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    SET_ASIDE.with(|docs| docs.borrow_mut().insert(id, lines.to_vec()));
    let marker = format!("{DOC_MARKER}{id}");
    quote! { #[doc = #marker] }
}

const DOC_MARKER: &str = "@cloudspec-doc:";

/// Numbers the documentation blocks set aside, across threads, so that a file only ever takes its
/// own blocks back.
static NEXT_DOC: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    /// The documentation blocks set aside by [`doc_attrs`] on this thread and not yet put back by
    /// [`format_file`]: a file's tokens are built and formatted on the same thread.
    static SET_ASIDE: std::cell::RefCell<std::collections::HashMap<usize, Vec<String>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
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

    /// The `use` items, one per module: `use serde::{Deserialize, Serialize};`.
    pub fn tokens(&self) -> TokenStream {
        let mut modules: std::collections::BTreeMap<&str, Vec<Ident>> = std::collections::BTreeMap::new();
        for path in &self.names {
            if let Some((module, name)) = path.rsplit_once("::") {
                modules.entry(module).or_default().push(ident(name));
            }
        }
        let items = modules.into_iter().map(|(module, names)| {
            let module = module.split("::").map(|segment| match segment {
                // Path roots, which `ident` would rename.
                "super" | "crate" | "self" => Ident::new(segment, Span::call_site()),
                _ => ident(segment),
            });
            match names.as_slice() {
                [name] => quote! { use #(#module::)* #name; },
                names => quote! { use #(#module::)* { #(#names),* }; },
            }
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
    let printed = prettyplease::unparse(&file);
    space_items(&printed, &mut text)?;
    Ok(text)
}

/// Appends `code` to `out` with a blank line between items, as people write them (prettyplease packs
/// them together), and each documentation placeholder replaced by its lines.
fn space_items(code: &str, out: &mut String) -> Result<(), syn::Error> {
    out.reserve(code.len() + code.len() / 8);
    let mut previous = "";
    for line in code.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let previous_trimmed = previous.trim_start();
        let previous_indent = previous.len() - previous_trimmed.len();
        // Short declarations (`mod x;`, `pub use x::*;`) stay together; anything documented or
        // attributed, and anything after a block, gets room. A comment ends nothing.
        let after_block = previous_trimmed == "}";
        let after_declaration =
            previous_trimmed.ends_with(';') && previous_indent == 0 && !previous_trimmed.starts_with("//");
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
        match trimmed.strip_prefix("///").and_then(|rest| rest.strip_prefix(DOC_MARKER)) {
            Some(id) => put_back_docs(id, &line[..indent], out)?,
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
        previous = line;
    }
    Ok(())
}

/// Appends the documentation block that [`doc_attrs`] set aside as `id`, at `indent`.
fn put_back_docs(id: &str, indent: &str, out: &mut String) -> Result<(), syn::Error> {
    let block = id.parse::<usize>().ok().and_then(|id| SET_ASIDE.with(|docs| docs.borrow_mut().remove(&id)));
    let block = block.ok_or_else(|| {
        let message = format!("documentation placeholder {id} was not set aside on this thread");
        syn::Error::new(Span::call_site(), message)
    })?;
    for doc in &block {
        out.push_str(indent);
        out.push_str("///");
        // As prettyplease prints a doc line: trailing spaces dropped.
        let doc = doc.trim_end_matches(' ');
        if !doc.is_empty() {
            out.push(' ');
            out.push_str(doc);
        }
        out.push('\n');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(tokens: TokenStream) -> String {
        format_file("", tokens).unwrap()
    }

    #[test]
    fn documentation_is_printed_as_written() {
        let lines: Vec<String> = [
            "Ends with a semicolon;",
            "",
            "@cloudspec-doc:0 is just text here; trailing spaces go:   ",
            "`code` \\ \"quoted\" and unicode: 端点",
        ]
        .map(String::from)
        .to_vec();
        let docs = doc_attrs(&lines);
        let field_docs = doc_attrs(&["A field.".to_string()]);
        let text = format(quote! { #docs pub struct S { #field_docs pub x: u8 } });
        let expected = concat!(
            "/// Ends with a semicolon;\n",
            "///\n",
            "/// @cloudspec-doc:0 is just text here; trailing spaces go:\n",
            "/// `code` \\ \"quoted\" and unicode: 端点\n",
            "pub struct S {\n",
            "    /// A field.\n",
            "    pub x: u8,\n",
            "}\n",
        );
        assert_eq!(text, expected);
        // The same text through ordinary attributes prints the same way.
        let attrs = lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
        let plain = prettyplease::unparse(
            &syn::parse2(quote! { #(#[doc = #attrs])* pub struct S { #[doc = " A field."] pub x: u8 } }).unwrap(),
        );
        assert_eq!(text, plain);
    }

    #[test]
    fn a_placeholder_from_elsewhere_is_an_error_not_text() {
        let docs = doc_attrs(&["Made on another thread.".to_string()]);
        let moved = docs.to_string();
        let error = std::thread::spawn(move || {
            let tokens: TokenStream = moved.parse().unwrap();
            format_file("", quote! { #tokens pub struct S; }).unwrap_err().to_string()
        })
        .join()
        .unwrap();
        assert!(error.contains("was not set aside on this thread"), "{error}");
    }

    #[test]
    fn uses_are_grouped_by_module() {
        let mut uses = Uses::default();
        for path in
            ["serde::Serialize", "super::Thing", "serde::Deserialize", "cloudspec_runtime::json::Object", "super::type"]
        {
            uses.add(path);
        }
        let text = format(uses.tokens());
        assert_eq!(
            text,
            "use cloudspec_runtime::json::Object;\nuse serde::{Deserialize, Serialize};\nuse super::{Thing, r#type};\n"
        );
    }
}
