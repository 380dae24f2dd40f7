//! Spec trees as `diff` and `release` take them: a directory, or the specs of a git revision.

use std::io::Write;
use std::path::{Path, PathBuf};

use cloudspec::load::SpecSet;

/// A spec tree: the directory itself, or `specs_path` at a git revision, extracted into `scratch`.
pub(crate) fn spec_tree(what: &str, specs_path: &Path, scratch: &Path) -> Result<PathBuf, String> {
    let path = Path::new(what);
    if path.is_dir() {
        return Ok(path.to_path_buf());
    }
    let archive = std::process::Command::new("git")
        .args(["archive", "--format=tar", what, "--"])
        .arg(specs_path)
        .output()
        .map_err(|e| format!("`{what}` is not a directory, and git cannot be run: {e}"))?;
    if !archive.status.success() {
        return Err(format!(
            "`{what}` is neither a directory nor a git revision with {}: {}",
            specs_path.display(),
            String::from_utf8_lossy(&archive.stderr).trim()
        ));
    }
    let mut tar = std::process::Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(scratch)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if let Some(mut stdin) = tar.stdin.take() {
        stdin.write_all(&archive.stdout).map_err(|e| format!("cannot extract `{what}`: {e}"))?;
    }
    match tar.wait() {
        Ok(status) if status.success() => Ok(scratch.join(specs_path)),
        _ => Err(format!("cannot extract {} at `{what}`", specs_path.display())),
    }
}

/// Loads the tree `what` (a directory, or `specs_path` at a git revision, extracted into `scratch`):
/// its path and its specs. Specs that do not load are left out with a warning naming the first.
pub(crate) fn load_tree(what: &str, specs_path: &Path, scratch: &Path) -> Result<(PathBuf, SpecSet), String> {
    let tree = spec_tree(what, specs_path, scratch)?;
    let set = cloudspec::load::load(std::slice::from_ref(&tree)).map_err(|e| e.to_string())?;
    if let Some(problem) = set.diagnostics.iter().find(|d| d.severity == cloudspec::diagnostics::Severity::Error) {
        eprintln!("warning: `{what}` has specs that do not load; they are left out:\n{}", problem.render());
    }
    Ok((tree, set))
}
