//! Semantic checks: what makes a well-formed spec fit for generation.
//!
//! [`crate::load`] has already made sure each file is readable JSON of the right shape; here every rule
//! that involves meaning is checked — references resolve, names become distinct Rust identifiers,
//! constraints are consistent, and every documented example satisfies its own spec.

pub mod examples;
mod fields;
mod provider;
mod service;
pub mod values;

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, JsonPath, Severity, Target};
use crate::load::{SourceFile, SpecSet};

pub use examples::{ExampleInput, parse_example_input};
pub use fields::IMPORTED_NAMES;

/// What a check run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// What was checked.
    pub summary: Summary,
}

/// Counts of what a check run covered.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Spec files read.
    pub files: usize,
    /// Provider specs.
    pub providers: usize,
    /// Service versions.
    pub services: usize,
    /// Actions across all services.
    pub actions: usize,
    /// Shared types across all services.
    pub types: usize,
    /// Documented error codes: each action's own plus each provider's common ones.
    pub error_codes: usize,
    /// Documented examples.
    pub examples: usize,
}

impl Report {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// The one-line summary the CLI prints.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        let outcome = match (self.errors(), self.warnings()) {
            (0, 0) => "no problems".to_string(),
            (0, w) => format!("{w} warning{}", plural(w)),
            (e, 0) => format!("{e} error{}", plural(e)),
            (e, w) => format!("{e} error{}, {w} warning{}", plural(e), plural(w)),
        };
        format!(
            "checked {} file{}: {} provider{}, {} service{}, {} action{}, {} type{}, {} error code{}, {} example{}: {outcome}",
            s.files,
            plural(s.files),
            s.providers,
            plural(s.providers),
            s.services,
            plural(s.services),
            s.actions,
            plural(s.actions),
            s.types,
            plural(s.types),
            s.error_codes,
            plural(s.error_codes),
            s.examples,
            plural(s.examples),
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Checks every spec of `set` and returns all problems, the loader's included.
pub fn check(set: &SpecSet) -> Report {
    let mut report = Report { diagnostics: set.diagnostics.clone(), summary: Summary::default() };
    report.summary.files = set.files_read;
    for (name, provider) in &set.providers {
        report.summary.providers += 1;
        report.summary.error_codes += provider.spec.common_errors.len();
        provider::check(name, provider, &mut report.diagnostics);
    }
    // Services are checked independently, in parallel; the diagnostics are sorted afterwards.
    use rayon::prelude::*;
    let per_service: Vec<Vec<Diagnostic>> = set
        .services
        .par_iter()
        .map(|service| {
            let mut out = Vec::new();
            let provider_dir = crate::load::provider_dir(&service.file.path);
            let provider_name = provider_dir
                .as_deref()
                .and_then(|d| std::path::absolute(d).ok())
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_default();
            let provider = set.providers.get(&provider_name).map(|p| &p.spec);
            let mut sink = Sink { file: &service.file, out: &mut out };
            if provider.is_none() {
                let looked: PathBuf = set
                    .missing_providers
                    .get(&provider_name)
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(crate::load::PROVIDER_FILE));
                sink.error(
                    "missing-provider",
                    JsonPath::root().key("provider"),
                    Target::Value,
                    format!("the provider file {} is missing or invalid", looked.display()),
                    Some(
                        "every provider directory needs a provider.json with its protocol, signing and envelope".into(),
                    ),
                );
            }
            service::check(&service.spec, provider, &provider_name, &mut sink);
            out
        })
        .collect();
    for service in &set.services {
        report.summary.services += 1;
        report.summary.actions += service.spec.actions.len();
        report.summary.types += service.spec.types.len();
        report.summary.error_codes += service.spec.actions.values().map(|a| a.errors.len()).sum::<usize>();
        report.summary.examples += service.spec.actions.values().map(|a| a.examples.len()).sum::<usize>();
    }
    for diagnostics in per_service {
        report.diagnostics.extend(diagnostics);
    }
    report.diagnostics.sort_by(|a, b| {
        (a.file.as_str(), a.location.as_ref().map(|l| (l.line, l.column)))
            .cmp(&(b.file.as_str(), b.location.as_ref().map(|l| (l.line, l.column))))
    });
    report
}

/// Collects the diagnostics of one file.
pub(crate) struct Sink<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) out: &'a mut Vec<Diagnostic>,
}

impl Sink<'_> {
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        path: JsonPath,
        target: Target,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let diagnostic = self.file.diagnostic(Severity::Error, code, path, target, message).with_optional_hint(hint);
        self.out.push(diagnostic);
    }

    pub(crate) fn warning(
        &mut self,
        code: &'static str,
        path: JsonPath,
        target: Target,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let diagnostic = self.file.diagnostic(Severity::Warning, code, path, target, message).with_optional_hint(hint);
        self.out.push(diagnostic);
    }
}
