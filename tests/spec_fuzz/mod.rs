//! The spec fuzzer: proof, by many generated and mutated specs, that every spec `cloudspec check`
//! accepts generates code that compiles without a warning, and that no spec makes the library panic
//! or hang (issues 14 and 15).
//!
//! - [`vocabulary`] — hostile names and text; [`generate`] — hostile specs from a seed;
//!   [`mutate`] and [`bytes`] — mutants of the seed specs; [`tree`] — a spec tree in memory;
//! - [`examine`] — the library on one spec, under `catch_unwind` and a watchdog;
//! - [`compile`] — accepted specs' code compiled in batches, each message traced to its spec;
//! - [`classify`] — failures reduced to distinct classes; [`campaign`] — a whole run.
//!
//! `cargo run --release -p cloudspec-tests --bin spec-fuzz -- --help` runs it at scale.

pub mod bytes;
pub mod campaign;
pub mod classify;
pub mod compile;
pub mod examine;
pub mod generate;
pub mod mutate;
pub mod rng;
pub mod tree;
pub mod vocabulary;

use rng::item_seed;
use tree::Case;

/// The `count` hostile specs of run `seed`, from item `start`.
pub fn generated(seed: u64, start: u64, count: u64) -> impl Iterator<Item = Case> {
    (start..start + count).map(move |i| generate::hostile_spec(item_seed(seed, i), format!("gen-{seed}-{i}")))
}

/// The `count` mutants of run `seed`, from item `start`.
pub fn mutants(seeds: mutate::Seeds, seed: u64, start: u64, count: u64) -> impl Iterator<Item = Case> {
    (start..start + count).map(move |i| seeds.mutant(item_seed(seed, i), format!("mut-{seed}-{i}")))
}
