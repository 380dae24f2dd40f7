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
    assert!(summary.contains(" 5 services, 9 actions"), "{summary}");
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
        "specs/cloudspec.schema.json is stale: run `cargo run -p cloudspec-cli -- schema`"
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

/// A copy of the repository's specs in a temporary directory, and an output directory beside it.
/// The corpus's provider and service grown to `actions` actions, as `fakecloud/<name>/2020-01-01.json`.
fn corpus_service(specs: &Path, name: &str, actions: usize) {
    let corpus = repo().join("tests/corpus");
    std::fs::create_dir_all(specs.join(format!("fakecloud/{name}"))).unwrap();
    std::fs::copy(corpus.join("provider.json"), specs.join("fakecloud/provider.json")).unwrap();
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("service.json")).unwrap()).unwrap();
    spec["service"]["name"] = name.into();
    for n in 1..actions {
        let mut action = spec["actions"]["CreateWidget"].clone();
        action.as_object_mut().unwrap().remove("examples");
        spec["actions"][format!("CopyWidget{n}")] = action;
    }
    let path = specs.join(format!("fakecloud/{name}/2020-01-01.json"));
    std::fs::write(path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
}

#[test]
fn check_and_generate_take_one_budget_of_actions_a_crate() {
    // `widgets` (7 actions) over a budget of 3 becomes `widgets`, `widgets-shared` and three parts: a
    // service named `widgets_part2` would take the second part's name.
    let dir = tempfile::tempdir().unwrap();
    corpus_service(dir.path(), "widgets", 7);
    corpus_service(dir.path(), "widgets_part2", 1);
    let specs = dir.path().to_str().unwrap();
    let refused = cloudspec(&["check", specs, "--max-actions-per-crate", "3"]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(
            "error[crate-collision]: service `widgets_part2` would be the crate `cloudspec-fakecloud-widgets-part2`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("widgets_part2/2020-01-01.json:"), "{stderr}");
    assert!(stderr.contains("at: service.name"), "{stderr}");
    assert!(stderr.contains("--max-actions-per-crate 7 or more"), "{stderr}");
    // The same budget as generate's default, and none at all: `widgets` stays one crate.
    for budget in [&[][..], &["--max-actions-per-crate", "0"]] {
        let accepted = cloudspec(&[&["check", specs][..], budget].concat());
        assert_eq!(accepted.status.code(), Some(0), "{}", String::from_utf8_lossy(&accepted.stderr));
    }
    // generate refuses it with the same diagnostic, before writing anything.
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    let generate = |budget: &str| {
        Command::new(env!("CARGO_BIN_EXE_cloudspec"))
            .args(["generate", "--layout", "crate-per-service", "--specs", specs, "--out", out.to_str().unwrap()])
            .args(["--max-actions-per-crate", budget])
            .output()
            .unwrap()
    };
    let refused = generate("3");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("error[crate-collision]"));
    assert!(!out.exists());
    assert_eq!(generate("7").status.code(), Some(0));
}

fn workspace_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("specs"), &dir.path().join("specs"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() { copy_dir(&path, &target) } else { std::fs::copy(&path, &target).map(|_| ()).unwrap() }
    }
}

fn generate_in(dir: &Path, extra: &[&str]) -> Output {
    let specs = dir.join("specs");
    let out = dir.join("out");
    Command::new(env!("CARGO_BIN_EXE_cloudspec"))
        .args(["generate", "--specs", specs.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn generate_reports_changes_rewrites_only_what_changed_and_checks() {
    let dir = workspace_copy();
    let first = generate_in(dir.path(), &[]);
    assert_eq!(first.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.contains("added action tencentcloud::apigateway::v20180808::create_api_key"), "{stdout}");
    assert_eq!(generate_in(dir.path(), &["--check"]).status.code(), Some(0));

    // Nothing changed: nothing is rewritten (modification times stay).
    let lib = dir.path().join("out/src/lib.rs");
    let before = std::fs::metadata(&lib).unwrap().modified().unwrap();
    let again = generate_in(dir.path(), &[]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 created, 0 updated, 0 removed"));
    assert_eq!(std::fs::metadata(&lib).unwrap().modified().unwrap(), before);

    // A spec change: --check shows a unified diff and fails; generate reports the changed action.
    let spec = dir.path().join("specs/tencentcloud/teo/2022-09-01.json");
    let text = std::fs::read_to_string(&spec).unwrap().replace("Zone ID.", "The zone's ID.");
    std::fs::write(&spec, text).unwrap();
    let check = generate_in(dir.path(), &["--check"]);
    assert_eq!(check.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&check.stdout);
    assert!(diff.contains("-    /// Zone ID.") && diff.contains("+    /// The zone's ID."), "{diff}");
    assert!(diff.contains("--- a/src/tencentcloud/teo/v20220901/modify_multi_path_gateway_secret_key.rs"), "{diff}");
    let update = generate_in(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&update.stdout);
    assert!(
        stdout.contains("changed action tencentcloud::teo::v20220901::modify_multi_path_gateway_secret_key"),
        "{stdout}"
    );
}

#[test]
fn generate_never_leaves_half_an_output_nor_overwrites_foreign_files() {
    let dir = workspace_copy();
    assert_eq!(generate_in(dir.path(), &[]).status.code(), Some(0));
    let snapshot = |path: &Path| std::fs::read_to_string(path).unwrap();
    let lib = dir.path().join("out/src/lib.rs");
    let teo = dir.path().join("out/src/tencentcloud/teo/v20220901/modify_multi_path_gateway_secret_key.rs");
    let (lib_before, teo_before) = (snapshot(&lib), snapshot(&teo));

    // A broken spec: nothing is written.
    let spec = dir.path().join("specs/tencentcloud/teo/2022-09-01.json");
    let good = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, good.replace("\"type\": \"string\"", "\"type\": \"strnig\"")).unwrap();
    let failed = generate_in(dir.path(), &[]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("nothing was generated"));
    assert_eq!((snapshot(&lib), snapshot(&teo)), (lib_before.clone(), teo_before));

    // A file someone wrote by hand where a generated one would go: refused, output untouched.
    std::fs::write(&spec, good.replace("Zone ID.", "Zone.")).unwrap();
    std::fs::write(&lib, "// my own lib.rs\n").unwrap();
    let refused = generate_in(dir.path(), &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("refusing to overwrite"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(snapshot(&lib), "// my own lib.rs\n");
    assert!(!snapshot(&teo).contains("Zone."), "nothing else was written either");
    // No staging directory is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".cloudspec"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn the_command_exits_1_on_a_breaking_change_unless_allowed() {
    let exe = env!("CARGO_BIN_EXE_cloudspec");
    let corpus = repo().join("tests/corpus");
    let tree = || {
        let dir = tempfile::tempdir().unwrap();
        let service = dir.path().join("fakecloud/widgets/2020-01-01.json");
        std::fs::create_dir_all(service.parent().unwrap()).unwrap();
        std::fs::copy(corpus.join("provider.json"), dir.path().join("fakecloud/provider.json")).unwrap();
        std::fs::copy(corpus.join("service.json"), &service).unwrap();
        (dir, service)
    };
    let (old, _) = tree();
    let (new, service) = tree();
    let mut spec: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&service).unwrap()).unwrap();
    spec["actions"]["CreateWidget"]["request"]["Name"]["constraints"]["length"]["max"] = serde_json::json!(10);
    std::fs::write(&service, serde_json::to_string(&spec).unwrap()).unwrap();
    let run = |extra: &[&str]| {
        let mut command = std::process::Command::new(exe);
        command.arg("diff").arg(old.path()).arg(new.path()).args(extra);
        command.output()
    };
    let output = run(&[]).unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("narrowed-constraint") && stdout.contains("recommended release: major"), "{stdout}");
    assert!(stdout.contains("(before 1.0: a minor release;"), "cargo's 0.x rule: {stdout}");
    assert_eq!(run(&["--allow-breaking"]).unwrap().status.code(), Some(0));
    // A git revision of the repository's own specs against the working tree: no change.
    let repo = repo();
    let head = std::process::Command::new(exe).args(["diff", "HEAD", "specs"]).current_dir(&repo).output().unwrap();
    assert_eq!(head.status.code(), Some(0), "{}", String::from_utf8_lossy(&head.stderr));
    let missing = std::process::Command::new(exe)
        .args(["diff", "no-such-revision", "specs"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

/// A copy of the corpus spec whose request has `count` fields of a misspelt type: `count` errors.
fn spec_with_problems(dir: &Path, count: usize) -> PathBuf {
    let corpus = repo().join("tests/corpus");
    let service = dir.join("fakecloud/widgets/2020-01-01.json");
    std::fs::create_dir_all(service.parent().unwrap()).unwrap();
    std::fs::copy(corpus.join("provider.json"), dir.join("fakecloud/provider.json")).unwrap();
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("service.json")).unwrap()).unwrap();
    let request = spec["actions"]["CreateWidget"]["request"].as_object_mut().unwrap();
    for i in 0..count {
        request.insert(format!("Field{i}"), serde_json::json!({ "type": "strnig", "description": "x" }));
    }
    std::fs::write(&service, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    service
}

#[test]
fn check_reports_every_one_of_twenty_thousand_problems_with_its_line() {
    // Each diagnostic once cost a scan of the file before it (issue 14): this many took minutes.
    // The speed is the `check` bench's business (`cargo bench -p cloudspec --bench check`); this
    // asserts that all of them are found, counted and placed.
    let dir = tempfile::tempdir().unwrap();
    let service = spec_with_problems(dir.path(), 20_000);
    let output = cloudspec(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.trim_end().ends_with(": 20000 errors"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("error[unknown-type]").count(), 20_000);
    // The last one sits on the line of the last field's type, in the right column.
    let text = std::fs::read_to_string(&service).unwrap();
    let at = text.rfind("\"strnig\"").unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').unwrap();
    let place = format!("2020-01-01.json:{line}:{column}");
    assert!(stderr.contains(&place), "{place} not in the last diagnostics: {}", &stderr[stderr.len() - 2000..]);
}

#[cfg(unix)]
#[test]
fn generate_never_writes_through_a_link_inside_the_output() {
    let dir = workspace_copy();
    assert_eq!(generate_in(dir.path(), &[]).status.code(), Some(0));
    // `src/tencentcloud` becomes a link to a directory outside the output.
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let linked = dir.path().join("out/src/tencentcloud");
    std::fs::remove_dir_all(&linked).unwrap();
    std::os::unix::fs::symlink(&outside, &linked).unwrap();
    let refused = generate_in(dir.path(), &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("src/tencentcloud") && stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "nothing was written outside the output");
}

fn layout_manifest(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("cloudspec-layout.json")).unwrap();
    assert!(text.lines().next().unwrap().contains("@generated by cloudspec"), "marked generated: {text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn generate_writes_a_layout_manifest_that_finds_every_crate_and_module() {
    let dir = workspace_copy();
    for (layout, out) in [("crate", "out"), ("crate-per-service", "catalogue")] {
        let out = dir.path().join(out);
        let output = Command::new(env!("CARGO_BIN_EXE_cloudspec"))
            .args(["generate", "--layout", layout, "--specs"])
            .arg(dir.path().join("specs"))
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let manifest = layout_manifest(&out);
        assert_eq!((manifest["format_version"].as_u64(), manifest["layout"].as_str()), (Some(1), Some(layout)));
        assert_eq!(manifest["specs"], "../specs", "relative to the output, wherever the command ran");
        let services = manifest["services"].as_array().unwrap();
        assert_eq!(services.len(), 5);
        for service in services {
            let spec = out.join(manifest["specs"].as_str().unwrap()).join(service["spec"].as_str().unwrap());
            assert!(spec.is_file(), "{}", spec.display());
            let krate = out.join(service["crate_dir"].as_str().unwrap());
            let cargo = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
            assert!(cargo.contains(&format!("name = \"{}\"", service["package"].as_str().unwrap())), "{cargo}");
            let module = service["module"].as_str().unwrap().replace("::", "/");
            assert!(krate.join("src").join(module).join("mod.rs").is_file(), "{service}");
        }
        let crates = manifest["crates"].as_array().unwrap();
        assert_eq!(crates.len(), if layout == "crate" { 1 } else { 5 });
    }
}

/// Runs `cloudspec generate` on `specs` into `dir/out`.
fn generate_from(dir: &Path, specs: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloudspec"))
        .arg("generate")
        .arg("--specs")
        .arg(specs)
        .arg("--out")
        .arg(dir.join("out"))
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn generate_from_other_specs_does_not_remove_services_without_force() {
    let dir = workspace_copy();
    assert_eq!(generate_in(dir.path(), &[]).status.code(), Some(0));
    let cloudapi = dir.path().join("out/src/alibabacloud/cloudapi/v20160714/mod.rs");
    assert!(cloudapi.is_file());
    // Another spec tree with only the Tencent specs, into the same output.
    let other = dir.path().join("other");
    copy_dir(&dir.path().join("specs/tencentcloud"), &other.join("tencentcloud"));
    let refused = generate_from(dir.path(), &other, &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("refusing to remove 2 generated service versions"), "{stderr}");
    assert!(stderr.contains("alibabacloud/cloudapi/2016-07-14"), "{stderr}");
    assert!(stderr.contains("alibabacloud/sts/2015-04-01"), "{stderr}");
    assert!(stderr.contains("--out DIR") && stderr.contains("--force"), "{stderr}");
    assert!(cloudapi.is_file(), "nothing was removed");
    assert_eq!(layout_manifest(&dir.path().join("out"))["specs"], "../specs", "nor rewritten");
    // --force: the output now holds what the other tree generates, and says so.
    let forced = generate_from(dir.path(), &other, &["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", String::from_utf8_lossy(&forced.stderr));
    assert!(!cloudapi.exists());
    assert_eq!(layout_manifest(&dir.path().join("out"))["specs"], "../other");
}

#[test]
fn generate_removes_a_service_whose_spec_was_deleted_from_its_own_tree() {
    let dir = workspace_copy();
    assert_eq!(generate_in(dir.path(), &[]).status.code(), Some(0));
    std::fs::remove_dir_all(dir.path().join("specs/alibabacloud/cloudapi")).unwrap();
    let removed = generate_in(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&removed.stdout);
    assert_eq!(removed.status.code(), Some(0), "{}", String::from_utf8_lossy(&removed.stderr));
    assert!(stdout.contains("removed module alibabacloud::cloudapi::v20160714"), "{stdout}");
    assert!(!dir.path().join("out/src/alibabacloud/cloudapi").join("v20160714/mod.rs").exists());
}

#[test]
fn generate_into_an_output_without_a_manifest_removes_nothing_without_force() {
    let dir = workspace_copy();
    assert_eq!(generate_in(dir.path(), &[]).status.code(), Some(0));
    std::fs::remove_file(dir.path().join("out/cloudspec-layout.json")).unwrap();
    // Regenerating what is there removes nothing: no question arises.
    assert_eq!(generate_in(dir.path(), &[]).status.code(), Some(0));
    std::fs::remove_file(dir.path().join("out/cloudspec-layout.json")).unwrap();
    std::fs::remove_dir_all(dir.path().join("specs/alibabacloud/cloudapi")).unwrap();
    let refused = generate_in(dir.path(), &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("has no cloudspec-layout.json") && stderr.contains("--force"), "{stderr}");
    assert!(stderr.contains("src/alibabacloud/cloudapi/v20160714/mod.rs"), "{stderr}");
    assert!(dir.path().join("out/src/alibabacloud/cloudapi/v20160714/mod.rs").is_file());
    assert_eq!(generate_in(dir.path(), &["--force"]).status.code(), Some(0));
    assert!(!dir.path().join("out/src/alibabacloud/cloudapi/v20160714/mod.rs").exists());
}

#[test]
fn import_exits_2_on_a_usage_error_and_1_when_a_version_fails() {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap();
    for args in [
        vec!["import", "tencent", "no/such/dir", "--out", out_arg],
        vec!["import", "alibaba", "no/such/dir", "--out", out_arg],
        vec!["import", "tencent", "tests/import/tencent", "--out", out_arg, "--service", "nosuch"],
    ] {
        let output = cloudspec(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("no/such/dir") || stderr.contains("nosuch"), "{stderr}");
    }
    // One corrupt api.json beside a good one: the good one is imported, the bad one named, exit 1.
    let catalogue = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/import/tencent/apigateway"), &catalogue.path().join("apigateway"));
    let broken = catalogue.path().join("broken/v20200101/api.json");
    std::fs::create_dir_all(broken.parent().unwrap()).unwrap();
    std::fs::write(&broken, "{\"actions\": ").unwrap();
    let output = cloudspec(&["import", "tencent", catalogue.path().to_str().unwrap(), "--out", out_arg]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("broken/v20200101/api.json"), "{stderr}");
    assert!(stderr.contains("1 version(s) could not be imported"), "{stderr}");
    assert!(out.path().join("tencentcloud/apigateway/2018-08-08.json").is_file());
}

#[test]
fn import_tencent_merges_both_packages_or_says_how_to() {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap();
    let (en, cn) = ("tests/import/tencent-merge/en/tccli/services", "tests/import/tencent-merge/cn/tccli/services");
    // Clap refuses half a merge, and a directory beside the packages.
    for args in [
        vec!["import", "tencent", "--english", en, "--out", out_arg],
        vec!["import", "tencent", cn, "--english", en, "--chinese", cn, "--out", out_arg],
        vec!["import", "tencent", "--out", out_arg],
    ] {
        let output = cloudspec(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let output = cloudspec(&["import", "tencent", "--english", en, "--chinese", cn, "--out", out_arg]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("merged 3 service versions: 1 in both packages"), "{stdout}");
    assert!(stdout.contains("not repaired: 1 × the Chinese twin is not JSON either"), "{stdout}");
    assert!(out.path().join("tencentcloud/cnonly/2021-01-01.json").is_file());
}
