//! The `cloudspec` binary: exit codes, output, and the checked-in schema.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cloudspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloudspec")).args(args).current_dir(repo()).output().unwrap()
}

#[test]
fn check_accepts_the_repository_specs_with_a_summary() {
    let output = cloudspec(&["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(summary.starts_with("checked "), "{summary}");
    assert!(summary.ends_with(": no problems"), "{summary}");
    assert!(summary.contains(" 5 actions"), "{summary}");
}

#[test]
fn check_exits_1_on_an_invalid_spec() {
    let dir = tempfile::tempdir().unwrap();
    let service = dir.path().join("fakecloud/widgets/2020-01-01.json");
    std::fs::create_dir_all(service.parent().unwrap()).unwrap();
    let corpus = repo().join("tests/corpus");
    std::fs::copy(corpus.join("provider.json"), dir.path().join("fakecloud/provider.json")).unwrap();
    let text = std::fs::read_to_string(corpus.join("service.json")).unwrap().replace("list<Tag>", "list<Tga>");
    std::fs::write(&service, text).unwrap();
    let output = cloudspec(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[unknown-type]: unknown type `Tga`"), "{stderr}");
    assert!(stderr.contains("2020-01-01.json:"), "{stderr}");
    assert!(stderr.contains("did you mean `Tag`?"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains(": 1 error"));
}

#[test]
fn check_exits_2_on_a_usage_error() {
    let missing = cloudspec(&["check", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/dir: no such file or directory"));
    assert_eq!(cloudspec(&["check", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(cloudspec(&["frobnicate"]).status.code(), Some(2));
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(cloudspec(&["check", empty.path().to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn the_checked_in_schema_is_current() {
    let checked_in = std::fs::read_to_string(repo().join("specs/cloudspec.schema.json")).unwrap();
    assert!(
        checked_in == cloudspec::spec::json_schema(),
        "specs/cloudspec.schema.json is stale: run `cargo run -p cloudspec -- schema`"
    );
    assert_eq!(cloudspec(&["schema", "--check"]).status.code(), Some(0));
}

#[test]
fn every_spec_names_the_schema() {
    for (path, expected) in [
        ("specs/tencentcloud/provider.json", "../cloudspec.schema.json"),
        ("specs/alibabacloud/provider.json", "../cloudspec.schema.json"),
        ("specs/tencentcloud/apigateway/2018-08-08.json", "../../cloudspec.schema.json"),
        ("specs/tencentcloud/teo/2022-09-01.json", "../../cloudspec.schema.json"),
        ("specs/alibabacloud/cloudapi/2016-07-14.json", "../../cloudspec.schema.json"),
    ] {
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(repo().join(path)).unwrap()).unwrap();
        assert_eq!(spec["$schema"], expected, "{path}");
    }
}
