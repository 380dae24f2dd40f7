//! Services too large for one rustc (issue 19: at most 1.5 GiB of rustc memory a crate): a service
//! whose actions are over the budget ([`super::CatalogueOptions::max_actions_per_crate`]) becomes
//! several crates, each compiled by a rustc of its own. Users see no difference: their crate keeps
//! its name and its paths (`cloudspec_alibabacloud_sas::v20181203::{Client, DescribeXRequest}`).
//!
//! - The users' crate (`alibabacloud-sas`): the root as always, and for each version its `Client`
//!   (a thin method per action) and its action metadata, re-exporting everything else.
//! - The shared crate (`alibabacloud-sas-shared`): the provider's common errors and each version's
//!   `types`, which every action may use.
//! - The part crates (`alibabacloud-sas-part1`, …): the modules of up to the budget's actions of one
//!   version each (requests, responses, errors), importing the shared crate's version module.
//!
//! Crate names come from [`crate::names`]. `check` refuses a service whose crate would take the name
//! of a crate behind another's split, with the same budget; [`check_names`] stays as the last guard
//! before anything is written (and refuses a crate that takes the example probe's directory).

use std::collections::BTreeMap;
use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;

use super::package::{self, CrateManifest};
use super::{CatalogueOptions, ServiceCrate, service_crate_readme_header};
use crate::emit::{ident, inner_doc_attrs};
use crate::ir::{ActionIr, ServiceIr};
use crate::layout::{
    GenerateError, Module, Sink, action_modules, client_module, common_error_items, leaf, probe_module, types_module,
    version_sources,
};
use crate::names::{catalogue_package, is_split, part_crate_dir, part_sizes, shared_crate_dir};
use crate::output::GeneratedFile;

/// The crates behind a split service crate.
pub(in crate::layout) struct Split<'a> {
    /// The shared crate's directory.
    shared: String,
    parts: Vec<Part<'a>>,
}

/// A part crate: some consecutive actions of one service version.
struct Part<'a> {
    dir: String,
    service: &'a ServiceIr,
    actions: &'a [ActionIr],
    /// The position of its first action in its version (from 0).
    first: usize,
}

/// The split of a crate of `versions` in `dir` over `budget` actions a crate; `None` when its actions
/// are within the budget. Each version's actions are cut into as few parts as the budget allows
/// ([`crate::names::part_sizes`]; [`crate::names::crates_behind`] names the same crates for `check`).
pub(super) fn plan<'a>(dir: &str, versions: &[&'a ServiceIr], budget: usize) -> Option<Split<'a>> {
    let total: usize = versions.iter().map(|s| s.actions.len()).sum();
    if !is_split(total, Some(budget)) {
        return None;
    }
    let mut parts = Vec::new();
    for service in versions {
        let mut first = 0;
        for size in part_sizes(service.actions.len(), budget) {
            let actions = &service.actions[first..first + size];
            parts.push(Part { dir: part_crate_dir(dir, parts.len() + 1), service, actions, first });
            first += size;
        }
    }
    Some(Split { shared: shared_crate_dir(dir), parts })
}

impl Split<'_> {
    /// The crates as the layout manifest lists them: (package, directory, actions), the shared one
    /// first, as they are published.
    pub(in crate::layout) fn entries(&self) -> Vec<(String, String, Option<usize>)> {
        let mut entries = vec![(catalogue_package(&self.shared), self.shared.clone(), None)];
        for part in &self.parts {
            entries.push((catalogue_package(&part.dir), part.dir.clone(), Some(part.actions.len())));
        }
        entries
    }

    /// Every directory it takes.
    fn dirs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.shared.as_str()).chain(self.parts.iter().map(|p| p.dir.as_str()))
    }

    /// The shared crate's library name, as code names it (`cloudspec_alibabacloud_sas_shared`).
    pub(super) fn shared_lib(&self) -> String {
        lib(&self.shared)
    }

    /// What the users' crate's root docs say of the crates behind it.
    pub(super) fn root_doc(&self) -> Vec<String> {
        vec![format!(
            "Its actions are compiled in {} crates behind it (`{}`, `{}`, …), each by a rustc of its own; \
             everything is re-exported here, at the paths of any other service crate.",
            self.parts.len() + 1,
            catalogue_package(&self.shared),
            catalogue_package(&self.parts[0].dir),
        )]
    }

    /// The users' crate's README section on the crates behind it.
    pub(super) fn readme_section(&self, package: &str) -> String {
        let mut text = format!(
            "\n## Crates behind this one\n\nThis service is too large for one rustc to compile in little memory, so `{package}` \
             re-exports the code of\n{} crates, which cargo builds in parallel. Depend on `{package}` only; the paths are\n\
             the same as in any other service crate.\n\n| crate | holds |\n| --- | --- |\n",
            self.parts.len() + 1
        );
        text.push_str(&format!("| `{}` | the common errors and the shared types |\n", catalogue_package(&self.shared)));
        for part in &self.parts {
            let (first, last) = (&part.actions[0].wire, &part.actions[part.actions.len() - 1].wire);
            let actions = match part.actions.len() {
                1 => format!("1 action, `{first}`"),
                n => format!("{n} actions, `{first}` to `{last}`"),
            };
            text.push_str(&format!(
                "| `{}` | `{}`: {actions} |\n",
                catalogue_package(&part.dir),
                part.service.version_module,
            ));
        }
        text
    }
}

/// `cloudspec_alibabacloud_sas_shared`: the library of the crate in `dir`.
fn lib(dir: &str) -> String {
    catalogue_package(dir).replace('-', "_")
}

/// Refuses a catalogue where two crates would take one directory (and so one package name): a
/// service's crate and a crate behind another's split (`sas_shared` beside a split `sas`), or the
/// example probe (`probe`).
pub(super) fn check_names(crates: &[ServiceCrate<'_>], probe: Option<&str>) -> Result<(), GenerateError> {
    let mut taken: BTreeMap<&str, &ServiceCrate<'_>> = BTreeMap::new();
    for krate in crates {
        let dirs = std::iter::once(krate.dir.as_str()).chain(krate.split.iter().flat_map(Split::dirs));
        for dir in dirs {
            if let Some(other) = taken.insert(dir, krate) {
                let (first, second) =
                    (other.versions[0].spec_file.path.as_str(), krate.versions[0].spec_file.path.as_str());
                return Err(GenerateError {
                    file: format!("{dir}/Cargo.toml"),
                    message: format!(
                        "two crates would be `{}`: the crate of {first} and the crate of {second} (a service over \
                         the budget of actions a crate is split into `<crate>-shared` and `<crate>-partN`); rename \
                         one service's module, or generate with a different --max-actions-per-crate",
                        catalogue_package(dir)
                    ),
                });
            }
        }
    }
    if let Some(probe) = probe
        && let Some(krate) = taken.get(probe)
    {
        return Err(GenerateError {
            file: format!("{probe}/Cargo.toml"),
            message: format!(
                "the service crate `{}` ({}) takes the directory of the example probe; generate without \
                 --example-probe, or rename the provider's module",
                catalogue_package(probe),
                krate.versions[0].spec_file.path
            ),
        });
    }
    Ok(())
}

/// Every file of a split service: its users' crate, its shared crate and its parts.
pub(super) fn crate_files<T: Send, E: From<GenerateError> + Send>(
    krate: &ServiceCrate<'_>,
    split: &Split<'_>,
    options: &CatalogueOptions,
    sink: &Sink<'_, T, E>,
) -> Result<Vec<T>, E> {
    let versions = krate.versions.iter().map(|service| users_version(krate, split, service, options)).collect();
    let mut files = super::users_crate_files(krate, options, sink, users_manifest(krate, split, options), versions)?;
    files.extend(shared_crate_files(krate, split, options, sink)?);
    for part in &split.parts {
        files.extend(part_crate_files(krate, split, part, options, sink)?);
    }
    Ok(files)
}

/// The version of the crates behind `krate`: its own, from the release manifest. They are released
/// with it, never alone: its users depend on it only.
fn version(krate: &ServiceCrate<'_>, options: &CatalogueOptions) -> String {
    package::version(&krate.package(), options.release.as_ref())
}

/// `dependency = { version = "=…", path = "../dir" … }` of a crate behind `krate`.
fn dependency(krate: &ServiceCrate<'_>, dir: &str, options: &CatalogueOptions, extra: &str) -> String {
    let package = catalogue_package(dir);
    let version = version(krate, options);
    format!("{package} = {{ version = {}, path = \"../{dir}\"{extra} }}\n", package::toml_text(&format!("={version}")))
}

/// The users' crate's manifest: the shared crate and every part as dependencies; a version's
/// feature turns on its parts and its part of the shared crate.
fn users_manifest(krate: &ServiceCrate<'_>, split: &Split<'_>, options: &CatalogueOptions) -> GeneratedFile {
    let versioned = krate.versioned();
    let mut dependencies =
        dependency(krate, &split.shared, options, if versioned { ", default-features = false" } else { "" });
    for part in &split.parts {
        dependencies.push_str(&dependency(krate, &part.dir, options, if versioned { ", optional = true" } else { "" }));
    }
    let mut features = String::new();
    if versioned {
        let defaults: Vec<String> = krate.versions.iter().map(|s| format!("\"{}\"", s.version_module)).collect();
        features.push_str(&format!("default = [{}]\n", defaults.join(", ")));
        for version in &krate.versions {
            let module = &version.version_module;
            let mut enables = vec![format!("\"{}/{module}\"", catalogue_package(&split.shared))];
            for part in split.parts.iter().filter(|p| p.service.version_module == *module) {
                enables.push(format!("\"dep:{}\"", catalogue_package(&part.dir)));
            }
            features.push_str(&format!("{module} = [{}]\n", enables.join(", ")));
        }
    }
    let service = krate.versions[0];
    let description =
        format!("{} {}: typed, validated clients generated by cloudspec.", krate.provider.title, service.title);
    let package = krate.package();
    let crate_manifest = CrateManifest {
        version: package::version(&package, options.release.as_ref()),
        package,
        dir: krate.dir.clone(),
        description,
        dependencies,
        features,
    };
    package::manifest_file(krate, &options.package, &options.runtime_dependency, crate_manifest)
}

/// A version module of the users' crate: its `Client` and action metadata, and everything else
/// re-exported from the shared crate and the version's parts.
fn users_version<'a>(
    krate: &'a ServiceCrate<'a>,
    split: &'a Split<'a>,
    service: &'a ServiceIr,
    options: &CatalogueOptions,
) -> Module<'a> {
    let sources = version_sources(krate.provider, service);
    let parts: Vec<String> =
        split.parts.iter().filter(|p| std::ptr::eq(p.service, service)).map(|p| lib(&p.dir)).collect();
    let mut children = vec![client_module(service, &sources)];
    if options.example_probe {
        let parts = parts.clone();
        let mut module = leaf("example_probe", &sources, move |_| {
            let module_name = ident(&service.version_module);
            let parts: Vec<_> = parts.iter().map(|p| ident(p)).collect();
            let [first, rest @ ..] = parts.as_slice() else { return TokenStream::new() };
            quote! {
                #![doc = " Decodes documented output examples by action name (used by the catalogue scripts)."]
                #![doc(hidden)]

                /// Decodes `body` as the output of `action`, by the part crate that holds it: `None` for an
                /// unknown action.
                pub fn decode_output(action: &str, body: &str) -> Option<Result<(), String>> {
                    #first::#module_name::example_probe::decode_output(action, body)
                        #(.or_else(|| #rest::#module_name::example_probe::decode_output(action, body)))*
                }
            }
        });
        module.flattened = false;
        children.push(module);
    }
    let shared = split.shared_lib();
    Module {
        name: service.version_module.clone(),
        items: Box::new(move |_| {
            let docs = inner_doc_attrs(&service.docs);
            let (shared, module_name) = (ident(&shared), ident(&service.version_module));
            let parts = parts.iter().map(|p| ident(p));
            quote! {
                #docs
                pub use #shared::#module_name::*;
                #(pub use #parts::#module_name::*;)*
            }
        }),
        children,
        sources,
        ..Module::blank()
    }
}

/// The first lines of the README of a crate behind `krate`, and what it says to users.
fn behind_readme(krate: &ServiceCrate<'_>, dir: &str, holds: &str) -> GeneratedFile {
    let package = catalogue_package(dir);
    let users = krate.package();
    let mut text = service_crate_readme_header(&package);
    text.push_str(&format!(
        "{} {}: {holds}, for [`{users}`](https://docs.rs/{users}), which re-exports all of it.\n\n\
         Depend on `{users}`, not on this crate: the service is too large for one rustc to compile in little\n\
         memory, so its code is spread over several crates that cargo builds in parallel.\n",
        krate.provider.title, krate.versions[0].title,
    ));
    GeneratedFile { path: Path::new(dir).join("README.md"), contents: text }
}

/// The manifest, README, changelog and licenses of a crate behind `krate`.
fn behind_files<T: Send, E: From<GenerateError> + Send>(
    krate: &ServiceCrate<'_>,
    options: &CatalogueOptions,
    sink: &Sink<'_, T, E>,
    manifest: CrateManifest,
    holds: &str,
) -> Result<Vec<T>, E> {
    let dir = manifest.dir.clone();
    let package = manifest.package.clone();
    let release = options.release.as_ref();
    let mut files = vec![
        sink(package::manifest_file(krate, &options.package, &options.runtime_dependency, manifest))?,
        sink(behind_readme(krate, &dir, holds))?,
    ];
    if let Some(changelog) = package::changelog(&package, &dir, release) {
        files.push(sink(changelog)?);
    }
    for license in package::license_files(&dir, &options.package) {
        files.push(sink(license)?);
    }
    Ok(files)
}

/// The shared crate: the provider's common errors at its root, and each version's `types`.
fn shared_crate_files<T: Send, E: From<GenerateError> + Send>(
    krate: &ServiceCrate<'_>,
    split: &Split<'_>,
    options: &CatalogueOptions,
    sink: &Sink<'_, T, E>,
) -> Result<Vec<T>, E> {
    let package = catalogue_package(&split.shared);
    let versioned = krate.versioned();
    let mut features = String::new();
    if versioned {
        let defaults: Vec<String> = krate.versions.iter().map(|s| format!("\"{}\"", s.version_module)).collect();
        features.push_str(&format!("default = [{}]\n", defaults.join(", ")));
        for version in &krate.versions {
            features.push_str(&format!("{} = []\n", version.version_module));
        }
    }
    let holds = "the common errors and each version's shared types";
    let manifest = CrateManifest {
        version: version(krate, options),
        description: format!("{} {}: {holds}, for {}.", krate.provider.title, krate.versions[0].title, krate.package()),
        package,
        dir: split.shared.clone(),
        dependencies: String::new(),
        features,
    };
    let mut files = behind_files(krate, options, sink, manifest, holds)?;
    let provider = krate.provider;
    let children = krate
        .versions
        .iter()
        .map(|service| {
            let sources = version_sources(provider, service);
            let version = service.version.clone();
            Module {
                name: service.version_module.clone(),
                cfg: if versioned { vec![service.version_module.clone()] } else { Vec::new() },
                items: Box::new(move |_| {
                    let doc = format!(" What the actions of API version {version} share.");
                    quote! { #![doc = #doc] pub use super::CommonError; }
                }),
                children: types_module(service, &sources, crate::emit::Sent::InSharedCrate).into_iter().collect(),
                sources,
                ..Module::blank()
            }
        })
        .collect();
    let users = krate.package();
    let root =
        behind_root(krate, format!("The common errors and each version's shared types of `{users}`."), children, true);
    files.extend(root.files(&Path::new(&split.shared).join("src"), true, sink)?);
    Ok(files)
}

/// A part crate: its version's module, with the modules of its actions.
fn part_crate_files<T: Send, E: From<GenerateError> + Send>(
    krate: &ServiceCrate<'_>,
    split: &Split<'_>,
    part: &Part<'_>,
    options: &CatalogueOptions,
    sink: &Sink<'_, T, E>,
) -> Result<Vec<T>, E> {
    let service = part.service;
    let module = &service.version_module;
    let (first, last) = (part.first + 1, part.first + part.actions.len());
    let holds = format!("actions {first} to {last} of API version {}", service.version);
    let package = catalogue_package(&part.dir);
    let features = if krate.versioned() {
        format!(", default-features = false, features = [\"{module}\"]")
    } else {
        String::new()
    };
    let manifest = CrateManifest {
        version: version(krate, options),
        description: format!("{} {}: {holds}, for {}.", krate.provider.title, service.title, krate.package()),
        package,
        dir: part.dir.clone(),
        dependencies: dependency(krate, &split.shared, options, &features),
        features: String::new(),
    };
    let mut files = behind_files(krate, options, sink, manifest, &holds)?;
    let sources = version_sources(krate.provider, service);
    let mut children = action_modules(service, part.actions, &sources, options.action_files);
    if options.example_probe {
        let actions = part.actions;
        let mut probe = probe_module(service, &sources);
        probe.items = Box::new(move |_| crate::emit::example_probe(service, actions));
        children.push(probe);
    }
    let shared = split.shared_lib();
    let doc = format!(" The requests, responses and errors of {holds}.");
    let version = Module {
        name: module.clone(),
        items: Box::new(move |_| {
            let (shared, module_name) = (ident(&shared), ident(&service.version_module));
            quote! { #![doc = #doc] use #shared::#module_name::*; }
        }),
        children,
        sources,
        ..Module::blank()
    };
    let users = krate.package();
    let root = behind_root(
        krate,
        format!("The requests, responses and errors of {holds} of `{users}`."),
        vec![version],
        false,
    );
    files.extend(root.files(&Path::new(&part.dir).join("src"), true, sink)?);
    Ok(files)
}

/// The root of a crate behind `krate`: what it holds, where users go instead, and `children`; the
/// shared crate's (`common`) has the provider's common errors.
fn behind_root<'a>(krate: &'a ServiceCrate<'a>, holds: String, children: Vec<Module<'a>>, common: bool) -> Module<'a> {
    let provider = krate.provider;
    let users = krate.package();
    let mut sources = vec![provider.spec_file.clone()];
    sources.extend(krate.versions.iter().map(|s| s.spec_file.clone()));
    Module {
        items: Box::new(move |table| {
            let docs = inner_doc_attrs(&[
                format!(
                    "{} {}, generated by cloudspec: a crate behind `{users}`.",
                    provider.title, krate.versions[0].title
                ),
                String::new(),
                holds.clone(),
                String::new(),
                format!(
                    "Depend on [`{users}`](https://docs.rs/{users}), which re-exports all of it at the paths of any other \
                     service crate; the service is spread over several crates so that no rustc compiles all of it."
                ),
            ]);
            let common = common.then(|| common_error_items(provider, false, table));
            quote! { #docs #![forbid(unsafe_code)] #common }
        }),
        children,
        sources,
        ..Module::blank()
    }
}
