//! Hostile input: every case yields a specific, short diagnostic — never a panic, a stack overflow or a
//! multi-megabyte message.

mod common;

use common::{Tree, base_service};

/// Checks the tree and returns the codes of its errors and the rendered text.
fn errors_of(tree: &Tree) -> (Vec<&'static str>, String) {
    let diagnostics = tree.check();
    let rendered = tree.render(&diagnostics);
    let codes =
        diagnostics.iter().filter(|d| d.severity == cloudspec::diagnostics::Severity::Error).map(|d| d.code).collect();
    (codes, rendered)
}

#[test]
fn empty_file() {
    let tree = Tree::valid();
    tree.write_service("");
    let (codes, rendered) = errors_of(&tree);
    assert_eq!(codes, ["empty-file"]);
    assert!(rendered.contains("the file is empty"), "{rendered}");
    tree.write_service("  \n\t\n");
    assert_eq!(errors_of(&tree).0, ["empty-file"]);
}

#[test]
fn invalid_utf8() {
    let tree = Tree::valid();
    let mut bytes = b"{\n  \"format_version\": 1,\n  \"provider\": \"fake".to_vec();
    bytes.extend([0xff, 0xfe]);
    bytes.extend(b"cloud\"\n}\n");
    tree.write_service(bytes);
    let (codes, rendered) = errors_of(&tree);
    assert_eq!(codes, ["invalid-utf8"]);
    assert!(rendered.contains("line 3, column 20"), "{rendered}");
    // Located like every other diagnostic (file:line:column), so the fuzzer's rule holds for it too.
    assert!(rendered.contains(":3:20"), "{rendered}");
}

#[test]
fn a_100_mb_file_is_refused_without_reading_it() {
    let tree = Tree::valid();
    let file = std::fs::File::create(tree.service_path()).unwrap();
    // A sparse file: its size is what is refused, so the test needs no 100 MB of disk or memory.
    file.set_len(100 * 1024 * 1024).unwrap();
    let (codes, rendered) = errors_of(&tree);
    assert_eq!(codes, ["file-too-large"]);
    assert!(rendered.contains("the file is 100 MiB; spec files are limited to 64 MiB"), "{rendered}");
}

#[test]
fn json_nested_10000_levels_deep() {
    let tree = Tree::valid();
    tree.write_service(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)));
    let (codes, rendered) = errors_of(&tree);
    assert_eq!(codes, ["invalid-json"]);
    assert!(rendered.contains("recursion limit exceeded"), "{rendered}");
    assert!(rendered.contains("specs nest at most 128 levels deep"), "{rendered}");

    // The same depth inside an otherwise valid spec, where a value is free-form JSON.
    let mut spec = base_service();
    spec["actions"]["CreateWidget"]["request"]["Name"]["example"] = serde_json::Value::Null;
    let text = serde_json::to_string_pretty(&spec).unwrap().replacen(
        "\"example\": null",
        &format!("\"example\": {}1{}", "[".repeat(10_000), "]".repeat(10_000)),
        1,
    );
    tree.write_service(text);
    assert_eq!(errors_of(&tree).0, ["invalid-json"]);
}

#[test]
fn a_1_mb_name() {
    let tree = Tree::valid();
    let long = "A".repeat(1024 * 1024);
    let mut spec = base_service();
    let field = spec["actions"]["CreateWidget"]["request"]["Name"].clone();
    spec["actions"]["CreateWidget"]["request"][long.as_str()] = field;
    let action = spec["actions"]["CreateWidget"].clone();
    spec["actions"][format!("Create{long}").as_str()] = action;
    tree.write_service(serde_json::to_string_pretty(&spec).unwrap());
    let (codes, rendered) = errors_of(&tree);
    assert!(codes.contains(&"invalid-name"), "{codes:?}");
    assert!(rendered.contains("names are limited to 128"), "{rendered}");
    assert!(rendered.len() < 16 * 1024, "the diagnostics are {} bytes long", rendered.len());
}

#[test]
fn a_1_mb_type_expression_and_regex() {
    let tree = Tree::valid();
    let mut spec = base_service();
    spec["actions"]["CreateWidget"]["request"]["Tags"]["type"] = format!("list<{}>", "list<".repeat(500_000)).into();
    spec["actions"]["CreateWidget"]["request"]["Name"]["constraints"]["pattern"]["regex"] = "(a{1000}){1000}".into();
    tree.write_service(serde_json::to_string_pretty(&spec).unwrap());
    let (codes, rendered) = errors_of(&tree);
    assert!(codes.contains(&"invalid-type"), "{codes:?}");
    assert!(codes.contains(&"invalid-regex"), "{codes:?}");
    assert!(rendered.len() < 16 * 1024, "the diagnostics are {} bytes long", rendered.len());
}

#[test]
fn a_spec_of_the_wrong_shape_at_the_root() {
    let tree = Tree::valid();
    for (text, code) in [
        ("null", "not-an-object"),
        ("\"spec\"", "not-an-object"),
        ("{}", "missing-key"),
        ("{\"actions\": []}", "invalid-value"),
    ] {
        tree.write_service(text);
        let (codes, _) = errors_of(&tree);
        assert!(codes.contains(&code), "{text}: {codes:?}");
    }
}
