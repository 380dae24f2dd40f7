//! A workspace of crates, one per provider service, for whole catalogues, with the example probe
//! crate (`catalogue-probe`) on request. Each crate is publishable ([`package`]): complete metadata,
//! its license texts, and its version and changelog from the release manifest. A service too large
//! for one rustc is split into several crates behind its own (`split`).

pub mod package;
mod probe;
mod split;

use std::path::Path;

use quote::quote;
use rayon::prelude::*;

use super::{
    ActionFiles, GenerateError, LayoutManifest, Module, Sink, VersionLayout, common_error_items, getting_started,
    paging_example, reexports, service_module,
};
use crate::emit::inner_doc_attrs;
use crate::ir::*;
use crate::layout::manifest::CatalogueCrate;
use crate::layout::release::ReleaseManifest;
use crate::output::{GENERATED_MARK, GeneratedFile};
pub use package::PackageMetadata;

/// How a catalogue of crates, one per provider service, is generated ([`catalogue_files`]).
#[derive(Debug, Clone)]
pub struct CatalogueOptions {
    /// The `cloudspec-runtime` dependency as a manifest value: `"0.1"`, or
    /// `{ path = "../../runtime" }` (relative to a crate's directory).
    pub runtime_dependency: String,
    /// Add to every service version a hidden `example_probe` module that decodes a documented output
    /// by action name, and to the workspace the `catalogue-probe` binary that calls them (see
    /// [`ProbeEntry`](super::manifest::ProbeEntry)): the catalogue scripts use it to count which
    /// official examples deserialize.
    pub example_probe: bool,
    /// The spec tree, relative to the output directory with `/` separators, as the layout manifest
    /// ([`super::manifest`]) records it.
    pub specs: String,
    /// What every crate's manifest says beyond its specs: license, repository, rust-version.
    pub package: PackageMetadata,
    /// The release manifest (`cloudspec release`): each listed crate's version and changelog.
    /// Crates it does not list (and every crate, without one) get the generator's version.
    pub release: Option<ReleaseManifest>,
    /// Where each service version's actions go: by default [`ACTIONS_PER_FILE`] to a file.
    pub action_files: ActionFiles,
    /// A service with more actions than this becomes several crates, so that no rustc compiles more
    /// of them at once: its users' crate (the same name and paths, re-exporting), a crate of what its
    /// actions share, and part crates of at most this many actions each. `None`: never.
    pub max_actions_per_crate: Option<usize>,
}

/// The default of [`CatalogueOptions::max_actions_per_crate`]. Measured on Alibaba `sas` (921
/// actions, 6.8 MB of code, debug): built as one crate rustc peaks at 3.85 GB, and `cargo check`
/// alone at 1.94 GB, both far over issue 19's 1.5 GiB; rustc's peak grows about linearly with the
/// actions compiled. 250 actions a part keeps each part near a quarter of that, well under the
/// limit, and leaves every crate of Tencent's catalogue and all but a few of Alibaba's whole.
pub const MAX_ACTIONS_PER_CRATE: usize = 250;

/// How many actions' modules a catalogue puts in one file by default. A catalogue has 10,000 to
/// 25,000 actions: a file each made generation spend more time in the file system than in
/// formatting. A hundred actions make files of about 1.5 MB (the largest service, Alibaba sas,
/// takes ten), still many more files than cores to format them on.
pub const ACTIONS_PER_FILE: usize = 100;

impl Default for CatalogueOptions {
    /// A published runtime (`"0.1"`-style, the generator's version), no probe, specs at `../specs`,
    /// cloudspec's own package metadata, no release manifest, [`ACTIONS_PER_FILE`] actions a file,
    /// services split over [`MAX_ACTIONS_PER_CRATE`] actions.
    fn default() -> Self {
        CatalogueOptions {
            runtime_dependency: format!("\"{}\"", env!("CARGO_PKG_VERSION")),
            example_probe: false,
            specs: "../specs".into(),
            package: PackageMetadata::default(),
            release: None,
            action_files: ActionFiles::Grouped(ACTIONS_PER_FILE),
            max_actions_per_crate: Some(MAX_ACTIONS_PER_CRATE),
        }
    }
}

/// The crate of one provider service: its name, its directory and its versions.
struct ServiceCrate<'a> {
    provider: &'a ProviderIr,
    /// `tencentcloud-cvm`: the directory, and the package name after `cloudspec-`.
    dir: String,
    versions: Vec<&'a ServiceIr>,
    /// The crates behind it, when its actions are over the budget.
    split: Option<split::Split<'a>>,
}

impl ServiceCrate<'_> {
    fn package(&self) -> String {
        crate::names::catalogue_package(&self.dir)
    }

    /// Versions are features only when there are several to choose from.
    fn versioned(&self) -> bool {
        self.versions.len() > 1
    }
}

fn service_crates<'a>(providers: &'a [ProviderIr], options: &CatalogueOptions) -> Vec<ServiceCrate<'a>> {
    let mut crates: Vec<ServiceCrate<'_>> = Vec::new();
    for provider in providers {
        for service in &provider.services {
            let dir = crate::names::catalogue_crate_dir(&provider.module, &service.service_module);
            match crates.iter_mut().find(|c| c.dir == dir) {
                Some(existing) => existing.versions.push(service),
                None => crates.push(ServiceCrate { provider, dir, versions: vec![service], split: None }),
            }
        }
    }
    if let Some(budget) = options.max_actions_per_crate {
        for krate in &mut crates {
            krate.split = split::plan(&krate.dir, &krate.versions, budget);
        }
    }
    crates
}

/// A workspace of crates, one per provider service (`tencentcloud-cvm/` is the crate
/// `cloudspec-tencentcloud-cvm`, with a module per API version), as the AWS SDK for Rust is laid
/// out: a user depends on the services they call, and no crate nears crates.io's limit of 300
/// features. Crates are generated in parallel.
pub fn catalogue_files(
    providers: &[ProviderIr],
    options: &CatalogueOptions,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    let mut files = catalogue_files_to(providers, options, &Ok)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// [`catalogue_files`], each file handed to `sink` as soon as it is made; what `sink` returns, in no
/// particular order.
pub fn catalogue_files_to<T: Send, E: From<GenerateError> + Send>(
    providers: &[ProviderIr],
    options: &CatalogueOptions,
    sink: &Sink<'_, T, E>,
) -> Result<Vec<T>, E> {
    let crates = service_crates(providers, options);
    let layout = layout(&crates, options);
    split::check_names(&crates, options.example_probe.then_some(probe::PROBE))?;
    let mut files = vec![
        sink(catalogue_manifest(&crates, options.example_probe))?,
        sink(catalogue_readme(&crates))?,
        sink(layout.file())?,
    ];
    if options.example_probe {
        files.push(sink(probe::manifest(&crates))?);
        files.push(sink(probe::main(&crates)?)?);
    }
    let per_crate: Vec<Vec<T>> = crates
        .par_iter()
        .map(|krate| match &krate.split {
            None => service_crate_files(krate, options, sink),
            Some(split) => split::crate_files(krate, split, options, sink),
        })
        .collect::<Result<_, _>>()?;
    files.extend(per_crate.into_iter().flatten());
    Ok(files)
}

/// The layout manifest of the catalogue (`cloudspec-layout.json`, one of its files).
pub fn catalogue_layout(providers: &[ProviderIr], options: &CatalogueOptions) -> LayoutManifest {
    layout(&service_crates(providers, options), options)
}

fn layout(crates: &[ServiceCrate<'_>], options: &CatalogueOptions) -> LayoutManifest {
    let entries = crates
        .iter()
        .map(|c| CatalogueCrate {
            package: c.package(),
            dir: c.dir.clone(),
            versions: c.versions.clone(),
            versioned: c.versioned(),
            parts: c.split.as_ref().map(split::Split::entries).unwrap_or_default(),
        })
        .collect();
    let probe = options.example_probe.then_some((probe::PROBE, probe::PROBE));
    LayoutManifest::catalogue(entries, &options.specs, probe)
}

fn service_crate_files<T: Send, E: From<GenerateError> + Send>(
    krate: &ServiceCrate<'_>,
    options: &CatalogueOptions,
    sink: &Sink<'_, T, E>,
) -> Result<Vec<T>, E> {
    let manifest = package::manifest(krate, &options.package, &options.runtime_dependency, options.release.as_ref());
    let children = krate
        .versions
        .iter()
        .map(|service| {
            let layout =
                VersionLayout { own_crate: true, probe: options.example_probe, action_files: options.action_files };
            service_module(krate.provider, service, layout)
        })
        .collect();
    users_crate_files(krate, options, sink, manifest, children)
}

/// The files of the crate users depend on: its manifest, README, changelog and licenses, and its
/// sources, the root (docs, runtime re-exports, the provider's common errors) above `versions`, a
/// module per service version. Of a split service, the common errors come from its shared crate.
fn users_crate_files<'a, T: Send, E: From<GenerateError> + Send>(
    krate: &'a ServiceCrate<'a>,
    options: &CatalogueOptions,
    sink: &Sink<'_, T, E>,
    manifest: GeneratedFile,
    versions: Vec<Module<'a>>,
) -> Result<Vec<T>, E> {
    let dir = Path::new(&krate.dir);
    let release = options.release.as_ref();
    let mut files = vec![sink(manifest)?, sink(service_crate_readme(krate))?];
    if let Some(changelog) = package::changelog(&krate.package(), &krate.dir, release) {
        files.push(sink(changelog)?);
    }
    for license in package::license_files(&krate.dir, &options.package) {
        files.push(sink(license)?);
    }
    let provider = krate.provider;
    let mut sources = vec![provider.spec_file.clone()];
    sources.extend(krate.versions.iter().map(|s| s.spec_file.clone()));
    let title = krate.versions[0].title.clone();
    let package = krate.package();
    let versioned = krate.versioned();
    let mut children = versions;
    if versioned {
        for (module, service) in children.iter_mut().zip(&krate.versions) {
            module.cfg = vec![service.version_module.clone()];
        }
    }
    let versions: Vec<String> =
        krate.versions.iter().map(|s| format!("`{}` ({})", s.version_module, s.version)).collect();
    let split_note = krate.split.as_ref().map(split::Split::root_doc);
    let shared = krate.split.as_ref().map(split::Split::shared_lib);
    let root = Module {
        items: Box::new(move |table| {
            let mut docs = vec![
                format!("{} {}, generated by cloudspec.", provider.title, title),
                String::new(),
                format!("API versions: {}.", versions.join(", ")),
            ];
            if versioned {
                docs.push("Each version is a cargo feature (all on by default).".into());
            }
            docs.push(String::new());
            docs.push(format!("The crate is `{package}`; see its README for how to call it."));
            if let Some(note) = &split_note {
                docs.push(String::new());
                docs.extend(note.iter().cloned());
            }
            let docs = inner_doc_attrs(&docs);
            let common = match &shared {
                None => common_error_items(provider, true, table),
                Some(shared) => {
                    let shared = crate::emit::ident(shared);
                    quote! { pub use #shared::CommonError; }
                }
            };
            let reexports = reexports();
            quote! { #docs #![forbid(unsafe_code)] #reexports #common }
        }),
        children,
        sources,
        ..Module::blank()
    };
    files.extend(root.files(&dir.join("src"), true, sink)?);
    Ok(files)
}

/// The first lines of the README of `package`: the generated mark, and its name.
fn service_crate_readme_header(package: &str) -> String {
    format!(
        "<!-- {} {}. Do not edit: change the specs and run `cloudspec generate`. -->\n\n# {package}\n\n",
        GENERATED_MARK,
        env!("CARGO_PKG_VERSION"),
    )
}

fn service_crate_readme(krate: &ServiceCrate<'_>) -> GeneratedFile {
    let package = krate.package();
    let mut text = service_crate_readme_header(&package);
    text.push_str(&format!(
        "{} {}: typed, validated clients generated by cloudspec. Each call validates its request, signs it, sends it\n",
        krate.provider.title, krate.versions[0].title
    ));
    text.push_str("over HTTPS, retries it when that is safe, paces it and decodes the answer into typed values or a typed error.\n\n");
    text.push_str("| module | version | actions |\n| --- | --- | --- |\n");
    for version in &krate.versions {
        text.push_str(&format!(
            "| `{}::{}` | {} | {} |\n",
            package.replace('-', "_"),
            version.version_module,
            version.version,
            version.actions.len()
        ));
    }
    let first = krate.versions[0];
    if let Some(code) = getting_started(&package.replace('-', "_"), &first.version_module, first) {
        text.push_str(&format!(
            "\n## Getting started\n\nClients are async and run on Tokio: call them inside a Tokio runtime (`#[tokio::main]`, with the `rt` or `rt-multi-thread` feature); outside one a call fails with an error that says so.\n\n```rust,no_run\n{}\n```\n",
            code.join("\n")
        ));
    }
    let paged = krate
        .versions
        .iter()
        .find_map(|version| paging_example(&package.replace('-', "_"), &version.version_module, version));
    if let Some(code) = paged {
        text.push_str(&super::paging_section(code));
    }
    if let Some(split) = &krate.split {
        text.push_str(&split.readme_section(&package));
    }
    text.push_str(&not_generated_section(krate));
    GeneratedFile { path: Path::new(&krate.dir).join("README.md"), contents: text }
}

/// The README's "Not generated" section: what the specs list as `omitted`, one line each with the
/// reason, so a user looking for an action the provider documents learns why it is not here. Empty
/// when nothing is omitted.
fn not_generated_section(krate: &ServiceCrate<'_>) -> String {
    let several = krate.versions.len() > 1;
    let lines: Vec<String> = krate
        .versions
        .iter()
        .flat_map(|version| {
            version.omitted.iter().map(move |entry| {
                let place = if several { format!("{} ", version.version) } else { String::new() };
                let of = entry.action.as_deref().map(|action| format!(" of {}", code_span(action))).unwrap_or_default();
                format!("- {place}{} {}{of}: {}\n", entry.kind.label(), code_span(&entry.name), one_line(&entry.reason))
            })
        })
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "\n## Not generated\n\nThe provider documents these, but this crate has no code for them (the reasons are the importer's):\n\n",
    );
    text.extend(lines);
    text
}

/// `text` as a Markdown code span: backticks inside are replaced, so the span cannot end early.
fn code_span(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

/// A reason on one line: a line break would end the list item.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn catalogue_manifest(crates: &[ServiceCrate<'_>], with_probe: bool) -> GeneratedFile {
    let mut text = format!("# {}. Do not edit: change the specs and run `cloudspec generate`.\n\n", GENERATED_MARK);
    text.push_str("[workspace]\nresolver = \"3\"\nmembers = [\n");
    for krate in crates {
        text.push_str(&format!("    \"{}\",\n", krate.dir));
        for (_, dir, _) in krate.split.iter().flat_map(split::Split::entries) {
            text.push_str(&format!("    \"{dir}\",\n"));
        }
    }
    if with_probe {
        text.push_str(&format!("    \"{}\",\n", probe::PROBE));
    }
    text.push_str("]\n");
    GeneratedFile { path: "Cargo.toml".into(), contents: text }
}

fn catalogue_readme(crates: &[ServiceCrate<'_>]) -> GeneratedFile {
    let mut text = format!(
        "<!-- {} {}. Do not edit: change the specs and run `cloudspec generate`. -->\n\n# cloudspec catalogue\n\n",
        GENERATED_MARK,
        env!("CARGO_PKG_VERSION"),
    );
    text.push_str("One crate per provider service; depend on the ones you call.\n\n| crate | versions | actions |\n| --- | --- | --- |\n");
    for krate in crates {
        let versions: Vec<&str> = krate.versions.iter().map(|s| s.version.as_str()).collect();
        let actions: usize = krate.versions.iter().map(|s| s.actions.len()).sum();
        text.push_str(&format!("| `{}` | {} | {actions} |\n", krate.package(), versions.join(", ")));
    }
    GeneratedFile { path: "README.md".into(), contents: text }
}
