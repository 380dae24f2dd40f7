//! The spec fuzzer: proof, by many generated and mutated specs, that every spec `cloudspec check`
//! accepts generates code that compiles without a warning, and that no spec makes the library panic
//! or hang (issues 14 and 15).
//!
//! - [`vocabulary`] — hostile names and text; [`generate`] — hostile specs from a seed;
//!   [`mutate`] and [`bytes`] — mutants of the seed specs; [`tree`] — a spec tree in memory;
//! - [`examine`] — the library on one spec, under `catch_unwind` and a watchdog; [`secrets`] —
//!   sensitive fields the generated code would show;
//! - [`compile`] — accepted specs' code compiled in batches, each message traced to its spec;
//! - [`classify`] — failures reduced to distinct classes; [`reduce`] — a failing spec shrunk to a
//!   small repro; [`campaign`] — a whole run.
//!
//! `cargo run -p cloudspec-tests --bin spec-fuzz -- --help` runs it at scale (`docs/spec-fuzz.md`).

pub mod bytes;
pub mod campaign;
pub mod classify;
pub mod compile;
pub mod examine;
pub mod generate;
pub mod mutate;
pub mod reduce;
pub mod rng;
pub mod secrets;
pub mod tree;
pub mod vocabulary;

use std::io;
use std::path::Path;

use rng::item_seed;
use tree::{Case, SpecTree};

/// The `count` hostile specs of run `seed`, from item `start`.
pub fn generated(seed: u64, start: u64, count: u64) -> impl Iterator<Item = Case> {
    (start..start + count).map(move |i| generate::hostile_spec(item_seed(seed, i), format!("gen-{seed}-{i}")))
}

/// The `count` mutants of run `seed`, from item `start`.
pub fn mutants(seeds: mutate::Seeds, seed: u64, start: u64, count: u64) -> impl Iterator<Item = Case> {
    (start..start + count).map(move |i| seeds.mutant(item_seed(seed, i), format!("mut-{seed}-{i}")))
}

/// The regression cases `check` accepts (`tests/hostile-spec/hostilecloud/<case>/`, every service but
/// `weird`, which `build.rs` compiles), each with the provider file, labelled `regression/<case>`.
pub fn regressions(repo: &Path) -> io::Result<Vec<Case>> {
    let root = repo.join("tests/hostile-spec/hostilecloud");
    let all = SpecTree::read_dir(&root, "hostilecloud")?;
    let provider = all.get("hostilecloud/provider.json").unwrap_or_default().to_vec();
    let mut cases = Vec::new();
    for service in all.service_paths() {
        let name = service.split('/').nth(1).unwrap_or_default().to_string();
        if name == "weird" {
            continue;
        }
        let mut tree = SpecTree::new();
        tree.insert("hostilecloud/provider.json", provider.clone());
        tree.insert(service.clone(), all.get(&service).unwrap_or_default().to_vec());
        cases.push(Case { label: format!("regression/{name}"), tree });
    }
    Ok(cases)
}
