//! `cloudspec`, the command line: `check`, `generate`, `diff`, `import`, `schema` and `serve`.
//!
//! It wires the library crates together — `cloudspec` (load, check, generate), `cloudspec-import`
//! (catalogues) and `cloudspec-fake` (the fake cloud) — and owns what only a terminal program needs:
//! argument parsing, progress bars and the spec-tree [`diff`]. This library half exists for the
//! binary and its tests; it is not a stable API.

mod commands;
pub mod diff;
mod exit;
mod generate;
mod import;

pub use commands::main;
