//! Printing the [`crate::ir`] as Rust: every item is built with `quote!` and formatted with
//! `prettyplease`; nothing here decides a name or a type. An emitter writes into an [`Out`]: the file
//! being made, which knows the service's shared types (referred to by id), collects the file's imports
//! and holds its documentation aside until the file is formatted.

mod checks;
mod client;
mod decode;
mod enums;
mod errors;
mod examples;
mod paging;
mod structs;

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;

use crate::ir::*;

pub use client::{client, request_impl};
pub use enums::enum_type;
pub use errors::{action_error, common_error};
pub use examples::{example_probe, examples, runnable_example};
pub use structs::{Sent, input_struct, output_struct};

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

/// The documentation blocks of one file, set aside while it is formatted.
///
/// The text is not put in the tokens: it would be escaped into string literals, parsed by syn and
/// printed back by prettyplease, a tenth of the formatting time of a whole catalogue. One placeholder
/// attribute stands for each block instead, and [`format_file`] puts the lines in its place. A
/// placeholder prints as `///@cloudspec-doc:N`, which no real line can: those print as `/// text` or
/// `///`.
#[derive(Debug, Default)]
pub struct DocTable {
    blocks: Vec<Option<Vec<String>>>,
}

impl DocTable {
    /// `///` lines in the formatted file: the placeholder attribute standing for them.
    pub fn doc_attrs(&mut self, lines: &[String]) -> TokenStream {
        if lines.is_empty() {
            return TokenStream::new();
        }
        let marker = format!("{DOC_MARKER}{}", self.blocks.len());
        self.blocks.push(Some(lines.to_vec()));
        quote! { #[doc = #marker] }
    }

    /// Takes a block back, once.
    fn take(&mut self, id: &str) -> Option<Vec<String>> {
        self.blocks.get_mut(id.parse::<usize>().ok()?)?.take()
    }
}

const DOC_MARKER: &str = "@cloudspec-doc:";

/// A file being emitted.
pub struct Out<'a> {
    types: &'a [TypeIr],
    /// What the file imports.
    pub uses: Uses,
    docs: &'a mut DocTable,
    /// Each distinct pattern the file checks, with the `static` that compiles it once.
    patterns: Vec<(String, String)>,
}

impl<'a> Out<'a> {
    /// A file of a service with these shared types, its documentation set aside in `docs`.
    pub fn new(types: &'a [TypeIr], docs: &'a mut DocTable) -> Self {
        Out { types, uses: Uses::default(), docs, patterns: Vec::new() }
    }

    /// The `static` holding `regex`, one per distinct pattern of the file, named after the first field
    /// that uses it (`ACCESS_KEY_ID_PATTERN`).
    pub fn pattern(&mut self, regex: &str, field: &str) -> Ident {
        if let Some((_, name)) = self.patterns.iter().find(|(r, _)| r == regex) {
            return ident(name);
        }
        let stem = format!("{}_PATTERN", field.trim_start_matches("r#").to_ascii_uppercase());
        let mut name = stem.clone();
        let mut n = 1;
        while self.patterns.iter().any(|(_, taken)| *taken == name) {
            n += 1;
            name = format!("{stem}_{n}");
        }
        self.patterns.push((regex.to_string(), name.clone()));
        ident(&name)
    }

    /// The file's items: its imports, the statics of its patterns, then `body`.
    pub fn file(&mut self, body: TokenStream) -> TokenStream {
        if !self.patterns.is_empty() {
            self.uses.add("cloudspec_runtime::Pattern");
        }
        let statics = self.patterns.iter().map(|(regex, name)| {
            let name = ident(name);
            quote! { static #name: Pattern = Pattern::new(#regex); }
        });
        let uses = self.uses.tokens();
        quote! { #uses #(#statics)* #body }
    }

    /// See [`DocTable::doc_attrs`].
    pub fn doc_attrs(&mut self, lines: &[String]) -> TokenStream {
        self.docs.doc_attrs(lines)
    }

    /// The Rust name of a shared type.
    pub fn type_ident(&self, id: TypeId) -> &'a str {
        match self.types.get(id.0) {
            Some(TypeIr::Struct(s)) => &s.ident,
            Some(TypeIr::Enum(e)) => &e.ident,
            None => "",
        }
    }

    /// The tokens of a Rust type, recording its imports.
    pub fn type_tokens(&mut self, ty: &RustType) -> TokenStream {
        match ty {
            RustType::String => quote! { String },
            RustType::Secret => {
                self.uses.add("cloudspec_runtime::SecretString");
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
                self.uses.add("cloudspec_runtime::time::PrimitiveDateTime");
                quote! { PrimitiveDateTime }
            }
            RustType::Timestamp(_) => {
                self.uses.add("cloudspec_runtime::time::OffsetDateTime");
                quote! { OffsetDateTime }
            }
            RustType::Date => {
                self.uses.add("cloudspec_runtime::time::Date");
                quote! { Date }
            }
            RustType::Json => quote! { serde_json::Value },
            RustType::List(inner) => {
                let inner = self.type_tokens(inner);
                quote! { Vec<#inner> }
            }
            RustType::Map(inner) => {
                self.uses.add("std::collections::BTreeMap");
                let inner = self.type_tokens(inner);
                quote! { BTreeMap<String, #inner> }
            }
            RustType::Struct(id) | RustType::Enum(id, _) => {
                let name = self.type_ident(*id);
                self.uses.add(format!("super::{name}"));
                let name = ident(name);
                quote! { #name }
            }
        }
    }
}

/// `#![doc = "…"]` attributes, one per line: a module's own documentation.
pub fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let lines = crate::docs::wrap(lines, 96);
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

/// Formats a file: the header comment, then the items, pretty-printed, with the documentation of
/// `docs` put back in place.
pub fn format_file(header: &str, tokens: TokenStream, mut docs: DocTable) -> Result<String, syn::Error> {
    let mut file: syn::File = syn::parse2(tokens)?;
    syn::visit_mut::VisitMut::visit_file_mut(&mut SafeDocs, &mut file);
    let mut text = String::from(header);
    let printed = prettyplease::unparse(&file);
    space_items(&printed, &mut text, &mut docs)?;
    Ok(text)
}

/// Appends `code` to `out` with a blank line between items, as people write them (prettyplease packs
/// them together), and each documentation placeholder replaced by its lines.
fn space_items(code: &str, out: &mut String, docs: &mut DocTable) -> Result<(), syn::Error> {
    out.reserve(code.len() + code.len() / 8);
    let mut previous = "";
    // The last line that is not indented: where the current top-level item started.
    let mut last_top = "";
    for line in code.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let previous_trimmed = previous.trim_start();
        let previous_indent = previous.len() - previous_trimmed.len();
        // Short declarations (`mod x;`, `pub use x::*;`) stay together; anything documented or
        // attributed, and anything after a block, gets room. A comment ends nothing.
        // An empty body (`impl Request for X {}`, `fn validate_at(…) {}`) ends an item as a closing
        // brace does.
        let empty_body = previous_trimmed.ends_with("{}")
            && (previous_trimmed.starts_with("impl") || previous_trimmed.contains("fn "));
        let after_block = previous_trimmed == "}" || empty_body;
        let after_declaration =
            previous_trimmed.ends_with(';') && previous_indent == 0 && !previous_trimmed.starts_with("//");
        let ends_item = after_block || after_declaration;
        let starts_item = if after_block {
            ["///", "#[", "#![", "pub ", "pub(", "impl", "fn ", "mod ", "use ", "const ", "static "]
                .iter()
                .any(|start| trimmed.starts_with(start))
        } else {
            ["///", "#[", "#![", "impl", "pub struct", "pub enum", "fn ", "pub fn", "static "]
                .iter()
                .any(|start| trimmed.starts_with(start))
        };
        let both_uses = previous_trimmed.starts_with("use ") && trimmed.starts_with("use ");
        let both_statics = previous_trimmed.starts_with("static ") && trimmed.starts_with("static ");
        let after_inner_doc = previous_trimmed.starts_with("//!") && !trimmed.starts_with("//!");
        let in_body = indent > 0 && previous_trimmed.ends_with(';');
        // A top-level item whose last line is indented (`static X: T = f()` broken over lines, ending
        // `    .g();`) ends there too; statics stay together as the one-line ones do.
        let after_broken_item = indent == 0
            && previous_indent > 0
            && previous_trimmed.ends_with(';')
            && starts_item
            && !(trimmed.starts_with("static ") && last_top.starts_with("static "));
        if !previous.is_empty()
            && ((indent == previous_indent
                && ((ends_item && starts_item && !both_uses && !both_statics && !in_body) || after_inner_doc))
                || after_broken_item)
        {
            out.push('\n');
        }
        if indent == 0 && !trimmed.is_empty() {
            last_top = trimmed;
        }
        match trimmed.strip_prefix("///").and_then(|rest| rest.strip_prefix(DOC_MARKER)) {
            Some(id) => put_back_docs(docs, id, &line[..indent], out)?,
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
        previous = line;
    }
    Ok(())
}

/// Makes every `#[doc = "…"]` of a parsed file fit for a comment ([`crate::docs::comment_text`]),
/// whatever emitter wrote it: prettyplease prints the value as a `///` line, where a bidirectional
/// control is a rustc error and a line break or carriage return would end or break the comment.
///
/// It walks the parsed file, not the tokens before parsing: going through a token stream copies every
/// token (proc-macro2 streams are shared), a twentieth of a whole catalogue's generation. Macro calls
/// keep their tokens unparsed, so their doc attributes are cleaned as tokens ([`cleaned`]).
struct SafeDocs;

impl syn::visit_mut::VisitMut for SafeDocs {
    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        if let syn::Meta::NameValue(doc) = &mut attribute.meta {
            if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &mut doc.value {
                if doc.path.is_ident("doc") {
                    if let std::borrow::Cow::Owned(clean) = crate::docs::comment_text(&text.value()) {
                        *text = syn::LitStr::new(&clean, text.span());
                    }
                }
            }
        }
        syn::visit_mut::visit_attribute_mut(self, attribute);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if let Some(tokens) = cleaned(&mac.tokens) {
            mac.tokens = tokens;
        }
        syn::visit_mut::visit_macro_mut(self, mac);
    }
}

/// `tokens` with their doc attributes cleaned, or `None` when none needed it (most files: nothing is
/// rebuilt then).
fn cleaned(tokens: &TokenStream) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut changed = false;
    let mut out = Vec::with_capacity(trees.len());
    for (i, tree) in trees.iter().enumerate() {
        let TokenTree::Group(group) = tree else {
            out.push(tree.clone());
            continue;
        };
        let stream = group.stream();
        // `[doc = "…"]` after `#` or `#!`.
        let attribute = group.delimiter() == Delimiter::Bracket
            && i > 0
            && matches!(&trees[i - 1], TokenTree::Punct(p) if matches!(p.as_char(), '#' | '!'));
        let inner = if attribute { clean_doc_value(&stream) } else { cleaned(&stream) };
        match inner {
            Some(inner) => {
                changed = true;
                let mut rebuilt = Group::new(group.delimiter(), inner);
                rebuilt.set_span(group.span());
                out.push(TokenTree::Group(rebuilt));
            }
            None => out.push(tree.clone()),
        }
    }
    changed.then(|| out.into_iter().collect())
}

/// `doc = "…"` with its text made fit for a comment, or `None` when it is fit already (or is another
/// attribute).
fn clean_doc_value(attr: &TokenStream) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = attr.clone().into_iter().collect();
    let [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(literal)] = trees.as_slice() else {
        return None;
    };
    if name != "doc" || eq.as_char() != '=' {
        return None;
    }
    let value = syn::parse2::<syn::LitStr>(TokenTree::Literal(literal.clone()).into()).ok()?.value();
    match crate::docs::comment_text(&value) {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(clean) => Some(quote! { #name #eq #clean }),
    }
}

/// Appends the documentation block set aside as `id`, at `indent`.
fn put_back_docs(docs: &mut DocTable, id: &str, indent: &str, out: &mut String) -> Result<(), syn::Error> {
    let block = docs.take(id).ok_or_else(|| {
        let message = format!("documentation placeholder {id} is not one of this file's");
        syn::Error::new(Span::call_site(), message)
    })?;
    // Wrapped at 100 columns, counting the indentation and `/// `.
    let width = 100usize.saturating_sub(indent.len() + 4).max(40);
    for doc in &crate::docs::wrap(&block, width) {
        out.push_str(indent);
        out.push_str("///");
        // As prettyplease prints a doc line: trailing spaces dropped.
        let doc = crate::docs::comment_text(doc);
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
        format_file("", tokens, DocTable::default()).unwrap()
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
        let mut table = DocTable::default();
        let docs = table.doc_attrs(&lines);
        let field_docs = table.doc_attrs(&["A field.".to_string()]);
        let text = format_file("", quote! { #docs pub struct S { #field_docs pub x: u8 } }, table).unwrap();
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
        let mut other = DocTable::default();
        let docs = other.doc_attrs(&["Set aside for another file.".to_string()]);
        let error = format_file("", quote! { #docs pub struct S; }, DocTable::default()).unwrap_err().to_string();
        assert!(error.contains("is not one of this file's"), "{error}");
        // Nor can a block be put back twice.
        let mut table = DocTable::default();
        let docs = table.doc_attrs(&["Once.".to_string()]);
        let error = format_file("", quote! { #docs pub struct S; #docs pub struct T; }, table).unwrap_err();
        assert!(error.to_string().contains("is not one of this file's"), "{error}");
    }

    #[test]
    fn doc_attributes_of_any_emitter_become_one_comment_line() {
        // On an item, a field, an inner attribute, and inside a macro call (whose tokens stay unparsed).
        let unsafe_text = " a\nb\r\u{202E}c\td";
        let text = format(quote! {
            #![doc = #unsafe_text]
            #[doc = #unsafe_text]
            pub struct S { #[doc = #unsafe_text] pub x: u8 }
            m! { #[doc = #unsafe_text] struct T; }
        });
        assert!(!text.contains('\u{202E}') && !text.contains('\r') && !text.contains('\t'), "{text}");
        assert_eq!(text.matches("//! a b c d\n").count(), 1, "{text}");
        assert_eq!(text.matches("/// a b c d\n").count(), 2, "{text}");
        assert!(text.contains(r#"doc = " a b c d""#), "{text}");
        assert!(!text.contains("\nb"), "{text}");
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
