//! [`Builder`]: generating clients from a build script, as `prost-build` does for protobuf.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     cloudspec::Builder::new()
//!         .specs("specs")
//!         .service("tencentcloud/apigateway/2018-08-08")
//!         .generate()?;
//!     Ok(())
//! }
//! ```
//!
//! ```text
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/cloudspec.rs"));
//! ```

use std::path::{Path, PathBuf};

use crate::diagnostics::Severity;

/// Generates client code for chosen services into `OUT_DIR`.
#[derive(Debug, Clone)]
pub struct Builder {
    specs: PathBuf,
    services: Vec<String>,
    out_dir: Option<PathBuf>,
    file_name: String,
    emit_rerun_if_changed: bool,
}

/// Why a build script could not generate code. Its `Display` and its `Debug` are the rendered
/// diagnostics, as the `cloudspec check` command prints them, so a failed build shows them as they are
/// whether the script panics with `{error}`, unwraps, or returns the error from `main`.
pub struct BuildError {
    message: String,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The rendered diagnostics, not a struct with one escaped string: `build.rs` users see `Debug` when
/// they `unwrap()` or return the error from `main`.
impl std::fmt::Debug for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

impl BuildError {
    fn new(message: impl Into<String>) -> Self {
        BuildError { message: message.into() }
    }
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A builder reading `specs/`, generating every service into `$OUT_DIR/cloudspec.rs`.
    pub fn new() -> Self {
        Builder {
            specs: PathBuf::from("specs"),
            services: Vec::new(),
            out_dir: None,
            file_name: "cloudspec.rs".into(),
            emit_rerun_if_changed: true,
        }
    }

    /// The specs directory (with `<provider>/provider.json` and `<provider>/<service>/<version>.json`).
    pub fn specs(mut self, dir: impl Into<PathBuf>) -> Self {
        self.specs = dir.into();
        self
    }

    /// Generates this service version (`tencentcloud/apigateway/2018-08-08`); call once per service.
    /// Without any, every service under the specs directory is generated.
    pub fn service(mut self, id: impl Into<String>) -> Self {
        self.services.push(id.into());
        self
    }

    /// Where to write (default: the `OUT_DIR` cargo gives build scripts).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The generated file's name (default `cloudspec.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every spec file read (default: yes). Turn it off
    /// when the build script manages its own rerun rules; note that any such line replaces cargo's
    /// default of rerunning on every change in the package.
    pub fn emit_rerun_if_changed(mut self, emit: bool) -> Self {
        self.emit_rerun_if_changed = emit;
        self
    }

    /// Checks the specs and writes the generated file (only when its content changed), returning its
    /// path. On a bad spec, the error carries the rendered diagnostics.
    pub fn generate(self) -> Result<PathBuf, BuildError> {
        let out_dir = match self.out_dir.clone().or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from)) {
            Some(dir) => dir,
            None => {
                return Err(BuildError::new(
                    "no output directory: set `out_dir`, or run from a build script (OUT_DIR)",
                ));
            }
        };
        let paths = self.spec_paths()?;
        let set = crate::load::load(&paths).map_err(|e| BuildError::new(e.to_string()))?;
        if self.emit_rerun_if_changed {
            let mut read: Vec<&Path> = set.services.iter().map(|s| s.file.path.as_path()).collect();
            read.extend(set.providers.values().map(|p| p.file.path.as_path()));
            read.extend(set.missing_providers.values().map(PathBuf::as_path));
            // Every path asked for, even a file that failed to load: fixing it must rerun the script.
            read.extend(paths.iter().map(PathBuf::as_path));
            read.sort();
            read.dedup();
            for path in read {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        let options = crate::Options::new(crate::Layout::SingleFile(self.file_name.clone()), &self.specs);
        let file = match crate::generate(&set, &options) {
            Ok((mut files, _)) => files.pop().ok_or_else(|| BuildError::new("nothing was generated"))?,
            Err(crate::Failure::Specs(report)) => {
                let mut message = String::new();
                for diagnostic in report.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
                    message.push_str(&diagnostic.render());
                    message.push('\n');
                }
                message.push_str(&report.summary_line());
                return Err(BuildError::new(message));
            }
            Err(crate::Failure::Output(error)) => return Err(BuildError::new(error.to_string())),
        };
        let path = out_dir.join(&file.path);
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|current| current == file.contents);
        if !unchanged {
            crate::write_atomically(&path, file.contents.as_bytes())
                .map_err(|e| BuildError::new(format!("cannot write {}: {e}", path.display())))?;
        }
        Ok(path)
    }

    fn spec_paths(&self) -> Result<Vec<PathBuf>, BuildError> {
        if self.services.is_empty() {
            return Ok(vec![self.specs.clone()]);
        }
        self.services
            .iter()
            .map(|id| {
                let parts: Vec<&str> = id.split('/').collect();
                if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || *p == "." || *p == "..") {
                    return Err(BuildError::new(format!(
                        "`{id}` is not a service id: write `<provider>/<service>/<version>`, as in `tencentcloud/apigateway/2018-08-08`"
                    )));
                }
                let path = self.specs.join(format!("{id}.json"));
                if path.is_file() {
                    Ok(path)
                } else {
                    Err(BuildError::new(format!("service `{id}`: no spec at {}", path.display())))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_error_debugs_as_its_rendered_diagnostics() {
        let dir = tempfile::tempdir().unwrap();
        let service = dir.path().join("tencentcloud/demo");
        std::fs::create_dir_all(&service).unwrap();
        std::fs::write(service.join("2020-01-01.json"), "{\n  \"format_version\": 1,\n  \"provider\": 7\n}\n").unwrap();
        let error = Builder::new()
            .specs(dir.path())
            .out_dir(dir.path().join("out"))
            .emit_rerun_if_changed(false)
            .generate()
            .unwrap_err();
        let debug = format!("{error:?}");
        assert_eq!(debug, error.to_string(), "Debug shows what Display shows");
        assert!(debug.contains("2020-01-01.json:"), "located: {debug}");
        assert!(!debug.contains("BuildError {") && !debug.contains("\\n"), "not an escaped string: {debug}");
    }
}
