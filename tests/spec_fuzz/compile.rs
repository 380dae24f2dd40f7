//! Compiles generated code in batches: many specs' code become modules of ONE scratch crate (each
//! `include!`d into its own `pub mod m_<n>`, as a build script's user includes it), checked with
//! `cargo check --lib --tests --message-format=json` against the repository's runtime. Every error
//! and every warning is mapped back to its spec by the file it points into.
//!
//! rustc stops before its late lints when a crate has errors, so after a failing round the specs
//! it blamed for errors are set aside and the rest checked again, until a round passes (a spec with
//! warnings only stays in, so all its warnings are seen); messages that point at no spec's file are
//! found by bisection. The scratch crate's target directory persists
//! (`$CARGO_TARGET_DIR/spec-fuzz/target`, else `target/spec-fuzz/target`), so the runtime and its
//! dependencies are compiled once, not per run.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// One rustc message about one spec's code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Issue {
    /// `error` or `warning`.
    pub level: String,
    /// `E0428`, a lint name, or empty.
    pub code: String,
    /// The message's first line.
    pub message: String,
    /// The source line of the primary span (the generated construct), trimmed.
    pub construct: String,
    /// rustc's rendering, with the spans and notes.
    pub rendered: String,
}

/// A crate whose modules are generated files, and the target directory it is checked in.
#[derive(Debug, Clone)]
pub struct ScratchCrate {
    dir: PathBuf,
    target: PathBuf,
}

/// The repository root (the parent of this crate's manifest directory).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or_else(|| manifest.to_path_buf())
}

/// `$CARGO_TARGET_DIR/spec-fuzz` (relative to the repository when relative), else `target/spec-fuzz`.
pub fn state_dir() -> PathBuf {
    let repo = repo_root();
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => repo.join(dir),
        None => repo.join("target"),
    };
    target.join("spec-fuzz")
}

impl ScratchCrate {
    /// The scratch crate `name` under [`state_dir`], with its manifest and the repository's lock file.
    pub fn create(name: &str) -> io::Result<ScratchCrate> {
        let state = state_dir();
        let dir = state.join(name);
        std::fs::create_dir_all(dir.join("src"))?;
        let runtime = repo_root().join("runtime");
        let manifest = format!(
            "# Written by the spec fuzzer (tests/spec_fuzz/compile.rs).\n\
             [package]\nname = \"spec-fuzz-scratch\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncloudspec-runtime = {{ path = {:?} }}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n\n\
             [workspace]\n",
            runtime.display().to_string()
        );
        std::fs::write(dir.join("Cargo.toml"), manifest)?;
        // The repository's versions, so nothing is resolved (or downloaded) anew.
        std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock"))?;
        Ok(ScratchCrate { dir, target: state.join("target") })
    }

    /// The crate's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Checks `units` (generated files) together and returns each one's issues; `Ok` with an empty list
    /// for a unit whose code is clean.
    pub fn check_all(&self, units: &[&str]) -> io::Result<Vec<Vec<Issue>>> {
        let mut outcome: Vec<Option<Vec<Issue>>> = vec![None; units.len()];
        self.settle(units, (0..units.len()).collect(), &mut outcome)?;
        // An error without a code ("cannot determine resolution for the derive macro …: import
        // resolution is stuck") can come from another module of the crate: such a unit is checked
        // again alone, and that verdict stands.
        let suspects: Vec<usize> = (0..units.len())
            .filter(|u| outcome[*u].iter().flatten().any(|i| i.level == "error" && i.code.is_empty()))
            .collect();
        for unit in suspects {
            outcome[unit] = None;
            self.settle(units, vec![unit], &mut outcome)?;
        }
        Ok(outcome.into_iter().map(Option::unwrap_or_default).collect())
    }

    fn settle(&self, units: &[&str], mut active: Vec<usize>, outcome: &mut [Option<Vec<Issue>>]) -> io::Result<()> {
        while !active.is_empty() {
            let round = self.check_round(units, &active)?;
            for (unit, issues) in &round.blamed {
                let known = outcome[*unit].get_or_insert_with(Vec::new);
                for issue in issues {
                    if !known.contains(issue) {
                        known.push(issue.clone());
                    }
                }
            }
            if round.success {
                if !round.unattributed.is_empty() {
                    return Err(harness_error("warnings outside any spec's code", &round.unattributed));
                }
                for unit in &active {
                    outcome[*unit].get_or_insert_with(Vec::new);
                }
                return Ok(());
            }
            // Units with errors are set aside; units with warnings only stay, so the late lints rustc
            // skips on a crate with errors get their turn once the errors are gone.
            let erring: Vec<usize> = round
                .blamed
                .iter()
                .filter(|(_, issues)| issues.iter().any(|i| i.level == "error"))
                .map(|(unit, _)| *unit)
                .collect();
            if !erring.is_empty() {
                active.retain(|u| !erring.contains(u));
                continue;
            }
            // Errors that point at no spec's file: find their spec by halves.
            if active.len() == 1 {
                outcome[active[0]].get_or_insert_with(Vec::new).extend(round.unattributed);
                return Ok(());
            }
            let second = active.split_off(active.len() / 2);
            self.settle(units, active, outcome)?;
            return self.settle(units, second, outcome);
        }
        Ok(())
    }

    fn check_round(&self, units: &[&str], active: &[usize]) -> io::Result<Round> {
        let src = self.dir.join("src");
        for entry in std::fs::read_dir(&src)? {
            let path = entry?.path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("spec_")) {
                std::fs::remove_file(path)?;
            }
        }
        let mut lib = String::from(
            "//! Generated code of the spec fuzzer's specs, one module each.\n#![warn(missing_docs)]\n#![forbid(unsafe_code)]\n",
        );
        for unit in active {
            std::fs::write(src.join(format!("spec_{unit}.rs")), units[*unit])?;
            lib.push_str(&format!("/// Spec {unit}.\npub mod m_{unit} {{\n    include!(\"spec_{unit}.rs\");\n}}\n"));
        }
        std::fs::write(src.join("lib.rs"), &lib)?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["check", "--lib", "--tests", "--offline", "--message-format=json", "--manifest-path"])
            .arg(self.dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&self.target)
            .env("CARGO_INCREMENTAL", "0");
        for name in
            ["CARGO_MANIFEST_DIR", "CARGO_MANIFEST_PATH", "CARGO_PRIMARY_PACKAGE", "CARGO_CRATE_NAME", "OUT_DIR"]
        {
            command.env_remove(name);
        }
        let output = command.output()?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut round = Round { success: false, blamed: BTreeMap::new(), unattributed: Vec::new() };
        let lib_lines = module_lines(&lib);
        for line in stdout.lines() {
            let Ok(value) = serde_json::from_str::<Value>(line) else { continue };
            match value["reason"].as_str() {
                Some("build-finished") => round.success = value["success"].as_bool().unwrap_or(false),
                Some("compiler-message") if value["target"]["name"] == "spec_fuzz_scratch" => {
                    let message = &value["message"];
                    let Some(issue) = issue_of(message) else { continue };
                    let unit = unit_of(message, &lib_lines);
                    let issues = match unit {
                        Some(unit) => round.blamed.entry(unit).or_default(),
                        None => &mut round.unattributed,
                    };
                    if !issues.contains(&issue) {
                        issues.push(issue);
                    }
                }
                _ => {}
            }
        }
        if !round.success && round.blamed.is_empty() && round.unattributed.is_empty() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(io::Error::other(format!("cargo check failed without compiler messages:\n{stderr}")));
        }
        Ok(round)
    }
}

struct Round {
    success: bool,
    blamed: BTreeMap<usize, Vec<Issue>>,
    unattributed: Vec<Issue>,
}

fn harness_error(what: &str, issues: &[Issue]) -> io::Error {
    let text: Vec<&str> = issues.iter().map(|i| i.rendered.as_str()).collect();
    io::Error::other(format!("{what}:\n{}", text.join("\n")))
}

/// The message as an issue, or `None` for rustc's summaries ("aborting due to …", "N warnings emitted").
fn issue_of(message: &Value) -> Option<Issue> {
    let level = message["level"].as_str()?;
    if !matches!(level, "error" | "warning") {
        return None;
    }
    let text = message["message"].as_str().unwrap_or_default();
    let spans = message["spans"].as_array().map(Vec::as_slice).unwrap_or_default();
    if spans.is_empty()
        && (text.starts_with("aborting due to")
            || text.contains("warning emitted")
            || text.contains("warnings emitted"))
    {
        return None;
    }
    let primary = spans.iter().find(|s| s["is_primary"] == true).or(spans.first());
    let construct = primary
        .and_then(|s| s["text"].as_array())
        .and_then(|t| t.first())
        .and_then(|t| t["text"].as_str())
        .unwrap_or_default()
        .trim()
        .to_string();
    Some(Issue {
        level: level.to_string(),
        code: message["code"]["code"].as_str().unwrap_or_default().to_string(),
        message: text.lines().next().unwrap_or_default().to_string(),
        construct,
        rendered: message["rendered"].as_str().unwrap_or_default().to_string(),
    })
}

/// For each `pub mod m_<n>` of the scratch `lib.rs`, its lines and unit.
fn module_lines(lib: &str) -> Vec<(usize, usize)> {
    lib.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let unit = line.strip_prefix("pub mod m_")?.split(' ').next()?.parse().ok()?;
            Some((i + 1, unit))
        })
        .collect()
}

/// The unit a message is about: the `spec_<n>.rs` its spans (or their macro expansions, or its
/// children's spans) point into, else the module of `lib.rs` it points at.
fn unit_of(message: &Value, lib_lines: &[(usize, usize)]) -> Option<usize> {
    let mut spans: Vec<&Value> = Vec::new();
    collect_spans(message, &mut spans);
    for span in &spans {
        let file = span["file_name"].as_str().unwrap_or_default();
        let name = Path::new(file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(unit) = name.strip_prefix("spec_").and_then(|n| n.strip_suffix(".rs")).and_then(|n| n.parse().ok())
        {
            return Some(unit);
        }
    }
    for span in &spans {
        if span["file_name"].as_str().is_some_and(|f| f.ends_with("lib.rs")) {
            let line = span["line_start"].as_u64().unwrap_or(0) as usize;
            // A module's declaration is three lines: `pub mod`, `include!`, `}`.
            if let Some((_, unit)) = lib_lines.iter().find(|(start, _)| (*start..*start + 3).contains(&line)) {
                return Some(*unit);
            }
        }
    }
    None
}

fn collect_spans<'a>(message: &'a Value, out: &mut Vec<&'a Value>) {
    for span in message["spans"].as_array().into_iter().flatten() {
        let mut current = Some(span);
        while let Some(span) = current {
            out.push(span);
            current = span.get("expansion").and_then(|e| e.get("span")).filter(|s| s.is_object());
        }
    }
    for child in message["children"].as_array().into_iter().flatten() {
        collect_spans(child, out);
    }
}
