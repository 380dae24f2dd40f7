//! From [`Checked`] specs to the [`crate::ir`]: every type, check and doc line is decided here, with
//! the Rust names [`crate::check`] decided (resolution reads them and never computes one).
//!
//! - [`types`]: Rust types of fields, shared object and enumeration types, cycles boxed;
//! - [`fields`]: each field with its checks;
//! - [`docs`]: the documentation of a field, with every rule rendered from the check that enforces it;
//! - [`actions`]: requests, responses, error enums, examples and what the runtime needs to send;
//! - [`paging`]: the paginators of paged actions.

mod actions;
mod docs;
mod fields;
mod paging;
mod types;

use std::collections::BTreeMap;

use crate::check::Checked;
use crate::ir::*;
use crate::load::{Loaded, SourceFile};
use crate::names::table::{ProviderNames, ServiceNames};
use crate::spec::{ErrorCode, ProviderSpec, ServiceSpec};

pub use types::box_cycles;

/// Resolves every service of the checked set, grouped by provider.
///
/// `root` is the specs directory; generated headers name spec files relative to it.
pub fn resolve(checked: &Checked<'_>, root: &std::path::Path) -> Vec<ProviderIr> {
    use rayon::prelude::*;
    let set = checked.set;
    let names = &checked.names;
    // Services resolve independently; in parallel, then grouped in their original order.
    let resolved: Vec<Option<ServiceIr>> = set
        .services
        .par_iter()
        .zip(names.services.par_iter())
        .map(|(service, service_names)| {
            let provider = set.providers.get(&service.spec.provider)?;
            Some(resolve_service(service, service_names, &provider.spec, root))
        })
        .collect();
    let mut providers: BTreeMap<String, ProviderIr> = BTreeMap::new();
    for (service, resolved) in set.services.iter().zip(resolved) {
        let name = &service.spec.provider;
        let (Some(provider), Some(provider_names), Some(resolved)) =
            (set.providers.get(name), names.providers.get(name), resolved)
        else {
            continue;
        };
        let entry = providers.entry(name.clone()).or_insert_with(|| provider_ir(provider, provider_names, root));
        entry.services.push(resolved);
    }
    let mut providers: Vec<ProviderIr> = providers.into_values().collect();
    for provider in &mut providers {
        provider
            .services
            .sort_by(|a, b| (&a.service_module, &a.version_module).cmp(&(&b.service_module, &b.version_module)));
    }
    providers
}

fn provider_ir(provider: &Loaded<ProviderSpec>, names: &ProviderNames, root: &std::path::Path) -> ProviderIr {
    let spec = &provider.spec;
    ProviderIr {
        module: names.module.clone(),
        title: spec.provider.title.clone(),
        common_errors: spec
            .common_errors
            .iter()
            .zip(&names.common_errors)
            .map(|(error, ident)| actions::error_variant(error, ident, &[], crate::spec::DocFormat::Text))
            .collect(),
        services: Vec::new(),
        spec_file: file_ref(&provider.file, root),
    }
}

fn file_ref(file: &SourceFile, root: &std::path::Path) -> SpecFileRef {
    let relative = std::path::absolute(&file.path)
        .ok()
        .zip(std::path::absolute(root).ok())
        .and_then(|(path, root)| path.strip_prefix(root).ok().map(|p| p.to_path_buf()))
        .unwrap_or_else(|| file.path.file_name().map(Into::into).unwrap_or_default());
    let path =
        relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
    SpecFileRef { path }
}

/// What resolving one service reads.
struct Cx<'a> {
    spec: &'a ServiceSpec,
    provider: &'a ProviderSpec,
    names: &'a ServiceNames,
}

impl Cx<'_> {
    /// Doc lines for one of the service's descriptions, written in its format.
    fn text(&self, description: &str) -> Vec<String> {
        crate::docs::render(description, self.spec.service.docs)
    }

    /// One doc line for one of the service's short texts (a summary, a note).
    fn inline(&self, text: &str) -> String {
        crate::docs::inline(text, self.spec.service.docs)
    }
}

fn resolve_service(
    loaded: &Loaded<ServiceSpec>,
    names: &ServiceNames,
    provider: &ProviderSpec,
    root: &std::path::Path,
) -> ServiceIr {
    let spec = &loaded.spec;
    let cx = Cx { spec, provider, names };
    let mut types = cx.shared_types();
    box_cycles(&mut types);
    let actions = spec.actions.values().enumerate().map(|(i, action)| cx.action(i, action)).collect();
    let mut module_docs =
        vec![format!("{} ({}) API version {}.", spec.service.title, spec.service.name, spec.service.version)];
    if let Some(description) = &spec.service.description {
        module_docs.push(String::new());
        module_docs.extend(cx.text(description));
    }
    let hosts: Vec<String> =
        [&spec.service.endpoints.default, &spec.service.endpoints.international, &spec.service.endpoints.regional]
            .into_iter()
            .flatten()
            .map(|host| format!("`{host}`"))
            .collect();
    if !hosts.is_empty() {
        module_docs.push(String::new());
        module_docs.push(format!("Hosts: {}.", hosts.join(", ")));
    }
    ServiceIr {
        name: spec.service.name.clone(),
        title: spec.service.title.clone(),
        version: spec.service.version.clone(),
        signing_name: spec.service.signing_name.clone().unwrap_or_else(|| spec.service.name.clone()),
        endpoints: endpoints(spec, provider),
        service_module: names.service_module.clone(),
        version_module: names.version_module.clone(),
        feature: names.feature.clone(),
        docs: module_docs,
        protocol: spec.service.protocol.unwrap_or(provider.protocol),
        spec_file: file_ref(&loaded.file, root),
        types,
        actions,
        omitted: spec.omitted.clone(),
    }
}

/// The service's hosts, with the provider's rules applied.
fn endpoints(spec: &ServiceSpec, provider: &ProviderSpec) -> EndpointsIr {
    let expand = |pattern: &Option<String>| pattern.as_ref().map(|p| p.replace("{service}", &spec.service.name));
    let own = &spec.service.endpoints;
    EndpointsIr {
        default: own.default.clone().or_else(|| {
            if own.regional.is_some() || !own.regions.is_empty() { None } else { expand(&provider.endpoints.default) }
        }),
        international: own.international.clone().or_else(|| expand(&provider.endpoints.international)),
        regional: own.regional.clone().or_else(|| expand(&provider.endpoints.regional)),
        regions: own.regions.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    }
}

/// The codes of the provider's common errors, which an action may document as well.
fn common_codes(provider: &ProviderSpec) -> Vec<&str> {
    provider.common_errors.iter().map(|e: &ErrorCode| e.code.as_str()).collect()
}
