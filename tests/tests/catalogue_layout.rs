//! The catalogue layout (`cloudspec generate --layout crate-per-service`): a workspace with one crate
//! per provider service. The seed specs are generated that way, with the example probe, and really
//! built: a small program depending on the three crates decodes every documented output through
//! `example_probe`, and a body that does not fit its response type is reported, not accepted.
//!
//! The workspace is built offline with the repository's `Cargo.lock` into the target directory the
//! consumer-rerun test also uses (`target/consumer-rerun/target`), so dependencies are compiled once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cloudspec::layout::CatalogueOptions;
use cloudspec::{Layout, Options};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

fn state_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => repo().join(dir),
        None => repo().join("target"),
    };
    target.join("consumer-rerun")
}

fn seed_files(example_probe: bool) -> Vec<cloudspec::output::GeneratedFile> {
    let specs = repo().join("specs");
    let set = cloudspec::load::load(std::slice::from_ref(&specs)).unwrap();
    let runtime = repo().join("runtime").display().to_string().replace('\\', "\\\\");
    let runtime_dependency = format!("{{ path = \"{runtime}\" }}");
    let catalogue = CatalogueOptions { runtime_dependency, example_probe, specs: "../specs".into() };
    let (files, _) = cloudspec::generate(&set, &Options::new(Layout::Catalogue(catalogue), &specs))
        .unwrap_or_else(|e| panic!("{e:#?}"));
    files
}

/// Every documented output of the seed specs: (crate directory, version module, action, body).
fn documented_outputs() -> Vec<(String, String, String, String)> {
    let mut outputs = Vec::new();
    for (provider, service, version, module) in [
        ("tencentcloud", "apigateway", "2018-08-08", "v20180808"),
        ("tencentcloud", "teo", "2022-09-01", "v20220901"),
        ("alibabacloud", "cloudapi", "2016-07-14", "v20160714"),
    ] {
        let path = repo().join(format!("specs/{provider}/{service}/{version}.json"));
        let spec: serde_json::Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        for (action, body) in spec["actions"].as_object().unwrap() {
            for example in body["examples"].as_array().into_iter().flatten() {
                let Some(output) = example["output"].as_str() else { continue };
                let value: serde_json::Value = serde_json::from_str(output).unwrap();
                let is_error = value.pointer("/Response/Error").is_some() || value.get("Code").is_some();
                if !is_error {
                    outputs.push((format!("{provider}-{service}"), module.to_string(), action.clone(), output.into()));
                }
            }
        }
    }
    outputs
}

#[test]
fn a_crate_per_service_with_the_providers_errors_at_its_root() {
    let files = seed_files(false);
    let file = |path: &str| {
        files.iter().find(|f| f.path == Path::new(path)).unwrap_or_else(|| panic!("no {path}")).contents.clone()
    };
    let workspace = file("Cargo.toml");
    for member in ["alibabacloud-cloudapi", "tencentcloud-apigateway", "tencentcloud-teo"] {
        assert!(workspace.contains(&format!("\"{member}\"")), "{workspace}");
        let manifest = file(&format!("{member}/Cargo.toml"));
        assert!(manifest.contains(&format!("name = \"cloudspec-{member}\"")), "{manifest}");
        // One version each: no features to choose.
        assert!(!manifest.contains("[features]"), "{manifest}");
    }
    let root = file("tencentcloud-apigateway/src/lib.rs");
    assert!(root.contains("pub enum CommonError"), "the provider's common errors belong at the crate root");
    assert!(root.contains("pub mod v20180808;"));
    let version = file("tencentcloud-apigateway/src/v20180808/mod.rs");
    assert!(version.contains("pub use super::CommonError;"));
    assert!(!version.contains("example_probe"), "the probe is only generated on request");
    assert!(files.iter().all(|f| !f.path.starts_with("examples")), "catalogue crates carry no runnable examples");
    assert!(file("README.md").contains("| `cloudspec-tencentcloud-teo` | 2022-09-01 | 1 |"));
    let readme = file("tencentcloud-apigateway/README.md");
    assert!(readme.contains("use cloudspec_tencentcloud_apigateway::v20180808::{Client, "), "{readme}");
}

#[test]
fn the_generated_workspace_builds_and_its_probe_decodes_every_documented_output() {
    let state = state_dir();
    fs::create_dir_all(&state).unwrap();
    // consumer_rerun uses the same target directory: take turns.
    let lock = fs::File::create(state.join("copy.lock")).unwrap();
    lock.lock().unwrap();
    let dir = state.join("catalogue");
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    for file in seed_files(true) {
        let path = dir.join(&file.path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, file.contents).unwrap();
    }
    // A program that probes each documented output, and one body that must not decode.
    let outputs = documented_outputs();
    assert!(outputs.len() >= 5, "{outputs:?}");
    let mut cases: Vec<String> = outputs
        .iter()
        .map(|(krate, module, action, body)| {
            let library = format!("cloudspec_{}", krate.replace('-', "_"));
            format!("    (\"{action}\", {library}::{module}::example_probe::decode_output({action:?}, {body:?})),")
        })
        .collect();
    cases.push(
        "    (\"broken\", cloudspec_tencentcloud_apigateway::v20180808::example_probe::decode_output(\"CreateApiKey\", \
         r#\"{\"Response\": {\"Result\": [1, 2], \"RequestId\": \"x\"}}\"#)),"
            .into(),
    );
    let main = format!(
        "fn main() {{\n    let cases = [\n{}\n    ];\n    for (name, outcome) in cases {{\n        match outcome {{\n            \
         Some(Ok(())) => println!(\"ok {{name}}\"),\n            Some(Err(reason)) => println!(\"failed {{name}}: {{reason}}\"),\n            \
         None => println!(\"unknown {{name}}\"),\n        }}\n    }}\n}}\n",
        cases.join("\n")
    );
    fs::create_dir_all(dir.join("probe/src")).unwrap();
    fs::write(dir.join("probe/src/main.rs"), main).unwrap();
    let mut probe_manifest =
        String::from("[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\n");
    for member in ["alibabacloud-cloudapi", "tencentcloud-apigateway", "tencentcloud-teo"] {
        probe_manifest.push_str(&format!("cloudspec-{member} = {{ path = \"../{member}\" }}\n"));
    }
    fs::write(dir.join("probe/Cargo.toml"), probe_manifest).unwrap();
    let workspace =
        fs::read_to_string(dir.join("Cargo.toml")).unwrap().replace("members = [\n", "members = [\n    \"probe\",\n");
    fs::write(dir.join("Cargo.toml"), workspace).unwrap();
    fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&dir)
        .args(["run", "--offline", "--quiet", "-p", "probe", "--target-dir"])
        .arg(state.join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PRIMARY_PACKAGE")
        .env_remove("CARGO_CRATE_NAME")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), outputs.len() + 1, "{stdout}");
    for (line, (_, _, action, _)) in lines.iter().zip(&outputs) {
        assert_eq!(*line, format!("ok {action}"), "{stdout}");
    }
    let broken = lines.last().unwrap();
    assert!(broken.starts_with("failed broken: the response does not match the spec"), "{broken}");
}
