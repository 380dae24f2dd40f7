//! The `cloudspec` command line: `check` and `schema` for now.

use std::io::Write;
use std::path::PathBuf;
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

/// Runs the command line and returns the process's exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { paths, quiet } => check(&paths, quiet),
        Command::Schema { out, check } => schema(&out, check),
    }
}

fn check(paths: &[PathBuf], quiet: bool) -> ExitCode {
    let set = match crate::load::load(paths) {
        Ok(set) => set,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE);
        }
    };
    let report = crate::check::check(&set);
    let mut stderr = std::io::stderr().lock();
    for diagnostic in &report.diagnostics {
        if quiet && diagnostic.severity == crate::diagnostics::Severity::Warning {
            continue;
        }
        let _ = write!(stderr, "{}", diagnostic.render());
        let _ = writeln!(stderr);
    }
    println!("{}", report.summary_line());
    if report.errors() > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn schema(out: &PathBuf, check: bool) -> ExitCode {
    let text = crate::spec::json_schema();
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
    match crate::write_atomically(out, text.as_bytes()) {
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
