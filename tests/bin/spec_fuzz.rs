//! `spec-fuzz`: the spec fuzzer at scale (issues 14 and 15).
//!
//! ```text
//! cargo run -p cloudspec-tests --bin spec-fuzz -- --seed 2026 --count 12000 --keep-failures target/spec-fuzz/failures
//! ```
//!
//! It generates hostile specs (`--generative`), mutates the seed specs (`--mutate`), or both (the
//! default, half each); runs `load` and `check` on each in process (a panic or a spec slower than
//! `--limit` seconds is a failure; a rejected spec must have a located diagnostic), generates code for
//! the accepted ones and compiles it in batches against the workspace's runtime (an error or a warning
//! is a failure). It prints tried / accepted / rejected / compiled / failed / panics / hangs and the
//! failure classes, keeps the smallest examples of each class under `--keep-failures`, and exits 1
//! when anything failed. `--specs DIR` (repeatable) tries the spec tree under `DIR` (provider
//! directories, as `specs/`) instead. Item `i` of seed `S` is reproduced by `--seed S --start i --count 1`, and
//! `--write-specs DIR` writes every tree tried to `DIR/<label>/` (for `cloudspec check DIR/<label>`).
//! `--reduce R` shrinks the smallest example of each class, in at most `R` rounds, into
//! `<keep-failures>/<class>/minimal/`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use cloudspec_tests::spec_fuzz::tree::{Case, SpecTree};
use cloudspec_tests::spec_fuzz::{self, campaign, compile, mutate::Seeds};

const USAGE: &str = "usage: spec-fuzz [--seed S] [--count N] [--start I] [--generative | --mutate] \
[--specs DIR]... [--keep-failures DIR [--reduce ROUNDS]] [--write-specs DIR] [--batch B] [--limit SECONDS] [--no-compile] [--quiet]";

struct Args {
    seed: u64,
    count: u64,
    start: u64,
    generative: bool,
    mutate: bool,
    keep: Option<PathBuf>,
    write_specs: Option<PathBuf>,
    specs: Vec<PathBuf>,
    reduce: usize,
    options: campaign::Options,
    quiet: bool,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        seed: 1,
        count: 1000,
        start: 0,
        generative: false,
        mutate: false,
        keep: None,
        write_specs: None,
        specs: Vec::new(),
        reduce: 0,
        options: campaign::Options::default(),
        quiet: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value\n{USAGE}"));
        let number =
            |text: String, name: &str| text.parse::<u64>().map_err(|_| format!("{name}: `{text}` is not a number"));
        match arg.as_str() {
            "--seed" => args.seed = number(value("--seed")?, "--seed")?,
            "--count" => args.count = number(value("--count")?, "--count")?,
            "--start" => args.start = number(value("--start")?, "--start")?,
            "--batch" => args.options.batch = number(value("--batch")?, "--batch")?.max(1) as usize,
            "--limit" => args.options.limit = Duration::from_secs(number(value("--limit")?, "--limit")?),
            "--keep-failures" => args.keep = Some(PathBuf::from(value("--keep-failures")?)),
            "--write-specs" => args.write_specs = Some(PathBuf::from(value("--write-specs")?)),
            "--reduce" => args.reduce = number(value("--reduce")?, "--reduce")? as usize,
            "--specs" => args.specs.push(PathBuf::from(value("--specs")?)),
            "--generative" => args.generative = true,
            "--mutate" => args.mutate = true,
            "--no-compile" => args.options.compile = false,
            "--quiet" => args.quiet = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if !args.generative && !args.mutate && args.specs.is_empty() {
        (args.generative, args.mutate) = (true, true);
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let seeds = match Seeds::load(&compile::repo_root()) {
        Ok(seeds) => seeds,
        Err(error) => {
            eprintln!("spec-fuzz: cannot read the seed specs: {error}");
            return ExitCode::from(2);
        }
    };
    // Both kinds: the generated specs of the first half of the range, the mutants of the second.
    let (generated, mutated) = match (args.generative, args.mutate) {
        (true, true) => (args.count.div_ceil(2), args.count / 2),
        (true, false) => (args.count, 0),
        (false, true) => (0, args.count),
        (false, false) => (0, 0),
    };
    let write_specs = args.write_specs.clone();
    let mut given = Vec::new();
    for dir in &args.specs {
        match SpecTree::read_dir(dir, "") {
            Ok(tree) => given.push(Case { label: dir.display().to_string(), tree }),
            Err(error) => {
                eprintln!("spec-fuzz: cannot read {}: {error}", dir.display());
                return ExitCode::from(2);
            }
        }
    }
    let cases = given
        .into_iter()
        .chain(spec_fuzz::generated(args.seed, args.start, generated))
        .chain(spec_fuzz::mutants(seeds, args.seed, args.start, mutated))
        .inspect(move |case| {
            // Every tree as tried, to run `cloudspec check` on: `<DIR>/<label>/`.
            if let Some(dir) = &write_specs {
                let name = case.label.split(' ').next().unwrap_or_default();
                if let Err(error) = case.tree.write_to(&dir.join(name)) {
                    eprintln!("spec-fuzz: cannot write {name}: {error}");
                }
            }
        });
    let scratch = match compile::ScratchCrate::create(&format!("cli-{}", std::process::id())) {
        Ok(scratch) => scratch,
        Err(error) => {
            eprintln!("spec-fuzz: cannot set up the scratch crate: {error}");
            return ExitCode::from(2);
        }
    };
    let quiet = args.quiet;
    let mut progress = |line: &str| {
        if !quiet || !line.starts_with("FAIL") {
            eprintln!("[{:>7.1} s] {line}", started.elapsed().as_secs_f64());
        }
    };
    let summary = match campaign::run(cases, &scratch, &args.options, &mut progress) {
        Ok(summary) => summary,
        Err(error) => {
            eprintln!("spec-fuzz: {error}");
            return ExitCode::from(2);
        }
    };
    println!("{}", summary.classes.summary());
    println!("{}", summary.rejection_codes());
    println!("{}", summary.counts());
    println!("{}; total {:.1} s", summary.times(), started.elapsed().as_secs_f64());
    if let Some(dir) = &args.keep {
        match campaign::keep(&summary, dir) {
            Ok(()) => println!("kept the smallest examples of each class under {}", dir.display()),
            Err(error) => eprintln!("spec-fuzz: cannot keep the failures under {}: {error}", dir.display()),
        }
        let reduced = match args.reduce {
            0 => Ok(()),
            rounds => campaign::reduce_classes(&summary, &scratch, &args.options, rounds, dir, &mut progress),
        };
        if let Err(error) = reduced {
            eprintln!("spec-fuzz: cannot reduce the failures: {error}");
        }
    }
    let _ = std::fs::remove_dir_all(scratch.dir());
    if summary.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
