//! Read access to tccli's official output examples, all of them: the catalogue scripts decode each
//! with the generated response types, including those the importer drops (an output that is not
//! JSON, one the check rejects). The files are read with the importer's own readers and limits.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::catalogue::{ExamplesFile, catalogue_file, file_name, read_json};
use crate::{ImportError, sorted_dirs};

/// One output example of `examples.json`, as the file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputExample {
    /// The service version's `api.json`, relative to the services directory, as the specs'
    /// `imported_from.file` names it (`cvm/v20170312/api.json`).
    pub file: String,
    /// The service (`cvm`).
    pub service: String,
    /// The version directory (`v20170312`).
    pub version_dir: String,
    /// The action, as `api.json` names it.
    pub action: String,
    /// The example's position among the action's examples.
    pub index: usize,
    /// The output as written; `None` when the example has none.
    pub output: Option<String>,
}

/// `api.json` as far as the examples need it: the action names, in the file's order.
#[derive(Deserialize)]
struct ActionNames {
    #[serde(default)]
    actions: IndexMap<String, IgnoredAny>,
}

/// Every output example under `services_dir` (tccli's `tccli/services`), or under the services named
/// in `only`: for each `<service>/v*/api.json`, in directory order, each action of `api.json` in the
/// file's order, and each of its examples in `examples.json` (examples of actions `api.json` lacks
/// are not outputs of any action, and are left out). A file that cannot be read is an error: every
/// example counts, so none may be lost quietly.
pub fn output_examples(services_dir: &Path, only: &[String]) -> Result<Vec<OutputExample>, ImportError> {
    if !services_dir.is_dir() {
        return Err(ImportError::Usage(format!("{}: no such directory", services_dir.display())));
    }
    let mut targets: Vec<(String, PathBuf)> = Vec::new();
    for service_dir in sorted_dirs(services_dir)? {
        let service = file_name(&service_dir);
        if !only.is_empty() && !only.contains(&service) {
            continue;
        }
        for version_dir in sorted_dirs(&service_dir)? {
            if file_name(&version_dir).starts_with('v') && version_dir.join("api.json").is_file() {
                targets.push((service.clone(), version_dir));
            }
        }
    }
    if let Some(name) = only.iter().find(|name| !targets.iter().any(|(service, _)| service == *name)) {
        return Err(ImportError::Usage(format!(
            "{}: no service `{name}` with a `v*/api.json`",
            services_dir.display()
        )));
    }
    let per_version: Vec<Vec<OutputExample>> =
        targets.par_iter().map(|(service, dir)| version_examples(service, dir)).collect::<Result<_, _>>()?;
    Ok(per_version.into_iter().flatten().collect())
}

fn version_examples(service: &str, version_dir: &Path) -> Result<Vec<OutputExample>, ImportError> {
    let api: ActionNames = read_json(&version_dir.join("api.json"))?;
    let examples_path = version_dir.join("examples.json");
    let examples: ExamplesFile =
        if examples_path.is_file() { read_json(&examples_path)? } else { ExamplesFile::default() };
    let version_dir = file_name(version_dir);
    let file = catalogue_file(service, &version_dir);
    let mut out = Vec::new();
    for action in api.actions.keys() {
        for (index, example) in examples.actions.get(action).into_iter().flatten().enumerate() {
            out.push(OutputExample {
                file: file.clone(),
                service: service.to_string(),
                version_dir: version_dir.clone(),
                action: action.clone(),
                index,
                output: example.output.clone(),
            });
        }
    }
    Ok(out)
}

/// Every output example of the catalogue [`super::import_merged`] makes of both packages, or of the
/// services named in `only`: per service version either package has, the merged examples of each
/// action of the merged `api.json` (English outputs that are not JSON replaced by their Chinese twins
/// where the twin fits, as the import does). `file` is the relative `api.json` path both packages use.
pub fn merged_output_examples(
    packages: super::Packages<'_>,
    only: &[String],
) -> Result<Vec<OutputExample>, ImportError> {
    for dir in [packages.english, packages.chinese] {
        if !dir.is_dir() {
            return Err(ImportError::Usage(format!("{}: no such directory", dir.display())));
        }
    }
    let (en_release, cn_release) = (super::tccli_release(packages.english), super::tccli_release(packages.chinese));
    let copy = |dir: Option<PathBuf>, release: &Option<String>| {
        dir.map(|dir| super::merged::PackageCopy { dir, release: release.clone() })
    };
    let versions: Vec<_> = super::merged::versions(packages, only, super::targets_in)?.into_iter().collect();
    let per_version: Vec<Vec<OutputExample>> = versions
        .into_par_iter()
        .map(|((service, version_dir), (english, chinese))| {
            let merged = super::merged::load(copy(english, &en_release), copy(chinese, &cn_release))?;
            let file = catalogue_file(&service, &version_dir);
            let mut out = Vec::new();
            for action in merged.api.actions.keys() {
                for (index, example) in merged.examples.actions.get(action).into_iter().flatten().enumerate() {
                    out.push(OutputExample {
                        file: file.clone(),
                        service: service.clone(),
                        version_dir: version_dir.clone(),
                        action: action.clone(),
                        index,
                        output: example.output.clone(),
                    });
                }
            }
            Ok(out)
        })
        .collect::<Result<_, ImportError>>()?;
    Ok(per_version.into_iter().flatten().collect())
}
