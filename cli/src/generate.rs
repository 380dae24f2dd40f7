//! `cloudspec generate`: check the specs, lay the code out, and write it (staged, only what changed)
//! or compare it with what is there (`--check`).
//!
//! Before it removes anything from an existing output, `generate` reads the output's layout manifest
//! (`cloudspec-layout.json`): service versions the manifest lists and this run would not generate
//! are removed only when their spec files are gone from the very spec tree the output was generated
//! from. Anything else — another spec tree (`--specs OTHER` with the default `--out`), or an output
//! without a manifest that would lose generated files — is refused unless `--force`.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cloudspec::layout::LayoutManifest;
use cloudspec::layout::manifest::ServiceEntry;

use crate::exit::{USAGE, leave_to_exit};

/// How `cloudspec generate` lays out what it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Layout {
    /// One crate, a feature per service version.
    Crate,
    /// A workspace with a crate per provider service.
    CratePerService,
}

/// The manifest value of the runtime dependency of catalogue crates, one directory below `out`. A
/// path carries the runtime's version too (cloudspec's: they are released together), so the crates
/// can be packaged and published as they are; cargo then takes the runtime from crates.io.
fn runtime_dependency(runtime: &str) -> String {
    let toml_string = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
    let is_version = runtime.chars().next().is_some_and(|c| c.is_ascii_digit() || "^~=<>*".contains(c));
    if is_version {
        return toml_string(runtime);
    }
    let path = Path::new(runtime);
    let path = if path.is_absolute() { path.to_path_buf() } else { Path::new("..").join(path) };
    format!(
        "{{ path = {}, version = {} }}",
        toml_string(&path.display().to_string()),
        toml_string(env!("CARGO_PKG_VERSION"))
    )
}

/// What `cloudspec generate` was asked to do.
pub(crate) struct Request<'a> {
    pub(crate) specs: &'a Path,
    pub(crate) out: &'a Path,
    pub(crate) check_only: bool,
    pub(crate) layout: Layout,
    pub(crate) runtime: &'a str,
    pub(crate) example_probe: bool,
    pub(crate) release: Option<&'a Path>,
    pub(crate) actions_per_file: usize,
    pub(crate) max_actions_per_crate: usize,
    pub(crate) force: bool,
}

pub(crate) fn generate(request: Request<'_>) -> ExitCode {
    let Request {
        specs,
        out,
        check_only,
        layout,
        runtime,
        example_probe,
        release,
        actions_per_file,
        max_actions_per_crate,
        force,
    } = request;
    let release = match (release, layout) {
        (None, _) => None,
        (Some(_), Layout::Crate) => {
            eprintln!(
                "error: --release is for --layout crate-per-service (a crate per service, each with its version)"
            );
            return ExitCode::from(USAGE);
        }
        (Some(path), Layout::CratePerService) => match cloudspec::layout::ReleaseManifest::read(path) {
            Ok(Some(manifest)) => Some(manifest),
            Ok(None) => {
                eprintln!("error: {}: no such release manifest; `cloudspec release` writes one", path.display());
                return ExitCode::from(USAGE);
            }
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(USAGE);
            }
        },
    };
    let mut timer = Timer::from_env();
    let set = match cloudspec::load::load(&[specs.to_path_buf()]) {
        Ok(set) => set,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE);
        }
    };
    timer.lap("load");
    let relative_specs = relative_to(specs, out);
    let layout = match layout {
        Layout::Crate => {
            cloudspec::Layout::Crate(cloudspec::layout::CrateOptions { specs: relative_specs, ..Default::default() })
        }
        Layout::CratePerService => cloudspec::Layout::Catalogue(cloudspec::layout::CatalogueOptions {
            runtime_dependency: runtime_dependency(runtime),
            example_probe,
            specs: relative_specs,
            release,
            action_files: if actions_per_file > 1 {
                cloudspec::layout::ActionFiles::Grouped(actions_per_file)
            } else {
                cloudspec::layout::ActionFiles::PerAction
            },
            max_actions_per_crate: (max_actions_per_crate > 0).then_some(max_actions_per_crate),
            ..Default::default()
        }),
    };
    let options = cloudspec::Options::new(layout, specs);
    let code = if check_only {
        check_generated(&set, out, &options, &mut timer)
    } else {
        write_generated(&set, out, specs, &options, force, &mut timer)
    };
    leave_to_exit(set);
    code
}

/// Prints why nothing was generated: the specs' errors, or what failed while making the files.
fn report_failure<E: std::fmt::Display>(failure: cloudspec::Failure<'_, E>) {
    match failure {
        cloudspec::Failure::Specs(report) => {
            let mut stderr = std::io::stderr().lock();
            let errors = report.diagnostics.iter().filter(|d| d.severity == cloudspec::diagnostics::Severity::Error);
            for diagnostic in errors {
                let _ = writeln!(stderr, "{}", diagnostic.render());
            }
            eprintln!("{}", report.summary_line());
            eprintln!("error: nothing was generated; fix the specs first");
        }
        cloudspec::Failure::Output(error) => eprintln!("error: {error}"),
    }
}

/// What may be removed from an existing output, decided before anything is generated.
#[derive(Debug)]
enum Guard {
    /// Whatever the new files no longer include: `out` is new, its manifest accounts for every
    /// service version it would lose, or `--force`.
    Free,
    /// `out` has no readable manifest (said why): removing any generated file from it is refused.
    Unknown(String),
}

/// Decides what may be removed from `out`, or why nothing may be written to it.
fn removal_guard(out: &Path, specs: &Path, new: &LayoutManifest, force: bool) -> Result<Guard, String> {
    if force || std::fs::symlink_metadata(out).is_err() {
        return Ok(Guard::Free);
    }
    let old = match LayoutManifest::read(out) {
        Ok(Some(old)) => old,
        Ok(None) => return Ok(Guard::Unknown(format!("it has no {}", cloudspec::layout::LAYOUT_FILE))),
        Err(error) => return Ok(Guard::Unknown(format!("its layout manifest is unreadable ({error})"))),
    };
    let old_specs = out.join(&old.specs);
    let same_tree = match (std::fs::canonicalize(&old_specs), std::fs::canonicalize(specs)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let kept: HashSet<String> = new.services.iter().map(|s| s.id()).collect();
    // A service version whose spec file is gone from the tree the output came from was deleted
    // on purpose; any other is lost only because this run reads other specs.
    let lost: Vec<&ServiceEntry> = old
        .services
        .iter()
        .filter(|s| !kept.contains(&s.id()))
        .filter(|s| !same_tree || old_specs.join(&s.spec).exists())
        .collect();
    if lost.is_empty() {
        return Ok(Guard::Free);
    }
    let why = if same_tree {
        format!("their specs are still in {}, but this run does not generate them", specs.display())
    } else {
        format!(
            "its {} says it was generated from `{}` (relative to it), not from {}",
            cloudspec::layout::LAYOUT_FILE,
            old.specs,
            specs.display()
        )
    };
    let mut message = format!(
        "refusing to remove {} generated service version{} from {}: {why}:",
        lost.len(),
        if lost.len() == 1 { "" } else { "s" },
        out.display()
    );
    for service in &lost {
        let lib = service.package.replace('-', "_");
        message.push_str(&format!("\n  {} (`{lib}::{}`, from {})", service.id(), service.module, service.spec));
    }
    message.push_str(&format!(
        "\nto generate {} somewhere else, pass --out DIR; to make {} hold only what {} generates, pass --force",
        specs.display(),
        out.display(),
        specs.display()
    ));
    Err(message)
}

/// `path` as seen from the directory `from` (which may not exist yet), with `/` separators: how the
/// layout manifest records the spec tree, so it reads the same wherever the command runs from.
fn relative_to(path: &Path, from: &Path) -> String {
    let fallback = || path.display().to_string().replace('\\', "/");
    let (Some(path), Some(from)) = (resolved(path), resolved(from)) else { return fallback() };
    let common = path.components().zip(from.components()).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return fallback();
    }
    let mut parts: Vec<String> = from.components().skip(common).map(|_| "..".to_string()).collect();
    parts.extend(path.components().skip(common).map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() { ".".into() } else { parts.join("/") }
}

/// The absolute path with links resolved, for a path that may not exist yet: its deepest existing
/// ancestor resolved, the rest appended.
fn resolved(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return Some(rest.iter().rev().fold(real, |path, name| path.join(name)));
        }
        rest.push(existing.file_name()?);
        existing = existing.parent()?;
    }
}

/// `--check`: compares what would be generated with `out`, printing a unified diff of each difference.
fn check_generated(
    set: &cloudspec::load::SpecSet,
    out: &Path,
    options: &cloudspec::Options,
    timer: &mut Timer,
) -> ExitCode {
    let generated = match cloudspec::generate_to::<_, cloudspec::layout::GenerateError>(set, options, &Ok) {
        Ok(generated) => generated,
        Err(failure) => {
            report_failure(failure);
            return ExitCode::FAILURE;
        }
    };
    timer.stages(&generated.timings);
    let mut files = generated.files;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    match cloudspec::output::drift(out, &files) {
        Ok(drift) if drift.is_empty() => {
            println!("{} is up to date ({} files)", out.display(), files.len());
            ExitCode::SUCCESS
        }
        Ok(drift) => {
            for item in &drift {
                match item {
                    cloudspec::output::Drift::Missing(path) => println!("missing: {}", path.display()),
                    cloudspec::output::Drift::Stale(path) => println!("no longer generated: {}", path.display()),
                    cloudspec::output::Drift::Changed { path, current, generated } => {
                        let name = path.display().to_string();
                        let diff = similar::TextDiff::from_lines(current, generated)
                            .unified_diff()
                            .context_radius(3)
                            .header(&format!("a/{name}"), &format!("b/{name}"))
                            .to_string();
                        print!("{diff}");
                    }
                }
            }
            eprintln!("error: {} is stale ({} files differ); run `cloudspec generate`", out.display(), drift.len());
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: cannot compare with {}: {error}", out.display());
            ExitCode::FAILURE
        }
    }
}

/// Generates and writes: each file is staged as soon as it is formatted, then everything moves into
/// place — unless the output would lose what it may not (see [`removal_guard`]); on any failure `out`
/// is left as it was.
fn write_generated(
    set: &cloudspec::load::SpecSet,
    out: &Path,
    specs: &Path,
    options: &cloudspec::Options,
    force: bool,
    timer: &mut Timer,
) -> ExitCode {
    let staging = match cloudspec::output::Staging::begin(out) {
        Ok(staging) => staging,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("error: {} was left as it was", out.display());
            return ExitCode::FAILURE;
        }
    };
    let sink = |file: cloudspec::output::GeneratedFile| staging.add(&file).map_err(Failed::Write);
    let generated = match cloudspec::generate_to(set, options, &sink) {
        Ok(generated) => generated,
        Err(failure) => {
            report_failure(failure);
            eprintln!("error: {} was left as it was", out.display());
            return ExitCode::FAILURE;
        }
    };
    timer.stages(&generated.timings);
    let guard = match generated.manifest.as_ref().map(|manifest| removal_guard(out, specs, manifest, force)) {
        Some(Err(refusal)) => {
            eprintln!("error: {refusal}");
            return ExitCode::FAILURE;
        }
        Some(Ok(guard)) => guard,
        None => Guard::Free,
    };
    let staged = (|| {
        if let Guard::Unknown(why) = &guard {
            let stale = staging.stale(&generated.files).map_err(Failed::Write)?;
            if !stale.is_empty() {
                return Err(Failed::Unknown { out: out.to_path_buf(), why: why.clone(), stale });
            }
        }
        let summary = staging.commit(generated.files).map_err(Failed::Write);
        timer.lap("move into place");
        summary
    })();
    match staged {
        Ok(summary) => {
            // A whole catalogue changes by thousands of files: show the start, count the rest.
            const SHOWN: usize = 40;
            let lines = cloudspec::output::describe(&summary);
            for line in lines.iter().take(SHOWN) {
                println!("{line}");
            }
            if lines.len() > SHOWN {
                println!("… and {} more changes", lines.len() - SHOWN);
            }
            println!(
                "generated {} files into {}: {} created, {} updated, {} removed, {} unchanged",
                summary.created.len() + summary.updated.len() + summary.unchanged,
                out.display(),
                summary.created.len(),
                summary.updated.len(),
                summary.removed.len(),
                summary.unchanged
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("error: {} was left as it was", out.display());
            ExitCode::FAILURE
        }
    }
}

/// Why `cloudspec generate` wrote nothing.
#[derive(Debug, thiserror::Error)]
enum Failed {
    #[error(transparent)]
    Generate(#[from] cloudspec::layout::GenerateError),
    #[error(transparent)]
    Write(cloudspec::output::WriteError),
    /// Generated files would be removed from an output that does not say where it came from.
    #[error(
        "refusing to remove {} generated file{} from {}: {why}, so cloudspec cannot tell which specs they came from: {}{}; pass --force to remove them",
        stale.len(),
        if stale.len() == 1 { "" } else { "s" },
        out.display(),
        stale.iter().take(10).map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        if stale.len() > 10 { ", …" } else { "" }
    )]
    Unknown { out: PathBuf, why: String, stale: Vec<PathBuf> },
}

/// Stage timings on stderr when `CLOUDSPEC_TIMINGS` is set: what the catalogue benchmark reports.
struct Timer(Option<std::time::Instant>);

impl Timer {
    fn from_env() -> Timer {
        Timer(std::env::var_os("CLOUDSPEC_TIMINGS").map(|_| std::time::Instant::now()))
    }

    /// Prints the stages the library timed.
    fn stages(&mut self, stages: &[(&str, std::time::Duration)]) {
        if let Some(start) = &mut self.0 {
            for (stage, took) in stages {
                eprintln!("timing: {stage}: {:.2} s", took.as_secs_f64());
            }
            *start = std::time::Instant::now();
        }
    }

    fn lap(&mut self, stage: &str) {
        if let Some(start) = &mut self.0 {
            eprintln!("timing: {stage}: {:.2} s", start.elapsed().as_secs_f64());
            *start = std::time::Instant::now();
        }
    }
}
