//! Checking a spec with many problems: `cargo bench -p cloudspec --bench check`.
//!
//! A copy of the corpus spec with 10,000 request fields of a misspelt type (10,000 diagnostics) and one
//! with 2,500 are loaded, checked and rendered as `cloudspec check` prints them. Each diagnostic once
//! cost a scan of the file up to its position, so checking was quadratic in the number of diagnostics
//! (4,000 took 46 s, issue 14). The bench fails when four times the diagnostics cost more than ten
//! times the time (linear is four, quadratic sixteen), or when 10,000 take more than 10 s.
//!
//! Set `CLOUDSPEC_BENCH_DIAGNOSTICS` to change 10,000.

use std::path::Path;
use std::time::{Duration, Instant};

fn spec_with_problems(dir: &Path, count: usize) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
    let service = dir.join("fakecloud/widgets/2020-01-01.json");
    std::fs::create_dir_all(service.parent().unwrap()).unwrap();
    std::fs::copy(corpus.join("provider.json"), dir.join("fakecloud/provider.json")).unwrap();
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("service.json")).unwrap()).unwrap();
    let request = spec["actions"]["CreateWidget"]["request"].as_object_mut().unwrap();
    for i in 0..count {
        request.insert(format!("Field{i}"), serde_json::json!({ "type": "strnig", "description": "x" }));
    }
    std::fs::write(&service, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
}

/// Load, check and render, as `cloudspec check` does; the median of five runs.
fn time_check(dir: &Path, expected: usize) -> Duration {
    let mut samples: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let set = cloudspec::load::load(&[dir.to_path_buf()]).expect("the specs load");
            let report = cloudspec::check::check(&set);
            let rendered: usize = report.diagnostics.iter().map(|d| d.render().len()).sum();
            let elapsed = start.elapsed();
            assert_eq!(report.errors(), expected, "{}", report.summary_line());
            std::hint::black_box(rendered);
            elapsed
        })
        .collect();
    samples.sort();
    samples[2]
}

fn main() {
    let count: usize = std::env::var("CLOUDSPEC_BENCH_DIAGNOSTICS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let (small, large) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    spec_with_problems(small.path(), count / 4);
    spec_with_problems(large.path(), count);
    let small_time = time_check(small.path(), count / 4);
    let large_time = time_check(large.path(), count);
    let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-9);
    println!(
        "check: {} diagnostics in {:.0} ms, {count} in {:.0} ms ({:.1} µs each); 4× the diagnostics took {ratio:.1}× the time",
        count / 4,
        small_time.as_secs_f64() * 1e3,
        large_time.as_secs_f64() * 1e3,
        large_time.as_secs_f64() * 1e6 / count as f64,
    );
    assert!(ratio < 10.0, "checking grows faster than linearly with the diagnostics: {ratio:.1}× for 4×");
    assert!(large_time < Duration::from_secs(10), "{count} diagnostics took {large_time:?}");
}
