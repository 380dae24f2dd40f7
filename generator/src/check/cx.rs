//! What the checks of one file share: the [`Sink`] that collects its diagnostics, and for a service
//! spec the [`ServiceCx`] every check of it reads.

use crate::diagnostics::{Diagnostic, JsonPath, Severity, Target, abbreviate, did_you_mean};
use crate::load::SourceFile;
use crate::spec::{ProviderSpec, ServiceSpec};

/// Collects the diagnostics of one file.
pub(crate) struct Sink<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) out: &'a mut Vec<Diagnostic>,
    /// Errors collected so far (counted as they come, so asking is cheap).
    errors: usize,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(file: &'a SourceFile, out: &'a mut Vec<Diagnostic>) -> Self {
        Sink { file, out, errors: 0 }
    }

    /// Errors this sink has collected.
    pub(crate) fn errors(&self) -> usize {
        self.errors
    }

    pub(crate) fn error(
        &mut self,
        code: &'static str,
        path: JsonPath,
        target: Target,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.errors += 1;
        self.push(Severity::Error, code, path, target, message.into(), hint);
    }

    pub(crate) fn warning(
        &mut self,
        code: &'static str,
        path: JsonPath,
        target: Target,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.push(Severity::Warning, code, path, target, message.into(), hint);
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        path: JsonPath,
        target: Target,
        message: String,
        hint: Option<String>,
    ) {
        let diagnostic = self.file.diagnostic(severity, code, path, target, message).with_optional_hint(hint);
        self.out.push(diagnostic);
    }
}

/// What the checks of one service need to see.
pub(crate) struct ServiceCx<'a, 'b> {
    pub(crate) spec: &'a ServiceSpec,
    pub(crate) provider: Option<&'a ProviderSpec>,
    pub(crate) sink: &'a mut Sink<'b>,
}

impl ServiceCx<'_, '_> {
    /// Checks that every cited source id exists.
    pub(crate) fn check_sources(&mut self, ids: &[String], path: &JsonPath) {
        for (i, id) in ids.iter().enumerate() {
            if !self.spec.sources.contains_key(id) {
                let hint = did_you_mean(id, self.spec.sources.keys().map(String::as_str));
                self.sink.error(
                    "unknown-source",
                    path.index(i),
                    Target::Value,
                    format!("no source `{}` is declared in `sources`", abbreviate(id, 60)),
                    hint,
                );
            }
        }
    }
}
