//! Importers: turn a provider's own machine-readable catalogue into cloudspec specs.
//!
//! Each importer writes one spec file per service version, then runs [`cloudspec::check`] on what it wrote and
//! drops the documented examples the check rejects, so that its output passes `cloudspec check` as it is.
//! What was dropped, and why, is counted in the [`ImportReport`].
//!
//! Both importers share the rules in this module: a catalogue file is refused before it is read when
//! it is larger than [`MAX_CATALOGUE_BYTES`], and is one JSON value with nothing after it; a service
//! version that cannot be imported is reported as a [`Failure`] and the others are imported; and a
//! spec is overwritten only when an importer wrote it ([`Overwrite`]). Both mark the actions that page
//! with one set of rules ([`paging`]) and report what they marked and what they rejected.

pub mod alibaba;
pub mod paging;
mod prose_enums;
pub mod sensitive;
pub mod tencent;

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

/// Catalogue files larger than this are refused before they are read. The largest real ones are a
/// few MB (Openmeta's `sas/2018-12-03/api-docs.json`, 3.9 MB; tccli's are smaller): eight times that
/// leaves room to grow, while parsing stays within a few hundred MB of memory.
pub const MAX_CATALOGUE_BYTES: u64 = 32 * 1024 * 1024;

/// Which existing service specs an import may replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Only specs an importer wrote, which carry `imported_from`: hand-written specs are never replaced.
    ImportedOnly,
    /// Any spec, hand-written ones included (`--force`).
    Any,
}

/// Why an import could not be done at all, or a catalogue entry could not be mapped.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A catalogue file is not the JSON it should be.
    #[error("{path}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the JSON position.
        message: String,
    },
    /// An entry of a catalogue cannot be expressed in the spec format.
    #[error("{path}: {entry}: {message}")]
    Unmappable {
        /// The catalogue file.
        path: PathBuf,
        /// The JSON entry (`objects.ApiKey.members[3]`).
        entry: String,
        /// What cannot be mapped.
        message: String,
    },
    /// A catalogue file is larger than [`MAX_CATALOGUE_BYTES`].
    #[error(
        "{path}: the file is {size} bytes; catalogue files are limited to {} MiB (the largest real ones are a few MB), so it was not read",
        MAX_CATALOGUE_BYTES / (1024 * 1024)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// Specs the import would write exist and were not written by an importer.
    #[error(
        "refusing to overwrite {} spec{} that no importer wrote (no `imported_from`): {}; import into another directory, or pass --force to replace them",
        .0.len(),
        if .0.len() == 1 { "" } else { "s" },
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    WouldOverwrite(Vec<PathBuf>),
    /// The inputs name nothing to import: a path that does not exist, a directory that is not a
    /// catalogue, a service or product the catalogue lacks (a usage error).
    #[error("{0}")]
    Usage(String),
    /// The import cannot go on (the provider spec it checks against is unusable, say).
    #[error("{0}")]
    Nothing(String),
}

/// A service or product version that could not be imported; the others were.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Its catalogue file.
    pub file: PathBuf,
    /// Why, naming the file and the entry or position.
    pub error: String,
}

/// What one service version's import produced.
#[derive(Debug, Clone, Default)]
pub struct ServiceReport {
    /// Service name (`apigateway`).
    pub service: String,
    /// API version (`2018-08-08`).
    pub version: String,
    /// The spec file written.
    pub path: PathBuf,
    /// Actions imported.
    pub actions: usize,
    /// Shared types imported (enumerations included).
    pub types: usize,
    /// Enumerations extracted from the documentation's prose (part of `types`).
    pub enums: usize,
    /// Members typed with an extracted enumeration.
    pub enum_members: usize,
    /// Required members of objects that requests and responses share: kept, so requests check them.
    pub nested_required: usize,
    /// Fields the sensitive rule set marked, and near-misses it left ([`sensitive`]).
    pub sensitive: Vec<sensitive::SensitiveDecision>,
    /// Examples kept in the spec.
    pub examples_kept: usize,
    /// Error codes taken from example responses that are error envelopes.
    pub errors_from_examples: usize,
    /// Examples dropped because their output is not JSON.
    pub examples_not_json: usize,
    /// Examples dropped because `cloudspec check` found them to contradict the spec.
    pub examples_rejected: usize,
    /// The check's diagnostic codes behind the rejected examples, with how many diagnostics had each.
    pub rejections: std::collections::BTreeMap<&'static str, usize>,
    /// Errors `cloudspec check` still reports on the written spec (rendered), after examples were dropped.
    pub remaining_errors: Vec<String>,
    /// The actions marked paged, and the candidates rejected.
    pub paging: paging::PagingReport,
    /// Tencent, both packages merged ([`tencent::import_merged`]): what the merge did.
    pub merge: Option<tencent::MergeReport>,
}

/// What an import run produced.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// One entry per service version, in directory order.
    pub services: Vec<ServiceReport>,
    /// Service versions that could not be imported, in directory order.
    pub failures: Vec<Failure>,
}

impl ImportReport {
    /// Total of a count over all services.
    pub fn total(&self, count: impl Fn(&ServiceReport) -> usize) -> usize {
        self.services.iter().map(count).sum()
    }

    /// Errors left in the written specs, over all services.
    pub fn remaining_errors(&self) -> usize {
        self.total(|s| s.remaining_errors.len())
    }

    /// Paging detection over all services.
    pub fn paging(&self) -> paging::PagingReport {
        let mut all = paging::PagingReport::default();
        for service in &self.services {
            all.merge(service.paging.clone());
        }
        all
    }
}

/// A type expression the importers wrote themselves. They only write ones that parse (`list<Tag>`,
/// `map<string>`, a declared name); anything else would be an importer bug, and becomes `any`.
pub(crate) fn type_expr(text: &str) -> cloudspec::spec::types::TypeExpr {
    use cloudspec::spec::types::{Scalar, TypeExpr};
    TypeExpr::parse(text).unwrap_or(TypeExpr::Scalar(Scalar::Any))
}

/// Reads a catalogue file, refusing one larger than [`MAX_CATALOGUE_BYTES`] before reading it.
pub(crate) fn read_catalogue(path: &Path) -> Result<String, ImportError> {
    let io = |source| ImportError::Io { path: path.to_path_buf(), source };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_CATALOGUE_BYTES {
        return Err(ImportError::TooLarge { path: path.to_path_buf(), size });
    }
    // The size may lie (a file that grows, a device): read no more than the limit allows.
    let mut text = String::new();
    std::fs::File::open(path).map_err(io)?.take(MAX_CATALOGUE_BYTES + 1).read_to_string(&mut text).map_err(io)?;
    if text.len() as u64 > MAX_CATALOGUE_BYTES {
        return Err(ImportError::TooLarge { path: path.to_path_buf(), size: text.len() as u64 });
    }
    Ok(text)
}

/// Parses a catalogue file's text: one JSON value, with nothing but white space after it. Errors
/// name the file, and the JSON path or the line and column.
pub(crate) fn parse_catalogue<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, ImportError> {
    // Parsed without tracking the JSON path first: tracking it cost as much as the parse, and only an
    // error needs it. A file that fails is parsed again, tracked, for the message.
    let untracked = || {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = <T as serde::Deserialize>::deserialize(&mut deserializer).ok()?;
        deserializer.end().ok().map(|()| value)
    };
    if let Some(value) = untracked() {
        return Ok(value);
    }
    let json = |message| ImportError::Json { path: path.to_path_buf(), message };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| json(format!("{}: {}", e.path(), e.inner())))?;
    deserializer.end().map_err(|e| {
        json(format!("unexpected text after the JSON value, at line {}, column {}", e.line(), e.column()))
    })?;
    Ok(value)
}

/// Refuses, listing them, to overwrite existing specs among `paths` that no importer wrote.
pub(crate) fn check_overwrites(paths: &[PathBuf], overwrite: Overwrite) -> Result<(), ImportError> {
    if overwrite == Overwrite::Any {
        return Ok(());
    }
    let mut foreign: Vec<PathBuf> = paths.par_iter().filter(|path| path.exists() && !imported(path)).cloned().collect();
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    Err(ImportError::WouldOverwrite(foreign))
}

/// Whether the spec at `path` carries the importers' mark. Anything unreadable, oversized or not a
/// JSON object with `imported_from` is taken for hand-written.
fn imported(path: &Path) -> bool {
    #[derive(serde::Deserialize)]
    struct Mark {
        imported_from: Option<serde::de::IgnoredAny>,
    }
    let small = std::fs::metadata(path).is_ok_and(|m| m.len() <= cloudspec::load::MAX_SPEC_BYTES);
    let text = if small { std::fs::read_to_string(path).ok() } else { None };
    text.and_then(|t| serde_json::from_str::<Mark>(&t).ok()).is_some_and(|mark| mark.imported_from.is_some())
}

/// The directories directly under `dir`, sorted: the importers walk the catalogues in a stable order.
pub(crate) fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Io { path: dir.to_path_buf(), source })?;
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| ImportError::Io { path: dir.to_path_buf(), source })?;
        if entry.path().is_dir() {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    Ok(dirs)
}
