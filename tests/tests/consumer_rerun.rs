//! `cloudspec::Builder`'s rerun rules, proved with real cargo builds of a copy of the consumer example
//! (`tests/consumer`): cargo reruns its build script when a spec changes, and only then, and a bad
//! spec fails the build with the rendered diagnostics in cargo's output.
//!
//! The copy is its own workspace (the repository's workspace settings appended, path dependencies
//! pointing back into the repository, the repository's `Cargo.lock`), built into the persistent target
//! directory `target/consumer-rerun`, so after the first run only the copy itself is compiled.

use cloudspec_tests::workspace::{fresh_build_dir, repo, state_dir};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const SERVICE: &str = "specs/tencentcloud/apigateway/2018-08-08.json";

/// Rewrites every relative `path = "…"` in a manifest to an absolute path from `base`.
fn absolute_paths(manifest: &str, base: &Path) -> String {
    let path = regex::Regex::new(r#"\bpath\s*=\s*"([^"]+)""#).unwrap();
    path.replace_all(manifest, |captures: &regex::Captures| {
        let value = Path::new(&captures[1]);
        if value.is_absolute() {
            return captures[0].to_string();
        }
        let absolute = base.join(value).canonicalize().unwrap_or_else(|e| panic!("{}: {e}", value.display()));
        format!("path = \"{}\"", absolute.display().to_string().replace('\\', "\\\\"))
    })
    .into_owned()
}

/// The consumer's manifest, made its own workspace: the repository's root manifest (its workspace
/// package fields, dependencies and lints, without its members) appended.
fn standalone_manifest() -> String {
    let repo = repo();
    let consumer = fs::read_to_string(repo.join("tests/consumer/Cargo.toml")).unwrap();
    let root = fs::read_to_string(repo.join("Cargo.toml")).unwrap();
    let members = regex::Regex::new(r"(?ms)^\s*(members|default-members|exclude)\s*=\s*\[.*?\]\s*$").unwrap();
    let root = members.replace_all(&root, "");
    format!(
        "{}\n# The repository's workspace settings, appended by tests/tests/consumer_rerun.rs.\n{}",
        absolute_paths(&consumer, &repo.join("tests/consumer")),
        absolute_paths(&root, &repo)
    )
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else {
            fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// The variables cargo sets when it runs a test (`CARGO`, the cargo to run, is kept).
fn set_by_cargo_for_tests(name: &str) -> bool {
    ["CARGO_MANIFEST_DIR", "CARGO_MANIFEST_PATH", "CARGO_CRATE_NAME", "CARGO_BIN_NAME", "CARGO_PRIMARY_PACKAGE"]
        .contains(&name)
        || ["CARGO_TARGET_TMPDIR", "CARGO_RUSTC_CURRENT_DIR", "OUT_DIR"].contains(&name)
        || name.starts_with("CARGO_PKG_")
        || name.starts_with("CARGO_BIN_EXE_")
}

struct Consumer {
    dir: PathBuf,
    target: PathBuf,
    offline: bool,
    /// Held while the copy is in use, so that concurrent runs of this test take turns.
    _lock: fs::File,
}

struct Build {
    success: bool,
    output: String,
}

impl Build {
    /// Whether cargo ran the consumer's build script (`cargo -v` prints the command it runs).
    fn ran_build_script(&self) -> bool {
        self.output.lines().any(|line| {
            line.trim_start().starts_with("Running `")
                && line.contains("cloudspec-consumer-example-")
                && line.contains("build-script-build`")
        })
    }

    fn fresh(&self) -> bool {
        self.output.lines().any(|line| line.trim_start().starts_with("Fresh cloudspec-consumer-example "))
    }
}

impl Consumer {
    /// A fresh copy of `tests/consumer` in `target/consumer-rerun/consumer`.
    fn set_up() -> Consumer {
        let (lock, dir) = fresh_build_dir("consumer");
        let state = state_dir();
        copy_tree(&repo().join("tests/consumer"), &dir);
        fs::write(dir.join("Cargo.toml"), standalone_manifest()).unwrap();
        fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        Consumer { dir, target: state.join("target"), offline: true, _lock: lock }
    }

    fn cargo_build(&self) -> Build {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.current_dir(&self.dir).arg("build").arg("-v").arg("--target-dir").arg(&self.target);
        if self.offline {
            command.arg("--offline");
        }
        // What cargo set for this test (some build scripts, ring's for one, rerun when
        // `CARGO_MANIFEST_DIR` changes) would make the copy's dependencies differ from a plain build.
        for (name, _) in std::env::vars_os() {
            if name.to_str().is_some_and(set_by_cargo_for_tests) {
                command.env_remove(name);
            }
        }
        command
            .env("CARGO_TERM_COLOR", "never")
            .env("CARGO_TERM_PROGRESS_WHEN", "never")
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR");
        let output = command.output().unwrap();
        Build {
            success: output.status.success(),
            output: format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)),
        }
    }

    /// The generated file of the latest build-script run.
    fn generated(&self) -> String {
        let build = self.target.join("debug/build");
        let newest = fs::read_dir(&build)
            .unwrap()
            .filter_map(|entry| {
                let path = entry.unwrap().path().join("out/cloudspec.rs");
                let name = path.parent()?.parent()?.file_name()?.to_str()?.to_owned();
                let modified = fs::metadata(&path).and_then(|m| m.modified()).ok()?;
                name.starts_with("cloudspec-consumer-example-").then_some((modified, path))
            })
            .max_by_key(|(modified, _)| *modified)
            .unwrap_or_else(|| panic!("no cloudspec.rs under {}", build.display()));
        fs::read_to_string(newest.1).unwrap()
    }

    fn spec(&self) -> PathBuf {
        self.dir.join(SERVICE)
    }
}

fn timed(step: &str, build: impl FnOnce() -> Build) -> Build {
    let start = Instant::now();
    let result = build();
    eprintln!("consumer_rerun: {step}: {:.1?}", start.elapsed());
    result
}

#[test]
fn cargo_reruns_the_build_script_when_a_spec_changes_and_only_then() {
    let started = Instant::now();
    let mut consumer = Consumer::set_up();

    // (a) The first build succeeds. Offline: the outer build fetched every dependency; fall back to
    // the network only if the cache lacks something.
    let mut first = timed("first build", || consumer.cargo_build());
    if !first.success {
        eprintln!("consumer_rerun: the offline build failed; retrying online:\n{}", first.output);
        consumer.offline = false;
        first = timed("first build (online)", || consumer.cargo_build());
    }
    assert!(first.success, "the first build failed:\n{}", first.output);
    assert!(first.ran_build_script(), "the first build did not run the build script:\n{}", first.output);
    let original = consumer.generated();
    assert!(original.contains("pub struct CreateApiKeyRequest"), "{original}");
    assert!(!original.contains("rerun_probe"));

    // (b) Nothing changed: the build script does not run again.
    let second = timed("unchanged", || consumer.cargo_build());
    assert!(second.success, "{}", second.output);
    assert!(!second.ran_build_script(), "an unchanged build reran the build script:\n{}", second.output);
    assert!(second.fresh(), "{}", second.output);

    // (c) A new optional parameter of CreateApiKey: the build script reruns and the client has it.
    let mut spec: serde_json::Value = serde_json::from_str(&fs::read_to_string(consumer.spec()).unwrap()).unwrap();
    spec["actions"]["CreateApiKey"]["request"]["RerunProbe"] = serde_json::json!({
        "type": "string",
        "description": "A parameter the rerun test added to the spec.",
    });
    fs::write(consumer.spec(), serde_json::to_string_pretty(&spec).unwrap() + "\n").unwrap();
    let edited = timed("spec edited", || consumer.cargo_build());
    assert!(edited.success, "{}", edited.output);
    assert!(edited.ran_build_script(), "editing the spec did not rerun the build script:\n{}", edited.output);
    let regenerated = consumer.generated();
    assert!(regenerated.contains("rerun_probe: Option<String>,"), "{regenerated}");
    // Its wire name: the struct's rule (`rerun_probe` ↔ `RerunProbe`), or a `rename` of its own.
    let field = regenerated.find("rerun_probe: Option<String>,").unwrap_or_default();
    let container = &regenerated[regenerated[..field].rfind("#[derive(").unwrap_or_default()..field];
    assert!(
        container.contains(r#"#[serde(rename_all = "PascalCase")]"#) || container.contains(r#"rename = "RerunProbe""#),
        "{container}"
    );
    assert!(regenerated.contains("/// A parameter the rerun test added to the spec."), "{regenerated}");
    assert_ne!(regenerated, original);

    // (d) A file the build script does not read changed: no rerun (without rerun-if-changed lines,
    // cargo would rerun it for any change in the package).
    let readme = consumer.dir.join("README.md");
    let text = fs::read_to_string(&readme).expect("tests/consumer has a README.md");
    fs::write(&readme, text + "\nChanged by consumer_rerun.rs.\n").unwrap();
    let unrelated = timed("README edited", || consumer.cargo_build());
    assert!(unrelated.success, "{}", unrelated.output);
    assert!(!unrelated.ran_build_script(), "editing README.md reran the build script:\n{}", unrelated.output);
    assert!(unrelated.fresh(), "{}", unrelated.output);

    // (e) A misspelt type: the build fails, and cargo shows the diagnostic with its location.
    let text = fs::read_to_string(consumer.spec()).unwrap();
    let needle = r#""type": "AccessKeyType""#;
    let at = text.find(needle).expect("CreateApiKey's AccessKeyType parameter");
    let broken = format!("{}\"type\": \"AccessKeyTpye\"{}", &text[..at], &text[at + needle.len()..]);
    fs::write(consumer.spec(), broken).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + r#""type": "#.len() + 1;
    let failed = timed("spec broken", || consumer.cargo_build());
    assert!(!failed.success, "a broken spec built:\n{}", failed.output);
    assert!(failed.ran_build_script(), "{}", failed.output);
    assert!(failed.output.contains("error[unknown-type]: unknown type `AccessKeyTpye`"), "{}", failed.output);
    let location = format!("2018-08-08.json:{line}:{column}");
    assert!(failed.output.contains(&location), "no {location} in:\n{}", failed.output);
    assert!(failed.output.contains("did you mean `AccessKeyType`?"), "{}", failed.output);
    assert!(failed.output.contains("failed to run custom build command for `cloudspec-consumer-example"));

    eprintln!("consumer_rerun: total {:.1?}", started.elapsed());
}
