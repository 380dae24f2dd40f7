//! The official Python SDKs of Tencent Cloud and Alibaba Cloud work against `cloudspec serve`: each
//! client, pointed at the fake through its endpoint override (plain http on 127.0.0.1), calls every seed
//! action successfully, and a wrong secret gets the provider's authentication error
//! (`AuthFailure.SignatureFailure`, `SignatureDoesNotMatch`).
//!
//! Runs `tests/interop/setup.sh` (a virtualenv with the pinned official packages, from PyPI on the
//! first run), starts the fake in-process on 127.0.0.1 and runs `tests/interop/sdk_interop.py` against
//! it. A missing Python, PyPI or package fails the test; it never skips.

mod interop_common;

use interop_common::{run, summary, text};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cloudspec::serve::{FakeCloud, Settings};

/// Successful calls the script makes: CreateApiKey (auto, manual, GET with tags), UpdateApiKey,
/// UpdateApiAppKey, ModifyMultiPathGatewaySecretKey, ResetAppSecret (ACS3 and the legacy RPC signature).
const CALLS_OK: u64 = 8;
/// Calls signed with a wrong secret: CreateApiKey, ModifyMultiPathGatewaySecretKey, ResetAppSecret (ACS3
/// and RPC).
const AUTH_FAILURES: u64 = 4;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace").to_path_buf()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdks_work_against_the_fake() {
    let root = workspace();
    let interop = root.join("tests/interop");

    let setup = {
        let (setup, root) = (interop.join("setup.sh"), root.clone());
        tokio::task::spawn_blocking(move || {
            run(Command::new("bash").arg(setup).current_dir(root), "tests/interop/setup.sh")
        })
        .await
        .unwrap()
    };
    assert!(setup.status.success(), "tests/interop/setup.sh failed:\n{}", text(&setup));

    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let set = cloudspec::load::load(&[specs]).expect("the seed specs load");
    let fake = FakeCloud::start(&set, "127.0.0.1:0".parse().unwrap(), Settings::default())
        .await
        .expect("the fake starts on 127.0.0.1");

    // The fake serves on this runtime's workers while the script blocks another thread.
    let check = {
        let (python, script, url) = (interop.join(".venv/bin/python"), interop.join("sdk_interop.py"), fake.url());
        tokio::task::spawn_blocking(move || {
            run(
                Command::new(python).arg(script).args(["--endpoint", &url]).current_dir(root),
                "tests/interop/sdk_interop.py",
            )
        })
        .await
        .unwrap()
    };
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "the SDK interop script failed:\n{}", text(&check));
    let (ok, denied) = summary(&stdout).unwrap_or_else(|| {
        panic!("no `sdk interop: N calls ok, M auth failures as expected` line in:\n{}", text(&check))
    });
    assert_eq!((ok, denied), (CALLS_OK, AUTH_FAILURES), "not every call was made:\n{stdout}");

    // The fake saw the same: every valid call authenticated and processed, every wrong secret refused
    // by the signature check, and nothing else.
    let log = fake.log();
    let processed: Vec<_> = log.iter().filter(|entry| entry.processed).collect();
    assert_eq!(processed.len() as u64, CALLS_OK, "processed requests: {log:#?}");
    assert!(processed.iter().all(|entry| entry.error.is_none() && entry.status == 200), "{log:#?}");
    for (action, count) in [
        ("CreateApiKey", 3),
        ("UpdateApiKey", 1),
        ("UpdateApiAppKey", 1),
        ("ModifyMultiPathGatewaySecretKey", 1),
        ("ResetAppSecret", 2),
    ] {
        assert_eq!(fake.processed(action), count, "{action} processed {} times: {log:#?}", fake.processed(action));
    }
    let mut refused: BTreeMap<(String, String), usize> = BTreeMap::new();
    for entry in log.iter().filter(|entry| !entry.processed) {
        let key = (entry.action.clone().unwrap_or_default(), entry.error.clone().unwrap_or_default());
        *refused.entry(key).or_default() += 1;
    }
    let expected: BTreeMap<(String, String), usize> = [
        (("CreateApiKey", "AuthFailure.SignatureFailure"), 1),
        (("ModifyMultiPathGatewaySecretKey", "AuthFailure.SignatureFailure"), 1),
        (("ResetAppSecret", "SignatureDoesNotMatch"), 2),
    ]
    .into_iter()
    .map(|((action, code), count)| ((action.to_string(), code.to_string()), count))
    .collect();
    assert_eq!(refused, expected, "refused requests: {log:#?}");
    fake.stop().await;

    // Shown by `cargo test -- --nocapture`.
    println!("{stdout}");
}

#[test]
fn reads_the_summary_line() {
    let stdout = "ok   x: y\nsdk interop: 8 calls ok, 4 auth failures as expected\n";
    assert_eq!(summary(stdout), Some((8, 4)));
    assert_eq!(summary("sdk interop: 8 calls ok\n"), None);
    assert_eq!(summary("nothing\n"), None);
}
