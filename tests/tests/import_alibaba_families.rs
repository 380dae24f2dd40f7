//! `cloudspec import alibaba` on numbered parameter families and deprecated duplicates
//! (`tests/import/alibaba-families`): `Filter.N.Key`/`Filter.N.Value` become one list of structs with the
//! documented maximum, the wire stays what the flat parameters sent (the runtime's own serialization
//! compared), and a deprecated lower-case `key` never takes the name `key`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cloudspec::spec::{ParamStyle, ServiceSpec};
use cloudspec_import::Overwrite;
use cloudspec_import::alibaba::{AlibabaReport, import};
use cloudspec_runtime::client::wire::flatten;
use serde_json::{Value, json};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("import/alibaba-families")
}

fn run(out: &Path) -> (AlibabaReport, ServiceSpec) {
    let report = import(&[fixture()], out, &[], Overwrite::ImportedOnly, &|_, _, _| {}).unwrap();
    let text = std::fs::read_to_string(out.join("alibabacloud/famdemo/2020-02-02.json")).unwrap();
    (report, serde_json::from_str(&text).unwrap())
}

#[test]
fn numbered_families_become_lists_with_their_maximum() {
    let out = tempfile::tempdir().unwrap();
    let (report, spec) = run(out.path());
    assert_eq!(report.remaining_errors(), 0, "{report:#?}");
    let set = cloudspec::load::load(&[out.path().to_path_buf()]).unwrap();
    assert_eq!(cloudspec::check::check(&set).errors(), 0);

    let request = &spec.actions["DescribeThings"].request;
    assert_eq!(request.keys().collect::<Vec<_>>(), ["RegionId", "Filter", "Tag"]);
    let filter = &request["Filter"];
    assert_eq!(filter.ty.to_string(), "list<DescribeThingsFilter>");
    assert_eq!(filter.style, Some(ParamStyle::RepeatList));
    assert_eq!(filter.constraints.items.as_ref().and_then(|c| c.max), Some(4));
    let members = spec.types["DescribeThingsFilter"].fields.as_ref().unwrap();
    assert_eq!(members.keys().collect::<Vec<_>>(), ["Key", "Value"]);
    let key = members["Key"].description.as_deref().unwrap();
    assert!(key.contains("`Filter.2.Key`: Set the value to `CreationEndTime`."), "{key}");
    assert_eq!(key.matches("The key of filter N used to query resources.").count(), 1, "{key}");
    assert_eq!(members["Key"].ty.to_string(), "string", "per-index values do not make a closed list");

    let group = &spec.actions["CreateGroup"].request;
    let policy = &group["RemovalPolicy"];
    assert_eq!(policy.ty.to_string(), "list<string>");
    assert_eq!(policy.constraints.items.as_ref().and_then(|c| c.max), Some(3));
    assert!(group.contains_key("GroupName.1"), "a near miss stays flat");
    assert!(!group.contains_key("DataDisk.1.Size"), "the DataDisk list already sends DataDisk.N.Size");

    let families = &report.families;
    assert_eq!(families.folded.len(), 3);
    assert_eq!(families.parameters_folded(), 8 + 3 + 2);
    assert_eq!(families.near_misses.len(), 1);
    let miss = &families.near_misses[0];
    assert_eq!((miss.name.as_str(), miss.entry.as_str()), ("GroupName", "apis.CreateGroup.parameters[5]"));
    assert!(miss.reason.contains("parameter of its own"), "{}", miss.reason);
    assert!(report.markdown().contains("## Numbered parameter families"));
    assert!(report.summary().contains("numbered families: 3 grouped"), "{}", report.summary());
}

/// The runtime's query pairs for one parameter.
fn query(name: &str, value: Value, style: Option<ParamStyle>, out: &mut BTreeMap<String, String>) {
    flatten(name, &value, style, out);
}

#[test]
fn a_folded_family_sends_the_flat_parameters_names() {
    let out = tempfile::tempdir().unwrap();
    let (_, spec) = run(out.path());
    let request = &spec.actions["DescribeThings"].request;
    // Before: four separate scalar parameters.
    let mut flat = BTreeMap::new();
    for (name, value) in [
        ("Filter.1.Key", "CreationStartTime"),
        ("Filter.1.Value", "2017-12-05T22:40Z"),
        ("Filter.2.Key", "CreationEndTime"),
        ("Filter.2.Value", "2017-12-06T22:40Z"),
    ] {
        query(name, json!(value), None, &mut flat);
    }
    // After: one list, serialized with the style the spec gives it.
    let mut folded = BTreeMap::new();
    let items = json!([
        {"Key": "CreationStartTime", "Value": "2017-12-05T22:40Z"},
        {"Key": "CreationEndTime", "Value": "2017-12-06T22:40Z"},
    ]);
    query("Filter", items, request["Filter"].style, &mut folded);
    assert_eq!(folded, flat);

    let group = &spec.actions["CreateGroup"].request;
    let (mut flat, mut folded) = (BTreeMap::new(), BTreeMap::new());
    query("RemovalPolicy.1", json!("OldestInstance"), None, &mut flat);
    query("RemovalPolicy.2", json!("NewestInstance"), None, &mut flat);
    query("RemovalPolicy", json!(["OldestInstance", "NewestInstance"]), group["RemovalPolicy"].style, &mut folded);
    assert_eq!(folded, flat);
}

#[test]
fn the_current_spelling_takes_the_natural_name_and_the_deprecated_one_is_marked() {
    let out = tempfile::tempdir().unwrap();
    let (report, spec) = run(out.path());
    // The deprecated `key` comes first in the data; `Key` still takes `key`.
    let tag = spec.types["DescribeThingsTag"].fields.as_ref().unwrap();
    assert_eq!(tag.keys().collect::<Vec<_>>(), ["key", "Key", "Value", "value"]);
    assert_eq!(tag["Key"].rust_name, None);
    assert_eq!(tag["key"].rust_name.as_deref(), Some("key_deprecated"));
    assert_eq!(tag["value"].rust_name.as_deref(), Some("value_deprecated"));
    assert!(tag["Key"].deprecated.is_none() && tag["Value"].deprecated.is_none());
    assert_eq!(tag["key"].deprecated.as_ref().unwrap().message, "Use `Key` instead.");
    assert_eq!(report.mapped.get("deprecated-duplicate-renamed"), 2);

    // The deprecated spelling's field asks the `Builder` derive for a `#[deprecated]` setter; `key` is
    // the current one.
    let set = cloudspec::load::load(&[out.path().to_path_buf()]).unwrap();
    let options = cloudspec::Options::new(cloudspec::Layout::SingleFile("cloudspec.rs".into()), out.path());
    let (files, _) = cloudspec::generate(&set, &options).unwrap_or_else(|e| panic!("{e:#?}"));
    let code = &files[0].contents;
    let fields: Vec<usize> = code.match_indices("    key_deprecated: Option<").map(|(at, _)| at).collect();
    assert_eq!(fields.len(), 1, "one key_deprecated field");
    // The field's docs and attributes: the lines since the previous field's (or the struct's) end.
    let attributes: Vec<&str> =
        code[..fields[0]].lines().rev().take_while(|line| !line.ends_with(',') && !line.ends_with('{')).collect();
    assert!(
        attributes.iter().any(|line| line.trim() == "#[builder(deprecated = \"Use `Key` instead.\")]"),
        "the setter is deprecated: {attributes:?}"
    );
    assert!(code.contains("    key: Option<"), "the natural setter exists");
    // The wire member name: `key` ↔ `Key` by the struct's rule, or a `rename` of its own.
    // Its struct, from its derives down to the field.
    let field = code.find("    key: Option<").unwrap_or_default();
    let container = &code[code[..field].rfind("#[derive(").unwrap_or_default()..field];
    assert!(
        container.contains("#[serde(rename_all = \"PascalCase\")]") || container.contains("rename = \"Key\""),
        "items keep their wire member names: {container}"
    );
}
