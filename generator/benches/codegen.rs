//! Code generation benchmark: `cargo bench -p cloudspec --bench codegen`.
//!
//! 1. Times load + check + resolve + emit for the seed specs.
//! 2. Builds a synthetic service of 1,000 actions shaped like the seed actions (250 copies of each of
//!    the four Tencent seed actions, with their shared types), times its generation and reports the
//!    generator's peak memory and the lines emitted per action.
//! 3. Compiles the crate generated from it (debug, dependencies built beforehand) and reports the
//!    compile time and rustc's peak memory, measured by `/usr/bin/time`.
//!
//! Set `CLOUDSPEC_BENCH_SKIP_COMPILE=1` to skip step 3, `CLOUDSPEC_BENCH_ACTIONS` to change 1,000, and
//! `CLOUDSPEC_BENCH_DIR` to keep the synthetic specs and crate in a directory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Load, check, resolve and emit the crate for the specs under `specs`.
fn generate(specs: &Path) -> Vec<cloudspec::output::GeneratedFile> {
    let set = cloudspec::load::load(&[specs.to_path_buf()]).expect("specs load");
    let options = cloudspec::Options::new(cloudspec::Layout::Crate(cloudspec::layout::CrateOptions::default()), specs);
    match cloudspec::generate(&set, &options) {
        Ok((files, _)) => files,
        Err(failure) => panic!("generation failed: {failure:?}"),
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A service of `count` actions copied from the Tencent seed actions.
fn synthetic_spec(dir: &Path, count: usize) {
    let read = |p: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(repo().join("specs").join(p)).unwrap()).unwrap()
    };
    let apigateway = read("tencentcloud/apigateway/2018-08-08.json");
    let teo = read("tencentcloud/teo/2022-09-01.json");
    let mut shapes: Vec<(String, Value)> = apigateway["actions"].as_object().unwrap().clone().into_iter().collect();
    shapes.extend(teo["actions"].as_object().unwrap().clone());
    let mut actions = Map::new();
    for i in 0..count {
        let (name, action) = &shapes[i % shapes.len()];
        let mut action = action.clone();
        let new_name = format!("{name}{i}");
        if let Some(examples) = action["examples"].as_array_mut() {
            for example in examples {
                if let Some(input) = example["input"].as_str() {
                    example["input"] = json!(
                        input
                            .replace(&format!("Action={name}"), &format!("Action={new_name}"))
                            .replace(&format!("X-TC-Action: {name}"), &format!("X-TC-Action: {new_name}"))
                    );
                }
            }
        }
        actions.insert(new_name, action);
    }
    let mut spec = apigateway.clone();
    spec["service"]["name"] = json!("synthetic");
    spec["service"]["version"] = json!("2024-01-01");
    spec["service"]["endpoints"] = json!({"default": "synthetic.tencentcloudapi.com"});
    spec["actions"] = Value::Object(actions);
    let mut sources = spec["sources"].as_object().unwrap().clone();
    sources.extend(teo["sources"].as_object().unwrap().clone());
    spec["sources"] = Value::Object(sources);
    let service_dir = dir.join("tencentcloud/synthetic");
    std::fs::create_dir_all(&service_dir).unwrap();
    std::fs::copy(repo().join("specs/tencentcloud/provider.json"), dir.join("tencentcloud/provider.json")).unwrap();
    std::fs::write(service_dir.join("2024-01-01.json"), serde_json::to_string_pretty(&spec).unwrap()).unwrap();
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let actions: usize = std::env::var("CLOUDSPEC_BENCH_ACTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);

    let seeds = repo().join("specs");
    let samples: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(generate(&seeds));
            start.elapsed()
        })
        .collect();
    println!("seed specs (5 actions): generate median {:.2} ms over 20 runs", median(samples).as_secs_f64() * 1e3);

    // CLOUDSPEC_BENCH_DIR keeps the synthetic specs and crate for inspection.
    let temp = tempfile::tempdir().unwrap();
    let kept = std::env::var_os("CLOUDSPEC_BENCH_DIR").map(PathBuf::from);
    let dir = kept.as_deref().unwrap_or(temp.path());
    let specs = dir.join("specs");
    synthetic_spec(&specs, actions);
    let before = peak_rss_kib();
    let samples: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(generate(&specs));
            start.elapsed()
        })
        .collect();
    let files = generate(&specs);
    let lines: usize = files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
        .map(|f| f.contents.lines().count())
        .sum();
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    println!(
        "synthetic spec ({actions} actions): generate median {:.0} ms over 3 runs; peak RSS of this process {} MiB (before: {} MiB)",
        median(samples).as_secs_f64() * 1e3,
        peak_rss_kib().unwrap_or(0) / 1024,
        before.unwrap_or(0) / 1024,
    );
    println!(
        "  emitted {} files, {lines} lines ({:.0} per action), {:.1} MiB",
        files.len(),
        lines as f64 / actions as f64,
        bytes as f64 / 1048576.0
    );

    if std::env::var_os("CLOUDSPEC_BENCH_SKIP_COMPILE").is_some() {
        return;
    }
    compile(dir, &files);
}

/// Builds the generated crate in debug and reports time and peak memory of its own compilation.
fn compile(dir: &Path, files: &[cloudspec::output::GeneratedFile]) {
    let krate = dir.join("crate");
    let runtime = repo().join("runtime");
    let manifest = format!(
        "[package]\nname = \"synthetic-apis\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\ncloudspec-runtime = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
        runtime.display().to_string()
    );
    let generated_manifest =
        files.iter().find(|f| f.path == Path::new("Cargo.toml")).map(|f| f.contents.as_str()).unwrap_or_default();
    let features = generated_manifest.find("[features]").map(|i| &generated_manifest[i..]).unwrap_or_default();
    let manifest = format!("{manifest}\n{features}");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(krate.join("Cargo.toml"), &manifest).unwrap();
    std::fs::copy(repo().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    // First build only the dependencies, so the measurement covers the generated crate alone.
    std::fs::write(krate.join("src/lib.rs"), "").unwrap();
    let target = dir.join("target");
    let cargo = |args: &[&str]| {
        let mut command = Command::new("/usr/bin/time");
        command.arg("-v").arg("cargo").args(args).current_dir(&krate).env("CARGO_TARGET_DIR", &target);
        command
    };
    let status = cargo(&["build", "-q"]).output().expect("cargo runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    for file in files.iter().filter(|f| f.path.starts_with("src")) {
        let path = krate.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
    let start = Instant::now();
    let output = cargo(&["build", "-q"]).output().expect("cargo runs");
    let elapsed = start.elapsed();
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the generated crate does not compile:\n{report}");
    let peak_kib: u64 = report
        .lines()
        .find(|l| l.contains("Maximum resident set size"))
        .and_then(|l| l.rsplit(':').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    println!(
        "  debug compile of the generated crate: {:.1} s, peak rustc memory {} MiB",
        elapsed.as_secs_f64(),
        peak_kib / 1024
    );
}
