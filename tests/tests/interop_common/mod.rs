//! What the interop tests share: setting up the official SDKs' virtualenv, running their Python
//! scripts against the fake and reading the scripts' summary.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs a command, naming it when it cannot start.
pub fn run(command: &mut Command, what: &str) -> Output {
    command.output().unwrap_or_else(|error| panic!("cannot run {what}: {error}"))
}

/// A command's status and output, for assertion messages.
pub fn text(output: &Output) -> String {
    format!(
        "exit status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `N` and `M` of the scripts' line `sdk interop: N calls ok, M auth failures as expected`.
pub fn summary(stdout: &str) -> Option<(u64, u64)> {
    let line = stdout.lines().find_map(|line| line.strip_prefix("sdk interop: "))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let [ok, "calls", "ok,", denied, "auth", "failures", "as", "expected"] = words.as_slice() else {
        return None;
    };
    Some((ok.parse().ok()?, denied.parse().ok()?))
}

/// Installs the official SDKs into `tests/interop/.venv` (`tests/interop/setup.sh`), on a blocking
/// thread.
pub async fn set_up(root: &Path) {
    let (setup, dir) = (root.join("tests/interop/setup.sh"), root.to_path_buf());
    let setup = tokio::task::spawn_blocking(move || {
        run(Command::new("bash").arg(setup).current_dir(dir), "tests/interop/setup.sh")
    })
    .await
    .unwrap();
    assert!(setup.status.success(), "tests/interop/setup.sh failed:\n{}", text(&setup));
}

/// What an interop script reported.
pub struct ScriptRun {
    /// Calls that verified and got the documented answer.
    pub ok: u64,
    /// Calls with a wrong secret that were refused, as expected.
    pub denied: u64,
    /// Everything it printed.
    pub stdout: String,
}

/// Runs `tests/interop/<script>` with the virtualenv's Python and `args`, on a blocking thread so the
/// fake keeps serving on the test's runtime; fails the test when the script fails or prints no
/// summary.
pub async fn run_script(root: &Path, script: &str, args: Vec<OsString>) -> ScriptRun {
    let interop: PathBuf = root.join("tests/interop");
    let (python, path, dir, what) =
        (interop.join(".venv/bin/python"), interop.join(script), root.to_path_buf(), format!("tests/interop/{script}"));
    let check =
        tokio::task::spawn_blocking(move || run(Command::new(python).arg(path).args(args).current_dir(dir), &what))
            .await
            .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(check.status.success(), "the SDK interop script failed:\n{}", text(&check));
    let (ok, denied) = summary(&stdout).unwrap_or_else(|| {
        panic!("no `sdk interop: N calls ok, M auth failures as expected` line in:\n{}", text(&check))
    });
    ScriptRun { ok, denied, stdout }
}

#[test]
fn reads_the_summary_line() {
    let stdout = "ok   x: y\nsdk interop: 8 calls ok, 4 auth failures as expected\n";
    assert_eq!(summary(stdout), Some((8, 4)));
    let stdout = "ok   x: y\nsdk interop: 16 calls ok, 4 auth failures as expected\n";
    assert_eq!(summary(stdout), Some((16, 4)));
    assert_eq!(summary("sdk interop: 8 calls ok\n"), None);
    assert_eq!(summary("nothing\n"), None);
}
