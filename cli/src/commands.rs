//! The subcommands: parsing their arguments, running them, printing what they did, and their exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for a usage error (clap uses the same).
const USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "cloudspec",
    version,
    about = "Typed, validated Rust clients for cloud APIs, generated from JSON specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check specs and report every problem; exits 1 when a spec is invalid.
    Check {
        /// Spec files or directories to check.
        #[arg(default_value = "specs")]
        paths: Vec<PathBuf>,
        /// Do not print warnings.
        #[arg(long)]
        quiet: bool,
    },
    /// Generate the client crate from the specs (into `generated/` by default).
    Generate {
        /// The specs directory.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// The crate directory to write.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// Write nothing; print a diff and exit 1 when the directory is not what would be generated.
        #[arg(long)]
        check: bool,
        /// `crate`: one crate with a feature per service version (the repository's `generated/`).
        /// `crate-per-service`: a workspace of crates, one per provider service, for whole catalogues.
        #[arg(long, value_enum, default_value = "crate")]
        layout: Layout,
        /// With `crate-per-service`: the `cloudspec-runtime` dependency, as a version (`0.1`) or a
        /// path to the runtime crate (relative paths are taken from the output directory).
        #[arg(long, default_value = "0.1", value_name = "VERSION|PATH")]
        runtime: String,
        /// With `crate-per-service`: add the hidden `example_probe` modules the catalogue scripts use.
        #[arg(long)]
        example_probe: bool,
    },
    /// Run a local fake of the providers' APIs for every action in the specs.
    Serve {
        /// The specs directory.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// The address to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:0")]
        addr: std::net::SocketAddr,
        /// A JSON file of credentials the fake accepts: `{"<access key id>": "<secret>", …}`.
        /// Without it, the fake accepts `cloudspec-fake-id` / `cloudspec-fake-secret`.
        #[arg(long)]
        credentials: Option<PathBuf>,
        /// Do not enforce the documented rate limits.
        #[arg(long)]
        no_rate_limits: bool,
    },
    /// Compare two spec trees (directories or git revisions) and recommend a semver bump; exits 1 on a
    /// breaking change unless `--allow-breaking`.
    Diff {
        /// The old tree: a directory, or a git revision (`HEAD~1`, `v0.3.0`).
        old: String,
        /// The new tree: a directory, or a git revision.
        new: String,
        /// Where the specs are inside the repository, for git revisions.
        #[arg(long, default_value = "specs")]
        specs_path: PathBuf,
        /// Exit 0 even when a change is breaking.
        #[arg(long)]
        allow_breaking: bool,
    },
    /// Convert a provider's machine-readable catalogue into specs.
    #[command(subcommand)]
    Import(Import),
    /// Write the JSON Schema of the spec format (to `specs/cloudspec.schema.json` by default).
    Schema {
        /// Where to write it; `-` for standard output.
        #[arg(long, default_value = "specs/cloudspec.schema.json")]
        out: PathBuf,
        /// Write nothing; exit 1 when the file differs from what this version generates.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, Subcommand)]
enum Import {
    /// Tencent Cloud: tccli's `tccli/services` directory (`<service>/v<YYYYMMDD>/api.json` + `examples.json`).
    Tencent {
        /// The `tccli/services` directory.
        services: PathBuf,
        /// The specs directory to write `tencentcloud/<service>/<version>.json` into.
        #[arg(long)]
        out: PathBuf,
        /// Import only these services (repeatable); all of them by default.
        #[arg(long = "service", value_name = "NAME")]
        services_only: Vec<String>,
    },
    /// Alibaba Cloud: Openmeta `api-docs.json` files, or directories of `<product>/<version>/api-docs.json`.
    Alibaba {
        /// `api-docs.json` files, `<product>/<version>` directories, or catalogue roots (`en_us`).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The specs directory to write `alibabacloud/<product>/<version>.json` into.
        #[arg(long)]
        out: PathBuf,
        /// Import only these products (repeatable); all of them by default.
        #[arg(long = "product", value_name = "NAME")]
        products: Vec<String>,
        /// Also write the full report: JSON when the file name ends in `.json`, Markdown otherwise.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
}

/// Runs the command line and returns the process's exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { paths, quiet } => check(&paths, quiet),
        Command::Schema { out, check } => schema(&out, check),
        Command::Import(Import::Tencent { services, out, services_only }) => {
            import_tencent(&services, &out, &services_only)
        }
        Command::Import(Import::Alibaba { inputs, out, products, report, quiet }) => {
            import_alibaba(&inputs, &out, &products, report.as_deref(), quiet)
        }
        Command::Generate { specs, out, check, layout, runtime, example_probe } => {
            generate(&specs, &out, check, layout, &runtime, example_probe)
        }
        Command::Diff { old, new, specs_path, allow_breaking } => diff(&old, &new, &specs_path, allow_breaking),
        Command::Serve { specs, addr, credentials, no_rate_limits } => {
            serve(&specs, addr, credentials.as_deref(), !no_rate_limits)
        }
    }
}

fn check(paths: &[PathBuf], quiet: bool) -> ExitCode {
    let set = match cloudspec::load::load(paths) {
        Ok(set) => set,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE);
        }
    };
    let report = cloudspec::check::check(&set);
    let mut stderr = std::io::stderr().lock();
    for diagnostic in &report.diagnostics {
        if quiet && diagnostic.severity == cloudspec::diagnostics::Severity::Warning {
            continue;
        }
        let _ = write!(stderr, "{}", diagnostic.render());
        let _ = writeln!(stderr);
    }
    println!("{}", report.summary_line());
    let code = if report.errors() > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    leave_to_exit(set);
    code
}

/// Lets the process exit reclaim `value`: freeing a whole catalogue's specs or code model one
/// allocation at a time takes a quarter of a second on one thread, for nothing.
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// How `cloudspec generate` lays out what it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Layout {
    /// One crate, a feature per service version.
    Crate,
    /// A workspace with a crate per provider service.
    CratePerService,
}

/// The manifest value of the runtime dependency of catalogue crates, one directory below `out`.
fn runtime_dependency(runtime: &str) -> String {
    let is_version = runtime.chars().next().is_some_and(|c| c.is_ascii_digit() || "^~=<>*".contains(c));
    if is_version {
        return format!("{runtime:?}");
    }
    let path = Path::new(runtime);
    let path = if path.is_absolute() { path.to_path_buf() } else { Path::new("..").join(path) };
    format!("{{ path = {:?} }}", path.display().to_string())
}

fn generate(
    specs: &Path,
    out: &Path,
    check_only: bool,
    layout: Layout,
    runtime: &str,
    example_probe: bool,
) -> ExitCode {
    let mut timer = Timer::from_env();
    let set = match cloudspec::load::load(&[specs.to_path_buf()]) {
        Ok(set) => set,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE);
        }
    };
    timer.lap("load");
    let report = cloudspec::check::check(&set);
    timer.lap("check");
    if report.errors() > 0 {
        let mut stderr = std::io::stderr().lock();
        for diagnostic in report.diagnostics.iter().filter(|d| d.severity == cloudspec::diagnostics::Severity::Error) {
            let _ = writeln!(stderr, "{}", diagnostic.render());
        }
        eprintln!("{}", report.summary_line());
        eprintln!("error: nothing was generated; fix the specs first");
        return ExitCode::FAILURE;
    }
    let providers = cloudspec::resolve::resolve(&set, specs);
    timer.lap("resolve");
    let options = GenerateOptions {
        layout,
        catalogue: cloudspec::layout::CatalogueOptions {
            runtime_dependency: runtime_dependency(runtime),
            example_probe,
        },
    };
    let code = if check_only {
        check_generated(out, &options, &providers, &mut timer)
    } else {
        write_generated(out, &options, &providers, &mut timer)
    };
    leave_to_exit((providers, set));
    code
}

/// What `cloudspec generate` makes of the resolved specs.
struct GenerateOptions {
    layout: Layout,
    catalogue: cloudspec::layout::CatalogueOptions,
}

impl GenerateOptions {
    /// Every file of the chosen layout, each handed to `sink` as soon as it is formatted.
    fn files<T: Send, E: From<cloudspec::layout::GenerateError> + Send>(
        &self,
        providers: &[cloudspec::ir::ProviderIr],
        sink: &cloudspec::layout::Sink<'_, T, E>,
    ) -> Result<Vec<T>, E> {
        match self.layout {
            Layout::Crate => {
                cloudspec::layout::crate_files_to(providers, &cloudspec::layout::CrateOptions::default(), sink)
            }
            Layout::CratePerService => cloudspec::layout::catalogue_files_to(providers, &self.catalogue, sink),
        }
    }
}

/// `--check`: compares what would be generated with `out`, printing a unified diff of each difference.
fn check_generated(
    out: &Path,
    options: &GenerateOptions,
    providers: &[cloudspec::ir::ProviderIr],
    timer: &mut Timer,
) -> ExitCode {
    let files = options.files::<_, cloudspec::layout::GenerateError>(providers, &Ok);
    timer.lap("emit and format");
    let mut files = match files {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
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
/// place; on any failure `out` is left as it was.
fn write_generated(
    out: &Path,
    options: &GenerateOptions,
    providers: &[cloudspec::ir::ProviderIr],
    timer: &mut Timer,
) -> ExitCode {
    let staged = cloudspec::output::Staging::begin(out).map_err(Failed::Write).and_then(|staging| {
        let sink = |file: cloudspec::output::GeneratedFile| staging.add(&file).map_err(Failed::Write);
        let staged = options.files(providers, &sink)?;
        timer.lap("emit and stage");
        let summary = staging.commit(staged).map_err(Failed::Write);
        timer.lap("move into place");
        summary
    });
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
}

fn serve(specs: &Path, address: std::net::SocketAddr, credentials: Option<&Path>, rate_limits: bool) -> ExitCode {
    let set = match cloudspec::load::load(&[specs.to_path_buf()]) {
        Ok(set) => set,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE);
        }
    };
    let mut settings = cloudspec_fake::Settings { rate_limits, ..Default::default() };
    if let Some(path) = credentials {
        let parsed = std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|text| {
            serde_json::from_str::<std::collections::BTreeMap<String, String>>(&text).map_err(|e| e.to_string())
        });
        match parsed {
            Ok(credentials) if !credentials.is_empty() => settings.credentials = credentials,
            Ok(_) => {
                eprintln!("error: {}: no credentials", path.display());
                return ExitCode::from(USAGE);
            }
            Err(error) => {
                eprintln!("error: {}: expected {{\"<access key id>\": \"<secret>\"}}: {error}", path.display());
                return ExitCode::from(USAGE);
            }
        }
    }
    let ids: Vec<String> = settings.credentials.keys().cloned().collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let fake = match cloudspec_fake::FakeCloud::start(&set, address, settings).await {
            Ok(fake) => fake,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        };
        println!("cloudspec serve: listening on {}", fake.url());
        eprintln!("accepting access key id(s): {}", ids.join(", "));
        let _ = std::io::stdout().flush();
        let _ = tokio::signal::ctrl_c().await;
        fake.stop().await;
        ExitCode::SUCCESS
    })
}

/// A spec tree: the directory itself, or `specs_path` at a git revision, extracted into `scratch`.
fn spec_tree(what: &str, specs_path: &Path, scratch: &Path) -> Result<PathBuf, String> {
    let path = Path::new(what);
    if path.is_dir() {
        return Ok(path.to_path_buf());
    }
    let archive = std::process::Command::new("git")
        .args(["archive", "--format=tar", what, "--"])
        .arg(specs_path)
        .output()
        .map_err(|e| format!("`{what}` is not a directory, and git cannot be run: {e}"))?;
    if !archive.status.success() {
        return Err(format!(
            "`{what}` is neither a directory nor a git revision with {}: {}",
            specs_path.display(),
            String::from_utf8_lossy(&archive.stderr).trim()
        ));
    }
    let mut tar = std::process::Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(scratch)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if let Some(mut stdin) = tar.stdin.take() {
        stdin.write_all(&archive.stdout).map_err(|e| format!("cannot extract `{what}`: {e}"))?;
    }
    match tar.wait() {
        Ok(status) if status.success() => Ok(scratch.join(specs_path)),
        _ => Err(format!("cannot extract {} at `{what}`", specs_path.display())),
    }
}

fn diff(old: &str, new: &str, specs_path: &Path, allow_breaking: bool) -> ExitCode {
    let scratch = match (tempfile::tempdir(), tempfile::tempdir()) {
        (Ok(a), Ok(b)) => (a, b),
        _ => {
            eprintln!("error: cannot create a temporary directory");
            return ExitCode::FAILURE;
        }
    };
    let mut sets = Vec::new();
    for (what, dir) in [(old, scratch.0.path()), (new, scratch.1.path())] {
        let loaded =
            spec_tree(what, specs_path, dir).and_then(|tree| cloudspec::load::load(&[tree]).map_err(|e| e.to_string()));
        match loaded {
            Ok(set) => {
                if let Some(problem) =
                    set.diagnostics.iter().find(|d| d.severity == cloudspec::diagnostics::Severity::Error)
                {
                    eprintln!("warning: `{what}` has specs that do not load; they are left out:\n{}", problem.render());
                }
                sets.push(set);
            }
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(USAGE);
            }
        }
    }
    let mut changes = crate::diff::diff(&sets[0], &sets[1]);
    changes.sort_by(|a, b| b.impact.cmp(&a.impact).then(a.location.cmp(&b.location)));
    for change in &changes {
        println!("{change}");
    }
    let count = |impact| changes.iter().filter(|c| c.impact == impact).count();
    let breaking = count(crate::diff::Impact::Breaking);
    println!(
        "{breaking} breaking, {} compatible, {} patch change(s): recommended release: {}",
        count(crate::diff::Impact::Compatible),
        count(crate::diff::Impact::Patch),
        crate::diff::recommendation(&changes)
    );
    if breaking > 0 && !allow_breaking {
        eprintln!("error: breaking changes; pass --allow-breaking to accept them");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn import_tencent(services: &Path, out: &Path, only: &[String]) -> ExitCode {
    let bar = progress("service versions");
    let result =
        cloudspec_import::tencent::import(services, out, only, &|done, total, name| tick(&bar, done, total, name));
    bar.finish_and_clear();
    let report = match result {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    for s in &report.services {
        println!(
            "{} {}: {} actions, {} types ({} enums on {} members), {} examples kept, {} dropped (not JSON), {} dropped (rejected by check), {} errors left",
            s.service,
            s.version,
            s.actions,
            s.types,
            s.enums,
            s.enum_members,
            s.examples_kept,
            s.examples_not_json,
            s.examples_rejected,
            s.remaining_errors.len()
        );
        for error in &s.remaining_errors {
            eprintln!("{error}");
        }
    }
    let mut rejections = std::collections::BTreeMap::new();
    for (code, count) in report.services.iter().flat_map(|s| &s.rejections) {
        *rejections.entry(*code).or_insert(0) += count;
    }
    for (code, count) in rejections {
        println!("examples rejected by check: {count} × {code}");
    }
    println!(
        "imported {} service versions into {}: {} actions, {} types ({} enums from prose on {} members), {} examples kept, {} not JSON, {} rejected, {} error codes from error examples, {} errors left",
        report.services.len(),
        out.display(),
        report.total(|s| s.actions),
        report.total(|s| s.types),
        report.total(|s| s.enums),
        report.total(|s| s.enum_members),
        report.total(|s| s.examples_kept),
        report.total(|s| s.examples_not_json),
        report.total(|s| s.examples_rejected),
        report.total(|s| s.errors_from_examples),
        report.remaining_errors()
    );
    if report.remaining_errors() > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn import_alibaba(
    inputs: &[PathBuf],
    out: &Path,
    products: &[String],
    report_file: Option<&Path>,
    quiet: bool,
) -> ExitCode {
    let bar = if quiet { indicatif::ProgressBar::hidden() } else { progress("product versions") };
    let result =
        cloudspec_import::alibaba::import(inputs, out, products, &|done, total, name| tick(&bar, done, total, name));
    bar.finish_and_clear();
    let report = match result {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    for version in &report.versions {
        for error in &version.remaining_errors {
            eprintln!("{error}");
        }
    }
    print!("{}", report.summary());
    if let Some(file) = report_file {
        let text = if file.extension().is_some_and(|e| e == "json") {
            serde_json::to_string_pretty(&report).map(|t| t + "\n").unwrap_or_default()
        } else {
            report.markdown()
        };
        if let Err(error) = cloudspec::write_atomically(file, text.as_bytes()) {
            eprintln!("error: cannot write {}: {error}", file.display());
            return ExitCode::FAILURE;
        }
        println!("wrote the full report to {}", file.display());
    }
    if report.remaining_errors() > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn schema(out: &Path, check: bool) -> ExitCode {
    let text = cloudspec::spec::json_schema();
    if out.as_os_str() == "-" {
        print!("{text}");
        return ExitCode::SUCCESS;
    }
    if check {
        return match std::fs::read_to_string(out) {
            Ok(current) if current == text => {
                println!("{} is up to date", out.display());
                ExitCode::SUCCESS
            }
            Ok(_) => {
                eprintln!("error: {} is stale; run `cloudspec schema` to regenerate it", out.display());
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", out.display());
                ExitCode::FAILURE
            }
        };
    }
    match cloudspec::write_atomically(out, text.as_bytes()) {
        Ok(()) => {
            println!("wrote {}", out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", out.display());
            ExitCode::FAILURE
        }
    }
}

/// A progress bar over units of `what` on stderr, hidden when stderr is not a terminal (tests, CI, pipes).
fn progress(what: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    let template = format!("{{elapsed_precise}} [{{wide_bar}}] {{pos}}/{{len}} {what} {{msg}}");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Moves a progress bar: the importers report each unit of work done, from any thread.
fn tick(bar: &indicatif::ProgressBar, done: usize, total: usize, name: &str) {
    bar.set_length(total as u64);
    bar.set_position(done as u64);
    bar.set_message(name.to_string());
}

/// Stage timings on stderr when `CLOUDSPEC_TIMINGS` is set: what the catalogue benchmark reports.
struct Timer(Option<std::time::Instant>);

impl Timer {
    fn from_env() -> Timer {
        Timer(std::env::var_os("CLOUDSPEC_TIMINGS").map(|_| std::time::Instant::now()))
    }

    fn lap(&mut self, stage: &str) {
        if let Some(start) = &mut self.0 {
            eprintln!("timing: {stage}: {:.2} s", start.elapsed().as_secs_f64());
            *start = std::time::Instant::now();
        }
    }
}
