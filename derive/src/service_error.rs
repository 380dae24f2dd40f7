//! `#[derive(ServiceError)]`: an action's error enum classifies error responses by code.
//!
//! Each documented variant holds the `ErrorMetadata` and says its code and classification:
//! `#[code("InternalError.OssException", retryable)]` (flags: `retryable`, `throttling`). The enum
//! also has `Common(CommonError)` (the provider's common codes, whose type has `classify` and `parts`)
//! and `Unknown(UnknownCode)`. The derive writes `impl ServiceError` (`from_metadata`: a documented
//! code's variant, else a common one, else `Unknown`; `parts`), `Clone` and `Debug` (as the standard
//! derives would write them, through a table of the documented codes: see the runtime's
//! `error::documented`), and `cloudspec_runtime::error_impls!` (the inherent accessors, `Display`,
//! `Error`).

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
    let body = if documented.is_empty() {
        without_documented(name, common)
    } else {
        with_documented(name, &documented, common)
    };
    Ok(quote! {
        const _: () = {
            #body
        };

        ::cloudspec_runtime::error_impls!(#name);
    })
}

/// An enum with no documented code: `Common` or `Unknown`, each impl one two-arm `match`.
fn without_documented(name: &Ident, common: &Type) -> TokenStream {
    let (m, c, u) = (mixed("m"), mixed("common"), mixed("unknown"));
    let fallback = fallback(common);
    quote! {
        impl ::cloudspec_runtime::ServiceError for #name {
            fn from_metadata(#m: ::cloudspec_runtime::ErrorMetadata) -> Self {
                #fallback
            }

            fn parts(&self) -> ::cloudspec_runtime::ErrorParts<'_> {
                match self {
                    Self::Common(#c) => #c.parts(),
                    Self::Unknown(#u) => #u.parts(),
                }
            }
        }

        impl ::core::clone::Clone for #name {
            #[inline]
            fn clone(&self) -> Self {
                match self {
                    Self::Common(#c) => Self::Common(::core::clone::Clone::clone(#c)),
                    Self::Unknown(#u) => Self::Unknown(::core::clone::Clone::clone(#u)),
                }
            }
        }

        impl ::core::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    Self::Common(#c) => f.debug_tuple("Common").field(#c).finish(),
                    Self::Unknown(#u) => f.debug_tuple("Unknown").field(#u).finish(),
                }
            }
        }
    }
}

/// An enum with documented codes: a table of them (`DOCUMENTED`, in the variants' order), and two
/// functions with an arm per variant, `from_index` (builds a documented variant) and `view` (its
/// index, or the common or unknown code). Classification, `Debug` and `Clone` go through them and
/// the runtime's non-generic `error::documented` functions, so a variant costs a table entry and two
/// arms instead of an arm in each of five `match`es (see that module).
fn with_documented(name: &Ident, documented: &[Documented<'_>], common: &Type) -> TokenStream {
    let (m, c, u, i) = (mixed("m"), mixed("common"), mixed("unknown"), mixed("index"));
    let support = quote! { ::cloudspec_runtime::error::documented };
    let entries = documented.iter().map(|d| {
        let (code, retryable, throttling) = (&d.code, d.retryable, d.throttling);
        let variant = d.ident.to_string();
        quote! {
            #support::DocumentedCode { code: #code, variant: #variant, retryable: #retryable, throttling: #throttling }
        }
    });
    let idents: Vec<_> = documented.iter().map(|d| d.ident).collect();
    let indices: Vec<_> = (0..documented.len()).collect();
    let fallback = fallback(common);
    quote! {
        const DOCUMENTED: &[#support::DocumentedCode] = &[#(#entries),*];

        /// The documented variant at `index` in `DOCUMENTED` (`Unknown` past its end, which no caller passes).
        #[inline]
        fn from_index(#i: usize, #m: ::cloudspec_runtime::ErrorMetadata) -> #name {
            match #i {
                #( #indices => #name::#idents(#m), )*
                _ => #name::Unknown(::cloudspec_runtime::UnknownCode::new(#m)),
            }
        }

        #[inline]
        fn view(error: &#name) -> #support::View<'_, #common> {
            match error {
                #( #name::#idents(#m) => #support::View::Documented(#indices, #m), )*
                #name::Common(#c) => #support::View::Common(#c),
                #name::Unknown(#u) => #support::View::Unknown(#u),
            }
        }

        impl ::cloudspec_runtime::ServiceError for #name {
            fn from_metadata(#m: ::cloudspec_runtime::ErrorMetadata) -> Self {
                match #support::find(DOCUMENTED, #m.code()) {
                    ::core::option::Option::Some(#i) => from_index(#i, #m),
                    ::core::option::Option::None => #fallback,
                }
            }

            fn parts(&self) -> ::cloudspec_runtime::ErrorParts<'_> {
                match view(self) {
                    #support::View::Documented(#i, #m) => #support::parts(DOCUMENTED, #i, #m),
                    #support::View::Common(#c) => #c.parts(),
                    #support::View::Unknown(#u) => #u.parts(),
                }
            }
        }

        impl ::core::clone::Clone for #name {
            #[inline]
            fn clone(&self) -> Self {
                match view(self) {
                    #support::View::Documented(#i, #m) => from_index(#i, ::core::clone::Clone::clone(#m)),
                    #support::View::Common(#c) => Self::Common(::core::clone::Clone::clone(#c)),
                    #support::View::Unknown(#u) => Self::Unknown(::core::clone::Clone::clone(#u)),
                }
            }
        }

        impl ::core::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match view(self) {
                    #support::View::Documented(#i, #m) => #support::debug(f, DOCUMENTED, #i, #m),
                    #support::View::Common(#c) => f.debug_tuple("Common").field(#c).finish(),
                    #support::View::Unknown(#u) => f.debug_tuple("Unknown").field(#u).finish(),
                }
            }
        }
    }
}

/// A code no variant documents: the provider's common error with it, or `Unknown`. A `match`, not
/// `map_or_else` with a closure: that compiled a copy of `map_or_else` and of the closure's shims for
/// every error enum, three times the code of the match.
fn fallback(common: &Type) -> TokenStream {
    let (m, c) = (mixed("m"), mixed("common"));
    quote! {
        match <#common>::classify(#m) {
            ::core::result::Result::Ok(#c) => Self::Common(#c),
            ::core::result::Result::Err(#m) => Self::Unknown(::cloudspec_runtime::UnknownCode::new(#m)),
        }
    }
}

/// A name the derive's own code binds, invisible to the enum's (mixed-site hygiene).
fn mixed(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
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
