//! cloudspec's request signing equals the official Python SDKs' on at least 1,000 random requests per
//! check: Tencent TC3 (as the SDK builds requests, and with `x-tc-action` signed, as cloudspec sends
//! them), Alibaba ACS3 and the legacy RPC signature; and whole Alibaba requests built by the runtime
//! (ROA paths, queries, JSON and form bodies, headers; RPC parameters in every `style`) equal the ones
//! the official `alibabacloud_tea_openapi` request building makes: method, path, query, body bytes,
//! signed headers and signature.
//!
//! Runs `tests/interop/setup.sh` (a virtualenv with the pinned official packages, from PyPI on the
//! first run) and `tests/interop/signature_crosscheck.py` with the `cloudspec-sign-oracle` binary. A
//! missing Python, PyPI or package fails the test; it never skips.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The checks the script must report, each with at least this many comparisons.
const CHECKS: [&str; 6] = ["tc3", "tc3-action", "acs3", "rpc", "roa", "rpc-request"];
const MIN_COMPARED: u64 = 1000;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace").to_path_buf()
}

fn run(command: &mut Command, what: &str) -> Output {
    command.output().unwrap_or_else(|error| panic!("cannot run {what}: {error}"))
}

fn text(output: &Output) -> String {
    format!(
        "exit status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `compared` and `mismatches` of the script's line `NAME: N compared, M mismatches (...)`.
fn summary(stdout: &str, name: &str) -> Option<(u64, u64)> {
    let line = stdout.lines().find_map(|line| line.strip_prefix(&format!("{name}: ")))?;
    let mut words = line.split_whitespace();
    let compared = words.next()?.parse().ok()?;
    (words.next()? == "compared,").then_some(())?;
    let mismatches = words.next()?.parse().ok()?;
    Some((compared, mismatches))
}

#[test]
fn signing_equals_the_official_python_sdks() {
    let root = workspace();
    let interop = root.join("tests/interop");

    let setup = run(Command::new("bash").arg(interop.join("setup.sh")).current_dir(&root), "tests/interop/setup.sh");
    assert!(setup.status.success(), "tests/interop/setup.sh failed:\n{}", text(&setup));

    let python = interop.join(".venv/bin/python");
    let check = run(
        Command::new(&python)
            .arg(interop.join("signature_crosscheck.py"))
            .args(["--count", &MIN_COMPARED.to_string(), "--oracle", env!("CARGO_BIN_EXE_cloudspec-sign-oracle")])
            .current_dir(&root),
        "tests/interop/signature_crosscheck.py",
    );
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "the signature cross-check failed:\n{}", text(&check));
    for name in CHECKS {
        let (compared, mismatches) = summary(&stdout, name)
            .unwrap_or_else(|| panic!("no `{name}: N compared, M mismatches` line in:\n{}", text(&check)));
        assert!(compared >= MIN_COMPARED, "{name}: only {compared} compared:\n{stdout}");
        assert_eq!(mismatches, 0, "{name}: {mismatches} mismatches:\n{stdout}");
    }
    // Shown by `cargo test -- --nocapture`.
    println!("{stdout}");
}

#[test]
fn reads_the_summary_lines() {
    let stdout = "seed: 1\ntc3: 1000 compared, 0 mismatches (x)\nacs3: 12 compared, 3 mismatches (y)\n";
    assert_eq!(summary(stdout, "tc3"), Some((1000, 0)));
    assert_eq!(summary(stdout, "acs3"), Some((12, 3)));
    assert_eq!(summary(stdout, "rpc"), None);
}
