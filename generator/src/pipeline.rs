//! The pipeline every caller runs — [`crate::Builder`], the CLI, the benches, the tests: check the
//! loaded specs, resolve them, lay them out as files. One function, so no caller composes the stages
//! itself (and none can generate from specs that were not checked).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::check::{self, CheckOptions, Report};
use crate::layout::{self, CatalogueOptions, CrateOptions, GenerateError, LayoutManifest, Sink};
use crate::load::SpecSet;
use crate::output::GeneratedFile;

/// How the generated code is laid out.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Layout {
    /// One file of nested modules, for a build script to `include!` (its name, `cloudspec.rs`).
    SingleFile(String),
    /// One crate with a feature per service version (the repository's `generated/`).
    Crate(CrateOptions),
    /// A workspace with a crate per provider service, for whole catalogues.
    Catalogue(CatalogueOptions),
}

/// What to generate.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The layout.
    pub layout: Layout,
    /// The specs directory: generated headers name spec files relative to it.
    pub specs_root: PathBuf,
}

impl Options {
    /// Options for `layout`, with specs under `specs_root`.
    pub fn new(layout: Layout, specs_root: impl Into<PathBuf>) -> Self {
        Options { layout, specs_root: specs_root.into() }
    }
}

/// What a run generated.
#[derive(Debug)]
pub struct Generated<'s, T> {
    /// What the sink returned for each file, in no particular order.
    pub files: Vec<T>,
    /// The check's report: no errors, maybe warnings.
    pub report: Report<'s>,
    /// How long each stage took: `check`, `resolve`, `emit` (emitting, formatting and the sink).
    pub timings: Vec<(&'static str, Duration)>,
    /// The layout manifest among the files (`cloudspec-layout.json`), for a crate or a catalogue: what a
    /// tool needs to find every crate and module without reading generated text.
    pub manifest: Option<LayoutManifest>,
}

/// Why nothing (or not everything) was generated.
#[derive(Debug)]
pub enum Failure<'s, E> {
    /// The specs have errors: the report lists them, and nothing was generated.
    Specs(Box<Report<'s>>),
    /// Making or handing over a file failed.
    Output(E),
}

/// Checks `set`, then generates every file of `options.layout`, handing each to `sink` as soon as it
/// is formatted (on any thread), so a whole catalogue is never held in memory.
pub fn generate_to<'s, T: Send, E: From<GenerateError> + Send>(
    set: &'s SpecSet,
    options: &Options,
    sink: &Sink<'_, T, E>,
) -> Result<Generated<'s, T>, Failure<'s, E>> {
    let mut timings = Vec::new();
    let mut started = Instant::now();
    let mut lap = |stage: &'static str, timings: &mut Vec<_>| {
        timings.push((stage, started.elapsed()));
        started = Instant::now();
    };
    let mut report = check::check_with(set, &check_options(&options.layout));
    lap("check", &mut timings);
    let checked = match report.take_checked() {
        Some(checked) => checked,
        None => return Err(Failure::Specs(Box::new(report))),
    };
    let providers = crate::resolve::resolve(&checked, &options.specs_root);
    lap("resolve", &mut timings);
    let manifest = layout_manifest(&providers, &options.layout);
    let files = match &options.layout {
        Layout::SingleFile(name) => {
            layout::single_file(&providers, name).map_err(E::from).and_then(sink).map(|file| vec![file])
        }
        Layout::Crate(crate_options) => layout::crate_files_to(&providers, crate_options, sink),
        Layout::Catalogue(catalogue) => layout::catalogue_files_to(&providers, catalogue, sink),
    };
    lap("emit", &mut timings);
    Ok(Generated { files: files.map_err(Failure::Output)?, report, timings, manifest })
}

/// The layout manifest `options.layout` would write for `set` (none for a single file), without
/// emitting any code: which crate, module and feature each service version goes to, for tools that
/// need that before or instead of generating (`cloudspec release` compares two spec trees by crate).
pub fn plan<'s>(set: &'s SpecSet, options: &Options) -> Result<Option<LayoutManifest>, Box<Report<'s>>> {
    let mut report = check::check_with(set, &check_options(&options.layout));
    let Some(checked) = report.take_checked() else { return Err(Box::new(report)) };
    let providers = crate::resolve::resolve(&checked, &options.specs_root);
    Ok(layout_manifest(&providers, &options.layout))
}

/// What checking needs to know of `layout`: a catalogue's budget of actions a crate (the other
/// layouts split nothing).
fn check_options(layout: &Layout) -> CheckOptions {
    let budget = match layout {
        Layout::Catalogue(catalogue) => catalogue.max_actions_per_crate,
        Layout::SingleFile(_) | Layout::Crate(_) => None,
    };
    CheckOptions { max_actions_per_crate: budget }
}

fn layout_manifest(providers: &[crate::ir::ProviderIr], layout: &Layout) -> Option<LayoutManifest> {
    match layout {
        Layout::SingleFile(_) => None,
        Layout::Crate(crate_options) => Some(layout::crate_layout(providers, crate_options)),
        Layout::Catalogue(catalogue) => Some(layout::catalogue_layout(providers, catalogue)),
    }
}

/// [`generate_to`], collecting the files in path order.
pub fn generate<'s>(
    set: &'s SpecSet,
    options: &Options,
) -> Result<(Vec<GeneratedFile>, Report<'s>), Failure<'s, GenerateError>> {
    let mut generated = generate_to(set, options, &Ok)?;
    generated.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((generated.files, generated.report))
}
