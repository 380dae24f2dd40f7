//! The spec fuzzer at CI size (issues 14 and 15): the regression cases of `tests/hostile-spec`, a few
//! hundred generated hostile specs and a few hundred mutants of the seed specs, with fixed seeds. Every
//! spec `check` accepts must generate code that compiles without an error or a warning and shows no
//! secret in `Debug`; every spec it rejects must get a located diagnostic; nothing may panic or take
//! longer than 10 s.
//!
//! The accepted specs' code is compiled in `$CARGO_TARGET_DIR/spec-fuzz/` (else `target/spec-fuzz/`),
//! which persists: the first run also checks the runtime's dependencies there (about two minutes in
//! all on two cores); later runs check only the generated code (about one). `spec-fuzz` runs the same at
//! scale (`docs/spec-fuzz.md`): `cargo run -p cloudspec-tests --bin spec-fuzz -- --help`.

use cloudspec_tests::spec_fuzz::campaign::{self, Options, Summary};
use cloudspec_tests::spec_fuzz::compile::{ScratchCrate, repo_root};
use cloudspec_tests::spec_fuzz::mutate::Seeds;
use cloudspec_tests::spec_fuzz::tree::Case;
use cloudspec_tests::spec_fuzz::{self, generate};

/// The seed of the CI runs; a failure names each spec's item, reproduced with `--start`.
const SEED: u64 = 20_240_615;
const GENERATED: u64 = 200;
const MUTANTS: u64 = 200;

fn run(scratch: &str, cases: impl Iterator<Item = Case>) -> Summary {
    let scratch = ScratchCrate::create(scratch).expect("the scratch crate");
    let summary = campaign::run(cases, &scratch, &Options::default(), &mut |_| {}).expect("the fuzz run");
    let _ = std::fs::remove_dir_all(scratch.dir());
    summary
}

fn report(summary: &Summary, reproduce: &str) -> String {
    format!(
        "{}\n{}\n\nfailing specs and their failure classes:\n{}\n\nfailure classes (specs, constructs, smallest example):\n{}\n\n{reproduce}",
        summary.counts(),
        summary.times(),
        summary.failing_specs(),
        summary.classes.summary()
    )
}

/// The regression cases `check` accepts (`tests/hostile-spec/hostilecloud/*/`, see its README: issue
/// 15's cases 1 and 3 and the fuzzer's classes whose specs are valid) must generate code that
/// compiles without a warning and shows no secret. The cases `check` must reject are in the corpus
/// (`tests/corpus/cases/`), where their located diagnostics are snapshots.
#[test]
fn the_regression_cases_compile() {
    let cases = spec_fuzz::regressions(&repo_root()).expect("the regression cases");
    let labels: Vec<&str> = cases.iter().map(|c| c.label.as_str()).collect();
    assert!(cases.len() >= 8, "{labels:?}");
    let tried = cases.len();
    let summary = run("regression", cases.into_iter());
    assert_eq!(summary.tried, tried);
    assert!(
        summary.failed == 0 && summary.accepted == tried,
        "{} of the {tried} regression cases fail, {} are rejected by check:\n{}",
        summary.failed,
        summary.rejected,
        report(
            &summary,
            "each case alone: cloudspec::Builder::new().specs(\"tests/hostile-spec\").service(\"hostilecloud/<case>/2020-01-01\")"
        )
    );
}

#[test]
fn generated_hostile_specs_compile_or_are_rejected() {
    let summary = run("generative", spec_fuzz::generated(SEED, 0, GENERATED));
    assert_eq!(summary.tried as u64, GENERATED);
    assert!(summary.accepted >= 40, "too few generated specs pass check to test the generator: {}", summary.counts());
    assert!(summary.rejected >= 20, "too few generated specs are rejected to test check: {}", summary.counts());
    assert!(
        summary.failed == 0,
        "{}",
        report(
            &summary,
            &format!(
                "reproduce gen-{SEED}-<i>: cargo run -p cloudspec-tests --bin spec-fuzz -- --generative --seed {SEED} --start <i> --count 1 --keep-failures <dir>"
            )
        )
    );
}

#[test]
fn mutants_of_the_seed_specs_compile_or_are_rejected() {
    let seeds = Seeds::load(&repo_root()).expect("the seed specs");
    let summary = run("mutants", spec_fuzz::mutants(seeds, SEED, 0, MUTANTS));
    assert_eq!(summary.tried as u64, MUTANTS);
    assert!(summary.accepted >= 20, "too few mutants pass check to test the generator: {}", summary.counts());
    assert!(
        summary.failed == 0,
        "{}",
        report(
            &summary,
            &format!(
                "reproduce mut-{SEED}-<i>: cargo run -p cloudspec-tests --bin spec-fuzz -- --mutate --seed {SEED} --start <i> --count 1 --keep-failures <dir>"
            )
        )
    );
}

/// The generator and the mutator are functions of their seed: a failure found once is found again.
#[test]
fn a_seed_always_gives_the_same_specs() {
    let seeds = Seeds::load(&repo_root()).expect("the seed specs");
    for i in 0..20 {
        let a = generate::hostile_spec(i, String::new());
        assert_eq!(a.tree, generate::hostile_spec(i, String::new()).tree, "generated spec {i}");
        assert_eq!(seeds.mutant(i, String::new()).tree, seeds.mutant(i, String::new()).tree, "mutant {i}");
    }
    let distinct: std::collections::BTreeSet<usize> =
        (0..20).map(|i| generate::hostile_spec(i, String::new()).tree.len()).collect();
    assert!(distinct.len() > 10, "seeds give too few distinct specs: {distinct:?}");
}

/// The compile step blames the right spec for each message: an error, a warning, a clean unit, and
/// an error rustc reports only once the others are gone (lints do not run on a crate with errors).
#[test]
fn compile_messages_are_traced_to_their_spec() {
    let scratch = ScratchCrate::create("harness").expect("the scratch crate");
    let units = [
        "/// Fine.\npub fn fine() {}\n",
        "/// Wrong.\npub fn wrong() -> u8 { \"text\" }\n",
        "/// Unused.\npub fn unused() { let x = 1; }\n",
        "/// Undocumented below.\npub fn documented() {}\npub fn undocumented() {}\n",
    ];
    let outcomes = scratch.check_all(&units).expect("cargo check");
    let _ = std::fs::remove_dir_all(scratch.dir());
    let codes: Vec<Vec<&str>> =
        outcomes.iter().map(|issues| issues.iter().map(|i| i.code.as_str()).collect()).collect();
    assert_eq!(codes, [vec![], vec!["E0308"], vec!["unused_variables"], vec!["missing_docs"]], "{outcomes:#?}");
}
