//! `cloudspec release`'s decisions: each kind of spec change, classified by `diff` and grouped by
//! the crate of its service version, raises the crate's version by cargo's rules — before 1.0 a
//! breaking change raises the minor part and an addition the patch part, from 1.0 on the major and
//! the minor part — and the release manifest gets the version and a changelog entry. The command
//! itself, with `generate --release`, is tested with the binary in `cli/tests/release.rs`.

mod common;

use cloudspec::layout::release::{ChangeImpact, CrateRelease, ReleaseManifest};
use cloudspec::layout::{CatalogueOptions, LayoutManifest};
use cloudspec_cli::diff::{Impact, diff};
use cloudspec_cli::release::bump::Bump;
use cloudspec_cli::release::{CratePlan, Outcome, apply, plan};
use semver::Version;
use serde_json::Value;

/// The corpus service's crate in the catalogue layout.
const PACKAGE: &str = "cloudspec-fakecloud-widgets";

fn layout(tree: &common::Tree) -> (cloudspec::load::SpecSet, LayoutManifest) {
    let set = cloudspec::load::load(&[tree.dir.path().to_path_buf()]).unwrap();
    let options = cloudspec::Options::new(cloudspec::Layout::Catalogue(CatalogueOptions::default()), tree.dir.path());
    let manifest = cloudspec::plan(&set, &options).unwrap_or_else(|r| panic!("{}", r.summary_line())).unwrap();
    (set, manifest)
}

/// A manifest in which the corpus crate was last released at `version`.
fn released_at(version: &str) -> ReleaseManifest {
    let mut manifest = ReleaseManifest::new();
    let release = CrateRelease {
        version: version.into(),
        services: vec!["fakecloud/widgets/2020-01-01".into()],
        changelog: Vec::new(),
    };
    manifest.crates.insert(PACKAGE.into(), release);
    manifest
}

/// The corpus crate's release after `mutate` changes its spec, from `version`.
fn release_after(version: &str, mutate: impl FnOnce(&mut Value)) -> CratePlan {
    let old = common::Tree::valid();
    let new = common::Tree::valid();
    let mut spec = common::base_service();
    mutate(&mut spec);
    new.write_service(serde_json::to_string_pretty(&spec).unwrap());
    let ((old_set, old_layout), (new_set, new_layout)) = (layout(&old), layout(&new));
    let changes = diff(&old_set, &new_set);
    let mut plans =
        plan(changes, &new_layout, Some(&old_layout), &released_at(version), &Version::new(0, 1, 0)).unwrap();
    assert_eq!(plans.len(), 1, "{plans:#?}");
    plans.remove(0)
}

fn bumped(plan: &CratePlan) -> (Impact, Bump, String) {
    match &plan.outcome {
        Outcome::Bumped { impact, bump, version } => (*impact, *bump, version.to_string()),
        other => panic!("not bumped: {other:?}"),
    }
}

fn add_action(spec: &mut Value) {
    let action = spec["actions"]["CreateWidget"].clone();
    spec["actions"]["CopyWidget"] = action;
    spec["actions"]["CopyWidget"].as_object_mut().unwrap().remove("examples");
}

fn remove_action(spec: &mut Value) {
    add_action(spec); // a service keeps at least one action
    spec["actions"].as_object_mut().unwrap().remove("CreateWidget");
}

fn change_field_type(spec: &mut Value) {
    spec["actions"]["CreateWidget"]["request"]["Tags"]["type"] = "list<string>".into();
}

fn reword(spec: &mut Value) {
    spec["actions"]["CreateWidget"]["request"]["Name"]["description"] = "The widget's name.".into();
}

#[test]
fn an_added_action_is_a_patch_before_one_and_a_minor_release_after() {
    let plan = release_after("0.3.1", add_action);
    assert_eq!(bumped(&plan), (Impact::Compatible, Bump::Patch, "0.3.2".into()));
    assert!(plan.changes.iter().any(|c| c.rule == "added-action" && c.location.ends_with("CopyWidget")));
    assert_eq!(bumped(&release_after("1.2.3", add_action)), (Impact::Compatible, Bump::Minor, "1.3.0".into()));
}

#[test]
fn a_removed_action_is_a_minor_release_before_one_and_a_major_one_after() {
    let plan = release_after("0.3.1", remove_action);
    assert_eq!(bumped(&plan), (Impact::Breaking, Bump::Minor, "0.4.0".into()));
    assert_eq!(plan.changes[0].rule, "removed-action", "most severe first: {:#?}", plan.changes);
    assert_eq!(bumped(&release_after("1.2.3", remove_action)), (Impact::Breaking, Bump::Major, "2.0.0".into()));
}

#[test]
fn a_changed_field_type_breaks() {
    let plan = release_after("0.3.1", change_field_type);
    assert_eq!(bumped(&plan), (Impact::Breaking, Bump::Minor, "0.4.0".into()));
    assert!(plan.changes.iter().any(|c| c.rule == "changed-type" && c.location.ends_with("request.Tags")));
    assert_eq!(bumped(&release_after("1.2.3", change_field_type)), (Impact::Breaking, Bump::Major, "2.0.0".into()));
}

#[test]
fn a_documentation_change_is_a_patch_release_on_either_side_of_one() {
    assert_eq!(bumped(&release_after("0.3.1", reword)), (Impact::Patch, Bump::Patch, "0.3.2".into()));
    assert_eq!(bumped(&release_after("1.2.3", reword)), (Impact::Patch, Bump::Patch, "1.2.4".into()));
    // 0.0.x: every release is incompatible with the last, so only the patch part moves.
    assert_eq!(bumped(&release_after("0.0.7", remove_action)), (Impact::Breaking, Bump::Patch, "0.0.8".into()));
}

#[test]
fn an_unchanged_crate_is_left_alone() {
    let plan = release_after("0.3.1", |_| {});
    assert_eq!(plan.outcome, Outcome::Unchanged);
    let mut manifest = released_at("0.3.1");
    let before = manifest.clone();
    apply(&mut manifest, &[plan], Some("nothing"));
    assert_eq!(manifest, before);
}

#[test]
fn applying_a_release_records_the_version_and_a_changelog_entry_newest_first() {
    let mut manifest = released_at("0.3.1");
    apply(&mut manifest, &[release_after("0.3.1", change_field_type)], Some("spring update"));
    apply(&mut manifest, &[release_after("0.4.0", add_action)], None);
    let release = &manifest.crates[PACKAGE];
    assert_eq!(release.version, "0.4.1");
    assert_eq!(release.services, ["fakecloud/widgets/2020-01-01"]);
    let versions: Vec<(&str, &str)> = release.changelog.iter().map(|e| (e.version.as_str(), e.bump.as_str())).collect();
    assert_eq!(versions, [("0.4.1", "patch"), ("0.4.0", "minor")]);
    let breaking = &release.changelog[1];
    assert_eq!(breaking.note.as_deref(), Some("spring update"));
    assert_eq!(breaking.changes[0].impact, ChangeImpact::Breaking);
    assert_eq!(breaking.changes[0].rule, "changed-type");
}

#[test]
fn a_crate_the_manifest_lacks_starts_at_the_initial_version_and_a_gone_one_is_removed() {
    let tree = common::Tree::valid();
    let (_, new_layout) = layout(&tree);
    let mut manifest = ReleaseManifest::new();
    let gone =
        CrateRelease { version: "0.2.0".into(), services: vec!["fakecloud/gone/2019-01-01".into()], changelog: vec![] };
    manifest.crates.insert("cloudspec-fakecloud-gone".into(), gone);
    let plans = plan(Vec::new(), &new_layout, None, &manifest, &Version::new(0, 1, 0)).unwrap();
    let outcomes: Vec<(&str, &Outcome)> = plans.iter().map(|p| (p.package.as_str(), &p.outcome)).collect();
    assert_eq!(
        outcomes,
        [("cloudspec-fakecloud-gone", &Outcome::Removed), (PACKAGE, &Outcome::New(Version::new(0, 1, 0)))]
    );
    apply(&mut manifest, &plans, None);
    assert!(manifest.crates["cloudspec-fakecloud-gone"].services.is_empty(), "kept, so its versions continue");
    assert_eq!(manifest.crates["cloudspec-fakecloud-gone"].version, "0.2.0");
    assert_eq!(manifest.crates[PACKAGE].version, "0.1.0");
    assert_eq!(manifest.crates[PACKAGE].changelog[0].bump, "initial");
}
