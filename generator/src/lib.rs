//! cloudspec turns JSON specs of cloud API actions into typed, validated Rust clients.
//!
//! Build scripts use [`Builder`] (as `prost-build` users use its `Config`); tools call [`generate`] or
//! [`generate_to`], which check the loaded specs and lay the code out as files ([`plan`]: only the
//! layout). Both run the same
//! pipeline, one module per stage: `spec` (the model; [`spec`]) → `load` (reading, with source
//! positions; [`load`]) → `check` (every rule, and every Rust name decided once; [`check`], with the
//! naming rules in [`names`]) → `resolve` (the IR: types, checks and docs) → `emit` (`quote!`) →
//! `layout` (module trees and crates, formatted in parallel; [`layout`]) → [`output`] (staged,
//! atomic writes). [`diagnostics`] renders problems with file, line, column, JSON path and hint.
//!
//! The public modules are what tools built on cloudspec need — the importers (`cloudspec-import`) write
//! specs in the model and check them, the fake cloud (`cloudspec-fake`) checks requests against them,
//! the CLI writes and compares outputs. The IR and the emitters stay private: generated code is reached
//! through the pipeline, never assembled stage by stage.

mod builder;
pub mod check;
pub mod diagnostics;
mod docs;
mod emit;
mod ir;
pub mod layout;
pub mod load;
mod memo;
pub mod names;
pub mod output;
mod pipeline;
mod resolve;
pub mod spec;

pub use builder::{BuildError, Builder};
pub use pipeline::{Failure, Generated, Layout, Options, generate, generate_to, plan};

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
