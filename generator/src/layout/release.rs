//! `cloudspec-release.json`, the release manifest of a catalogue: for each crate, the version it was
//! last released at, the service versions it held then, and its changelog. `cloudspec release`
//! maintains it, comparing the previous release's specs with the new ones; `cloudspec generate
//! --layout crate-per-service --release FILE` reads it, so each crate's `version` and its
//! `CHANGELOG.md` come from here and services are released independently of the generator and of
//! each other.
//!
//! It is a source file, kept beside the specs and edited by a command, not a generated one: it
//! carries no generated mark, and `generate` never writes it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The release manifest format this version reads and writes.
pub const RELEASE_FORMAT: u32 = 1;

/// Release manifests larger than this are not read (a whole catalogue's is a few megabytes).
pub const MAX_RELEASE_BYTES: u64 = 64 * 1024 * 1024;

/// The release manifest: every released crate, by package name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseManifest {
    /// [`RELEASE_FORMAT`].
    pub format: u32,
    /// Every crate released so far, by package name (`cloudspec-tencentcloud-cvm`).
    pub crates: BTreeMap<String, CrateRelease>,
}

/// One crate's release state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateRelease {
    /// The version of its last release (`0.2.1`).
    pub version: String,
    /// The service versions it held at that release (`tencentcloud/cvm/2017-03-12`): how a service
    /// version the new specs no longer have is traced to its crate.
    pub services: Vec<String>,
    /// Its releases, newest first.
    pub changelog: Vec<ChangelogEntry>,
}

/// One release of a crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangelogEntry {
    /// The version released.
    pub version: String,
    /// What the version bump was: `initial`, `major`, `minor` or `patch`.
    pub bump: String,
    /// A line about the release as a whole (`tccli-intl-en 3.1.200.1`), when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What changed, most severe first.
    pub changes: Vec<ChangeNote>,
}

/// One change in a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeNote {
    /// How it affects users.
    pub impact: ChangeImpact,
    /// The rule that classed it (`removed-action`), or `summary` for a line that stands for several.
    pub rule: String,
    /// Where (`tencentcloud/cvm/2017-03-12 RunInstances request.Password`).
    pub location: String,
    /// What happened.
    pub message: String,
}

/// How a change affects the users of a crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeImpact {
    /// Documentation and metadata.
    Patch,
    /// An addition.
    Compatible,
    /// Code or requests that worked may stop working.
    Breaking,
}

impl ReleaseManifest {
    /// An empty manifest: no crate released yet.
    pub fn new() -> Self {
        ReleaseManifest { format: RELEASE_FORMAT, crates: BTreeMap::new() }
    }

    /// Reads the manifest at `path`: `Ok(None)` when there is none. A version that is not a plain
    /// `MAJOR.MINOR.PATCH` (with an optional pre-release or build suffix) is refused here, so it can
    /// be written into a `Cargo.toml` as it is.
    pub fn read(path: &Path) -> Result<Option<ReleaseManifest>, String> {
        let size = match std::fs::metadata(path) {
            Ok(meta) => meta.len(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(format!("{}: {error}", path.display())),
        };
        if size > MAX_RELEASE_BYTES {
            return Err(format!(
                "{}: the file is {size} bytes; a release manifest is at most {MAX_RELEASE_BYTES}",
                path.display()
            ));
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let manifest: ReleaseManifest =
            serde_json::from_str(&text).map_err(|e| format!("{}: not a release manifest: {e}", path.display()))?;
        if manifest.format != RELEASE_FORMAT {
            return Err(format!(
                "{}: release manifest format {} (this cloudspec reads format {RELEASE_FORMAT})",
                path.display(),
                manifest.format
            ));
        }
        for (package, release) in &manifest.crates {
            if !is_version(&release.version) {
                return Err(format!(
                    "{}: crates.{package}.version: `{}` is not a version (MAJOR.MINOR.PATCH)",
                    path.display(),
                    release.version
                ));
            }
        }
        Ok(Some(manifest))
    }

    /// The manifest as JSON text, crates in name order.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The released version of `package`, when it was released.
    pub fn version(&self, package: &str) -> Option<&str> {
        self.crates.get(package).map(|c| c.version.as_str())
    }
}

/// Whether `text` is `MAJOR.MINOR.PATCH` with an optional `-pre` and `+build` of the characters
/// semver allows: what may go between the quotes of a manifest's `version`.
pub fn is_version(text: &str) -> bool {
    let core = text.split(['-', '+']).next().unwrap_or_default();
    let numbers: Vec<&str> = core.split('.').collect();
    let suffix = &text[core.len()..];
    numbers.len() == 3
        && numbers.iter().all(|n| !n.is_empty() && n.len() <= 20 && n.bytes().all(|b| b.is_ascii_digit()))
        && suffix.bytes().all(|b| b.is_ascii_alphanumeric() || b"-+.".contains(&b))
}

/// The `CHANGELOG.md` of `package` from its releases, newest first (empty `entries`: none yet).
pub(super) fn changelog_markdown(package: &str, entries: &[ChangelogEntry], mark: &str) -> String {
    let mut text = format!("<!-- {mark}. Do not edit: run `cloudspec release`, then `cloudspec generate`. -->\n\n");
    text.push_str(&format!("# Changelog of {package}\n"));
    if entries.is_empty() {
        text.push_str("\nNo release yet.\n");
    }
    for entry in entries {
        text.push_str(&format!("\n## {} ({})\n", entry.version, entry.bump));
        if let Some(note) = &entry.note {
            text.push_str(&format!("\n{}\n", one_line(note)));
        }
        for (impact, heading) in [
            (ChangeImpact::Breaking, "Breaking changes"),
            (ChangeImpact::Compatible, "Added"),
            (ChangeImpact::Patch, "Documentation and metadata"),
        ] {
            let notes: Vec<&ChangeNote> = entry.changes.iter().filter(|c| c.impact == impact).collect();
            if notes.is_empty() {
                continue;
            }
            text.push_str(&format!("\n### {heading}\n\n"));
            for note in notes {
                text.push_str(&format!(
                    "- `{}`: {}\n",
                    one_line(&note.location).replace('`', "'"),
                    one_line(&note.message)
                ));
            }
        }
        if entry.changes.is_empty() {
            text.push_str("\nFirst release.\n");
        }
    }
    text
}

/// `text` on one line, with Markdown's HTML opener neutralised (spec names and messages are data).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_three_numbers_with_an_optional_suffix() {
        for good in ["0.1.0", "1.22.333", "1.0.0-rc.1", "1.0.0+build.5", "0.0.1-alpha+x"] {
            assert!(is_version(good), "{good}");
        }
        for bad in ["", "1", "1.2", "1.2.3.4", "v1.2.3", "1.2.x", "1.2.3\"", "1.2.3 ", "1..3", "1.2.3-a b"] {
            assert!(!is_version(bad), "{bad}");
        }
    }

    #[test]
    fn the_changelog_groups_changes_by_impact_newest_first() {
        let note = |impact, location: &str, message: &str| ChangeNote {
            impact,
            rule: "r".into(),
            location: location.into(),
            message: message.into(),
        };
        let entries = vec![
            ChangelogEntry {
                version: "0.2.0".into(),
                bump: "minor".into(),
                note: Some("tccli\n3.1.200".into()),
                changes: vec![
                    note(ChangeImpact::Breaking, "p/s/v A", "the action was removed"),
                    note(ChangeImpact::Patch, "p/s/v B", "documentation <b>changed</b>"),
                ],
            },
            ChangelogEntry { version: "0.1.0".into(), bump: "initial".into(), note: None, changes: vec![] },
        ];
        let text = changelog_markdown("cloudspec-p-s", &entries, "@generated by cloudspec");
        assert!(text.starts_with("<!-- @generated by cloudspec."), "{text}");
        let newer = text.find("## 0.2.0 (minor)").unwrap();
        let older = text.find("## 0.1.0 (initial)").unwrap();
        assert!(newer < older, "{text}");
        assert!(text.contains("\ntccli 3.1.200\n"), "{text}");
        assert!(text.contains("### Breaking changes\n\n- `p/s/v A`: the action was removed\n"), "{text}");
        assert!(!text.contains("### Added"), "{text}");
        assert!(text.contains("documentation &lt;b>changed&lt;/b>"), "{text}");
    }
}
