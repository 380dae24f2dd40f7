//! The generated crate's examples, one per seed action, run against `cloudspec serve` (in-process)
//! as a user would run them: endpoint, credentials and region from the environment.

mod common;

use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, Settings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_runs_against_the_fake() {
    let set = cloudspec::load::load(&[common::specs()]).unwrap();
    let fake = FakeCloud::start(&set, "127.0.0.1:0".parse().unwrap(), Settings::default()).await.unwrap();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/examples");
    // Cargo builds examples beside this test's own `deps/` directory, wherever the target directory is
    // (`CARGO_TARGET_DIR`) and whatever the profile.
    let test_binary = std::env::current_exe().unwrap();
    let binaries = test_binary.parent().and_then(std::path::Path::parent).unwrap().join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 9);
    for name in names {
        let binary = binaries.join(&name);
        // `cargo test --workspace` builds every example of every package; run the one it built.
        assert!(
            binary.is_file(),
            "{} is not built: run the workspace's tests with `cargo test --workspace`",
            binary.display()
        );
        let source = std::fs::read_to_string(examples.join(format!("{name}.rs"))).unwrap();
        let region = if source.contains("cloudspec_apis::alibabacloud::") { "cn-hangzhou" } else { "ap-guangzhou" };
        let output = tokio::process::Command::new(&binary)
            .env("CLOUDSPEC_ENDPOINT", fake.url())
            .env("TENCENTCLOUD_SECRET_ID", DEFAULT_ID)
            .env("TENCENTCLOUD_SECRET_KEY", DEFAULT_SECRET)
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEFAULT_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEFAULT_SECRET)
            .env("TENCENTCLOUD_REGION", region)
            .env_remove("ALIBABA_CLOUD_REGION_ID")
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{name}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains("request_id"), "{name}: {stdout}");
    }
    assert_eq!(fake.log().iter().filter(|e| e.processed).count(), 9, "{:#?}", fake.log());
}
