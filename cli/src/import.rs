//! `cloudspec import`: run an importer over a provider's catalogue and print what it did.
//!
//! The exit status is 2 when the inputs name nothing to import (as for `check`), 1 when the import could
//! not run, a version failed, or an imported spec still has errors, and 0 otherwise.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cloudspec_import::{Failure, ImportError, Overwrite};

use crate::exit::USAGE;

/// How an import that wrote nothing ends.
fn refused(error: &ImportError) -> ExitCode {
    eprintln!("error: {error}");
    if matches!(error, ImportError::Usage(_)) { ExitCode::from(USAGE) } else { ExitCode::FAILURE }
}

/// Prints the versions that could not be imported, and says whether there were any.
fn report_failures(failures: &[Failure]) -> bool {
    for failure in failures {
        eprintln!("error: not imported: {}", failure.error);
    }
    if !failures.is_empty() {
        eprintln!("error: {} version(s) could not be imported; the others were", failures.len());
    }
    !failures.is_empty()
}

fn overwrite(force: bool) -> Overwrite {
    if force { Overwrite::Any } else { Overwrite::ImportedOnly }
}

/// What `cloudspec import tencent` reads.
pub(crate) enum TencentInput {
    /// One package's `tccli/services`.
    Single(PathBuf),
    /// Both packages', merged.
    Merged { english: PathBuf, chinese: PathBuf },
}

pub(crate) fn import_tencent(
    input: &TencentInput,
    out: &Path,
    only: &[String],
    report_file: Option<&Path>,
    paging_report: Option<&Path>,
    force: bool,
) -> ExitCode {
    let bar = progress("service versions");
    let tick = |done, total, name: &str| tick(&bar, done, total, name);
    let result = match input {
        TencentInput::Single(services) => {
            cloudspec_import::tencent::import(services, out, only, overwrite(force), &tick)
        }
        TencentInput::Merged { english, chinese } => {
            let packages = cloudspec_import::tencent::Packages { english, chinese };
            cloudspec_import::tencent::import_merged(packages, out, only, overwrite(force), &tick)
        }
    };
    bar.finish_and_clear();
    let report = match result {
        Ok(report) => report,
        Err(error) => return refused(&error),
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
        "imported {} service versions into {}: {} actions, {} types ({} enums from prose on {} members, {} required members of shared objects kept), {} examples kept, {} not JSON, {} rejected, {} error codes from error examples, {} errors left",
        report.services.len(),
        out.display(),
        report.total(|s| s.actions),
        report.total(|s| s.types),
        report.total(|s| s.enums),
        report.total(|s| s.enum_members),
        report.total(|s| s.nested_required),
        report.total(|s| s.examples_kept),
        report.total(|s| s.examples_not_json),
        report.total(|s| s.examples_rejected),
        report.total(|s| s.errors_from_examples),
        report.remaining_errors()
    );
    if report.services.iter().any(|s| s.merge.is_some()) {
        print!("{}", cloudspec_import::tencent::merged::summary(&report));
    }
    let (marked, left) = cloudspec_import::sensitive::counts(report.services.iter().flat_map(|s| &s.sensitive));
    println!("sensitive fields: {marked} marked, {left} near-misses left");
    if let Some(file) = report_file {
        let markdown = cloudspec_import::sensitive::markdown(
            report
                .services
                .iter()
                .flat_map(|s| s.sensitive.iter().map(move |d| (format!("{}/{}", s.service, s.version), d))),
        );
        if let Err(e) = std::fs::write(file, format!("# Tencent Cloud import\n\n{markdown}")) {
            eprintln!("error: cannot write the report {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    }
    let paging = report.paging();
    println!("{}", paging.summary());
    if let Some(file) = paging_report {
        if !write_paging_report(file, &paging, "the Tencent Cloud catalogue") {
            return ExitCode::FAILURE;
        }
    }
    let failed = report_failures(&report.failures);
    if report.remaining_errors() > 0 || failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// Writes the paging report, as JSON or Markdown by the file's extension; says whether it could.
fn write_paging_report(file: &Path, paging: &cloudspec_import::paging::PagingReport, title: &str) -> bool {
    let text = if file.extension().is_some_and(|e| e == "json") {
        serde_json::to_string_pretty(paging).map(|t| t + "\n").unwrap_or_default()
    } else {
        paging.markdown(title)
    };
    match cloudspec::write_atomically(file, text.as_bytes()) {
        Ok(()) => {
            println!("wrote the paging report to {}", file.display());
            true
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", file.display());
            false
        }
    }
}

/// What `cloudspec import alibaba` was asked to do.
pub(crate) struct AlibabaRequest<'a> {
    pub(crate) inputs: &'a [PathBuf],
    pub(crate) out: &'a Path,
    pub(crate) products: &'a [String],
    pub(crate) report_file: Option<&'a Path>,
    pub(crate) paging_report: Option<&'a Path>,
    pub(crate) quiet: bool,
    pub(crate) force: bool,
}

pub(crate) fn import_alibaba(request: AlibabaRequest<'_>) -> ExitCode {
    let AlibabaRequest { inputs, out, products, report_file, paging_report, quiet, force } = request;
    let bar = if quiet { indicatif::ProgressBar::hidden() } else { progress("product versions") };
    let result = cloudspec_import::alibaba::import(inputs, out, products, overwrite(force), &|done, total, name| {
        tick(&bar, done, total, name)
    });
    bar.finish_and_clear();
    let report = match result {
        Ok(report) => report,
        Err(error) => return refused(&error),
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
    if let Some(file) = paging_report {
        if !write_paging_report(file, &report.paging, "the Alibaba Cloud catalogue") {
            return ExitCode::FAILURE;
        }
    }
    let failed = report_failures(&report.failures);
    if report.remaining_errors() > 0 || failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
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
