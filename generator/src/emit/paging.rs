//! The paginators of a paged action, in its service's client module: the `static` paging metadata
//! the runtime's paginator reads, and the two methods that start one (its pages and its items). The
//! loop itself is the runtime's (`cloudspec_runtime::paginate`); generated code only names the types.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Out, ident};
use crate::ir::ActionIr;

/// `static X_PAGING: PagingMeta = …;`, for a paged action.
pub fn paging_static(action: &ActionIr) -> Option<TokenStream> {
    let paging = action.paging.as_ref()?;
    let name = ident(&paging.static_ident);
    let kind = ident(paging.kind.variant_name());
    let (cursor, cursor_as_text, page_size_as_text) = (&paging.cursor, paging.cursor_as_text, paging.page_size_as_text);
    let first_page = proc_macro2::Literal::u64_unsuffixed(paging.first_page);
    let option = |value: Option<TokenStream>| match value {
        Some(tokens) => quote! { Some(#tokens) },
        None => quote! { None },
    };
    let page_size = option(paging.page_size.as_ref().map(|size| quote! { #size }));
    let max_page_size =
        option(paging.max_page_size.map(proc_macro2::Literal::u64_unsuffixed).map(|max| quote! { #max }));
    let path = |segments: &Vec<String>| quote! { &[#(#segments),*] };
    let items = path(&paging.items);
    let total = option(paging.total.as_ref().map(path));
    let next_token = option(paging.next_token.as_ref().map(path));
    Some(quote! {
        static #name: cloudspec_runtime::meta::PagingMeta = cloudspec_runtime::meta::PagingMeta {
            kind: cloudspec_runtime::meta::PageKind::#kind,
            cursor: #cursor,
            cursor_as_text: #cursor_as_text,
            first_page: #first_page,
            page_size: #page_size,
            page_size_as_text: #page_size_as_text,
            max_page_size: #max_page_size,
            items: #items,
            total: #total,
            next_token: #next_token,
        };
    })
}

/// The `<action>_pages` and `<action>_items` methods of the client, for a paged action.
pub fn paginator_methods(action: &ActionIr, out: &mut Out<'_>) -> Option<TokenStream> {
    let paging = action.paging.as_ref()?;
    let request = ident(&action.request.ident);
    let response = ident(&action.response.ident);
    let error = ident(&action.error.ident);
    let meta = ident(&action.meta.ident);
    let paging_static = ident(&paging.static_ident);
    let item = out.type_tokens(&paging.item);
    let (pages, items) = (ident(&paging.pages_method), ident(&paging.items_method));
    let (pages_docs, items_docs) = (out.doc_attrs(&paging.pages_docs), out.doc_attrs(&paging.items_docs));
    let deprecated = action.deprecated.as_ref().map(|note| quote! { #[deprecated(note = #note)] });
    Some(quote! {
        #pages_docs
        #deprecated
        pub fn #pages(&self, request: #request) -> cloudspec_runtime::paginate::Pages<#response, #error> {
            self.runtime.pages(&#meta, &#paging_static, &request)
        }

        #items_docs
        #deprecated
        pub fn #items(&self, request: #request) -> cloudspec_runtime::paginate::Items<#item, #error> {
            self.runtime.items(&#meta, &#paging_static, &request)
        }
    })
}
