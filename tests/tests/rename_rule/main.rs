//! serde's `rename_all = "PascalCase"`, the generator's `names::pascal_case` (which decides where a
//! generated struct leaves a wire name to the rule) and the derives' (`Decode`'s member names,
//! `Builder`'s error names) agree on every field name of the structs generated from the seed specs
//! (`generated/` and the runtime's STS clients). The synthetic bench specs
//! (`generator/benches/codegen.rs`) are copies of the seed Tencent actions with their shared types, so
//! they have the same field names.
//!
//! `every_field.rs` is one struct with all those names, deriving `Serialize` and `Decode` under the
//! rule, and the same struct deriving `Encode` (which writes a `Serialize` of its own); `the_fixture_has_every_seed_field_name` fails when it is stale
//! (`UPDATE_RENAME_RULE=1 cargo test -p cloudspec-tests --test rename_rule` rewrites it).

mod every_field;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cloudspec::names::pascal_case;
use serde_json::{Map, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The generated Rust files of the seed specs, and of the test crate's own specs.
fn seed_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut files = vec![repo().join("runtime/src/credentials/sts_generated.rs")];
    walk(&repo().join("generated/src"), &mut files);
    // More names of the same providers: the hostile spec's, the Alibaba ecs and cs interop specs' and
    // the paging specs' (`build.rs`).
    let out = Path::new(env!("OUT_DIR"));
    files.extend(["hostile.rs", "alibaba_interop.rs", "paging.rs"].map(|name| out.join(name)));
    files.sort();
    files
}

/// Every field name (`r#` kept) of every struct that derives `Serialize`, `Encode` or `Decode`, in `items`.
fn field_names(items: &[syn::Item], names: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    field_names(items, names);
                }
            }
            syn::Item::Struct(s) => {
                let derives = s.attrs.iter().filter(|a| a.path().is_ident("derive"));
                let text: String = derives.map(|a| quote::quote!(#a).to_string()).collect();
                if text.contains("Serialize") || text.contains("Encode") || text.contains("Decode") {
                    names.extend(s.fields.iter().filter_map(|f| f.ident.as_ref()).map(ToString::to_string));
                }
            }
            _ => {}
        }
    }
}

fn seed_field_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for path in seed_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        field_names(&file.items, &mut names);
    }
    names
}

/// `every_field.rs` for these names: the struct, every field set to its index, and the names.
fn fixture(names: &BTreeSet<String>) -> String {
    let mut text = String::from(
        "//! Every field name of the structs generated from the seed specs, under serde's rename rule:\n\
         //! written by `main.rs` (`UPDATE_RENAME_RULE=1`), do not edit.\n\
         #![cfg_attr(rustfmt, rustfmt::skip)]\n\n\
         #[derive(Debug, PartialEq, serde::Serialize, cloudspec_runtime::Decode)]\n\
         #[serde(rename_all = \"PascalCase\")]\n\
         pub struct EveryField {\n",
    );
    for name in names {
        text.push_str(&format!("    pub {name}: Option<u32>,\n"));
    }
    text.push_str(
        "}\n\n/// The same fields, written by the runtime's `Encode`.\n\
         #[derive(Debug, PartialEq, cloudspec_runtime::Encode)]\n\
         #[serde(rename_all = \"PascalCase\")]\n\
         pub struct EveryFieldSent {\n",
    );
    for name in names {
        text.push_str(&format!("    pub {name}: Option<u32>,\n"));
    }
    text.push_str(
        "}\n\n/// Each field set to its index in [`NAMES`].\npub fn every() -> EveryField {\n    EveryField {\n",
    );
    for (index, name) in names.iter().enumerate() {
        text.push_str(&format!("        {name}: Some({index}),\n"));
    }
    text.push_str(
        "    }\n}\n\n/// [`every`], to be sent.\npub fn every_sent() -> EveryFieldSent {\n    EveryFieldSent {\n",
    );
    for (index, name) in names.iter().enumerate() {
        text.push_str(&format!("        {name}: Some({index}),\n"));
    }
    text.push_str("    }\n}\n\n/// The field names, without `r#`, in field order.\npub const NAMES: &[&str] = &[\n");
    for name in names {
        text.push_str(&format!("    \"{}\",\n", name.trim_start_matches("r#")));
    }
    text.push_str("];\n");
    text
}

#[test]
fn the_fixture_has_every_seed_field_name() {
    let names = seed_field_names();
    assert!(names.len() > 300, "the specs have more field names than {}", names.len());
    assert!(names.contains("request_id") && names.contains("access_key_id"));
    let expected = fixture(&names);
    let path = repo().join("tests/tests/rename_rule/every_field.rs");
    if std::env::var_os("UPDATE_RENAME_RULE").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == expected,
        "{} is stale: rerun with UPDATE_RENAME_RULE=1 cargo test -p cloudspec-tests --test rename_rule",
        path.display()
    );
}

/// Encoding: serde's names are the generator's, for every field.
#[test]
fn serde_names_every_field_as_the_generator_does() {
    let encoded = serde_json::to_value(every_field::every()).expect("encodes");
    let members: Vec<&String> = encoded.as_object().expect("an object").keys().collect();
    let mut expected: Vec<String> = every_field::NAMES.iter().map(|name| pascal_case(name)).collect();
    expected.sort();
    let mut members: Vec<String> = members.into_iter().cloned().collect();
    members.sort();
    assert_eq!(members, expected);
    assert!(members.contains(&"RequestId".to_owned()));
}

/// The runtime's `Encode` writes what serde writes, member for member.
#[test]
fn encode_names_every_field_as_serde_does() {
    let by_serde = serde_json::to_value(every_field::every()).expect("encodes");
    let by_encode = cloudspec_runtime::json::to_value(&every_field::every_sent()).expect("encodes");
    assert_eq!(by_encode, by_serde);
    // And through the `Serialize` the derive writes.
    assert_eq!(serde_json::to_value(every_field::every_sent()).expect("encodes"), by_serde);
}

/// Decoding: `Decode` reads every member by the generator's name, and reads back what serde wrote.
#[test]
fn decode_reads_every_field_by_the_generators_name() {
    let by_generator: Map<String, Value> =
        every_field::NAMES.iter().enumerate().map(|(index, name)| (pascal_case(name), Value::from(index))).collect();
    let text = serde_json::to_vec(&by_generator).expect("encodes");
    let decoded: every_field::EveryField = cloudspec_runtime::json::from_slice(&text).expect("decodes");
    assert_eq!(decoded, every_field::every());

    let round_trip = serde_json::to_vec(&every_field::every()).expect("encodes");
    let decoded: every_field::EveryField = cloudspec_runtime::json::from_slice(&round_trip).expect("decodes");
    assert_eq!(decoded, every_field::every());

    // A member spelt another way (the field's own name) is not the field's: it is skipped.
    let own_name = br#"{"request_id": 7}"#;
    let decoded: every_field::EveryField = cloudspec_runtime::json::from_slice(own_name).expect("decodes");
    assert_eq!(decoded.request_id, None);
}
