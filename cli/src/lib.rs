//! `cloudspec`, the command line: `check`, `generate`, `diff`, `release`, `import`, `schema` and
//! `serve`.
//!
//! It wires the library crates together — `cloudspec` (load, check, generate), `cloudspec-import`
//! (catalogues) and `cloudspec-fake` (the fake cloud) — and owns what only a terminal program needs:
//! argument parsing, progress bars, the spec-tree [`diff`] and the per-crate [`release`] plan. This
//! library half exists for the binary and its tests; it is not a stable API.

mod catalogue_examples;
mod commands;
pub mod diff;
mod exit;
mod generate;
mod import;
pub mod release;
mod trees;

pub use commands::main;
