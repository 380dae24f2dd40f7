//! Semantic checks: what makes a well-formed spec fit for generation.
//!
//! [`crate::load`] has already made sure each file is readable JSON of the right shape; here every rule
//! that involves meaning is checked — references resolve, names become distinct Rust identifiers,
//! constraints are consistent, and every documented example satisfies its own spec.

mod crates;
mod cx;
mod cycles;
pub mod examples;
mod fields;
mod http_path;
mod names;
mod paging;
mod provider;
mod service;
pub mod values;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, JsonPath, Severity, Target};
use crate::load::SpecSet;
use crate::names::table::{ProviderNames, ServiceNames};

pub(crate) use cx::Sink;
pub use examples::{ExampleInput, parse_example_input};

/// What a check run found: every problem, and when there is no error, the checked specs.
#[derive(Debug, Default)]
pub struct Report<'a> {
    /// Every problem, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// What was checked.
    pub summary: Summary,
    checked: Option<Checked<'a>>,
}

/// Specs that [`check`] found free of errors, with the Rust name of everything the generated code will
/// declare, decided once and checked for collisions. Only `check` makes one, and generation takes one:
/// code is never generated from specs that were not checked.
#[derive(Debug)]
pub struct Checked<'a> {
    pub(crate) set: &'a SpecSet,
    pub(crate) names: NameTable,
}

/// The names of every provider and service of a checked set.
#[derive(Debug, Default)]
pub(crate) struct NameTable {
    /// By provider directory name.
    pub(crate) providers: BTreeMap<String, ProviderNames>,
    /// In the order of the set's services.
    pub(crate) services: Vec<ServiceNames>,
}

impl<'a> Checked<'a> {
    /// The specs that were checked.
    pub fn specs(&self) -> &'a SpecSet {
        self.set
    }
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

impl<'a> Report<'a> {
    /// The checked specs, ready to generate from, when there is no error.
    pub fn checked(&self) -> Option<&Checked<'a>> {
        self.checked.as_ref()
    }

    /// Takes the checked specs out of the report (which keeps its diagnostics), when there is no error.
    pub fn take_checked(&mut self) -> Option<Checked<'a>> {
        self.checked.take()
    }

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

/// What checking needs to know of how the specs will be generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckOptions {
    /// The catalogue's budget of actions a crate (`--max-actions-per-crate`): a service over it is
    /// split into crates named after its own, and a service whose crate would take one of those names
    /// is refused. `None`: no service is split (one crate, a single file, or a catalogue without a
    /// budget).
    pub max_actions_per_crate: Option<usize>,
}

impl Default for CheckOptions {
    /// The budget `generate --layout crate-per-service` splits with by default
    /// ([`crate::layout::MAX_ACTIONS_PER_CRATE`]).
    fn default() -> Self {
        CheckOptions { max_actions_per_crate: Some(crate::layout::MAX_ACTIONS_PER_CRATE) }
    }
}

impl CheckOptions {
    /// Options for a budget of `max_actions_per_crate` actions a crate, 0 for none (as the CLI takes it).
    pub fn with_budget(max_actions_per_crate: usize) -> Self {
        CheckOptions { max_actions_per_crate: (max_actions_per_crate > 0).then_some(max_actions_per_crate) }
    }
}

/// Checks every spec of `set` with the default [`CheckOptions`] and returns all problems, the
/// loader's included, and when there is no error the [`Checked`] specs.
pub fn check(set: &SpecSet) -> Report<'_> {
    check_with(set, &CheckOptions::default())
}

/// [`check`] with `options`.
pub fn check_with<'a>(set: &'a SpecSet, options: &CheckOptions) -> Report<'a> {
    let mut report = Report { diagnostics: set.diagnostics.clone(), summary: Summary::default(), checked: None };
    report.summary.files = set.files_read;
    let mut providers = BTreeMap::new();
    for (name, provider) in &set.providers {
        report.summary.providers += 1;
        report.summary.error_codes += provider.spec.common_errors.len();
        if let Some(names) = provider::check(name, provider, &mut report.diagnostics) {
            providers.insert(name.clone(), names);
        }
    }
    // Services are checked independently, in parallel; the diagnostics are sorted afterwards.
    use rayon::prelude::*;
    let per_service: Vec<(Vec<Diagnostic>, Option<ServiceNames>)> = set
        .services
        .par_iter()
        .map(|service| {
            let mut out = Vec::new();
            let provider_name = provider_name(service);
            let provider = set.providers.get(&provider_name).map(|p| &p.spec);
            let mut sink = Sink::new(&service.file, &mut out);
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
            let names = service::check(&service.spec, provider, &provider_name, &mut sink);
            (out, names)
        })
        .collect();
    for service in &set.services {
        report.summary.services += 1;
        report.summary.actions += service.spec.actions.len();
        report.summary.types += service.spec.types.len();
        report.summary.error_codes += service.spec.actions.values().map(|a| a.errors.len()).sum::<usize>();
        report.summary.examples += service.spec.actions.values().map(|a| a.examples.len()).sum::<usize>();
    }
    let mut services = Vec::with_capacity(set.services.len());
    for (diagnostics, names) in per_service {
        report.diagnostics.extend(diagnostics);
        services.push(names);
    }
    module_collisions(set, &services, &providers, &mut report.diagnostics);
    crates::crate_collisions(set, &services, &providers, options.max_actions_per_crate, &mut report.diagnostics);
    report.diagnostics.sort_by(|a, b| {
        (a.file.as_str(), a.location.as_ref().map(|l| (l.line, l.column)))
            .cmp(&(b.file.as_str(), b.location.as_ref().map(|l| (l.line, l.column))))
    });
    if report.errors() == 0 {
        let services = services.into_iter().flatten().collect::<Vec<_>>();
        if services.len() == set.services.len() {
            report.checked = Some(Checked { set, names: NameTable { providers, services } });
        }
    }
    report
}

/// The provider directory a service spec sits in (`tencentcloud`).
fn provider_name(service: &crate::load::Loaded<crate::spec::ServiceSpec>) -> String {
    crate::load::provider_dir(&service.file.path)
        .as_deref()
        .and_then(|d| std::path::absolute(d).ok())
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// Providers, services and versions become nested modules: two that would share a module are reported.
fn module_collisions(
    set: &SpecSet,
    services: &[Option<ServiceNames>],
    providers: &BTreeMap<String, ProviderNames>,
    out: &mut Vec<Diagnostic>,
) {
    let mut provider_modules: HashMap<&str, &str> = HashMap::new();
    for (name, provider) in &set.providers {
        let Some(names) = providers.get(name) else { continue };
        if let Some(other) = provider_modules.insert(&names.module, name) {
            let mut sink = Sink::new(&provider.file, out);
            sink.error(
                "name-collision",
                JsonPath::root().key("provider").key("name"),
                Target::Value,
                format!("providers `{other}` and `{name}` would both become the module `{}`", names.module),
                Some("name providers with distinct letters and digits".into()),
            );
        }
    }
    let mut modules: HashMap<(String, &str, &str), &str> = HashMap::new();
    for (service, names) in set.services.iter().zip(services) {
        let Some(names) = names else { continue };
        let key = (provider_name(service), names.service_module.as_str(), names.version_module.as_str());
        let id = format!("{} {}", service.spec.service.name, service.spec.service.version);
        if let Some(other) = modules.insert(key, service.file.name.as_str()) {
            let mut sink = Sink::new(&service.file, out);
            sink.error(
                "name-collision",
                JsonPath::root().key("service"),
                Target::Key,
                format!(
                    "{id} would have the same module as {other}: `{}::{}`",
                    names.service_module, names.version_module
                ),
                Some("two versions of one service need distinct version names".into()),
            );
        }
    }
}
