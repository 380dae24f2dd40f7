//! The Alibaba import report: what was mapped, skipped, turned into validators, and which defects of the
//! catalogue were made safe. Printed as a summary by the CLI and written in full as JSON or Markdown.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

/// Samples kept per defect kind.
const SAMPLES: usize = 5;

/// Counts with a few examples each, keyed by kind (`dangling-ref`, `example:not-an-integer`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    /// How many times each kind occurred.
    pub counts: BTreeMap<String, usize>,
    /// Up to five occurrences of each kind: `product/version: JSON path`.
    pub samples: BTreeMap<String, Vec<String>>,
}

impl Tally {
    /// Counts one occurrence of `kind`, keeping `at` as a sample while there are few.
    pub fn add(&mut self, kind: &str, at: impl FnOnce() -> String) {
        *self.counts.entry(kind.to_string()).or_default() += 1;
        let samples = self.samples.entry(kind.to_string()).or_default();
        if samples.len() < SAMPLES {
            samples.push(at());
        }
    }

    /// Counts `n` occurrences without a sample.
    pub fn count(&mut self, kind: &str, n: usize) {
        if n > 0 {
            *self.counts.entry(kind.to_string()).or_default() += n;
        }
    }

    /// Adds another tally into this one.
    pub fn merge(&mut self, other: Tally) {
        for (kind, n) in other.counts {
            *self.counts.entry(kind).or_default() += n;
        }
        for (kind, samples) in other.samples {
            let mine = self.samples.entry(kind).or_default();
            mine.extend(samples.into_iter().take(SAMPLES.saturating_sub(mine.len())));
        }
    }

    /// The count of one kind.
    pub fn get(&self, kind: &str) -> usize {
        self.counts.get(kind).copied().unwrap_or(0)
    }

    /// The sum of every count.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }
}

/// An action (or a whole product version) that was not imported, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// `product/version`.
    pub version: String,
    /// The action, or `None` when the whole version was skipped.
    pub action: Option<String>,
    /// The catalogue file.
    pub file: PathBuf,
    /// The JSON path of what could not be mapped.
    pub entry: String,
    /// Why.
    pub reason: String,
}

/// One imported product version.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VersionReport {
    /// Product directory name (`ecs`).
    pub product: String,
    /// API version (`2014-05-26`).
    pub version: String,
    /// Openmeta `info.style` (`RPC`, `ROA`, `V3`, …).
    pub style: String,
    /// The protocol it was mapped to (`alibaba_rpc`, `alibaba_roa`).
    pub protocol: String,
    /// The spec written.
    pub path: PathBuf,
    /// Actions in the catalogue.
    pub apis: usize,
    /// Actions imported.
    pub actions: usize,
    /// Shared types written.
    pub types: usize,
    /// Fields the sensitive rule set marked, and near-misses it left.
    pub sensitive: Vec<crate::sensitive::SensitiveDecision>,
    /// Output examples kept.
    pub examples_kept: usize,
    /// Output examples dropped because `cloudspec check` found them to contradict the spec.
    pub examples_rejected: usize,
    /// Errors `cloudspec check` still reports on the written spec.
    pub remaining_errors: Vec<String>,
}

/// Per Openmeta style: product versions and APIs seen, imported and skipped.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StyleCounts {
    /// Product versions in the input.
    pub versions: usize,
    /// Product versions imported.
    pub versions_imported: usize,
    /// APIs in the input.
    pub apis: usize,
    /// APIs imported.
    pub apis_imported: usize,
}

/// What `cloudspec import alibaba` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AlibabaReport {
    /// Counts by Openmeta style.
    pub styles: BTreeMap<String, StyleCounts>,
    /// Imported product versions, in path order.
    pub versions: Vec<VersionReport>,
    /// Skipped product versions and actions, with the reason.
    pub skipped: Vec<Skipped>,
    /// Constraints turned into validators, by kind (`length`, `pattern`, `range`, `items`, `enum`, `required`).
    pub validators: Tally,
    /// What was mapped, by kind (`object-type`, `map`, `item-node-wrapper`, `response-body-list`, …).
    pub mapped: Tally,
    /// Defects of the catalogue made safe, by kind (`dangling-ref`, `example:not-an-integer`, …).
    pub defects: Tally,
    /// The check's diagnostic codes behind dropped output examples.
    pub rejections: BTreeMap<String, usize>,
    /// Files that could not be imported (unreadable, oversized, not JSON, unmappable), in path order.
    pub failures: Vec<crate::Failure>,
    /// The actions marked paged, and the candidates rejected.
    pub paging: crate::paging::PagingReport,
    /// The numbered parameter families folded into lists, and the groups left flat.
    pub families: super::families::FamilyReport,
}

impl AlibabaReport {
    /// Errors left in the written specs.
    pub fn remaining_errors(&self) -> usize {
        self.versions.iter().map(|v| v.remaining_errors.len()).sum()
    }

    fn total(&self, count: impl Fn(&VersionReport) -> usize) -> usize {
        self.versions.iter().map(count).sum()
    }

    /// A few lines for the terminal.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for (style, c) in &self.styles {
            let _ = writeln!(
                out,
                "{style:>9}: {}/{} product versions, {}/{} APIs imported",
                c.versions_imported, c.versions, c.apis_imported, c.apis
            );
        }
        let skipped_versions = self.skipped.iter().filter(|s| s.action.is_none()).count();
        let _ = writeln!(
            out,
            "imported {} product versions: {} actions, {} types, {} output examples kept, {} rejected by check",
            self.versions.len(),
            self.total(|v| v.actions),
            self.total(|v| v.types),
            self.total(|v| v.examples_kept),
            self.total(|v| v.examples_rejected),
        );
        let _ = writeln!(
            out,
            "skipped {} product versions and {} actions; validators: {}; defects made safe: {}",
            skipped_versions,
            self.skipped.len() - skipped_versions,
            join_counts(&self.validators),
            self.defects.total()
        );
        let (marked, left) = crate::sensitive::counts(self.versions.iter().flat_map(|v| &v.sensitive));
        let _ = writeln!(out, "sensitive fields: {marked} marked, {left} near-misses left");
        let _ = writeln!(out, "{}", self.paging.summary());
        let _ = writeln!(out, "{}", self.families.summary());
        let _ = writeln!(out, "deprecated duplicates renamed: {}", self.mapped.get("deprecated-duplicate-renamed"));
        let _ = writeln!(out, "errors left after check: {}", self.remaining_errors());
        if !self.failures.is_empty() {
            let _ = writeln!(out, "failed: {} file(s) could not be imported", self.failures.len());
        }
        out
    }

    /// The full report as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::from("# Alibaba Cloud Openmeta import\n\n## By style\n\n");
        out.push_str("| style | product versions | imported | APIs | imported |\n|---|---|---|---|---|\n");
        for (style, c) in &self.styles {
            let _ = writeln!(
                out,
                "| {style} | {} | {} | {} | {} |",
                c.versions, c.versions_imported, c.apis, c.apis_imported
            );
        }
        let _ = writeln!(
            out,
            "\nImported {} product versions: {} actions, {} types, {} output examples kept, {} dropped by check, \
             {} errors left.\n",
            self.versions.len(),
            self.total(|v| v.actions),
            self.total(|v| v.types),
            self.total(|v| v.examples_kept),
            self.total(|v| v.examples_rejected),
            self.remaining_errors()
        );
        for (title, tally) in
            [("Validators", &self.validators), ("Mapped", &self.mapped), ("Defects made safe", &self.defects)]
        {
            let _ = writeln!(out, "## {title}\n\n| kind | count | samples |\n|---|---|---|");
            for (kind, n) in &tally.counts {
                let samples = tally.samples.get(kind).map(|s| s.join("<br>")).unwrap_or_default();
                let _ = writeln!(out, "| {kind} | {n} | {} |", samples.replace('|', "\\|"));
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "## Paging\n\n{}: {} offset, {} page number, {} token ({} with several kinds); {} near misses. \
             `--paging-report` lists each one.\n",
            self.paging.marked_count(),
            self.paging.offset,
            self.paging.page_number,
            self.paging.token,
            self.paging.several_kinds,
            self.paging.near_misses.len()
        );
        out.push_str(&self.families.markdown());
        if !self.rejections.is_empty() {
            out.push_str("## Output examples dropped by check\n\n| diagnostic | count |\n|---|---|\n");
            for (code, n) in &self.rejections {
                let _ = writeln!(out, "| {code} | {n} |");
            }
            out.push('\n');
        }
        if !self.failures.is_empty() {
            out.push_str("## Failed\n\n| file | error |\n|---|---|\n");
            for failure in &self.failures {
                let _ = writeln!(
                    out,
                    "| `{}` | {} |",
                    failure.file.display(),
                    failure.error.replace('|', "\\|").replace('\n', " ")
                );
            }
            out.push('\n');
        }
        out.push_str(&crate::sensitive::markdown(
            self.versions
                .iter()
                .flat_map(|v| v.sensitive.iter().map(move |d| (format!("{}/{}", v.product, v.version), d))),
        ));
        out.push_str("\n## Skipped\n\n| version | action | entry | reason |\n|---|---|---|---|\n");
        for s in &self.skipped {
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} |",
                s.version,
                s.action.as_deref().unwrap_or("(all)"),
                s.entry,
                s.reason.replace('|', "\\|")
            );
        }
        out.push_str("\n## Product versions\n\n| version | style | protocol | APIs | actions | types | examples |\n");
        out.push_str("|---|---|---|---|---|---|---|\n");
        for v in &self.versions {
            let _ = writeln!(
                out,
                "| {}/{} | {} | {} | {} | {} | {} | {} |",
                v.product, v.version, v.style, v.protocol, v.apis, v.actions, v.types, v.examples_kept
            );
        }
        out
    }
}

fn join_counts(tally: &Tally) -> String {
    tally.counts.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
}
