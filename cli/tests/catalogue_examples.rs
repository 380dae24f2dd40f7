//! `cloudspec catalogue-examples`, the hidden subcommand of the catalogue scripts' probe stage: every
//! official output example of a small catalogue, classed by the audits' rules, with the crate and
//! module that `generate --layout crate-per-service` put its service version in — found through the
//! layout manifest and the specs' `imported_from`, including for examples the importer dropped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cloudspec(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloudspec")).args(args).output().unwrap()
}

fn ok(output: Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// Imports `catalogue` as `provider`, generates it with the probe, and lists its examples.
fn list_examples(dir: &Path, provider: &str, catalogue: &Path) -> (Vec<Value>, String) {
    let (specs, generated, out) = (dir.join("specs"), dir.join("gen"), dir.join("examples.jsonl"));
    ok(cloudspec(&[Path::new("import"), Path::new(provider), catalogue, Path::new("--out"), &specs]));
    ok(cloudspec(&[
        Path::new("generate"),
        Path::new("--specs"),
        &specs,
        Path::new("--out"),
        &generated,
        Path::new("--layout"),
        Path::new("crate-per-service"),
        Path::new("--example-probe"),
    ]));
    let summary = ok(cloudspec(&[
        Path::new("catalogue-examples"),
        Path::new(provider),
        catalogue,
        Path::new("--layout"),
        &generated,
        Path::new("--out"),
        &out,
    ]));
    let rows = std::fs::read_to_string(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (rows, summary)
}

/// (source, class, crate, version module) of each row, in order, with consecutive ids.
fn summary(rows: &[Value]) -> Vec<(String, String, Value, Value)> {
    for (id, row) in rows.iter().enumerate() {
        assert_eq!(row["id"], id, "{row}");
    }
    rows.iter()
        .map(|r| {
            let text = |key: &str| r[key].as_str().unwrap().to_string();
            (text("source"), text("class"), r["crate"].clone(), r["version_module"].clone())
        })
        .collect()
}

#[test]
fn every_tencent_output_example_is_classed_and_finds_its_crate() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("services");
    copy_dir(&repo().join("tests/import/tencent"), &catalogue);
    // Outputs of every class; examples of an action api.json lacks are no action's outputs.
    let examples_path = catalogue.join("apigateway/v20180808/examples.json");
    let mut examples = read_json(&examples_path);
    let update = &mut examples["actions"]["UpdateApiAppKey"];
    let kept = update[0].clone();
    for output in [
        json!(r#"{"Response": {"Error": {"Code": "InvalidParameter", "Message": "no"}, "RequestId": "x"}}"#),
        json!("not JSON {"),
        json!(r#"{"Result": true}"#),
        json!(r#"{"Response": {"Error": null, "Result": true, "RequestId": "x"}}"#),
        Value::Null,
    ] {
        let mut example = kept.clone();
        example["output"] = output;
        update.as_array_mut().unwrap().push(example);
    }
    examples["actions"]["NoSuchAction"] = json!([kept]);
    write_json(&examples_path, &examples);
    // A version directory the importer does not read (not `v<YYYYMMDD>`): no crate holds it.
    copy_dir(&catalogue.join("apigateway/v20180808"), &catalogue.join("apigateway/vbeta"));

    let (rows, printed) = list_examples(dir.path(), "tencent", &catalogue);
    let (krate, module) = (json!("tencentcloud-apigateway"), json!("v20180808"));
    let mut expected = Vec::new();
    for (version, krate, module) in [("v20180808", &krate, &module), ("vbeta", &Value::Null, &Value::Null)] {
        let classes = [
            ("CreateApiKey#0", "success body"),
            ("UpdateApiKey#0", "success body"),
            ("UpdateApiAppKey#0", "success body"),
            ("UpdateApiAppKey#1", "error envelope"),
            ("UpdateApiAppKey#2", "not JSON"),
            ("UpdateApiAppKey#3", "no Response object"),
            ("UpdateApiAppKey#4", "success body"),
            ("UpdateApiAppKey#5", "not JSON"),
        ];
        for (action, class) in classes {
            expected.push((format!("apigateway {version} {action}"), class.to_string(), krate.clone(), module.clone()));
        }
    }
    assert_eq!(summary(&rows), expected);
    assert_eq!(rows[2]["action"], "UpdateApiAppKey");
    assert_eq!(rows[4]["body"], "not JSON {", "bodies as written");
    assert_eq!(rows[7]["body"], "null", "a missing output");
    assert!(printed.contains("wrote 16 examples"), "{printed}");
    assert!(printed.contains("8 without a generated crate"), "{printed}");
}

#[test]
fn every_alibaba_api_with_a_json_demo_is_classed_and_finds_its_crate() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("en_us");
    copy_dir(&repo().join("tests/import/alibaba"), &catalogue);
    let docs_path = catalogue.join("demo/2020-01-01/api-docs.json");
    let mut docs = read_json(&docs_path);
    let template = docs["apis"]["CreateWidget"].clone();
    let demo = |items: Value| Value::String(items.to_string());
    let apis = docs["apis"].as_object_mut().unwrap();
    // The first JSON item counts, with a non-blank example.
    let mut api = template.clone();
    api["responseDemo"] = demo(json!([
        {"type": "xml", "example": "<a/>"},
        {"type": "json", "example": " "},
        {"type": "json", "example": "{\"RequestId\": \"first\"}"},
        {"type": "json", "example": "{\"RequestId\": \"second\"}"},
    ]));
    apis.insert("DescribeFirst".into(), api);
    let mut api = template.clone();
    api["responseDemo"] = demo(json!([{"type": "json", "example": "{not JSON"}]));
    apis.insert("DescribeBroken".into(), api);
    let mut api = template.clone();
    api["responses"] = json!({"200": {"schema": null}});
    apis.insert("DescribeUndeclared".into(), api);
    let mut api = template.clone();
    api["responseDemo"] = json!("{\"type\": \"json\"}");
    apis.insert("DescribeNotAList".into(), api);
    write_json(&docs_path, &docs);

    let (rows, _) = list_examples(dir.path(), "alibaba", &catalogue);
    let demo = (json!("alibabacloud-demo"), json!("v20200101"));
    let roa = (json!("alibabacloud-roademo"), json!("v20210101"));
    let expected: Vec<(String, String, Value, Value)> = [
        ("demo 2020-01-01 ListWidgets", "success body", &demo),
        ("demo 2020-01-01 CreateWidget", "success body", &demo),
        ("demo 2020-01-01 DescribeFirst", "success body", &demo),
        ("demo 2020-01-01 DescribeBroken", "not JSON", &demo),
        ("demo 2020-01-01 DescribeUndeclared", "no 200 schema", &demo),
        ("roademo 2021-01-01 DescribeClusters", "success body", &roa),
        ("roademo 2021-01-01 GetPolicy", "success body", &roa),
    ]
    .into_iter()
    .map(|(source, class, (krate, module))| (source.to_string(), class.to_string(), krate.clone(), module.clone()))
    .collect();
    assert_eq!(summary(&rows), expected);
    assert_eq!(rows[2]["body"], "{\"RequestId\": \"first\"}");
}

#[test]
fn without_a_layout_manifest_it_says_so_and_is_not_in_the_help() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = repo().join("tests/import/tencent");
    let out = dir.path().join("examples.jsonl");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cloudspec"))
            .args(["catalogue-examples", "tencent"])
            .arg(&catalogue)
            .arg("--layout")
            .arg(dir.path())
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no cloudspec-layout.json"), "{stderr}");
    assert!(!out.exists());
    // The hidden command is not in the help.
    let help = ok(Command::new(env!("CARGO_BIN_EXE_cloudspec")).arg("--help").output().unwrap());
    assert!(!help.contains("catalogue-examples"), "{help}");
}
