//! `cloudspec diff`: each classification rule and the semver recommendation (the command's exit codes
//! are tested with the binary, in `cli/tests/cli.rs`).

mod common;

use cloudspec_cli::diff::{Impact, diff, recommendation};
use serde_json::{Value, json};

/// Diffs the corpus's valid service against a mutated copy.
fn changes_after(mutate: impl FnOnce(&mut Value)) -> Vec<cloudspec_cli::diff::Change> {
    let old = common::Tree::valid();
    let new = common::Tree::valid();
    let mut spec = common::base_service();
    mutate(&mut spec);
    new.write_service(serde_json::to_string_pretty(&spec).unwrap());
    let load = |tree: &common::Tree| cloudspec::load::load(&[tree.dir.path().to_path_buf()]).unwrap();
    diff(&load(&old), &load(&new))
}

fn action(spec: &mut Value) -> &mut Value {
    &mut spec["actions"]["CreateWidget"]
}

#[test]
fn each_rule() {
    type Mutation = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Impact, Mutation)> = vec![
        (
            "removed-action",
            Impact::Breaking,
            Box::new(|s| {
                s["actions"].as_object_mut().unwrap().remove("CreateWidget");
            }),
        ),
        (
            "added-action",
            Impact::Compatible,
            Box::new(|s| {
                let a = action(s).clone();
                s["actions"]["DeleteWidget"] = a;
            }),
        ),
        (
            "removed-parameter",
            Impact::Breaking,
            Box::new(|s| {
                action(s)["request"].as_object_mut().unwrap().remove("Tags");
            }),
        ),
        (
            "removed-field",
            Impact::Breaking,
            Box::new(|s| {
                action(s)["response"].as_object_mut().unwrap().remove("Result");
            }),
        ),
        (
            "new-required-parameter",
            Impact::Breaking,
            Box::new(|s| action(s)["request"]["Zone"] = json!({"type": "string", "required": true})),
        ),
        ("added-parameter", Impact::Compatible, Box::new(|s| action(s)["request"]["Zone"] = json!({"type": "string"}))),
        ("added-field", Impact::Compatible, Box::new(|s| action(s)["response"]["Extra"] = json!({"type": "string"}))),
        (
            "optional-to-required",
            Impact::Breaking,
            Box::new(|s| action(s)["request"]["Tags"]["required"] = json!(true)),
        ),
        (
            "required-to-optional",
            Impact::Breaking,
            Box::new(|s| action(s)["request"]["Name"]["required"] = json!(false)),
        ),
        (
            "changed-optionality",
            Impact::Breaking,
            Box::new(|s| action(s)["response"]["RequestId"]["required"] = json!(false)),
        ),
        ("changed-type", Impact::Breaking, Box::new(|s| action(s)["request"]["Name"]["type"] = json!("int64"))),
        (
            "narrowed-constraint",
            Impact::Breaking,
            Box::new(|s| action(s)["request"]["Name"]["constraints"]["length"]["max"] = json!(40)),
        ),
        (
            "narrowed-constraint",
            Impact::Breaking,
            Box::new(|s| action(s)["request"]["Name"]["constraints"]["pattern"]["regex"] = json!("^[a-z]+$")),
        ),
        (
            "narrowed-constraint",
            Impact::Breaking,
            Box::new(|s| action(s)["request"]["Tags"]["constraints"]["items"]["max"] = json!(5)),
        ),
        (
            "widened-constraint",
            Impact::Compatible,
            Box::new(|s| action(s)["request"]["Name"]["constraints"]["length"]["min"] = json!(1)),
        ),
        (
            "removed-enum-value",
            Impact::Breaking,
            Box::new(|s| {
                s["types"]["WidgetKind"]["values"].as_array_mut().unwrap().pop();
            }),
        ),
        (
            "added-enum-value",
            Impact::Compatible,
            Box::new(|s| s["types"]["WidgetKind"]["values"].as_array_mut().unwrap().push(json!({"value": "hybrid"}))),
        ),
        (
            "removed-type",
            Impact::Breaking,
            Box::new(|s| {
                s["types"].as_object_mut().unwrap().remove("WidgetStatus");
                s["types"]["Widget"]["fields"]["Status"]["type"] = json!("int64");
            }),
        ),
        (
            "removed-error-code",
            Impact::Breaking,
            Box::new(|s| {
                action(s)["errors"].as_array_mut().unwrap().remove(0);
            }),
        ),
        (
            "added-error-code",
            Impact::Compatible,
            Box::new(|s| {
                action(s)["errors"].as_array_mut().unwrap().push(json!({"code": "New.Code", "retryable": false}))
            }),
        ),
        (
            "changed-docs",
            Impact::Patch,
            Box::new(|s| action(s)["request"]["Name"]["description"] = json!("Another description.")),
        ),
        ("changed-metadata", Impact::Patch, Box::new(|s| action(s)["rate_limit"]["requests_per_second"] = json!(50))),
    ];
    for (rule, impact, mutate) in cases {
        let changes = changes_after(mutate);
        assert!(changes.iter().any(|c| c.rule == rule && c.impact == impact), "{rule}: got {changes:#?}");
        let expected = match impact {
            Impact::Breaking => "major",
            Impact::Compatible => "minor",
            Impact::Patch => "patch",
        };
        assert_eq!(recommendation(&changes), expected, "{rule}: {changes:#?}");
    }
    assert_eq!(recommendation(&changes_after(|_| {})), "none");
}
