//! What the derives read from a field: the shape of its type (`Option`, `Box`, `Vec`, `String`, a
//! `Copy` scalar), its wire name (serde's `rename`, or the struct's `rename_all`), its timestamp format
//! (serde's `with`) and the helper attribute's flags.
//!
//! Types are recognised by their last path segment. Generated code names these types unqualified and
//! no type of a spec may take their names (the generator reserves them), so the reading is exact there.

use proc_macro2::Ident;
use syn::{Attribute, Data, DeriveInput, Fields, FieldsNamed, GenericArgument, LitStr, PathArguments, Type};

/// The named fields of the non-generic struct a derive is given, or an error at the input's span that
/// names the derive.
pub fn named_fields<'a>(input: &'a DeriveInput, derive: &str) -> syn::Result<&'a FieldsNamed> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, format!("`{derive}` derives for structs only")));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(&input.ident, format!("`{derive}` needs named fields")));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, format!("`{derive}` does not take generic structs")));
    }
    Ok(named)
}

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

/// Text fit for a code span in a doc line: backticks become quotes, control and bidirectional
/// characters go (as the generator writes wire names in documentation).
pub fn code_text(text: &str) -> String {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    text.chars().filter(|c| !c.is_control() && !bidi(*c)).map(|c| if c == '`' { '\'' } else { c }).collect()
}

/// What the derives read of serde's container attribute: `rename_all` (only `"PascalCase"`, the rule
/// of the providers' wire names) and `transparent`. Other keys are serde's alone and skipped.
#[derive(Default)]
pub struct SerdeContainer {
    /// `#[serde(rename_all = "PascalCase")]`: a field without `rename` is named by [`pascal_case`].
    pub pascal_case: bool,
    /// `#[serde(transparent)]`: the one field is the whole value.
    pub transparent: bool,
    /// `#[serde(from = "…")]`: the type a generated enum is read as, then converted.
    pub from: Option<LitStr>,
}

impl SerdeContainer {
    pub fn read(attrs: &[Attribute]) -> syn::Result<Self> {
        let mut container = SerdeContainer::default();
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename_all") {
                    let rule = meta.value()?.parse::<LitStr>()?;
                    if rule.value() != "PascalCase" {
                        return Err(syn::Error::new_spanned(
                            rule,
                            "the derives know `rename_all = \"PascalCase\"` only",
                        ));
                    }
                    container.pascal_case = true;
                } else if meta.path.is_ident("transparent") {
                    container.transparent = true;
                } else if meta.path.is_ident("from") {
                    container.from = Some(meta.value()?.parse::<LitStr>()?);
                } else if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<LitStr>()?;
                }
                Ok(())
            })?;
        }
        Ok(container)
    }

    /// The field's wire name: its `rename`, else its name under `rename_all`, else its name (without `r#`).
    pub fn wire(&self, field: &Ident, rename: Option<LitStr>) -> LitStr {
        rename.unwrap_or_else(|| {
            let name = field.to_string();
            let name = name.trim_start_matches("r#");
            let wire = if self.pascal_case { pascal_case(name) } else { name.to_owned() };
            LitStr::new(&wire, field.span())
        })
    }
}

/// serde's `rename_all = "PascalCase"` for a field, exactly as serde_derive spells it: each `_` dropped
/// and the letter after it, and the first, in ASCII upper case (`db_node` → `DbNode`).
pub fn pascal_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for c in field.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(c);
        }
    }
    pascal
}

/// What the derives read of serde's field attribute: `rename` (the wire name) and `with` (a
/// timestamp format's module). Other keys are serde's alone and skipped.
#[derive(Default)]
pub struct SerdeField {
    pub rename: Option<LitStr>,
    pub with: Option<LitStr>,
}

impl SerdeField {
    pub fn read(attrs: &[Attribute]) -> syn::Result<Self> {
        let mut field = SerdeField::default();
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    field.rename = Some(meta.value()?.parse::<LitStr>()?);
                } else if meta.path.is_ident("with") {
                    field.with = Some(meta.value()?.parse::<LitStr>()?);
                } else if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<LitStr>()?;
                }
                Ok(())
            })?;
        }
        Ok(field)
    }
}

/// The format type of a timestamp module named in `with`: `cloudspec_runtime::timestamp::iso8601`
/// (or `…::iso8601::option` on an `Option`) → `Iso8601`.
pub fn timestamp_format(with: &LitStr, required: bool) -> syn::Result<Ident> {
    let text = with.value();
    let module = text.trim_start_matches("::").strip_prefix("cloudspec_runtime::timestamp::");
    let module = match (module, required) {
        (Some(module), true) => Some(module),
        (Some(module), false) => module.strip_suffix("::option"),
        (None, _) => None,
    };
    let name = match module {
        Some("iso8601") => "Iso8601",
        Some("datetime") => "Datetime",
        Some("date") => "Date",
        Some("epoch_seconds") => "EpochSeconds",
        Some("epoch_millis") => "EpochMillis",
        _ => {
            let option = if required { "" } else { "::option, on an `Option`" };
            return Err(syn::Error::new_spanned(
                with,
                format!(
                    "expected a timestamp module: `cloudspec_runtime::timestamp::` and one of iso8601, datetime, \
                     date, epoch_seconds, epoch_millis{option}"
                ),
            ));
        }
    };
    Ok(Ident::new(name, with.span()))
}

/// A named field as the wire derives (`Encode`, `Decode`) read it.
pub struct WireField<'a> {
    pub ident: &'a Ident,
    /// The value's type: the field's type without its `Option`.
    pub value: &'a Type,
    /// Not an `Option`.
    pub required: bool,
    pub wire: LitStr,
    /// The runtime's timestamp format type (`Iso8601`, …), from serde's `with`.
    pub format: Option<Ident>,
}

impl<'a> WireField<'a> {
    /// Reads `field` for the derive `derive`; a timestamp without its format is an error at its type.
    pub fn read(field: &'a syn::Field, container: &SerdeContainer, derive: &str) -> syn::Result<Self> {
        let Some(ident) = &field.ident else {
            return Err(syn::Error::new_spanned(field, format!("`{derive}` needs named fields")));
        };
        let (required, value) = match unwrap(&field.ty, "Option") {
            Some(inner) => (false, inner),
            None => (true, &field.ty),
        };
        let serde = SerdeField::read(&field.attrs)?;
        let format = match &serde.with {
            Some(with) => Some(timestamp_format(with, required)?),
            None if ["OffsetDateTime", "PrimitiveDateTime", "Date"].iter().any(|t| is_named(value, t)) => {
                return Err(syn::Error::new_spanned(
                    &field.ty,
                    "a timestamp needs its format: `#[serde(with = \"cloudspec_runtime::timestamp::…\")]`",
                ));
            }
            None => None,
        };
        let wire = container.wire(ident, serde.rename);
        Ok(WireField { ident, value, required, wire, format })
    }
}
