//! `cloudspec catalogue-examples` (hidden; `scripts/catalogue/run probe` runs it): every official
//! output example of a provider's catalogue, read from the catalogue files themselves (so examples
//! the importer dropped count too), classed by the audits' rules, with the generated crate and
//! version module that should decode it — as JSON lines, one per example, for the example probe.
//!
//! It leaves printing and the exit status to [`crate::commands`]. The crate of an example is found
//! through the generated catalogue's layout manifest (`cloudspec-layout.json`) and the
//! `imported_from` mark of each spec it lists, which names the catalogue file the spec came from; no
//! generated text is parsed.
//!
//! Classes (`scripts/catalogue/README.md`, "Which examples count"): Tencent — `not JSON` (no
//! output, or not JSON), `no Response object`, `error envelope` (`Response.Error` not null) or
//! `success body`; Alibaba — the first JSON `responseDemo` example of each API, `not JSON`,
//! `no 200 schema` (the API declares no `responses["200"].schema`) or `success body`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use cloudspec::layout::{LayoutKind, LayoutManifest};
use cloudspec::spec::ImportedFrom;
use serde_json::{Value, json};

/// Whose catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Provider {
    /// tccli's `tccli/services`.
    Tencent,
    /// Openmeta's `en_us` (`<product>/<version>/api-docs.json`).
    Alibaba,
}

/// One official output example, classed.
struct Example {
    /// The catalogue file it documents, as `imported_from.file` names it.
    file: String,
    /// How the reports name it (`cvm v20170312 DescribeInstances#0`, `ecs 2014-05-26 DescribeInstances`).
    source: String,
    action: String,
    body: String,
    class: &'static str,
}

/// What `cloudspec catalogue-examples` was asked to do.
pub(crate) struct Request<'a> {
    pub(crate) provider: Provider,
    pub(crate) catalogue: &'a Path,
    /// Tencent: the Chinese package, merged with `catalogue` (the English one).
    pub(crate) chinese: Option<&'a Path>,
    pub(crate) layout: &'a Path,
    pub(crate) out: &'a Path,
    pub(crate) only: &'a [String],
}

/// Why no examples were written.
pub(crate) enum Refused {
    /// The inputs are not what the command reads (exit status 2, as for any usage error).
    Usage(String),
    /// Reading or writing failed.
    Failed(String),
}

/// Writes the examples; returns the line that sums them up.
pub(crate) fn catalogue_examples(request: Request<'_>) -> Result<String, Refused> {
    let Request { provider, catalogue, chinese, layout, out, only } = request;
    if chinese.is_some() && provider != Provider::Tencent {
        return Err(Refused::Usage("--chinese merges the two Tencent packages; Alibaba has one catalogue".into()));
    }
    let crates = crates_by_file(layout).map_err(Refused::Usage)?;
    let (catalogue_name, examples) = match provider {
        Provider::Tencent => (cloudspec_import::tencent::CATALOGUE, tencent(catalogue, chinese, only)),
        Provider::Alibaba => (cloudspec_import::alibaba::CATALOGUE, alibaba(catalogue, only)),
    };
    let examples = examples.map_err(|error| match error {
        cloudspec_import::ImportError::Usage(message) => Refused::Usage(message),
        error => Refused::Failed(error.to_string()),
    })?;
    let mut text = String::new();
    let mut classes = BTreeMap::<&str, usize>::new();
    let mut unmapped = 0;
    for (id, example) in examples.iter().enumerate() {
        let target = crates.get(&(catalogue_name.to_string(), example.file.clone()));
        unmapped += usize::from(target.is_none());
        *classes.entry(example.class).or_default() += 1;
        let row = json!({
            "id": id,
            "source": example.source,
            "class": example.class,
            "action": example.action,
            "body": example.body,
            "crate": target.map(|(dir, _)| dir),
            "version_module": target.map(|(_, module)| module),
        });
        text.push_str(&row.to_string());
        text.push('\n');
    }
    cloudspec::write_atomically(out, text.as_bytes())
        .map_err(|error| Refused::Failed(format!("cannot write {}: {error}", out.display())))?;
    let classes: Vec<String> = classes.iter().map(|(class, n)| format!("{class} {n}")).collect();
    Ok(format!(
        "wrote {} examples to {} ({}); {unmapped} without a generated crate",
        examples.len(),
        out.display(),
        classes.join(", ")
    ))
}

/// (catalogue, catalogue file) → (crate directory, version module).
type CratesByFile = HashMap<(String, String), (String, String)>;

/// Where each imported service version went, from the layout manifest of the generated catalogue
/// `layout` and the `imported_from` marks of its specs.
fn crates_by_file(layout: &Path) -> Result<CratesByFile, String> {
    let manifest = LayoutManifest::read(layout)?.ok_or_else(|| {
        format!("{}: no {}; run `cloudspec generate` into it first", layout.display(), cloudspec::layout::LAYOUT_FILE)
    })?;
    if manifest.layout != LayoutKind::CratePerService {
        return Err(format!("{}: not a crate-per-service layout", layout.display()));
    }
    let specs = layout.join(&manifest.specs);
    let mut crates = HashMap::new();
    for service in &manifest.services {
        let path = specs.join(&service.spec);
        if let Some(ImportedFrom { catalogue, file: Some(file), .. }) = imported_from(&path)? {
            crates.insert((catalogue, file), (service.crate_dir.clone(), service.module.clone()));
        }
    }
    Ok(crates)
}

/// The `imported_from` mark of the spec at `path`.
fn imported_from(path: &Path) -> Result<Option<ImportedFrom>, String> {
    #[derive(serde::Deserialize)]
    struct Mark {
        imported_from: Option<ImportedFrom>,
    }
    let size = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.len();
    if size > cloudspec::load::MAX_SPEC_BYTES {
        return Err(format!("{}: the file is {size} bytes, more than a spec may be", path.display()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mark: Mark = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(mark.imported_from)
}

/// Every output of every `examples.json`, for the actions of its `api.json` (of both packages, merged, with
/// `chinese`).
fn tencent(
    services: &Path,
    chinese: Option<&Path>,
    only: &[String],
) -> Result<Vec<Example>, cloudspec_import::ImportError> {
    let examples = match chinese {
        None => cloudspec_import::tencent::output_examples(services, only)?,
        Some(chinese) => {
            let packages = cloudspec_import::tencent::Packages { english: services, chinese };
            cloudspec_import::tencent::merged_output_examples(packages, only)?
        }
    };
    Ok(examples
        .into_iter()
        .map(|e| {
            let class = e.output.as_deref().map_or("not JSON", tencent_class);
            Example {
                source: format!("{} {} {}#{}", e.service, e.version_dir, e.action, e.index),
                file: e.file,
                action: e.action,
                body: e.output.unwrap_or_else(|| "null".into()),
                class,
            }
        })
        .collect())
}

fn tencent_class(output: &str) -> &'static str {
    let Ok(document) = serde_json::from_str::<Value>(output) else { return "not JSON" };
    match document.get("Response").and_then(Value::as_object) {
        None => "no Response object",
        Some(response) if response.get("Error").is_some_and(|e| !e.is_null()) => "error envelope",
        Some(_) => "success body",
    }
}

/// Per API, the example of its first JSON `responseDemo` item.
fn alibaba(root: &Path, only: &[String]) -> Result<Vec<Example>, cloudspec_import::ImportError> {
    let examples = cloudspec_import::alibaba::output_examples(root, only)?;
    Ok(examples
        .into_iter()
        .map(|e| {
            let class = match serde_json::from_str::<Value>(&e.example) {
                Err(_) => "not JSON",
                Ok(_) if !e.has_schema => "no 200 schema",
                Ok(_) => "success body",
            };
            Example {
                source: format!("{} {} {}", e.product, e.version, e.action),
                file: e.file,
                action: e.action,
                body: e.example,
                class,
            }
        })
        .collect())
}
