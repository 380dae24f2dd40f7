//! The subcommands: parsing their arguments, running them, printing what they did, and their exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::catalogue_examples::{self, Provider, Refused};
use crate::exit::{USAGE, leave_to_exit};
use crate::generate::{self, Layout};
use crate::import::{AlibabaRequest, TencentInput, import_alibaba, import_tencent};
use crate::trees;

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
        #[command(flatten)]
        budget: CrateBudget,
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
        /// With `crate-per-service`: add the hidden `example_probe` modules, and the `catalogue-probe`
        /// crate that calls them, which the catalogue scripts use.
        #[arg(long)]
        example_probe: bool,
        /// With `crate-per-service`: the release manifest (`cloudspec release` keeps it) that gives
        /// each crate its version and `CHANGELOG.md`; without it every crate gets cloudspec's version.
        #[arg(long, value_name = "FILE")]
        release: Option<PathBuf>,
        /// With `crate-per-service`: how many actions' modules go in one file (0 or 1: a file per
        /// action). Module paths are the same either way.
        #[arg(long, value_name = "N", default_value_t = cloudspec::layout::ACTIONS_PER_FILE)]
        actions_per_file: usize,
        #[command(flatten)]
        budget: CrateBudget,
        /// Remove generated service versions that these specs do not have even when the output was
        /// generated from another spec tree (its `cloudspec-layout.json` says which) or does not say.
        #[arg(long)]
        force: bool,
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
        /// Answer every paged action from a list of this many items (its pages honour offsets, page
        /// numbers, tokens and page sizes); without it, paged actions answer with their documented example
        /// unless `POST /_cloudspec/lists` sets their list.
        #[arg(long, value_name = "N")]
        list_length: Option<usize>,
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
    /// Plan the next release of a catalogue's crates (`generate --layout crate-per-service`): compare
    /// the previous release's specs with the new ones, raise each changed crate's version by cargo's
    /// semver rules (before 1.0 a breaking change raises the minor part, anything else the patch
    /// part), add a changelog entry per crate, and update the release manifest that
    /// `generate --release` reads. Unchanged crates are left alone.
    Release {
        /// The new spec tree: a directory, or a git revision.
        #[arg(default_value = "specs")]
        new: String,
        /// The previous release's spec tree: a directory, or a git revision (`v2026.01`). Without
        /// it, only the crates the manifest does not know yet are added, at --initial-version.
        #[arg(long)]
        previous: Option<String>,
        /// Where the specs are inside the repository, for git revisions.
        #[arg(long, default_value = "specs")]
        specs_path: PathBuf,
        /// The release manifest to read and update.
        #[arg(long, default_value = "cloudspec-release.json", value_name = "FILE")]
        manifest: PathBuf,
        /// The version of a crate's first release.
        #[arg(long, default_value = "0.1.0", value_name = "VERSION")]
        initial_version: String,
        /// A line for each changelog entry of this release (`tccli-intl-en 3.1.200.1`).
        #[arg(long)]
        note: Option<String>,
        /// Print the plan; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Convert a provider's machine-readable catalogue into specs.
    #[command(subcommand)]
    Import(Import),
    /// Write the official output examples of a catalogue as JSON lines, each with the generated crate
    /// and module that should decode it (for `scripts/catalogue/run probe`; not a user command).
    #[command(hide = true)]
    CatalogueExamples {
        /// Whose catalogue.
        #[arg(value_enum)]
        provider: Provider,
        /// The catalogue: tccli's `tccli/services`, or Openmeta's `en_us`.
        catalogue: PathBuf,
        /// Tencent: the Chinese package's `tccli/services`, merged with CATALOGUE (the English package's)
        /// as `import tencent --english CATALOGUE --chinese DIR` merges them.
        #[arg(long, value_name = "DIR")]
        chinese: Option<PathBuf>,
        /// The generated catalogue (`generate --layout crate-per-service`), whose layout manifest
        /// and specs say which crate holds each service version.
        #[arg(long)]
        layout: PathBuf,
        /// The JSON-lines file to write.
        #[arg(long)]
        out: PathBuf,
        /// Only these services (Tencent) or products (Alibaba); repeatable.
        #[arg(long = "service", value_name = "NAME")]
        services: Vec<String>,
    },
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

/// The catalogue's budget of actions a crate, which `check` and `generate` take alike: `check`
/// refuses a service whose crate would take the name of a crate behind a split one.
#[derive(Debug, clap::Args)]
struct CrateBudget {
    /// With `crate-per-service`: a service with more actions than this becomes several crates
    /// (its users' crate, unchanged for them, re-exporting a crate of shared types and part
    /// crates of at most N actions each), so that no rustc compiles too many at once. 0: never.
    /// `check` refuses a service whose crate would take one of their names.
    #[arg(long, value_name = "N", default_value_t = cloudspec::layout::MAX_ACTIONS_PER_CRATE)]
    max_actions_per_crate: usize,
}

#[derive(Debug, Subcommand)]
enum Import {
    /// Tencent Cloud: tccli's `tccli/services` directory (`<service>/v<YYYYMMDD>/api.json` + `examples.json`),
    /// or both packages' (`--english` and `--chinese`) merged into one catalogue.
    Tencent {
        /// The `tccli/services` directory of one package, imported as it is.
        #[arg(required_unless_present = "english", conflicts_with_all = ["english", "chinese"])]
        services: Option<PathBuf>,
        /// The English package's (`tccli-intl-en`) `tccli/services`: merged with `--chinese`, its texts
        /// are used wherever it has them.
        #[arg(long, value_name = "DIR", requires = "chinese")]
        english: Option<PathBuf>,
        /// The Chinese package's (`tccli`) `tccli/services`: merged with `--english`, it gives the service
        /// versions, actions and members the English one lacks, their Chinese texts, and the twins that
        /// repair English output examples that are not JSON.
        #[arg(long, value_name = "DIR", requires = "english")]
        chinese: Option<PathBuf>,
        /// The specs directory to write `tencentcloud/<service>/<version>.json` into.
        #[arg(long)]
        out: PathBuf,
        /// Import only these services (repeatable); all of them by default.
        #[arg(long = "service", value_name = "NAME")]
        services_only: Vec<String>,
        /// Also write the report of decisions made by rule (the fields marked sensitive), as Markdown.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Also write the paging report: every action marked paged, every near miss rejected and why (JSON
        /// when the file name ends in `.json`, Markdown otherwise).
        #[arg(long, value_name = "FILE")]
        paging_report: Option<PathBuf>,
        /// Overwrite existing specs that no importer wrote (hand-written ones, without `imported_from`).
        #[arg(long)]
        force: bool,
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
        /// Also write the paging report: every action marked paged, every near miss rejected and why (JSON
        /// when the file name ends in `.json`, Markdown otherwise).
        #[arg(long, value_name = "FILE")]
        paging_report: Option<PathBuf>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// Overwrite existing specs that no importer wrote (hand-written ones, without `imported_from`).
        #[arg(long)]
        force: bool,
    },
}

/// Runs the command line and returns the process's exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { paths, quiet, budget } => check(&paths, quiet, budget.max_actions_per_crate),
        Command::Schema { out, check } => schema(&out, check),
        Command::Import(Import::Tencent {
            services,
            english,
            chinese,
            out,
            services_only,
            report,
            paging_report,
            force,
        }) => {
            let input = match (services, english, chinese) {
                (_, Some(english), Some(chinese)) => TencentInput::Merged { english, chinese },
                (Some(services), _, _) => TencentInput::Single(services),
                // clap requires the directory or both packages.
                _ => return ExitCode::from(crate::exit::USAGE),
            };
            import_tencent(&input, &out, &services_only, report.as_deref(), paging_report.as_deref(), force)
        }
        Command::Import(Import::Alibaba { inputs, out, products, report, paging_report, quiet, force }) => {
            import_alibaba(AlibabaRequest {
                inputs: &inputs,
                out: &out,
                products: &products,
                report_file: report.as_deref(),
                paging_report: paging_report.as_deref(),
                quiet,
                force,
            })
        }
        Command::Generate {
            specs,
            out,
            check,
            layout,
            runtime,
            example_probe,
            release,
            actions_per_file,
            budget: CrateBudget { max_actions_per_crate },
            force,
        } => generate::generate(generate::Request {
            specs: &specs,
            out: &out,
            check_only: check,
            layout,
            runtime: &runtime,
            example_probe,
            release: release.as_deref(),
            actions_per_file,
            max_actions_per_crate,
            force,
        }),
        Command::CatalogueExamples { provider, catalogue, chinese, layout, out, services } => {
            let request = catalogue_examples::Request {
                provider,
                catalogue: &catalogue,
                chinese: chinese.as_deref(),
                layout: &layout,
                out: &out,
                only: &services,
            };
            match catalogue_examples::catalogue_examples(request) {
                Ok(summary) => {
                    println!("{summary}");
                    ExitCode::SUCCESS
                }
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
        Command::Release { new, previous, specs_path, manifest, initial_version, note, dry_run } => {
            crate::release::release(crate::release::Request {
                new: &new,
                previous: previous.as_deref(),
                specs_path: &specs_path,
                manifest: &manifest,
                initial_version: &initial_version,
                note: note.as_deref(),
                dry_run,
            })
        }
        Command::Diff { old, new, specs_path, allow_breaking } => diff(&old, &new, &specs_path, allow_breaking),
        Command::Serve { specs, addr, credentials, list_length, no_rate_limits } => {
            serve(&specs, addr, credentials.as_deref(), list_length, !no_rate_limits)
        }
    }
}

fn check(paths: &[PathBuf], quiet: bool, max_actions_per_crate: usize) -> ExitCode {
    let set = match cloudspec::load::load(paths) {
        Ok(set) => set,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE);
        }
    };
    let options = cloudspec::check::CheckOptions::with_budget(max_actions_per_crate);
    let report = cloudspec::check::check_with(&set, &options);
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

fn serve(
    specs: &Path,
    address: std::net::SocketAddr,
    credentials: Option<&Path>,
    list_length: Option<usize>,
    rate_limits: bool,
) -> ExitCode {
    let set = match cloudspec::load::load(&[specs.to_path_buf()]) {
        Ok(set) => set,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE);
        }
    };
    let mut settings = cloudspec_fake::Settings { rate_limits, list_length, ..Default::default() };
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
        match trees::load_tree(what, specs_path, dir) {
            Ok((_, set)) => sets.push(set),
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
    // The recommendation is for a crate at 1.0 or later; cargo reads 0.x versions one place lower.
    match crate::diff::recommendation(&changes) {
        "major" => println!("(before 1.0: a minor release; `cloudspec release` applies cargo's rules crate by crate)"),
        "minor" => println!("(before 1.0: a patch release; `cloudspec release` applies cargo's rules crate by crate)"),
        _ => {}
    }
    if breaking > 0 && !allow_breaking {
        eprintln!("error: breaking changes; pass --allow-breaking to accept them");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
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
