//! The catalogue layout (`cloudspec generate --layout crate-per-service`): a workspace with one crate
//! per provider service. The seed specs are generated that way, with the example probe, and really
//! built: the generated `catalogue-probe` crate, found through the layout manifest with its crates'
//! features, decodes every documented output through `example_probe` (the JSON-lines protocol the
//! catalogue scripts use), and a body that does not fit its response type, an unknown action and an
//! unknown crate are reported, not accepted.
//!
//! The workspace is built offline with the repository's `Cargo.lock` into the target directory the
//! consumer-rerun test also uses (`target/consumer-rerun/target`), so dependencies are compiled once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cloudspec::layout::{CatalogueOptions, LAYOUT_FILE, LayoutManifest};
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

/// A documented output of the seed specs, for the probe: (crate directory, version module, action, body).
type Output = (String, String, String, String);

/// Every documented success output of the seed specs, found through the layout manifest: each
/// service version's spec file, crate directory and module.
fn documented_outputs(manifest: &LayoutManifest) -> Vec<Output> {
    let mut outputs = Vec::new();
    for service in &manifest.services {
        let path = repo().join("specs").join(&service.spec);
        let spec: serde_json::Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        for (action, body) in spec["actions"].as_object().unwrap() {
            for example in body["examples"].as_array().into_iter().flatten() {
                let Some(output) = example["output"].as_str() else { continue };
                let value: serde_json::Value = serde_json::from_str(output).unwrap();
                let is_error = value.pointer("/Response/Error").is_some() || value.get("Code").is_some();
                if !is_error {
                    outputs.push((service.crate_dir.clone(), service.module.clone(), action.clone(), output.into()));
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
    assert!(files.iter().all(|f| !f.path.starts_with("catalogue-probe")), "nor is the probe crate");
    let manifest: LayoutManifest = serde_json::from_str(&file(LAYOUT_FILE)).unwrap();
    assert_eq!(manifest.probe, None);
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
    // The layout manifest names the probe, and a feature for each crate.
    let manifest = LayoutManifest::read(&dir).unwrap().unwrap();
    let probe = manifest.probe.clone().expect("the manifest lists the probe");
    assert_eq!((probe.package.as_str(), probe.dir.as_str()), ("catalogue-probe", "catalogue-probe"));
    let crate_dirs: Vec<&str> = manifest.crates.iter().map(|c| c.dir.as_str()).collect();
    assert_eq!(crate_dirs, ["alibabacloud-cloudapi", "tencentcloud-apigateway", "tencentcloud-teo"]);
    assert_eq!(probe.features.keys().map(String::as_str).collect::<Vec<_>>(), crate_dirs);
    let workspace = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(workspace.contains("\"catalogue-probe\""), "{workspace}");

    // Every documented output, and three that must not decode: a body that does not fit its response
    // type, an action the service lacks, a crate the catalogue lacks. The probe's protocol: JSON lines.
    let outputs = documented_outputs(&manifest);
    assert!(outputs.len() >= 5, "{outputs:?}");
    let mut examples: Vec<Output> = outputs.clone();
    let apigateway = ("tencentcloud-apigateway".to_string(), "v20180808".to_string());
    let broken = r#"{"Response": {"Result": [1, 2], "RequestId": "x"}}"#;
    examples.push((apigateway.0.clone(), apigateway.1.clone(), "CreateApiKey".into(), broken.into()));
    examples.push((apigateway.0.clone(), apigateway.1.clone(), "NoSuchAction".into(), "{}".into()));
    examples.push(("tencentcloud-nosuch".into(), "v20180808".into(), "CreateApiKey".into(), "{}".into()));
    let lines: Vec<String> = examples
        .iter()
        .enumerate()
        .map(|(id, (krate, module, action, body))| {
            serde_json::json!({"id": id, "crate": krate, "version_module": module, "action": action, "body": body})
                .to_string()
        })
        .collect();
    fs::write(dir.join("examples.jsonl"), lines.join("\n") + "\n").unwrap();
    fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let features: Vec<&str> = probe.features.values().map(String::as_str).collect();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&dir)
        .args(["run", "--offline", "--quiet", "-p", &probe.package, "--features", &features.join(",")])
        .arg("--target-dir")
        .arg(state.join("target"))
        .args(["--", "examples.jsonl", "results.jsonl"])
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PRIMARY_PACKAGE")
        .env_remove("CARGO_CRATE_NAME")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}\n{stderr}", String::from_utf8_lossy(&output.stdout));
    let results: Vec<serde_json::Value> = fs::read_to_string(dir.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(results.len(), examples.len(), "{results:#?}");
    for (id, (result, (krate, _, action, _))) in results.iter().zip(&examples).enumerate() {
        assert_eq!(result["id"], id, "{result}");
        let expected =
            if id < outputs.len() { "ok" } else { ["failed", "unknown-action", "unknown-crate"][id - outputs.len()] };
        assert_eq!(result["status"], expected, "{krate} {action}: {result}");
    }
    let reason = results[outputs.len()]["reason"].as_str().unwrap();
    assert!(reason.starts_with("the response does not match the spec"), "{reason}");
    assert!(stderr.contains(&format!("\"ok\": {}", outputs.len())), "the probe sums up: {stderr}");
}
