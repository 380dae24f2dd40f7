//! What the interop tests share: running the official SDKs' Python scripts and reading their summary.

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
