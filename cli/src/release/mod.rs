//! `cloudspec release`: the next release of a catalogue's crates (`generate --layout
//! crate-per-service`), each crate on its own version.
//!
//! It compares the previous release's specs with the new ones ([`crate::diff`]), groups the changes
//! by the crate that holds each service version (both trees laid out by the library's
//! [`cloudspec::plan`], so no generated text is read), raises each changed crate's version by
//! cargo's semver rules ([`bump`]: a breaking change is a minor release before 1.0), and records the
//! new versions and a changelog entry per crate in the release manifest
//! ([`cloudspec::layout::release`]) that `generate --release` reads. Unchanged crates are left alone;
//! crates the manifest does not know yet start at the initial version.

pub mod bump;
pub mod plan;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cloudspec::layout::{CatalogueOptions, LayoutManifest, ReleaseManifest};
use cloudspec::load::SpecSet;

pub use self::plan::{CratePlan, Outcome, apply, plan};
use crate::exit::USAGE;
use crate::trees;

/// What `cloudspec release` was asked to do.
pub(crate) struct Request<'a> {
    /// The new spec tree: a directory or a git revision.
    pub(crate) new: &'a str,
    /// The previous release's spec tree, when there was one.
    pub(crate) previous: Option<&'a str>,
    /// Where the specs are inside the repository, for git revisions.
    pub(crate) specs_path: &'a Path,
    /// The release manifest to read and update.
    pub(crate) manifest: &'a Path,
    /// The version of a crate's first release.
    pub(crate) initial_version: &'a str,
    /// A line for each changelog entry of this release.
    pub(crate) note: Option<&'a str>,
    /// Print the plan; write nothing.
    pub(crate) dry_run: bool,
}

/// Runs `cloudspec release`: prints each crate's release and a summary, and updates the manifest.
pub(crate) fn release(request: Request<'_>) -> ExitCode {
    match run(&request) {
        Ok(code) => code,
        Err(Refused::Usage(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(USAGE)
        }
        Err(Refused::Failed(error)) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Why no release was planned.
enum Refused {
    /// The inputs are not what the command reads (exit status 2).
    Usage(String),
    /// The specs do not generate, or reading or writing failed (exit status 1).
    Failed(String),
}

fn run(request: &Request<'_>) -> Result<ExitCode, Refused> {
    let initial =
        bump::parse(request.initial_version).map_err(|e| Refused::Usage(format!("--initial-version: {e}")))?;
    let mut manifest =
        ReleaseManifest::read(request.manifest).map_err(Refused::Usage)?.unwrap_or_else(ReleaseManifest::new);
    let scratch = (tempfile::tempdir(), tempfile::tempdir());
    let (Ok(new_scratch), Ok(old_scratch)) = scratch else {
        return Err(Refused::Failed("cannot create a temporary directory".into()));
    };
    let (new_tree, new_set) =
        trees::load_tree(request.new, request.specs_path, new_scratch.path()).map_err(Refused::Usage)?;
    let new_layout = layout(&new_set, &new_tree).map_err(|summary| {
        Refused::Failed(format!("the new specs do not pass `cloudspec check`; nothing was released: {summary}"))
    })?;
    let (changes, old_layout) = match request.previous {
        None => (Vec::new(), None),
        Some(previous) => {
            let (old_tree, old_set) =
                trees::load_tree(previous, request.specs_path, old_scratch.path()).map_err(Refused::Usage)?;
            // The previous specs may not pass this version's check; the manifest then says which
            // crate held a service version that is gone.
            let old_layout = layout(&old_set, &old_tree)
                .map_err(|summary| {
                    eprintln!(
                        "warning: the previous specs do not pass `cloudspec check`; the crates of removed service \
                         versions are found through the release manifest: {summary}"
                    );
                })
                .ok();
            (crate::diff::diff(&old_set, &new_set), old_layout)
        }
    };
    let plans = plan(changes, &new_layout, old_layout.as_ref(), &manifest, &initial).map_err(Refused::Failed)?;
    print_plans(&plans);
    if request.dry_run {
        println!("dry run: {} left as it was", request.manifest.display());
        return Ok(ExitCode::SUCCESS);
    }
    apply(&mut manifest, &plans, request.note);
    cloudspec::write_atomically(request.manifest, manifest.to_json().as_bytes())
        .map_err(|e| Refused::Failed(format!("cannot write {}: {e}", request.manifest.display())))?;
    println!(
        "wrote {}; `cloudspec generate --layout crate-per-service --release {}` gives the crates these versions and changelogs",
        request.manifest.display(),
        request.manifest.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The catalogue layout of `set` (whose tree is `tree`), or the check's summary line.
fn layout(set: &SpecSet, tree: &PathBuf) -> Result<LayoutManifest, String> {
    let options = cloudspec::Options::new(cloudspec::Layout::Catalogue(CatalogueOptions::default()), tree);
    match cloudspec::plan(set, &options) {
        Ok(Some(layout)) => Ok(layout),
        Ok(None) => Err("no layout".into()),
        Err(report) => {
            let errors = report.diagnostics.iter().filter(|d| d.severity == cloudspec::diagnostics::Severity::Error);
            let shown: Vec<String> = errors.take(5).map(|d| d.render()).collect();
            Err(format!("{}\n{}", report.summary_line(), shown.join("\n")))
        }
    }
}

/// One line per released or removed crate with its changes counted, then the totals.
fn print_plans(plans: &[CratePlan]) {
    let (mut major, mut minor, mut patch, mut unchanged, mut new, mut removed) = (0, 0, 0, 0, 0, 0);
    for plan in plans {
        let previous = plan.previous.as_ref().map(ToString::to_string).unwrap_or_else(|| "-".into());
        let line = match &plan.outcome {
            Outcome::Unchanged => {
                unchanged += 1;
                continue;
            }
            Outcome::New(version) => {
                new += 1;
                format!("new        {} {version}", plan.package)
            }
            Outcome::Removed => {
                removed += 1;
                format!("removed    {} (last released as {previous})", plan.package)
            }
            Outcome::Bumped { bump, version, .. } => {
                match bump {
                    bump::Bump::Major => major += 1,
                    bump::Bump::Minor => minor += 1,
                    bump::Bump::Patch => patch += 1,
                }
                format!("{bump:<10} {} {previous} → {version}", plan.package)
            }
        };
        let count = |impact| plan.changes.iter().filter(|c| c.impact == impact).count();
        println!(
            "{line}: {} breaking, {} compatible, {} documentation change(s)",
            count(crate::diff::Impact::Breaking),
            count(crate::diff::Impact::Compatible),
            count(crate::diff::Impact::Patch)
        );
    }
    println!(
        "{} crates: {major} major, {minor} minor, {patch} patch, {unchanged} unchanged, {new} new, {removed} removed",
        plans.len()
    );
}
