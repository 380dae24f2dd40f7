//! The last steps of a product version: its documented examples and defaults checked with the rules
//! `cloudspec check` applies (the ones that break them dropped and counted), the spec checked against the
//! provider spec in memory, and written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::report::VersionReport;
use super::schema::Mapper;
use crate::ImportError;
use cloudspec::diagnostics::{Segment, Severity};
use cloudspec::spec::{Field, ServiceSpec};

/// The provider directory name under the output directory.
pub(super) const PROVIDER: &str = "alibabacloud";

/// Converts nothing, but checks every documented example and default against its field with the rules
/// `cloudspec check` applies, and drops (and counts) the ones that break them.
pub(super) fn scrub_documented_values(spec: &mut ServiceSpec, mapper: &mut Mapper<'_>) {
    use cloudspec::check::values::{Direction, ValueChecker};
    let types = spec.types.clone();
    let checker_request = ValueChecker::new(&types, Direction::Request);
    let checker_response = ValueChecker::new(&types, Direction::Response);
    let mut scrub = |field: &mut Field, request: bool, at: &dyn Fn() -> String| {
        let ty = field.ty.clone();
        let probe = field_shape(field);
        let field_ty = field.ty.to_string();
        for (which, value) in [("default", &mut field.default), ("example", &mut field.example)] {
            let Some(v) = value.as_ref() else { continue };
            let checker = if request || which == "default" { &checker_request } else { &checker_response };
            let mut validator = cloudspec_rules::Validator::new();
            checker.value(&probe, &ty, v, "value", &mut validator);
            if let Err(error) = validator.finish() {
                let kind = match field_ty.as_str() {
                    "bool" if v.is_string() => "not-true-or-false",
                    "int32" | "int64" if v.is_string() => "not-an-integer",
                    "float64" if v.is_string() => "not-a-number",
                    _ => violation_kind(&error.violations()[0].to_string(), v),
                };
                let masked = v.as_str().is_some_and(|s| s.contains('*'));
                let label = format!("{which}:{kind}{}", if masked { " (masked)" } else { "" });
                let at = at();
                mapper.defects.add(&label, || at);
                *value = None;
            }
        }
    };
    let label = mapper.label.clone();
    for (name, action) in &mut spec.actions {
        for (wire, field) in &mut action.request {
            scrub(field, true, &|| format!("{label}: apis.{name} request {wire}"));
        }
        for (wire, field) in &mut action.response {
            scrub(field, false, &|| format!("{label}: apis.{name} response {wire}"));
        }
        if let Some(body) = action.http.as_mut().and_then(|h| h.response_body.as_mut()) {
            scrub(body, false, &|| format!("{label}: apis.{name} response body"));
        }
    }
    for (name, def) in &mut spec.types {
        for (wire, field) in def.fields.iter_mut().flatten() {
            scrub(field, true, &|| format!("{label}: types.{name}.{wire}"));
        }
    }
}

/// A copy of a field's type and rules, for checking one of its documented values.
fn field_shape(field: &Field) -> Field {
    Field {
        ty: field.ty.clone(),
        format: field.format,
        constraints: field.constraints.clone(),
        nullable: field.nullable,
        ..Field::plain(field.ty.clone())
    }
}

/// A short kind for a violation message (`not-an-integer`, `outside-the-enum`, `pattern`, …).
fn violation_kind(message: &str, value: &Value) -> &'static str {
    let m = message.to_ascii_lowercase();
    if m.contains("one of") || m.contains("allowed values") {
        "outside-the-enum"
    } else if m.contains("pattern") || m.contains("match") {
        "fails-its-pattern"
    } else if m.contains("at least") && m.contains("character") {
        "shorter-than-min-length"
    } else if m.contains("at most") && m.contains("character") {
        "longer-than-max-length"
    } else if m.contains("at least") || m.contains("greater") {
        "below-the-minimum"
    } else if m.contains("at most") || m.contains("less") {
        "above-the-maximum"
    } else if value.is_string() && m.contains("integer") {
        "not-an-integer"
    } else if value.is_string() && m.contains("bool") {
        "not-true-or-false"
    } else if value.is_string() && m.contains("number") {
        "not-a-number"
    } else if m.contains("range") || m.contains("integer") {
        "outside-the-integer-range"
    } else {
        "wrong-type"
    }
}

/// The provider spec the written services are checked against.
pub(super) struct ProviderContext {
    path: PathBuf,
    text: String,
    spec: cloudspec::spec::ProviderSpec,
}

impl ProviderContext {
    pub(super) fn load(path: &Path) -> Result<ProviderContext, ImportError> {
        let set = cloudspec::load::load(std::slice::from_ref(&path.to_path_buf()))
            .map_err(|e| ImportError::Nothing(format!("cannot read {}: {e}", path.display())))?;
        let errors: Vec<String> =
            set.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.render()).collect();
        match set.providers.into_values().next() {
            Some(loaded) if errors.is_empty() => {
                Ok(ProviderContext { path: path.to_path_buf(), text: loaded.file.text.clone(), spec: loaded.spec })
            }
            _ => Err(ImportError::Nothing(format!(
                "{} is not a valid provider spec:\n{}",
                path.display(),
                errors.join("\n")
            ))),
        }
    }
}

/// Checks the spec as `cloudspec check` would (in memory, against the provider spec), drops the output
/// examples it rejects, and writes the result. One round is enough: each example is checked on its own, so
/// dropping one cannot change what the check says about the others or about the rest of the spec.
pub(super) fn check_and_write(
    path: &Path,
    spec: ServiceSpec,
    provider: &ProviderContext,
    report: &mut VersionReport,
    rejections: &mut BTreeMap<String, usize>,
) -> Result<ServiceSpec, ImportError> {
    let text = spec_text(path, &spec)?;
    let mut set = cloudspec::load::SpecSet::default();
    set.providers.insert(
        PROVIDER.to_string(),
        cloudspec::load::Loaded {
            file: cloudspec::load::SourceFile::without_positions(provider.path.clone(), provider.text.clone()),
            spec: provider.spec.clone(),
        },
    );
    set.files_read = 2;
    let file = cloudspec::load::SourceFile::without_positions(path.to_path_buf(), text);
    set.services.push(cloudspec::load::Loaded { file, spec });
    let diagnostics = cloudspec::check::check(&set).diagnostics;
    let Some(cloudspec::load::Loaded { file, mut spec }) = set.services.pop() else {
        return Err(ImportError::Nothing(format!("{}: the check lost the spec", path.display())));
    };
    let mut drop: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for error in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        if let [Segment::Key(actions), Segment::Key(action), Segment::Key(examples), Segment::Index(index), ..] =
            error.path.segments()
        {
            if actions == "actions" && examples == "examples" {
                drop.entry(action.clone()).or_default().insert(*index);
                *rejections.entry(error.code.to_string()).or_default() += 1;
                continue;
            }
        }
        report.remaining_errors.push(error.render());
    }
    if drop.is_empty() {
        return cloudspec::write_atomically(path, file.text.as_bytes())
            .map(|()| spec)
            .map_err(|source| ImportError::Io { path: path.to_path_buf(), source });
    }
    for (action, indexes) in drop {
        if let Some(action) = spec.actions.get_mut(&action) {
            for index in indexes.into_iter().rev() {
                if index < action.examples.len() {
                    action.examples.remove(index);
                    report.examples_rejected += 1;
                }
            }
        }
    }
    let text = spec_text(path, &spec)?;
    cloudspec::write_atomically(path, text.as_bytes())
        .map_err(|source| ImportError::Io { path: path.to_path_buf(), source })?;
    Ok(spec)
}

fn spec_text(path: &Path, spec: &ServiceSpec) -> Result<String, ImportError> {
    let mut text = serde_json::to_string_pretty(spec)
        .map_err(|e| ImportError::Json { path: path.to_path_buf(), message: e.to_string() })?;
    text.push('\n');
    Ok(text)
}
