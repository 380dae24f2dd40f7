//! The paging report: how many actions each importer marked paged, by kind, each one marked, and each
//! candidate it rejected with why. Printed as a line by the CLI and written in full as JSON or Markdown.

use std::fmt::Write as _;

use serde::Serialize;

use cloudspec::spec::{PageKind, Pagination};

/// What paging detection found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PagingReport {
    /// Actions marked paged by offset.
    pub offset: usize,
    /// Actions marked paged by page number.
    pub page_number: usize,
    /// Actions marked paged by token.
    pub token: usize,
    /// Marked actions with cursors of more than one kind (the one marked is counted by kind).
    pub several_kinds: usize,
    /// Every action marked, in import order.
    pub marked: Vec<Marked>,
    /// Every candidate rejected, with why.
    pub near_misses: Vec<NearMiss>,
}

/// An action marked paged.
#[derive(Debug, Clone, Serialize)]
pub struct Marked {
    /// The service version (`cvm 2017-03-12`).
    pub site: String,
    /// The action.
    pub action: String,
    /// How it pages, in short: `offset Offset/Limit ≤ 100 → InstanceSet, total TotalCount`.
    pub paging: String,
}

impl Marked {
    pub(super) fn new(site: &str, action: &str, paging: &Pagination) -> Marked {
        let kind = kind_name(paging.kind);
        let cursor = paging.cursor_field().unwrap_or_default();
        let mut text = match &paging.page_size {
            Some(size) => format!("{kind} {cursor}/{size}"),
            None => format!("{kind} {cursor}"),
        };
        if let Some(max) = paging.max_page_size {
            let _ = write!(text, " ≤ {max}");
        }
        if let Some(first) = paging.first_page {
            let _ = write!(text, " from page {first}");
        }
        let _ = write!(text, " → {}", paging.items);
        if let Some(total) = &paging.total {
            let _ = write!(text, ", total {total}");
        }
        if let Some(next) = &paging.next_token {
            let _ = write!(text, ", next {next}");
        }
        Marked { site: site.to_string(), action: action.to_string(), paging: text }
    }
}

/// A candidate that was not marked.
#[derive(Debug, Clone, Serialize)]
pub struct NearMiss {
    /// The service version.
    pub site: String,
    /// The action.
    pub action: String,
    /// Why it was not marked, for each kind of cursor it has.
    pub reason: String,
}

fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Offset => "offset",
        PageKind::PageNumber => "page_number",
        PageKind::Token => "token",
    }
}

impl PagingReport {
    pub(super) fn count(&mut self, kind: PageKind, several: bool) {
        match kind {
            PageKind::Offset => self.offset += 1,
            PageKind::PageNumber => self.page_number += 1,
            PageKind::Token => self.token += 1,
        }
        self.several_kinds += usize::from(several);
    }

    /// Adds another report into this one.
    pub fn merge(&mut self, other: PagingReport) {
        self.offset += other.offset;
        self.page_number += other.page_number;
        self.token += other.token;
        self.several_kinds += other.several_kinds;
        self.marked.extend(other.marked);
        self.near_misses.extend(other.near_misses);
    }

    /// Actions marked paged.
    pub fn marked_count(&self) -> usize {
        self.offset + self.page_number + self.token
    }

    /// One line for the terminal.
    pub fn summary(&self) -> String {
        format!(
            "paging: {} actions marked ({} offset, {} page number, {} token; {} with several kinds), {} near misses rejected",
            self.marked_count(),
            self.offset,
            self.page_number,
            self.token,
            self.several_kinds,
            self.near_misses.len()
        )
    }

    /// The whole report as Markdown: counts, then every marked action and every near miss.
    pub fn markdown(&self, title: &str) -> String {
        let mut out = format!("# Paging detected in {title}\n\n{}.\n\n", self.summary());
        out.push_str("| kind | actions |\n|---|---|\n");
        for (kind, n) in [("offset", self.offset), ("page number", self.page_number), ("token", self.token)] {
            let _ = writeln!(out, "| {kind} | {n} |");
        }
        let _ = writeln!(
            out,
            "\n## Near misses ({})\n\n| service | action | why not |\n|---|---|---|",
            self.near_misses.len()
        );
        for miss in &self.near_misses {
            let _ = writeln!(out, "| {} | {} | {} |", miss.site, miss.action, cell(&miss.reason));
        }
        let _ = writeln!(out, "\n## Marked ({})\n\n| service | action | paging |\n|---|---|---|", self.marked.len());
        for marked in &self.marked {
            let _ = writeln!(out, "| {} | {} | {} |", marked.site, marked.action, cell(&marked.paging));
        }
        out
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
