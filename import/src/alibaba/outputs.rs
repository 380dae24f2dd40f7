//! Read access to Openmeta's official output examples: per API, the example of the first JSON item
//! of its `responseDemo`, which is also the one the importer keeps. The catalogue scripts decode each
//! with the generated response types, including those the importer drops. The catalogue's file
//! layout (`<product>/<version>/api-docs.json`) is named here, for both.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::{ImportError, parse_catalogue, read_catalogue, sorted_dirs};

/// The catalogue file in each `<product>/<version>` directory.
pub(super) const API_DOCS: &str = "api-docs.json";

/// A product version's `api-docs.json`, relative to the catalogue root: `imported_from.file`.
pub(super) fn catalogue_file(product: &str, version: &str) -> String {
    format!("{product}/{version}/{API_DOCS}")
}

/// One API's output example, as the file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputExample {
    /// The product version's `api-docs.json`, relative to the catalogue root, as the specs'
    /// `imported_from.file` names it (`ecs/2014-05-26/api-docs.json`).
    pub file: String,
    /// The product (`ecs`).
    pub product: String,
    /// The version (`2014-05-26`).
    pub version: String,
    /// The API (`DescribeInstances`).
    pub action: String,
    /// The example of the first `type: json` item of its `responseDemo`.
    pub example: String,
    /// Whether the API declares the schema of its answer (`responses["200"].schema`, not null).
    pub has_schema: bool,
}

/// The `responseDemo` of an API is not a JSON list of demo items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NotAList;

/// The example of the first `type: json` item of an API's `responseDemo` (a JSON list, in a string)
/// with a non-blank example: `Ok(None)` when the API has no demo or no such item.
pub(super) fn json_response_demo(api: &Map<String, Value>) -> Result<Option<String>, NotAList> {
    let Some(demo) = api.get("responseDemo").and_then(Value::as_str).filter(|d| !d.trim().is_empty()) else {
        return Ok(None);
    };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(demo) else { return Err(NotAList) };
    let json = items.iter().find(|item| {
        item.get("type").and_then(Value::as_str) == Some("json")
            && item.get("example").and_then(Value::as_str).is_some_and(|e| !e.trim().is_empty())
    });
    Ok(json.and_then(|item| item.get("example")).and_then(Value::as_str).map(str::to_string))
}

/// Every API's output example under `root` (Openmeta's `en_us`), or under the products named in
/// `only`: for each `<product>/<version>/api-docs.json`, in directory order, each API with a JSON
/// demo, in the file's order. A file that cannot be read is an error: every example counts, so none
/// may be lost quietly.
pub fn output_examples(root: &Path, only: &[String]) -> Result<Vec<OutputExample>, ImportError> {
    if !root.is_dir() {
        return Err(ImportError::Usage(format!("{}: no such directory", root.display())));
    }
    let name = |path: &Path| path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut targets: Vec<(String, String, PathBuf)> = Vec::new();
    for product_dir in sorted_dirs(root)? {
        let product = name(&product_dir);
        if !only.is_empty() && !only.contains(&product) {
            continue;
        }
        for version_dir in sorted_dirs(&product_dir)? {
            let file = version_dir.join(API_DOCS);
            if file.is_file() {
                targets.push((product.clone(), name(&version_dir), file));
            }
        }
    }
    if let Some(missing) = only.iter().find(|p| !targets.iter().any(|(product, _, _)| product == *p)) {
        return Err(ImportError::Usage(format!("{}: no `{missing}/<version>/{API_DOCS}`", root.display())));
    }
    let per_version: Vec<Vec<OutputExample>> = targets
        .par_iter()
        .map(|(product, version, file)| version_examples(product, version, file))
        .collect::<Result<_, _>>()?;
    Ok(per_version.into_iter().flatten().collect())
}

fn version_examples(product: &str, version: &str, path: &Path) -> Result<Vec<OutputExample>, ImportError> {
    let doc: Value = parse_catalogue(path, &read_catalogue(path)?)?;
    let file = catalogue_file(product, version);
    let mut out = Vec::new();
    for (action, api) in doc.get("apis").and_then(Value::as_object).into_iter().flatten() {
        let Some(api) = api.as_object() else { continue };
        let Ok(Some(example)) = json_response_demo(api) else { continue };
        let schema = api.get("responses").and_then(|r| r.get("200")).and_then(|r| r.get("schema"));
        out.push(OutputExample {
            file: file.clone(),
            product: product.to_string(),
            version: version.to_string(),
            action: action.clone(),
            example,
            has_schema: schema.is_some_and(|s| !s.is_null()),
        });
    }
    Ok(out)
}
