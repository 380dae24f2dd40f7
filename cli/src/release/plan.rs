//! The next release of a catalogue's crates, decided from the classified spec changes
//! ([`crate::diff`]) grouped by the crate that holds each service version, and applied to the
//! release manifest. Pure: no files are read or written here.

use std::collections::BTreeMap;

use cloudspec::layout::LayoutManifest;
use cloudspec::layout::release::{ChangeImpact, ChangeNote, ChangelogEntry, CrateRelease, ReleaseManifest};
use semver::Version;

use super::bump::{self, Bump};
use crate::diff::{Change, Impact};

/// Documentation and metadata changes listed one by one in a changelog entry; beyond this many, one
/// line counts the rest (a catalogue update rewords thousands of descriptions).
const LISTED_PATCH_NOTES: usize = 20;

/// What happens to one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No change: the crate is left alone (not released).
    Unchanged,
    /// Its first release, at the initial version.
    New(Version),
    /// Released again: the most severe change, the part raised, the new version.
    Bumped {
        /// The most severe change.
        impact: Impact,
        /// The part of the version raised.
        bump: Bump,
        /// The new version.
        version: Version,
    },
    /// Its last service version is gone: nothing to release; its entry stays, so that a crate of
    /// the same name later continues from its last version.
    Removed,
}

/// The release of one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CratePlan {
    /// Its package name.
    pub package: String,
    /// The version of its last release, when it had one.
    pub previous: Option<Version>,
    /// What happens to it.
    pub outcome: Outcome,
    /// The service versions it holds after the release.
    pub services: Vec<String>,
    /// What changed in it, most severe first.
    pub changes: Vec<Change>,
}

/// Decides each crate's release. `new` is the layout of the new specs; `old`, the previous specs'
/// layout when they could be laid out; a service version the new specs lack is traced to its crate
/// through `new` (another version of the same service), the manifest, or `old`.
pub fn plan(
    changes: Vec<Change>,
    new: &LayoutManifest,
    old: Option<&LayoutManifest>,
    manifest: &ReleaseManifest,
    initial: &Version,
) -> Result<Vec<CratePlan>, String> {
    let mut crate_of: BTreeMap<String, String> = BTreeMap::new();
    let mut service_crate: BTreeMap<(String, String), String> = BTreeMap::new();
    for entry in old.map(|o| o.services.as_slice()).unwrap_or_default() {
        crate_of.insert(entry.id(), entry.package.clone());
    }
    for (package, release) in &manifest.crates {
        for id in &release.services {
            crate_of.insert(id.clone(), package.clone());
        }
    }
    let mut services: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in &new.services {
        crate_of.insert(entry.id(), entry.package.clone());
        service_crate.insert((entry.provider.clone(), entry.service.clone()), entry.package.clone());
        services.entry(entry.package.clone()).or_default().push(entry.id());
    }
    let mut by_crate: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    let mut untraced = Vec::new();
    for change in changes {
        let same_service = || {
            let mut parts = change.service.splitn(3, '/');
            let key = (parts.next()?.to_string(), parts.next()?.to_string());
            service_crate.get(&key).cloned()
        };
        match same_service().or_else(|| crate_of.get(&change.service).cloned()) {
            Some(package) => by_crate.entry(package).or_default().push(change),
            None => untraced.push(change.service),
        }
    }
    if !untraced.is_empty() {
        untraced.dedup();
        return Err(format!(
            "cannot tell which crate held {}: the new specs, the release manifest and the previous specs' layout do not say",
            untraced.join(", ")
        ));
    }
    let mut packages: Vec<String> = services.keys().chain(by_crate.keys()).cloned().collect();
    packages.extend(manifest.crates.iter().filter(|(_, r)| !r.services.is_empty()).map(|(p, _)| p.clone()));
    packages.sort();
    packages.dedup();
    let mut plans = Vec::new();
    for package in packages {
        let previous = match manifest.crates.get(&package) {
            Some(release) => Some(bump::parse(&release.version).map_err(|e| format!("crates.{package}.version: {e}"))?),
            None => None,
        };
        let mut changes = by_crate.remove(&package).unwrap_or_default();
        changes.sort_by(|a, b| b.impact.cmp(&a.impact).then_with(|| a.location.cmp(&b.location)));
        let services = services.get(&package).cloned().unwrap_or_default();
        let most_severe = changes.iter().map(|c| c.impact).max();
        let outcome = match (&previous, most_severe) {
            _ if services.is_empty() => Outcome::Removed,
            (None, _) => Outcome::New(initial.clone()),
            (Some(_), None) => Outcome::Unchanged,
            (Some(previous), Some(impact)) => {
                let bump = bump::bump_for(previous, impact);
                Outcome::Bumped { impact, bump, version: bump::raise(previous, bump) }
            }
        };
        plans.push(CratePlan { package, previous, outcome, services, changes });
    }
    Ok(plans)
}

/// Writes the plans into `manifest`: released crates get their version, services and a changelog
/// entry (with `note`, when given), removed crates lose their services, unchanged ones stay as they
/// were.
pub fn apply(manifest: &mut ReleaseManifest, plans: &[CratePlan], note: Option<&str>) {
    for plan in plans {
        let (version, bump) = match &plan.outcome {
            Outcome::Unchanged => continue,
            Outcome::Removed => {
                if let Some(release) = manifest.crates.get_mut(&plan.package) {
                    release.services.clear();
                }
                continue;
            }
            Outcome::New(version) => (version.to_string(), "initial".to_string()),
            Outcome::Bumped { bump, version, .. } => (version.to_string(), bump.to_string()),
        };
        let changes = if matches!(plan.outcome, Outcome::New(_)) { Vec::new() } else { notes(&plan.changes) };
        let entry = ChangelogEntry { version: version.clone(), bump, note: note.map(str::to_string), changes };
        let release = manifest.crates.entry(plan.package.clone()).or_insert_with(|| CrateRelease {
            version: String::new(),
            services: Vec::new(),
            changelog: Vec::new(),
        });
        release.version = version;
        release.services = plan.services.clone();
        release.changelog.insert(0, entry);
    }
}

/// The changelog lines of a release: every breaking change and addition, and the first
/// [`LISTED_PATCH_NOTES`] documentation changes with a line counting the rest.
fn notes(changes: &[Change]) -> Vec<ChangeNote> {
    let impact = |impact| match impact {
        Impact::Breaking => ChangeImpact::Breaking,
        Impact::Compatible => ChangeImpact::Compatible,
        Impact::Patch => ChangeImpact::Patch,
    };
    let mut notes = Vec::new();
    let mut patch_notes = 0;
    for change in changes {
        if change.impact == Impact::Patch {
            patch_notes += 1;
            if patch_notes > LISTED_PATCH_NOTES {
                continue;
            }
        }
        notes.push(ChangeNote {
            impact: impact(change.impact),
            rule: change.rule.to_string(),
            location: change.location.clone(),
            message: change.message.clone(),
        });
    }
    if patch_notes > LISTED_PATCH_NOTES {
        notes.push(ChangeNote {
            impact: ChangeImpact::Patch,
            rule: "summary".into(),
            location: "…".into(),
            message: format!("and {} more documentation or metadata changes", patch_notes - LISTED_PATCH_NOTES),
        });
    }
    notes
}
