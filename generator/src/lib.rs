//! cloudspec turns JSON specs of cloud API actions into typed, validated Rust clients.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`spec`] — the serde model of the spec format (and its JSON Schema);
//! 2. [`load`] — reads spec files into that model, keeping every source position for diagnostics;
//! 3. [`check`] — the semantic checks that make a spec fit for generation;
//! 4. [`resolve`] — turns checked specs into the [`ir`], where every Rust name, type and doc line is decided;
//! 5. [`emit`] — prints the IR as Rust with `quote!`, formatted by `prettyplease`;
//! 6. [`layout`] — lays the generated crate out as files, and [`output`] writes or compares them.
//!
//! [`diagnostics`] renders problems with file, line, column, JSON path and hint.

mod builder;
pub mod check;
pub mod diagnostics;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod layout;
pub mod load;
pub mod names;
pub mod output;
mod pipeline;
pub mod resolve;
pub mod spec;

pub use builder::{BuildError, Builder};
pub use pipeline::{Failure, Generated, Layout, Options, generate, generate_to};

use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same directory, so readers never see a
/// half-written file and a failure leaves the old content in place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
