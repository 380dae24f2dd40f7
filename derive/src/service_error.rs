//! `#[derive(ServiceError)]`: an action's error enum classifies error responses by code.
//!
//! Each documented variant holds the `ErrorMetadata` and says its code and classification:
//! `#[code("InternalError.OssException", retryable)]` (flags: `retryable`, `throttling`). The enum
//! also has `Common(CommonError)` (the provider's common codes, whose type has `classify` and `parts`)
//! and `Unknown(UnknownCode)`. The derive writes `impl ServiceError` (`from_metadata`: a documented
//! code's variant, else a common one, else `Unknown`; `parts`) and `cloudspec_runtime::error_impls!`
//! (the inherent accessors, `Display`, `Error`).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitStr, Type};

/// A documented variant.
struct Documented<'a> {
    ident: &'a Ident,
    code: LitStr,
    retryable: bool,
    throttling: bool,
}

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, "`ServiceError` derives for enums only"));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "`ServiceError` does not take generic enums"));
    }
    let mut documented = Vec::new();
    let mut common: Option<&Type> = None;
    let mut unknown = false;
    for variant in &data.variants {
        let single = match &variant.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => fields.unnamed.first().map(|f| &f.ty),
            _ => None,
        };
        let Some(ty) = single else {
            return Err(syn::Error::new_spanned(variant, "each variant holds one value: `Variant(ErrorMetadata)`"));
        };
        match code_attr(variant)? {
            Some((code, retryable, throttling)) => {
                documented.push(Documented { ident: &variant.ident, code, retryable, throttling })
            }
            None if variant.ident == "Common" => common = Some(ty),
            None if variant.ident == "Unknown" => unknown = true,
            None => {
                return Err(syn::Error::new_spanned(
                    &variant.ident,
                    "expected `#[code(\"…\")]`, or the variant `Common(CommonError)` or `Unknown(UnknownCode)`",
                ));
            }
        }
    }
    let (Some(common), true) = (common, unknown) else {
        return Err(syn::Error::new_spanned(&input.ident, "expected variants `Common(…)` and `Unknown(UnknownCode)`"));
    };
    let name = &input.ident;
    let m = Ident::new("m", Span::mixed_site());
    let idents = documented.iter().map(|d| d.ident);
    let codes = documented.iter().map(|d| &d.code);
    // One `parts` arm per classification, as few arms as the enum has classifications.
    let mut arms = Vec::new();
    for (retryable, throttling) in [(false, false), (true, false), (true, true), (false, true)] {
        let names: Vec<_> = documented
            .iter()
            .filter(|d| (d.retryable, d.throttling) == (retryable, throttling))
            .map(|d| d.ident)
            .collect();
        if !names.is_empty() {
            arms.push(quote! {
                #( Self::#names(#m) )|* => ::cloudspec_runtime::ErrorParts::documented(#m, #retryable, #throttling),
            });
        }
    }
    let (common_value, unknown_value) =
        (Ident::new("common", Span::mixed_site()), Ident::new("unknown", Span::mixed_site()));
    // A `match`, not `map_or_else` with a closure: that compiled a copy of `map_or_else` and of the
    // closure's shims for every error enum, three times the code of the match.
    let fallback = quote! {
        match <#common>::classify(#m) {
            ::core::result::Result::Ok(#common_value) => Self::Common(#common_value),
            ::core::result::Result::Err(#m) => Self::Unknown(::cloudspec_runtime::UnknownCode::new(#m)),
        }
    };
    let classify = if documented.is_empty() {
        fallback
    } else {
        quote! {
            match #m.code() {
                #( #codes => Self::#idents(#m), )*
                _ => #fallback,
            }
        }
    };
    Ok(quote! {
        impl ::cloudspec_runtime::ServiceError for #name {
            fn from_metadata(#m: ::cloudspec_runtime::ErrorMetadata) -> Self {
                #classify
            }

            fn parts(&self) -> ::cloudspec_runtime::ErrorParts<'_> {
                match self {
                    #(#arms)*
                    Self::Common(#common_value) => #common_value.parts(),
                    Self::Unknown(#unknown_value) => #unknown_value.parts(),
                }
            }
        }

        ::cloudspec_runtime::error_impls!(#name);
    })
}

/// `#[code("…", retryable, throttling)]`: the code and its flags.
fn code_attr(variant: &syn::Variant) -> syn::Result<Option<(LitStr, bool, bool)>> {
    let Some(attr) = variant.attrs.iter().find(|attr| attr.path().is_ident("code")) else {
        return Ok(None);
    };
    attr.parse_args_with(|input: syn::parse::ParseStream<'_>| {
        let code: LitStr = input.parse()?;
        let (mut retryable, mut throttling) = (false, false);
        while !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let flag: Ident = input.parse()?;
            match flag.to_string().as_str() {
                "retryable" => retryable = true,
                "throttling" => throttling = true,
                _ => return Err(syn::Error::new(flag.span(), "expected `retryable` or `throttling`")),
            }
        }
        Ok(Some((code, retryable, throttling)))
    })
}
