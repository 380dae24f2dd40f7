//! The generated code as a tree of modules, laid out as files: one crate with a feature per service
//! ([`single`]: the repository's `generated/`, or one file for `include!` from a build script), or a
//! workspace with a crate per provider service ([`catalogue`]); either carries a [`manifest`] of what
//! it holds. A catalogue's crate versions and changelogs come from its [`release`] manifest. Writing
//! the files is [`crate::output`]'s business.

pub mod catalogue;
pub mod manifest;
pub mod release;
pub mod single;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;

use crate::emit::{self, DocTable, Out, ident, inner_doc_attrs};
use crate::ir::*;
use crate::output::{GENERATED_MARK, GeneratedFile};

pub use catalogue::{
    ACTIONS_PER_FILE, CatalogueOptions, MAX_ACTIONS_PER_CRATE, PackageMetadata, catalogue_files, catalogue_files_to,
    catalogue_layout,
};
pub use manifest::{LAYOUT_FILE, LayoutKind, LayoutManifest};
pub use release::ReleaseManifest;
pub use single::{CrateOptions, crate_files, crate_files_to, crate_layout, single_file};

/// Why code could not be generated (a bug in cloudspec rather than in a spec: specs are checked first).
#[derive(Debug, thiserror::Error)]
#[error("cannot generate {file}: {message}")]
pub struct GenerateError {
    /// The file being generated.
    pub file: String,
    /// What went wrong.
    pub message: String,
}

/// Produces a module's own items, their documentation set aside in the file's table. Token streams
/// cannot cross threads, so each file's tokens are made on the thread that formats it.
type Items<'a> = Box<dyn Fn(&mut DocTable) -> TokenStream + Send + Sync + 'a>;

/// Receives each generated file as soon as it is formatted, on any thread: the CLI stages it on
/// disk at once, so a whole catalogue (hundreds of megabytes of code) is never held in memory.
pub type Sink<'s, T, E> = dyn Fn(GeneratedFile) -> Result<T, E> + Sync + 's;

/// A module of generated code. Its items are produced on demand, so a large crate is formatted one
/// file at a time, in parallel, instead of holding every token stream at once.
struct Module<'a> {
    name: String,
    /// The features that enable it (any of them), when it is behind features.
    cfg: Vec<String>,
    /// Declared `mod x; pub use x::*;` (its items appear in the parent) rather than `pub mod x;`.
    flattened: bool,
    /// Only compiled for tests.
    test_only: bool,
    /// Not a module but a file of its parent's: its children, declared inline, are pulled into the
    /// parent with `include!("<name>.rs")`. Whole catalogues put many actions in one such file
    /// ([`ActionFiles`]) without changing a module path.
    included: bool,
    /// Its own items: inner docs, uses, definitions.
    items: Items<'a>,
    children: Vec<Module<'a>>,
    sources: Vec<SpecFileRef>,
}

impl<'a> Module<'a> {
    /// A module with nothing in it, nothing gated, declared `pub mod`: the base the layouts fill in
    /// (`Module { name, items, ..Module::blank() }`).
    fn blank() -> Module<'a> {
        Module {
            name: String::new(),
            cfg: Vec::new(),
            flattened: false,
            test_only: false,
            included: false,
            items: Box::new(|_| TokenStream::new()),
            children: Vec::new(),
            sources: Vec::new(),
        }
    }

    fn declaration(&self, body: Option<TokenStream>) -> TokenStream {
        if self.included {
            // Inline, the included file's modules are simply there; otherwise the parent pulls the file in.
            return body.unwrap_or_else(|| {
                let file = format!("{}.rs", self.name);
                quote! { include!(#file); }
            });
        }
        let name = ident(&self.name);
        let cfg = cfg_any(&self.cfg);
        let test = self.test_only.then(|| quote! { #[cfg(test)] });
        let body = match body {
            Some(body) => quote! { { #body } },
            None => quote! { ; },
        };
        if self.flattened {
            quote! { #cfg #test mod #name #body pub use #name::*; }
        } else {
            quote! { #cfg #test pub mod #name #body }
        }
    }

    /// The module's items followed by its children, declared inline.
    fn inline(&self, docs: &mut DocTable) -> TokenStream {
        let items = (self.items)(docs);
        let children: Vec<TokenStream> =
            self.children.iter().map(|child| child.declaration(Some(child.inline(docs)))).collect();
        quote! { #items #(#children)* }
    }

    /// The module as files under `dir` (`mod.rs` when it has children, `<name>.rs` otherwise),
    /// formatted in parallel, each handed to `sink` as soon as it is made.
    fn files<T: Send, E: From<GenerateError> + Send>(
        &self,
        dir: &Path,
        is_root: bool,
        sink: &Sink<'_, T, E>,
    ) -> Result<Vec<T>, E> {
        let mut plan = Vec::new();
        self.plan(dir, is_root, &mut plan);
        plan.into_par_iter().map(|(path, module)| sink(module.file(path)?)).collect()
    }

    /// Where each module of the tree goes.
    fn plan<'m>(&'m self, dir: &Path, is_root: bool, out: &mut Vec<(PathBuf, &'m Module<'m>)>) {
        let path = if is_root {
            dir.join("lib.rs")
        } else if self.children.is_empty() || self.included {
            dir.join(format!("{}.rs", self.name))
        } else {
            dir.join(&self.name).join("mod.rs")
        };
        out.push((path, self));
        if self.included {
            // Its children are in its own file.
            return;
        }
        let child_dir = if is_root { dir.to_path_buf() } else { dir.join(&self.name) };
        for child in &self.children {
            child.plan(&child_dir, false, out);
        }
    }

    /// The module's own file: its items and its children's declarations (an included file: its
    /// children, inline).
    fn file(&self, path: PathBuf) -> Result<GeneratedFile, GenerateError> {
        let mut docs = DocTable::default();
        if self.included {
            // An included file may not carry inner attributes: rustfmt does not reach it anyway.
            let tokens = self.inline(&mut docs);
            return rust_file(path, &self.sources, tokens, docs);
        }
        let items = (self.items)(&mut docs);
        let declarations = self.children.iter().map(|child| child.declaration(None));
        // Generated files are formatted by prettyplease; rustfmt is asked to leave them alone.
        let tokens = quote! { #![cfg_attr(rustfmt, rustfmt::skip)] #items #(#declarations)* };
        rust_file(path, &self.sources, tokens, docs)
    }
}

fn header(sources: &[SpecFileRef]) -> String {
    let mut text = format!(
        "// {} {}. Do not edit: change the spec and run `cloudspec generate`.\n",
        GENERATED_MARK,
        env!("CARGO_PKG_VERSION")
    );
    // The specs as few lines as fit in 100 columns, and the code right after them: most files' header
    // is two lines.
    let mut line = String::new();
    for source in sources {
        if !line.is_empty() && line.len() + 2 + source.path.len() > 100 {
            text.push_str(&line);
            text.push('\n');
            line.clear();
        }
        line.push_str(if line.is_empty() { "// Spec: " } else { ", " });
        line.push_str(&source.path);
    }
    if !line.is_empty() {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

fn rust_file(
    path: PathBuf,
    sources: &[SpecFileRef],
    tokens: TokenStream,
    docs: DocTable,
) -> Result<GeneratedFile, GenerateError> {
    let contents = emit::format_file(&header(sources), tokens, docs)
        .map_err(|e| GenerateError { file: path.display().to_string(), message: e.to_string() })?;
    Ok(GeneratedFile { path, contents })
}

/// [`getting_started`] with the provider's first service, in the single crate's module tree.
fn provider_getting_started(krate: &str, provider: &ProviderIr) -> Option<Vec<String>> {
    let service = provider.services.first()?;
    let path = format!("{}::{}::{}", provider.module, service.service_module, service.version_module);
    getting_started(krate, &path, service)
}

/// A short program calling the first documented action of `service`, whose module is
/// `{krate}::{module_path}`: the crate docs and READMEs show it.
fn getting_started(krate: &str, module_path: &str, service: &ServiceIr) -> Option<Vec<String>> {
    let action =
        service.actions.iter().find(|a| a.request.fields.iter().filter(|f| f.required).all(|f| f.example.is_some()))?;
    let setters: Vec<String> = action
        .request
        .fields
        .iter()
        .filter(|f| f.required)
        .filter_map(|f| {
            Some(format!(".{}({:?})", emit::ident(&f.ident), crate::check::values::display(f.example.as_ref()?)))
        })
        .collect();
    let region = if service.endpoints.default.is_some() { "ap-guangzhou" } else { "cn-hangzhou" };
    Some(vec![
        format!("use {krate}::{module_path}::{{Client, {}}};", action.request.ident),
        format!("use {krate}::{{Config, Credentials, Error}};"),
        String::new(),
        "# async fn run() -> Result<(), Box<dyn std::error::Error>> {".into(),
        format!(
            "let config = Config::new().with_region(\"{region}\").with_credentials(Credentials::new(\"<access key id>\", \"<secret>\")?);"
        ),
        "let client = Client::new(config);".into(),
        format!("let request = {}::builder(){}.build()?;", action.request.ident, setters.join("")),
        format!("match client.{}(request).await {{", emit::ident(&action.module)),
        "    Ok(response) => println!(\"{response:?}\"),".into(),
        "    Err(Error::Service(error)) => eprintln!(\"the service said no: {error}\"),".into(),
        "    Err(error) => return Err(error.into()),".into(),
        "}".into(),
        "# Ok(())".into(),
        "# }".into(),
    ])
}

/// A short program streaming the items of the first paged action of `service` whose required fields
/// have documented examples, for the READMEs (not the crate docs: it needs the `futures` crate).
fn paging_example(krate: &str, module_path: &str, service: &ServiceIr) -> Option<Vec<String>> {
    let (action, paging) = service.actions.iter().find_map(|action| {
        let documented = action.request.fields.iter().filter(|f| f.required).all(|f| f.example.is_some());
        Some((action, action.paging.as_ref().filter(|_| documented)?))
    })?;
    let setters: String = action
        .request
        .fields
        .iter()
        .filter(|f| f.required)
        .filter_map(|f| {
            Some(format!(".{}({:?})", emit::ident(&f.ident), crate::check::values::display(f.example.as_ref()?)))
        })
        .collect();
    let region = if service.endpoints.default.is_some() { "ap-guangzhou" } else { "cn-hangzhou" };
    let size = paging.max_page_size.map(|max| format!(".page_size({max})")).unwrap_or_default();
    Some(vec![
        "use futures::TryStreamExt;".into(),
        format!("use {krate}::{module_path}::{{Client, {}}};", action.request.ident),
        format!("use {krate}::{{Config, Credentials}};"),
        String::new(),
        "#[tokio::main]".into(),
        "async fn main() -> Result<(), Box<dyn std::error::Error>> {".into(),
        format!(
            "    let config = Config::new().with_region(\"{region}\").with_credentials(Credentials::new(\"<access key id>\", \"<secret>\")?);"
        ),
        "    let client = Client::new(config);".into(),
        format!("    let request = {}::builder(){setters}.build()?;", action.request.ident),
        format!("    let mut items = client.{}(request){size};", emit::ident(&paging.items_method)),
        "    while let Some(item) = items.try_next().await? {".into(),
        "        println!(\"{item:?}\");".into(),
        "    }".into(),
        "    Ok(())".into(),
        "}".into(),
    ])
}

/// The README section on paging: the example, and what the streams do.
fn paging_section(code: Vec<String>) -> String {
    format!(
        "\n## Paging\n\nEach paged action has two more methods: `<action>_pages` streams whole responses and `<action>_items` \
         the items\nof every page (a `futures::Stream`; add `futures = \"0.3\"` to use its `TryStreamExt`). Each page is a call like\n\
         any other (validated, signed, retried, paced); the stream stops where the provider's list ends, reports a total\n\
         that changes while paging as `Error::TotalChanged` (then goes on), and sends nothing more once dropped.\n\n\
         ```rust,no_run\n{}\n```\n",
        code.join("\n")
    )
}

fn cfg_any(features: &[String]) -> TokenStream {
    match features {
        [] => quote! {},
        [one] => quote! { #[cfg(feature = #one)] },
        many => quote! { #[cfg(any(#(feature = #many),*))] },
    }
}

/// The runtime items a crate root re-exports.
const REEXPORTS: &[&str] = &[
    "AlibabaCredentialsFile",
    "AliyunCliProfile",
    "AssumeRoleCredentials",
    "Config",
    "Credentials",
    "CredentialsChain",
    "CredentialsError",
    "CredentialsErrorKind",
    "CvmRoleCredentials",
    "DefaultCredentials",
    "EcsRamRoleCredentials",
    "Endpoint",
    "EnvCredentials",
    "Environment",
    "Error",
    "ErrorMetadata",
    "IncompleteResponse",
    "Incompleteness",
    "OidcRoleCredentials",
    "Outcome",
    "ProvideCredentials",
    "RateLimit",
    "RetryPolicy",
    "SecretString",
    "ServiceError",
    "TccliProfile",
    "TencentCredentialsFile",
    "Timeouts",
    "TransportCause",
    "UndecodableResponse",
    "UnknownCode",
    "UriCredentials",
    "ValidationError",
    "Violation",
];

/// `pub use cloudspec_runtime::{…};` of [`REEXPORTS`].
fn reexports() -> TokenStream {
    let names = REEXPORTS.iter().map(|name| emit::ident(name));
    quote! { pub use cloudspec_runtime::{ #(#names),* }; }
}

/// The provider's `CommonError`, with the imports it needs. At a crate root (`at_root`) the
/// re-exported runtime items are in scope already.
fn common_error_items(provider: &ProviderIr, at_root: bool, docs: &mut DocTable) -> TokenStream {
    let mut out = Out::new(&[], docs);
    let common = emit::common_error(&provider.common_errors, &provider.title, &mut out);
    if at_root {
        for name in REEXPORTS {
            out.uses.remove(&format!("cloudspec_runtime::{name}"));
        }
    }
    out.file(common)
}

fn provider_module(provider: &ProviderIr, gated: bool) -> Module<'_> {
    let doc = format!(" {}: its services, and the error codes all of them share.", provider.title);
    let mut service_names: Vec<&str> = provider.services.iter().map(|s| s.service_module.as_str()).collect();
    service_names.dedup();
    let children = service_names
        .iter()
        .map(|name| {
            let versions: Vec<&ServiceIr> = provider.services.iter().filter(|s| s.service_module == *name).collect();
            let doc = format!(" The `{name}` service, one module per API version.");
            Module {
                name: name.to_string(),
                cfg: if gated { vec![versions[0].feature.clone()] } else { Vec::new() },
                items: Box::new(move |_| quote! { #![doc = #doc] }),
                sources: versions.iter().map(|s| s.spec_file.clone()).collect(),
                children: versions.iter().map(|s| service_module(provider, s, VersionLayout::default())).collect(),
                ..Module::blank()
            }
        })
        .collect();
    let mut sources = vec![provider.spec_file.clone()];
    sources.extend(provider.services.iter().map(|s| s.spec_file.clone()));
    Module {
        name: provider.module.clone(),
        cfg: if gated { features(provider) } else { Vec::new() },
        items: Box::new(move |docs| {
            let common = common_error_items(provider, false, docs);
            quote! { #![doc = #doc] #common }
        }),
        children,
        sources,
        ..Module::blank()
    }
}

fn leaf<'a>(
    name: &str,
    sources: &[SpecFileRef],
    items: impl Fn(&mut DocTable) -> TokenStream + Send + Sync + 'a,
) -> Module<'a> {
    Module {
        name: name.to_string(),
        flattened: true,
        items: Box::new(items),
        children: Vec::new(),
        sources: sources.to_vec(),
        ..Module::blank()
    }
}

/// How a service version's module is laid out.
#[derive(Debug, Clone, Copy, Default)]
struct VersionLayout {
    /// In a crate of its own, the provider's `CommonError` is at the crate root.
    own_crate: bool,
    /// Adds the `example_probe` module the catalogue scripts use.
    probe: bool,
    /// Where the actions' modules go.
    action_files: ActionFiles,
}

/// Where the actions' modules of a service version go. Either way each action is a module of its
/// own, so module paths, and what rustc compiles, are the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActionFiles {
    /// A file per action (`create_api_key.rs`): the repository's `generated/`, where a reviewer reads
    /// the diff of one action.
    #[default]
    PerAction,
    /// Up to this many actions' modules, inline, in each file (`actions-001.rs`, pulled into the
    /// version's `mod.rs` with `include!`): a whole catalogue in a few thousand files rather than tens
    /// of thousands, which file systems create, check and remove far faster.
    Grouped(usize),
}

/// The name of the `n`th (from 1) file of grouped actions: a hyphen, so it is no module's name.
fn action_file_name(n: usize) -> String {
    format!("actions-{n:03}")
}

/// A service version's module.
fn service_module<'a>(provider: &'a ProviderIr, service: &'a ServiceIr, layout: VersionLayout) -> Module<'a> {
    let VersionLayout { own_crate, probe, action_files } = layout;
    let sources = version_sources(provider, service);
    let mut children = Vec::new();
    children.extend(types_module(service, &sources, emit::Sent::InSameCrate));
    children.extend(action_modules(service, &service.actions, &sources, action_files));
    children.push(client_module(service, &sources));
    // Catalogue crates leave the example tests out: their users never run them, and the catalogue
    // scripts check every official example through `example_probe` instead.
    if !own_crate && service.actions.iter().any(|a| !a.examples.is_empty()) {
        let mut module = leaf("examples", &sources, move |_| emit::examples(service));
        module.flattened = false;
        module.test_only = true;
        children.push(module);
    }
    if probe {
        children.push(probe_module(service, &sources));
    }
    Module {
        name: service.version_module.clone(),
        items: Box::new(move |_| {
            let docs = inner_doc_attrs(&service.docs);
            // The provider's common errors live in the parent: the provider module of a
            // single crate, or the root of a per-service crate.
            let common = if own_crate {
                quote! { pub use super::CommonError; }
            } else {
                quote! { pub use super::super::CommonError; }
            };
            quote! { #docs #common }
        }),
        children,
        sources,
        ..Module::blank()
    }
}

/// The spec files a service version's modules are generated from.
fn version_sources(provider: &ProviderIr, service: &ServiceIr) -> Vec<SpecFileRef> {
    vec![service.spec_file.clone(), provider.spec_file.clone()]
}

/// The `types` module of a service version: the types its actions share (none when there are none);
/// `sent` says whether its requests are in the same crate.
fn types_module<'a>(service: &'a ServiceIr, sources: &[SpecFileRef], sent: emit::Sent) -> Option<Module<'a>> {
    if service.types.is_empty() {
        return None;
    }
    Some(leaf("types", sources, move |docs| {
        let mut out = Out::new(&service.types, docs);
        let items: Vec<TokenStream> = service
            .types
            .iter()
            .map(|t| match t {
                TypeIr::Struct(s) if s.usage.input => emit::input_struct(s, sent, &mut out),
                TypeIr::Struct(s) => emit::output_struct(s, &mut out),
                TypeIr::Enum(e) => emit::enum_type(e, &mut out),
            })
            .collect();
        // The types refer to each other within their own module.
        out.uses.remove_prefix("super::");
        let items = out.file(quote! { #(#items)* });
        quote! { #![doc = " The types the actions of this service share."] #items }
    }))
}

/// The modules of `actions` (some or all of `service`'s), each in a file or grouped in files. Each
/// imports what it uses of its version from `super::`.
fn action_modules<'a>(
    service: &'a ServiceIr,
    actions: &'a [ActionIr],
    sources: &[SpecFileRef],
    action_files: ActionFiles,
) -> Vec<Module<'a>> {
    let modules = actions.iter().map(|action| {
        leaf(&action.module, sources, move |docs| {
            let mut out = Out::new(&service.types, docs);
            let request = emit::input_struct(&action.request, emit::Sent::AsRequest, &mut out);
            let request_impl = emit::request_impl(action, &mut out);
            let response = emit::output_struct(&action.response, &mut out);
            let error = emit::action_error(&action.error, &mut out);
            let items = out.file(quote! { #request #request_impl #response #error });
            let docs = inner_doc_attrs(&action.docs);
            quote! { #docs #items }
        })
    });
    match action_files {
        ActionFiles::Grouped(per_file) => {
            let mut modules = modules.peekable();
            let mut files = Vec::new();
            while modules.peek().is_some() {
                let mut file = leaf(&action_file_name(files.len() + 1), sources, |_| TokenStream::new());
                file.included = true;
                file.children = modules.by_ref().take(per_file.max(1)).collect();
                files.push(file);
            }
            files
        }
        ActionFiles::PerAction => modules.collect(),
    }
}

/// The `client` module of a service version: its `Client`, a method per action.
fn client_module<'a>(service: &'a ServiceIr, sources: &[SpecFileRef]) -> Module<'a> {
    leaf("client", sources, move |docs| emit::client(service, &mut Out::new(&service.types, docs)))
}

/// The hidden `example_probe` module the catalogue scripts use.
fn probe_module<'a>(service: &'a ServiceIr, sources: &[SpecFileRef]) -> Module<'a> {
    let mut module = leaf("example_probe", sources, move |_| emit::example_probe(service, &service.actions));
    module.flattened = false;
    module
}

fn features(provider: &ProviderIr) -> Vec<String> {
    let mut features: Vec<String> = provider.services.iter().map(|s| s.feature.clone()).collect();
    features.dedup();
    features
}
