//! The malformed-spec corpus: each file under `corpus/cases/` breaks one rule (a few break several), and
//! its rendered diagnostics are asserted by snapshot.
//!
//! A case named `<code>.json` replaces the service spec of a valid two-file tree (`corpus/provider.json`
//! and `corpus/service.json`); `<code>.provider.json` replaces the provider spec. The case's name is the
//! diagnostic code it must produce (a numeric suffix tells cases of one code apart).

use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Lays out a case as a spec tree and returns the rendered diagnostics, the codes, and the error count.
fn run_case(case: &Path) -> (String, Vec<&'static str>, usize) {
    let file_name = case.file_name().unwrap().to_string_lossy().into_owned();
    let is_provider = file_name.ends_with(".provider.json");
    let name = file_name.trim_end_matches(".json").trim_end_matches(".provider");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("fakecloud");
    std::fs::create_dir_all(root.join("widgets")).unwrap();
    let provider = if is_provider { case.to_path_buf() } else { corpus().join("provider.json") };
    let service = if is_provider { corpus().join("service.json") } else { case.to_path_buf() };
    if name != "missing-provider" {
        std::fs::copy(provider, root.join("provider.json")).unwrap();
    }
    std::fs::copy(service, root.join("widgets/2020-01-01.json")).unwrap();

    let set = cloudspec::load::load(&[dir.path().to_path_buf()]).unwrap();
    let report = cloudspec::check::check(&set);
    let prefix = format!("{}/", dir.path().display());
    let mut rendered = String::new();
    for diagnostic in &report.diagnostics {
        rendered.push_str(&diagnostic.render().replace(&prefix, ""));
    }
    rendered.push_str(&report.summary_line());
    rendered.push('\n');
    let codes = report.diagnostics.iter().map(|d| d.code).collect();
    (rendered, codes, report.errors())
}

#[test]
fn the_valid_base_tree_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("fakecloud");
    std::fs::create_dir_all(root.join("widgets")).unwrap();
    std::fs::copy(corpus().join("provider.json"), root.join("provider.json")).unwrap();
    std::fs::copy(corpus().join("service.json"), root.join("widgets/2020-01-01.json")).unwrap();
    let set = cloudspec::load::load(&[dir.path().to_path_buf()]).unwrap();
    let report = cloudspec::check::check(&set);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn every_case_reports_its_problem() {
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(corpus().join("cases")).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus has only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let stem = case.file_name().unwrap().to_string_lossy().replace(".provider.json", "").replace(".json", "");
        let (rendered, codes, errors) = run_case(case);
        // `name-collision-2` → `name-collision`; `invalid-utf8` keeps its digit.
        let expected = stem.trim_start_matches("provider-");
        let expected = match expected.rsplit_once('-') {
            Some((code, n)) if n.chars().all(|c| c.is_ascii_digit()) => code,
            _ => expected,
        };
        if errors == 0 {
            failures.push(format!("{stem}: no error reported"));
        } else if expected.starts_with("several") {
            if errors < 2 {
                failures.push(format!("{stem}: expected several errors, got {errors}"));
            }
        } else if !codes.contains(&expected) {
            failures.push(format!("{stem}: expected a `{expected}` diagnostic, got {codes:?}"));
        }
        insta::with_settings!({ snapshot_path => "snapshots/corpus", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(stem.clone(), rendered);
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
