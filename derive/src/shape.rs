//! What the derives read from a field: the shape of its type (`Option`, `Box`, `Vec`, `String`, a
//! `Copy` scalar), its wire name (serde's `rename`) and the helper attribute's flags.
//!
//! Types are recognised by their last path segment. Generated code names these types unqualified and
//! no type of a spec may take their names (the generator reserves them), so the reading is exact there.

use syn::{Attribute, GenericArgument, LitStr, PathArguments, Type};

/// The type's single generic argument, when its last segment is `wrapper` (`Option<T>` → `T`).
pub fn unwrap<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// Whether the type's name is `name`, without generic arguments.
pub fn is_named(ty: &Type, name: &str) -> bool {
    let Type::Path(path) = ty else { return false };
    path.qself.is_none()
        && path.path.segments.last().is_some_and(|last| last.ident == name && last.arguments.is_empty())
}

/// The `Copy` types generated code uses: getters return them by value, setters take them as they are.
pub fn is_copy(ty: &Type) -> bool {
    const COPY: &[&str] = &[
        "bool",
        "char",
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "f32",
        "f64",
        "OffsetDateTime",
        "PrimitiveDateTime",
        "Date",
    ];
    COPY.iter().any(|name| is_named(ty, name))
}

/// The field's documentation attributes, to carry onto the method that shows it.
pub fn docs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("doc")).collect()
}

/// The wire name in `#[serde(rename = "…")]`, if any; the other serde keys are skipped.
pub fn serde_rename(attrs: &[Attribute]) -> syn::Result<Option<LitStr>> {
    let mut rename = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<LitStr>()?;
            }
            Ok(())
        })?;
    }
    Ok(rename)
}

/// Text fit for a code span in a doc line: backticks become quotes, control and bidirectional
/// characters go (as the generator writes wire names in documentation).
pub fn code_text(text: &str) -> String {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    text.chars().filter(|c| !c.is_control() && !bidi(*c)).map(|c| if c == '`' { '\'' } else { c }).collect()
}
