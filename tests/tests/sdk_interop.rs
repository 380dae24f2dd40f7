//! The official Python SDKs of Tencent Cloud and Alibaba Cloud work against `cloudspec serve`: each
//! client, pointed at the fake through its endpoint override (plain http on 127.0.0.1), calls every seed
//! action successfully, and a wrong secret gets the provider's authentication error
//! (`AuthFailure.SignatureFailure`, `SignatureDoesNotMatch`).
//!
//! Runs `tests/interop/setup.sh` (a virtualenv with the pinned official packages, from PyPI on the
//! first run), starts the fake in-process on 127.0.0.1 and runs `tests/interop/sdk_interop.py` against
//! it. A missing Python, PyPI or package fails the test; it never skips.

mod interop_common;

use interop_common::{ScriptRun, run_script, set_up};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cloudspec_fake::{FakeCloud, Settings};

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

    set_up(&root).await;

    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let set = cloudspec::load::load(&[specs]).expect("the seed specs load");
    let fake = FakeCloud::start(&set, "127.0.0.1:0".parse().unwrap(), Settings::default())
        .await
        .expect("the fake starts on 127.0.0.1");

    let ScriptRun { ok, denied, stdout } =
        run_script(&root, "sdk_interop.py", vec!["--endpoint".into(), fake.url().into()]).await;
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
