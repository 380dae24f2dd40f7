//! `#[derive(OpenEnum)]`: an open enumeration, its known values as unit variants and any other value
//! kept in `Unknown(String)` or `Unknown(i64)`.
//!
//! Each known variant says its wire value, `#[value("auto")]` or `#[value(1)]`; the type `Unknown`
//! holds says whether the enumeration is one of text or of integers. The derive writes what the
//! generator used to write out for every enumeration: `VALUES`, `as_str` (or `as_i64`), `is_known`,
//! the conversions (`From<&str>`, `From<String>` and `From<E> for String`; or `From<i64>` and
//! `From<E> for i64`; `#[derive(Decode)]` reads through serde's `from`), `Display` (the wire value),
//! and the wire value written: `json::Encode` and serde's `Serialize`. What the crate itself does not
//! call (`From<&str>`, `From<E> for String` or `i64`, `Display`) is `#[inline]`, compiled where it is
//! called; a text value is looked up by its index in `VALUES` (`json::value_index`).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::{Data, DeriveInput, Expr, Fields, Lit, Type, UnOp};

/// What the values are.
#[derive(Clone, Copy, PartialEq)]
enum Base {
    Text,
    Integer,
}

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, "`OpenEnum` derives for enums only"));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "`OpenEnum` does not take generic enums"));
    }
    let mut known: Vec<(&Ident, Expr)> = Vec::new();
    let mut base = None;
    for variant in &data.variants {
        match &variant.fields {
            Fields::Unit => {
                let Some(attr) = variant.attrs.iter().find(|attr| attr.path().is_ident("value")) else {
                    return Err(syn::Error::new_spanned(&variant.ident, "expected `#[value(\"…\")]` or `#[value(1)]`"));
                };
                known.push((&variant.ident, attr.parse_args::<Expr>()?));
            }
            Fields::Unnamed(fields) if variant.ident == "Unknown" && fields.unnamed.len() == 1 => {
                base = fields.unnamed.first().and_then(|field| base_of(&field.ty));
                if base.is_none() {
                    return Err(syn::Error::new_spanned(fields, "expected `Unknown(String)` or `Unknown(i64)`"));
                }
            }
            _ => {
                return Err(syn::Error::new_spanned(
                    variant,
                    "expected a unit variant with `#[value(…)]`, or `Unknown(String)` or `Unknown(i64)`",
                ));
            }
        }
    }
    let Some(base) = base else {
        return Err(syn::Error::new_spanned(&input.ident, "expected a variant `Unknown(String)` or `Unknown(i64)`"));
    };
    for (_, value) in &known {
        if value_base(value) != Some(base) {
            let expected = if base == Base::Text { "a string literal" } else { "an integer literal" };
            return Err(syn::Error::new_spanned(value, format!("expected {expected}, as `Unknown` holds")));
        }
    }
    let name = &input.ident;
    let variants: Vec<&Ident> = known.iter().map(|(ident, _)| *ident).collect();
    let values: Vec<&Expr> = known.iter().map(|(_, value)| value).collect();
    let indexes: Vec<_> = (0..known.len()).map(proc_macro2::Literal::usize_unsuffixed).collect();
    let (value, f) = (Ident::new("value", Span::mixed_site()), Ident::new("f", Span::mixed_site()));
    // A text value to its variant by its index in `VALUES`, else `Unknown(unknown)`.
    let by_index = |text: TokenStream, unknown: TokenStream| {
        quote! {
            match ::cloudspec_runtime::json::value_index(Self::VALUES, #text) {
                #( ::core::option::Option::Some(#indexes) => Self::#variants, )*
                _ => Self::Unknown(#unknown),
            }
        }
    };
    let from_str = by_index(quote! { #value }, quote! { ::std::string::String::from(#value) });
    let from_string = by_index(quote! { &#value }, quote! { #value });
    Ok(match base {
        Base::Text => quote! {
            impl #name {
                /// Every value the spec lists.
                pub const VALUES: &'static [&'static str] = &[#(#values),*];

                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#variants => #values, )*
                        Self::Unknown(#value) => #value,
                    }
                }

                /// Whether the spec lists this value.
                pub fn is_known(&self) -> bool {
                    !::core::matches!(self, Self::Unknown(_))
                }
            }

            // `From<&str>`, `From<E> for String` and `Display` are `#[inline]`: compiled only where
            // called (decoding goes through `From<String>`). A value is looked up by its index in
            // `VALUES`, compiled once in the runtime: a `match` on the strings compiled a comparison
            // per value, in each conversion.
            impl ::core::convert::From<&str> for #name {
                #[inline]
                fn from(#value: &str) -> Self {
                    #from_str
                }
            }

            impl ::core::convert::From<::std::string::String> for #name {
                fn from(#value: ::std::string::String) -> Self {
                    #from_string
                }
            }

            impl ::core::convert::From<#name> for ::std::string::String {
                #[inline]
                fn from(#value: #name) -> Self {
                    ::std::string::String::from(#value.as_str())
                }
            }

            impl ::core::fmt::Display for #name {
                #[inline]
                fn fmt(&self, #f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    #f.write_str(self.as_str())
                }
            }

            impl ::cloudspec_runtime::json::Encode for #name {
                fn encode(&self, out: &mut ::cloudspec_runtime::json::Encoder) {
                    out.string(self.as_str());
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        },
        Base::Integer => quote! {
            impl #name {
                /// Every value the spec lists.
                pub const VALUES: &'static [i64] = &[#(#values),*];

                /// The value as sent on the wire.
                pub fn as_i64(&self) -> i64 {
                    match self {
                        #( Self::#variants => #values, )*
                        Self::Unknown(#value) => *#value,
                    }
                }

                /// Whether the spec lists this value.
                pub fn is_known(&self) -> bool {
                    !::core::matches!(self, Self::Unknown(_))
                }
            }

            impl ::core::convert::From<i64> for #name {
                fn from(#value: i64) -> Self {
                    match #value {
                        #( #values => Self::#variants, )*
                        _ => Self::Unknown(#value),
                    }
                }
            }

            impl ::core::convert::From<#name> for i64 {
                #[inline]
                fn from(#value: #name) -> Self {
                    #value.as_i64()
                }
            }

            impl ::core::fmt::Display for #name {
                #[inline]
                fn fmt(&self, #f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::write!(#f, "{}", self.as_i64())
                }
            }

            impl ::cloudspec_runtime::json::Encode for #name {
                fn encode(&self, out: &mut ::cloudspec_runtime::json::Encoder) {
                    out.i64(self.as_i64());
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.as_i64())
                }
            }
        },
    })
}

/// `String` or `i64`, the types `Unknown` may hold.
fn base_of(ty: &Type) -> Option<Base> {
    let Type::Path(path) = ty else {
        return None;
    };
    match path.path.segments.last()?.ident.to_string().as_str() {
        "String" => Some(Base::Text),
        "i64" => Some(Base::Integer),
        _ => None,
    }
}

/// What a `#[value(…)]` is: a string literal, or an integer literal with or without a minus.
fn value_base(value: &Expr) -> Option<Base> {
    match value {
        Expr::Lit(lit) => match lit.lit {
            Lit::Str(_) => Some(Base::Text),
            Lit::Int(_) => Some(Base::Integer),
            _ => None,
        },
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => match &*unary.expr {
            Expr::Lit(lit) if matches!(lit.lit, Lit::Int(_)) => Some(Base::Integer),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    fn expand(text: &str) -> Result<String, String> {
        let input = syn::parse_str(text).expect("the test's input is Rust");
        super::expand(&input).map(|tokens| tokens.to_string()).map_err(|e| e.to_string())
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let error = |text: &str| expand(text).err().unwrap_or_default();
        assert!(error("struct S;").contains("enums only"));
        assert!(error("enum G<T> { Unknown(T) }").contains("generic"));
        assert!(error("enum E { A, Unknown(String) }").contains("#[value"));
        assert!(error("enum E { #[value(\"a\")] A }").contains("Unknown(String)"));
        assert!(error("enum E { #[value(\"a\")] A, Unknown(u8) }").contains("Unknown(i64)"));
        assert!(error("enum E { #[value(1)] A, Unknown(String) }").contains("expected a string literal"));
        assert!(error("enum E { #[value(\"1\")] A, Unknown(i64) }").contains("expected an integer literal"));
        assert!(error("enum E { #[value(1.5)] A, Unknown(i64) }").contains("expected an integer literal"));
        assert!(error("enum E { A { x: u8 }, Unknown(i64) }").contains("unit variant"));
    }

    #[test]
    fn takes_generated_shapes() {
        let text = expand("enum E { #[value(\"auto\")] Auto, #[value(\"\")] Empty, Unknown(String) }").unwrap();
        assert!(text.contains(r#"VALUES : & 'static [& 'static str] = & ["auto" , ""]"#), "{text}");
        assert!(text.contains(r#"Self :: Auto => "auto""#), "as_str: {text}");
        // A value is looked up by its index in `VALUES`, in the order they are listed.
        assert!(text.contains(":: core :: option :: Option :: Some (0) => Self :: Auto"), "{text}");
        assert!(text.contains(":: core :: option :: Option :: Some (1) => Self :: Empty"), "{text}");
        let numbers = expand("enum E { #[value(-1)] Off, #[value(7)] On, Unknown(i64) }").unwrap();
        assert!(numbers.contains("VALUES : & 'static [i64] = & [- 1 , 7]"), "{numbers}");
        assert!(numbers.contains("- 1 => Self :: Off"), "{numbers}");
        assert!(numbers.contains("fn as_i64"), "{numbers}");
    }
}
