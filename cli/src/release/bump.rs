//! Cargo's semver rules, as a release needs them: which part of a crate's version its changes raise.
//!
//! Cargo reads a version's leftmost non-zero part as its major one: `^1.2.3` takes `1.x.y`, `^0.2.3`
//! takes `0.2.y`, and `^0.0.3` takes only `0.0.3`. So a breaking change raises the major part of a
//! `1.x` crate, the minor part of a `0.x` crate, and the patch part of a `0.0.x` crate (whose every
//! release is incompatible with the last anyway); an addition raises the minor part from 1.0 on, and
//! only the patch part before (a `0.x` crate has no other place for it); documentation raises the
//! patch part. Versions are parsed and raised with the `semver` crate, the one cargo uses.

use std::fmt;

use semver::{BuildMetadata, Prerelease, Version};

use crate::diff::Impact;

/// Which part of a version a release raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// `x.y.Z`.
    Patch,
    /// `x.Y.0`.
    Minor,
    /// `X.0.0`.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// The part of `version` that a release whose most severe change is `impact` raises, by cargo's
/// rules (see the module documentation).
pub fn bump_for(version: &Version, impact: Impact) -> Bump {
    match (version.major, version.minor, impact) {
        (0, 0, _) => Bump::Patch,
        (0, _, Impact::Breaking) => Bump::Minor,
        (0, _, Impact::Compatible | Impact::Patch) => Bump::Patch,
        (_, _, Impact::Breaking) => Bump::Major,
        (_, _, Impact::Compatible) => Bump::Minor,
        (_, _, Impact::Patch) => Bump::Patch,
    }
}

/// `version` with `bump` applied: the raised part plus one, the parts right of it zero.
pub fn raise(version: &Version, bump: Bump) -> Version {
    let (major, minor, patch) = (version.major, version.minor, version.patch);
    let (major, minor, patch) = match bump {
        Bump::Major => (major.saturating_add(1), 0, 0),
        Bump::Minor => (major, minor.saturating_add(1), 0),
        Bump::Patch => (major, minor, patch.saturating_add(1)),
    };
    Version { major, minor, patch, pre: Prerelease::EMPTY, build: BuildMetadata::EMPTY }
}

/// A released version as the release manifest holds it. Pre-release and build suffixes are refused:
/// which release follows `1.0.0-rc.1` is a person's decision, not a rule's.
pub fn parse(text: &str) -> Result<Version, String> {
    let version = Version::parse(text).map_err(|e| format!("`{text}` is not a version: {e}"))?;
    if !version.pre.is_empty() || !version.build.is_empty() {
        return Err(format!(
            "`{text}` has a pre-release or build suffix; set the crate's next version in the release manifest by hand"
        ));
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(version: &str, impact: Impact) -> (Bump, String) {
        let version = parse(version).unwrap();
        let bump = bump_for(&version, impact);
        (bump, raise(&version, bump).to_string())
    }

    #[test]
    fn from_one_on_breaking_is_major_and_an_addition_minor() {
        assert_eq!(next("1.4.2", Impact::Breaking), (Bump::Major, "2.0.0".into()));
        assert_eq!(next("1.4.2", Impact::Compatible), (Bump::Minor, "1.5.0".into()));
        assert_eq!(next("1.4.2", Impact::Patch), (Bump::Patch, "1.4.3".into()));
    }

    #[test]
    fn before_one_breaking_is_minor_and_an_addition_a_patch() {
        assert_eq!(next("0.3.7", Impact::Breaking), (Bump::Minor, "0.4.0".into()));
        assert_eq!(next("0.3.7", Impact::Compatible), (Bump::Patch, "0.3.8".into()));
        assert_eq!(next("0.3.7", Impact::Patch), (Bump::Patch, "0.3.8".into()));
    }

    #[test]
    fn at_zero_zero_every_release_raises_the_patch() {
        for impact in [Impact::Breaking, Impact::Compatible, Impact::Patch] {
            assert_eq!(next("0.0.4", impact), (Bump::Patch, "0.0.5".into()));
        }
    }

    #[test]
    fn the_result_is_what_cargo_takes_as_incompatible_exactly_when_a_change_breaks() {
        // A `^previous` requirement must still match after a compatible release, and never after
        // a breaking one: the bump is checked against cargo's own matching rule.
        for previous in ["0.0.4", "0.3.7", "1.4.2", "12.0.0"] {
            let requirement = semver::VersionReq::parse(&format!("^{previous}")).unwrap();
            let (_, breaking) = next(previous, Impact::Breaking);
            assert!(!requirement.matches(&Version::parse(&breaking).unwrap()), "{previous} → {breaking}");
            for impact in [Impact::Compatible, Impact::Patch] {
                let (_, compatible) = next(previous, impact);
                let matches = requirement.matches(&Version::parse(&compatible).unwrap());
                assert_eq!(matches, previous != "0.0.4", "{previous} → {compatible}");
            }
        }
    }

    #[test]
    fn suffixes_and_non_versions_are_refused_with_a_reason() {
        assert!(parse("1.0.0-rc.1").unwrap_err().contains("pre-release"));
        assert!(parse("1.0.0+build").unwrap_err().contains("pre-release or build"));
        assert!(parse("1.0").unwrap_err().contains("not a version"));
        assert!(parse("v1.0.0").is_err());
    }
}
