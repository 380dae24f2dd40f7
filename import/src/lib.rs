//! Importers: turn a provider's own machine-readable catalogue into cloudspec specs.
//!
//! Each importer writes one spec file per service version, then runs [`cloudspec::check`] on what it wrote and
//! drops the documented examples the check rejects, so that its output passes `cloudspec check` as it is.
//! What was dropped, and why, is counted in the [`ImportReport`].

pub mod alibaba;
pub mod tencent;

use std::path::{Path, PathBuf};

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
    /// The catalogue directory holds nothing to import.
    #[error("{0}")]
    Nothing(String),
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
}

/// What an import run produced.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// One entry per service version, in directory order.
    pub services: Vec<ServiceReport>,
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
}

/// A type expression the importers wrote themselves. They only write ones that parse (`list<Tag>`,
/// `map<string>`, a declared name); anything else would be an importer bug, and becomes `any`.
pub(crate) fn type_expr(text: &str) -> cloudspec::spec::types::TypeExpr {
    use cloudspec::spec::types::{Scalar, TypeExpr};
    TypeExpr::parse(text).unwrap_or(TypeExpr::Scalar(Scalar::Any))
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
