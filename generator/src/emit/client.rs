//! The service client: what the runtime needs to know about the service and each action, and one
//! async method per action that hands the request to the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Out, ident, variant};
use crate::ir::*;

fn opt_str(value: &Option<String>) -> TokenStream {
    match value {
        Some(text) => quote! { Some(#text) },
        None => quote! { None },
    }
}

/// `impl Request for XRequest`: the checks of its fields, which the runtime's `validate` runs (a request
/// without rules keeps the trait's default, which records nothing).
pub fn request_impl(action: &ActionIr, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("cloudspec_runtime::Request");
    let name = ident(&action.request.ident);
    let checks: Vec<_> = action.request.fields.iter().map(|f| super::checks::field_checks(f, out)).collect();
    if checks.iter().all(TokenStream::is_empty) {
        return quote! { impl Request for #name {} };
    }
    out.uses.add("cloudspec_runtime::Validator");
    quote! {
        impl Request for #name {
            fn validate_at(&self, path: &str, v: &mut Validator) { #(#checks)* }
        }
    }
}

/// The `client` module of a service version.
pub fn client(service: &ServiceIr, out: &mut Out<'_>) -> TokenStream {
    out.uses.add("cloudspec_runtime::Config");
    out.uses.add("cloudspec_runtime::envelope::Protocol");
    out.uses.add("cloudspec_runtime::meta::ActionMeta");
    out.uses.add("cloudspec_runtime::meta::EndpointsMeta");
    out.uses.add("cloudspec_runtime::meta::ServiceMeta");
    out.uses.add("cloudspec_runtime::Call");
    let protocol = variant("Protocol", service.protocol.variant_name());
    let (name, signing_name, version) = (&service.name, &service.signing_name, &service.version);
    let endpoints = &service.endpoints;
    let (default, international, regional) =
        (opt_str(&endpoints.default), opt_str(&endpoints.international), opt_str(&endpoints.regional));
    // A region whose host is the regional pattern's (`apigateway.{region}.aliyuncs.com`) resolves to
    // the same host without an entry: only the exceptions are listed.
    let regions = endpoints
        .regions
        .iter()
        .filter(|(id, host)| {
            endpoints.regional.as_ref().is_none_or(|pattern| pattern.replace("{region}", id) != **host)
        })
        .map(|(id, host)| quote! { (#id, #host) });
    let metas = service
        .actions
        .iter()
        .map(|action| {
            let meta = &action.meta;
            let static_name = ident(&meta.ident);
            let wire = &action.wire;
            let (method, path) = (&meta.method, &meta.path);
            let sensitive = action.sensitive_output;
            if !meta.params.is_empty() {
                out.uses.add("cloudspec_runtime::meta::ParamLocation");
                out.uses.add("cloudspec_runtime::meta::ParamMeta");
            }
            // `ParamStyle` only when a parameter names one (`style: None` needs no import).
            if meta.params.iter().any(|(_, _, style)| style.is_some()) {
                out.uses.add("cloudspec_runtime::meta::ParamStyle");
            }
            let params = meta.params.iter().map(|(wire, location, style)| {
                let location = variant("ParamLocation", location.variant_name());
                let style = style.map(|style| {
                    let style = variant("ParamStyle", style.variant_name());
                    quote! { .style(#style) }
                });
                quote! { ParamMeta::new(#wire, #location) #style }
            });
            let (code, success) = (meta.documents_code, meta.documents_success);
            let paging = super::paging::paging_static(action);
            // Only what differs from `ActionMeta::new`'s defaults, one method each.
            let mut changes = Vec::new();
            if meta.idempotent {
                changes.push(quote! { .idempotent() });
            }
            if let Some(rate) = meta.rate_limit {
                let rate = proc_macro2::Literal::u32_unsuffixed(rate);
                changes.push(quote! { .rate_limit(#rate) });
            }
            if meta.region_required {
                changes.push(quote! { .region_required() });
            }
            if meta.method != "POST" {
                changes.push(quote! { .method(#method) });
            }
            if meta.path != "/" {
                changes.push(quote! { .path(#path) });
            }
            if sensitive {
                changes.push(quote! { .sensitive_output() });
            }
            if !meta.params.is_empty() {
                changes.push(quote! { .params(&[#(#params),*]) });
            }
            if let Some(token) = action.meta.idempotency_token.as_deref() {
                changes.push(quote! { .idempotency_token(#token) });
            }
            if code || success {
                changes.push(quote! { .status_fields(#code, #success) });
            }
            let value = quote! { SERVICE.action(#wire) #(#changes)* };
            quote! {
                static #static_name: ActionMeta = #value;
                #paging
            }
        })
        .collect::<Vec<_>>();
    let methods = service
        .actions
        .iter()
        .map(|action| {
            let method = ident(&action.module);
            let docs = out.doc_attrs(&action.method_docs);
            let request = ident(&action.request.ident);
            let response = ident(&action.response.ident);
            let error = ident(&action.error.ident);
            let meta = ident(&action.meta.ident);
            for name in [&action.request.ident, &action.response.ident, &action.error.ident] {
                out.uses.add(format!("super::{name}"));
            }
            let paginators = super::paging::paginator_methods(action, out);
            let deprecated = action.deprecated.as_ref().map(|note| quote! { #[deprecated(note = #note)] });
            quote! {
                #docs
                #deprecated
                #[inline]
                pub fn #method(&self, request: #request) -> impl Call<#response, #error> + '_ {
                    self.runtime.execute(&#meta, &request)
                }

                #paginators
            }
        })
        .collect::<Vec<_>>();
    let doc = format!(" A client of {} {}: one method per action.", service.title, service.version);
    let use_items = out.uses.tokens();
    quote! {
        #![doc = " The client of this service version."]

        #use_items

        static SERVICE: ServiceMeta = ServiceMeta {
            name: #name,
            signing_name: #signing_name,
            version: #version,
            protocol: #protocol,
            endpoints: EndpointsMeta {
                default: #default,
                international: #international,
                regional: #regional,
                regions: &[#(#regions),*],
            },
        };

        #(#metas)*

        #[doc = #doc]
        ///
        /// Each method returns a future; `.await` it. Each call validates the request, signs it, sends it, retries it when the spec says that is
        /// safe, paces it to the action's documented rate limit and decodes the answer. Clones share
        /// connections and rate limits.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: cloudspec_runtime::Client,
        }

        impl Client {
            /// A client with this configuration.
            pub fn new(config: Config) -> Self {
                Client { runtime: cloudspec_runtime::Client::new(config) }
            }

            /// A client that shares connections and rate limits with `runtime` (and every other
            /// service client made from it).
            pub fn from_runtime(runtime: cloudspec_runtime::Client) -> Self {
                Client { runtime }
            }

            #(#methods)*
        }
    }
}
