//! A run over many spec trees: examine each in process, compile the accepted ones in batches, and
//! count and classify what failed. The `spec-fuzz` binary and the `generative` test both drive it.

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use super::classify::{self, Classes, Finding};
use super::compile::ScratchCrate;
use super::examine::{self, Failure, Verdict};
use super::tree::Case;

/// How a run goes.
#[derive(Debug, Clone)]
pub struct Options {
    /// Accepted specs compiled together.
    pub batch: usize,
    /// The time one spec may take in the library before it counts as a hang.
    pub limit: Duration,
    /// Whether accepted specs are compiled at all.
    pub compile: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { batch: 60, limit: Duration::from_secs(10), compile: true }
    }
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Summary {
    /// Spec trees tried.
    pub tried: usize,
    /// Accepted by `check`.
    pub accepted: usize,
    /// Rejected by `check` with a located diagnostic.
    pub rejected: usize,
    /// Accepted, and their code compiled without an error or a warning.
    pub compiled: usize,
    /// Specs with any failure (a spec with several counts once).
    pub failed: usize,
    /// Panics in the library.
    pub panics: usize,
    /// Specs that took longer than the limit.
    pub hangs: usize,
    /// The failing specs: each label with its failure classes.
    pub failures: Vec<(String, Vec<String>)>,
    /// The failure classes.
    pub classes: Classes,
    /// How many rejected specs had an error of each code.
    pub rejections: std::collections::BTreeMap<&'static str, usize>,
    /// Time in the library (load, check, generate).
    pub library_time: Duration,
    /// The slowest spec in the library.
    pub slowest: Duration,
    /// Time compiling.
    pub compile_time: Duration,
}

impl Summary {
    /// The one-line count the binary prints.
    pub fn counts(&self) -> String {
        format!(
            "tried {} / accepted {} / rejected {} / compiled {} / failed {} / panics {} / hangs {}",
            self.tried, self.accepted, self.rejected, self.compiled, self.failed, self.panics, self.hangs
        )
    }

    /// Why specs were rejected: each diagnostic code with the number of specs it rejected.
    pub fn rejection_codes(&self) -> String {
        let mut codes: Vec<(&&str, &usize)> = self.rejections.iter().collect();
        codes.sort_by(|a, b| b.1.cmp(a.1));
        let parts: Vec<String> = codes.iter().map(|(code, n)| format!("{code} {n}")).collect();
        format!("rejected by: {}", parts.join(", "))
    }

    /// The wall times.
    pub fn times(&self) -> String {
        format!(
            "library {:.1} s (slowest spec {:.2} s), compiling {:.1} s",
            self.library_time.as_secs_f64(),
            self.slowest.as_secs_f64(),
            self.compile_time.as_secs_f64()
        )
    }

    fn fail(&mut self, case: &Case, findings: &[Finding], code: Option<&str>) {
        self.failed += 1;
        let mut classes: Vec<String> = Vec::new();
        for finding in findings {
            if !classes.contains(&finding.class) {
                classes.push(finding.class.clone());
            }
        }
        self.failures.push((case.label.clone(), classes));
        self.classes.record(case, findings, code);
    }

    /// Each failing spec on a line, with its failure classes.
    pub fn failing_specs(&self) -> String {
        let lines: Vec<String> =
            self.failures.iter().map(|(label, classes)| format!("{label}\n    {}", classes.join("\n    "))).collect();
        lines.join("\n")
    }
}

/// Runs every case, reporting progress lines to `progress`.
pub fn run(
    cases: impl Iterator<Item = Case>,
    scratch: &ScratchCrate,
    options: &Options,
    progress: &mut dyn FnMut(&str),
) -> io::Result<Summary> {
    let work = tempfile::Builder::new().prefix("spec-fuzz-").tempdir()?;
    let mut summary = Summary::default();
    let mut batch: Vec<Pending> = Vec::new();
    for case in cases {
        summary.tried += 1;
        let examined = examine::examine(&case, work.path(), options.limit);
        summary.library_time += examined.elapsed;
        summary.slowest = summary.slowest.max(examined.elapsed);
        match examined.verdict {
            Verdict::Rejected { mut codes } => {
                summary.rejected += 1;
                codes.sort();
                codes.dedup();
                for code in codes {
                    *summary.rejections.entry(code).or_default() += 1;
                }
            }
            Verdict::Accepted { code, leaks } => {
                summary.accepted += 1;
                let findings: Vec<Finding> = leaks.iter().map(classify::of_leak).collect();
                if options.compile {
                    batch.push(Pending { case, code, findings });
                } else if findings.is_empty() {
                    summary.compiled += 1;
                } else {
                    summary.fail(&case, &findings, Some(&code));
                }
            }
            Verdict::Failed(failure) => {
                match failure {
                    Failure::Panic { .. } => summary.panics += 1,
                    Failure::Hang { .. } => summary.hangs += 1,
                    _ => {}
                }
                // A failure after `check` accepted the spec still counts as accepted.
                summary.accepted += usize::from(is_after_check(&failure));
                summary.fail(&case, &[classify::of_failure(&failure)], None);
                progress(&format!("FAIL {}: {}", case.label, classify::of_failure(&failure).class));
            }
        }
        if batch.len() >= options.batch {
            compile_batch(std::mem::take(&mut batch), scratch, &mut summary, progress)?;
        }
        if summary.tried % 100 == 0 {
            progress(&summary.counts());
        }
    }
    compile_batch(batch, scratch, &mut summary, progress)?;
    Ok(summary)
}

fn is_after_check(failure: &Failure) -> bool {
    match failure {
        Failure::Panic { stage, .. } => *stage >= examine::Stage::SingleFile,
        Failure::GenerateError(_) => true,
        _ => false,
    }
}

/// An accepted spec waiting for its batch to be compiled, with what was already found wrong.
struct Pending {
    case: Case,
    code: String,
    findings: Vec<Finding>,
}

fn compile_batch(
    batch: Vec<Pending>,
    scratch: &ScratchCrate,
    summary: &mut Summary,
    progress: &mut dyn FnMut(&str),
) -> io::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    let units: Vec<&str> = batch.iter().map(|p| p.code.as_str()).collect();
    let outcomes = scratch.check_all(&units)?;
    summary.compile_time += started.elapsed();
    for (pending, issues) in batch.iter().zip(outcomes) {
        let mut findings = pending.findings.clone();
        findings.extend(issues.iter().map(classify::of_issue));
        if findings.is_empty() {
            summary.compiled += 1;
            continue;
        }
        progress(&format!("FAIL {}: {}", pending.case.label, findings[0].class));
        summary.fail(&pending.case, &findings, Some(&pending.code));
    }
    progress(&format!("compiled a batch of {} in {:.1} s", batch.len(), started.elapsed().as_secs_f64()));
    Ok(())
}

/// Writes the summary and the kept examples of every class under `dir`.
pub fn keep(summary: &Summary, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    summary.classes.keep(dir)?;
    let text = format!(
        "{}\n{}\n{}\n\n{}\n\nfailing specs:\n{}\n",
        summary.counts(),
        summary.times(),
        summary.rejection_codes(),
        summary.classes.summary(),
        summary.failing_specs()
    );
    std::fs::write(dir.join("summary.txt"), text)
}

/// Shrinks the smallest example of every class (within `rounds` rounds each) and writes it under
/// `dir/<class>/minimal/`, with its failure and its generated code.
pub fn reduce_classes(
    summary: &Summary,
    scratch: &ScratchCrate,
    options: &Options,
    rounds: usize,
    dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> io::Result<()> {
    let work = tempfile::Builder::new().prefix("spec-fuzz-reduce-").tempdir()?;
    for (key, class) in &summary.classes.classes {
        let Some((case, _, _)) = class.examples.first() else { continue };
        let started = Instant::now();
        let reduced = super::reduce::reduce(case, key, scratch, work.path(), options.limit, rounds)?;
        progress(&format!(
            "reduced {} from {} to {} bytes in {:.1} s: {key}",
            case.label.split(' ').next().unwrap_or_default(),
            case.tree.len(),
            reduced.tree.len(),
            started.elapsed().as_secs_f64()
        ));
        let out = dir.join(classify::slug(key)).join("minimal");
        let _ = std::fs::remove_dir_all(&out);
        reduced.tree.write_to(&out.join("specs"))?;
        let mut text = format!("{}\n{key}\n", reduced.label);
        if let Verdict::Accepted { code, .. } = examine::examine(&reduced, work.path(), options.limit).verdict {
            let issues = scratch.check_all(&[code.as_str()])?.remove(0);
            for issue in issues {
                text.push_str(&format!("\n{}", issue.rendered));
            }
            std::fs::write(out.join("generated.rs"), code)?;
        }
        std::fs::write(out.join("failure.txt"), text)?;
    }
    Ok(())
}
