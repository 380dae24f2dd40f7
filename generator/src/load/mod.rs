//! Reading spec files: from paths on disk to the [`crate::spec`] model, with every problem reported as a
//! [`Diagnostic`] that points into the file.
//!
//! Reading is defensive: size, encoding, syntax, nesting depth and shape are checked before anything
//! else looks at a file, so hostile input yields a diagnostic, never a panic.

mod decode;
mod spans;

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, JsonPath, LineIndex, Severity, SourceLocation, Target};
use crate::spec::{ProviderSpec, ServiceSpec};

pub use spans::SpanIndex;

/// Spec files larger than this are refused before they are read.
pub const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;

/// Name of the provider file in each provider directory.
pub const PROVIDER_FILE: &str = "provider.json";

/// Name of the checked-in JSON Schema, which is not a spec.
pub const SCHEMA_FILE: &str = "cloudspec.schema.json";

/// A spec file's text, with lazily built source positions.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given or discovered.
    pub path: PathBuf,
    /// The path as shown in diagnostics.
    pub name: String,
    /// The file's text.
    pub text: String,
    spans: OnceLock<SpanIndex>,
    /// The fields whose `type` does not parse: reported when read, read as `any`, and left alone by
    /// the checks that would only repeat the problem.
    unparsed_types: Vec<JsonPath>,
}

impl SourceFile {
    /// Wraps text read from `path`.
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let name = path.display().to_string();
        SourceFile { path, name, text, spans: OnceLock::new(), unparsed_types: Vec::new() }
    }

    /// Wraps text whose diagnostics need no source positions: an importer checking the spec it
    /// has just written, which finds the JSON path enough and would otherwise index the whole file
    /// for each one that has a defect.
    pub fn without_positions(path: PathBuf, text: String) -> SourceFile {
        let file = SourceFile::new(path, text);
        let _ = file.spans.set(SpanIndex::default());
        file
    }

    /// Whether the field at `path` has a `type` that does not parse (reported when the file was read).
    pub fn has_unparsed_type(&self, path: &JsonPath) -> bool {
        self.unparsed_types.contains(path)
    }

    /// Where `path` is in the file: the node itself, or its nearest existing ancestor.
    pub fn locate(&self, path: &JsonPath, target: Target) -> Option<SourceLocation> {
        let index = self.spans.get_or_init(|| SpanIndex::build(&self.text));
        let (node, exact) = spans::nearest(index, path)?;
        let span = match (target, exact, &node.key) {
            (Target::Key, true, Some(key)) => key.clone(),
            // A missing member is reported at its parent's key, which is where it would be written.
            (_, false, Some(key)) => key.clone(),
            _ => node.value.clone(),
        };
        Some(SourceLocation::indexed(&self.text, index.lines(), short_span(&self.text, span)))
    }

    /// Records a diagnostic against this file, resolving its position.
    pub fn diagnostic(
        &self,
        severity: Severity,
        code: &'static str,
        path: JsonPath,
        target: Target,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut diagnostic = match severity {
            Severity::Error => Diagnostic::error(code, &self.name, path, message),
            Severity::Warning => Diagnostic::warning(code, &self.name, path, message),
        };
        diagnostic.location = self.locate(&diagnostic.path, target);
        diagnostic
    }
}

/// Objects and arrays are highlighted by their first line only. The line break is looked for only as
/// far as a diagnostic can show (a minified object can be the whole file: looking further, for each
/// diagnostic, made checking quadratic).
fn short_span(text: &str, span: Range<usize>) -> Range<usize> {
    const SHOWN: usize = 1024;
    let end = span.end.min(text.len());
    let searched = &text.as_bytes()[span.start.min(end)..end.min(span.start.saturating_add(SHOWN))];
    let end = searched.iter().position(|&b| b == b'\n').map_or(span.end, |i| span.start + i);
    span.start..end.max(span.start + 1).min(text.len().max(span.start))
}

/// A spec read from disk.
#[derive(Debug)]
pub struct Loaded<T> {
    /// Where it came from.
    pub file: SourceFile,
    /// What it says.
    pub spec: T,
}

/// Every spec read by one run, with the problems found while reading.
#[derive(Debug, Default)]
pub struct SpecSet {
    /// Provider specs, by provider directory name.
    pub providers: BTreeMap<String, Loaded<ProviderSpec>>,
    /// Provider directories whose `provider.json` is missing or unreadable, with the path looked for.
    pub missing_providers: BTreeMap<String, PathBuf>,
    /// Service specs, in path order.
    pub services: Vec<Loaded<ServiceSpec>>,
    /// Problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read.
    pub files_read: usize,
}

/// Why the paths given could not be used at all (a usage error, not a spec problem).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A path does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    /// A directory could not be listed.
    #[error("{path}: cannot list directory: {source}")]
    ListDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A directory holds no spec files.
    #[error("{0}: no spec files (*.json) found")]
    Empty(PathBuf),
}

/// Reads every spec under `paths` (files or directories), plus the provider file of each service.
pub fn load(paths: &[PathBuf]) -> Result<SpecSet, LoadError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = files.len();
            collect_json(path, &mut files)?;
            if files.len() == before {
                return Err(LoadError::Empty(path.clone()));
            }
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(LoadError::NotFound(path.clone()));
        }
    }
    files.sort();
    files.dedup();

    let mut set = SpecSet::default();
    let (providers, services): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|p| p.file_name().is_some_and(|n| n == PROVIDER_FILE));
    for path in providers {
        load_provider(&mut set, &path);
    }
    for path in &services {
        // The provider file sits two levels up: specs/<provider>/<service>/<version>.json.
        if let Some(dir) = provider_dir(path) {
            let provider_path = dir.join(PROVIDER_FILE);
            let name = dir_name(&dir);
            if !set.providers.contains_key(&name) && !set.missing_providers.contains_key(&name) {
                if provider_path.is_file() {
                    load_provider(&mut set, &provider_path);
                } else {
                    set.missing_providers.insert(name, provider_path);
                }
            }
        }
    }
    // Service files are independent: read and decode them in parallel, then merge in path order.
    let loaded: Vec<SpecSet> = services
        .par_iter()
        .map(|path| {
            let mut one = SpecSet::default();
            if let Some(mut file) = read(&mut one, path) {
                if let Some(spec) = decode::service(&mut file, &mut one.diagnostics) {
                    one.services.push(Loaded { file, spec });
                }
            }
            one
        })
        .collect();
    for one in loaded {
        set.files_read += one.files_read;
        set.services.extend(one.services);
        set.diagnostics.extend(one.diagnostics);
    }
    Ok(set)
}

/// The provider directory of a service spec path.
pub fn provider_dir(service_path: &Path) -> Option<PathBuf> {
    let dir = service_path.parent()?.parent()?;
    Some(if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir.to_path_buf() })
}

fn dir_name(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn load_provider(set: &mut SpecSet, path: &Path) {
    let name = path.parent().map(dir_name).unwrap_or_default();
    if set.providers.contains_key(&name) {
        return;
    }
    let Some(mut file) = read(set, path) else {
        set.missing_providers.insert(name, path.to_path_buf());
        return;
    };
    match decode::provider(&mut file, &mut set.diagnostics) {
        Some(spec) => {
            set.providers.insert(name, Loaded { file, spec });
        }
        None => {
            set.missing_providers.insert(name, path.to_path_buf());
        }
    }
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::ListDir { path: dir.to_path_buf(), source })?;
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::ListDir { path: dir.to_path_buf(), source })?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(|source| LoadError::ListDir { path: path.clone(), source })?;
        if file_type.is_dir() {
            collect_json(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") && path.file_name().is_some_and(|n| n != SCHEMA_FILE) {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a file as UTF-8 text, refusing what is too large or not text.
fn read(set: &mut SpecSet, path: &Path) -> Option<SourceFile> {
    let name = path.display().to_string();
    let fail = |set: &mut SpecSet, code, message: String| {
        set.diagnostics.push(Diagnostic::error(code, &name, JsonPath::root(), message));
        None
    };
    set.files_read += 1;
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(error) => return fail(set, "unreadable-file", format!("cannot read the file: {error}")),
    };
    if size > MAX_SPEC_BYTES {
        return fail(
            set,
            "file-too-large",
            format!(
                "the file is {} MiB; spec files are limited to {} MiB",
                size / (1024 * 1024),
                MAX_SPEC_BYTES / (1024 * 1024)
            ),
        );
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return fail(set, "unreadable-file", format!("cannot read the file: {error}")),
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            // The text up to the bad byte is the file's own, so the lossy copy locates it exactly (the
            // bad byte shows as U+FFFD in the snippet).
            let lossy = String::from_utf8_lossy(error.as_bytes());
            let location = SourceLocation::new(&lossy, at..at + char::REPLACEMENT_CHARACTER.len_utf8());
            let mut diagnostic = Diagnostic::error(
                "invalid-utf8",
                &name,
                JsonPath::root(),
                format!(
                    "the file is not UTF-8: invalid byte at line {}, column {} (byte offset {at})",
                    location.line, location.column
                ),
            )
            .with_hint("save the file as UTF-8");
            diagnostic.location = Some(location);
            set.diagnostics.push(diagnostic);
            return None;
        }
    };
    if text.trim().is_empty() {
        return fail(set, "empty-file", "the file is empty; a spec is a JSON object".into());
    }
    Some(SourceFile::new(path.to_path_buf(), text))
}

/// Parses a file's text as JSON, reporting syntax errors, excessive nesting and duplicate keys.
fn parse_json(file: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Option<Value> {
    let value: Value = match serde_json::from_str(&file.text) {
        Ok(value) => value,
        Err(error) => {
            let mut diagnostic =
                Diagnostic::error("invalid-json", &file.name, JsonPath::root(), syntax_message(&error));
            let offset = offset_of(&file.text, error.line(), error.column());
            diagnostic.location = Some(SourceLocation::new(&file.text, offset..offset + 1));
            if error.to_string().contains("recursion limit") {
                diagnostic = diagnostic.with_hint("specs nest at most 128 levels deep");
            }
            diagnostics.push(diagnostic);
            return None;
        }
    };
    let duplicates = spans::duplicate_keys(&file.text);
    let lines = if duplicates.is_empty() { LineIndex::default() } else { LineIndex::new(&file.text) };
    for (path, span) in &duplicates {
        let key = path.last_key().unwrap_or_default();
        let mut diagnostic = Diagnostic::error(
            "duplicate-key",
            &file.name,
            path.clone(),
            format!(
                "`{}` is defined twice; the later definition would silently replace the earlier",
                crate::diagnostics::abbreviate(key, 60)
            ),
        );
        diagnostic.location = Some(SourceLocation::indexed(&file.text, &lines, span.clone()));
        diagnostics.push(diagnostic);
    }
    if !duplicates.is_empty() {
        return None;
    }
    Some(value)
}

fn syntax_message(error: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; the diagnostic shows the position itself.
    let text = error.to_string();
    let message = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m);
    format!("invalid JSON: {message}")
}

/// Byte offset of a 1-based line and column (serde_json's column counts bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}
