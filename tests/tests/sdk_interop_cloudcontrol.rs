//! cloudcontrol 2022-08-30's whole-path actions (`POST /api/v1/providers/{provider}/products/{product}/resources/*`
//! in Openmeta, `/{requestPath+}` in the spec): the official Python SDK
//! (`alibabacloud_cloudcontrol20220830`, pinned in `tests/interop/requirements.txt`) sends the caller's
//! `request_path` as the request path; the Rust client cloudspec generates from the imported spec
//! (`tests/interop/specs/alibabacloud/cloudcontrol`, see `tests/import/alibaba-interop/README.md`) must send
//! the same request line, and `cloudspec serve` must route, verify and answer both.
//!
//! Both talk to the fake through a relay that keeps the request lines it forwards (method, path and
//! query, as sent); the test compares them call by call. As `sdk_interop_alibaba.rs`, a missing Python,
//! PyPI or package fails the test; it never skips.

mod interop_common;

use interop_common::{ScriptRun, run_script, set_up};

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudspec_apis::{Config, Credentials, Error, RetryPolicy};
use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, Settings};
use cloudspec_tests::alibaba_interop::alibabacloud::cloudcontrol::v20220830 as cc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The calls both clients make, in order (the Python script's `cloudcontrol_calls`).
const ACTIONS: [&str; 4] = ["CreateResource", "GetResources", "DeleteResource", "GetTask"];
const RESOURCES: &str = "/api/v1/providers/Aliyun/products/Redis/resources/DBInstance";
const REGION: &str = "cn-hangzhou";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace").to_path_buf()
}

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("interop/specs")
}

/// Method, path (as sent) and query pairs (see [`query_values`]).
type RequestLine = (String, String, Vec<(String, String)>);

/// A TCP relay in front of the fake that keeps every byte the clients send, to read their request lines.
struct WireTap {
    url: String,
    sent: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl WireTap {
    async fn start(fake: &FakeCloud) -> WireTap {
        let target: SocketAddr = fake.url().trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let sent: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        let connections = sent.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let connection = {
                    let mut all = connections.lock().unwrap();
                    all.push(Vec::new());
                    all.len() - 1
                };
                let sent = connections.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(target).await else { return };
                    let (mut client_read, mut client_write) = client.into_split();
                    let (mut server_read, mut server_write) = server.into_split();
                    let upstream = async move {
                        let mut buffer = [0u8; 16 * 1024];
                        while let Ok(n) = client_read.read(&mut buffer).await {
                            if n == 0 || server_write.write_all(&buffer[..n]).await.is_err() {
                                break;
                            }
                            sent.lock().unwrap()[connection].extend_from_slice(&buffer[..n]);
                        }
                        let _ = server_write.shutdown().await;
                    };
                    let downstream = async move {
                        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                        let _ = client_write.shutdown().await;
                    };
                    tokio::join!(upstream, downstream);
                });
            }
        });
        WireTap { url, sent }
    }

    /// The request lines sent so far, in order per connection: method, path and query as sent.
    fn request_lines(&self) -> Vec<RequestLine> {
        let line = regex::Regex::new(r"(GET|POST|PUT|PATCH|DELETE|HEAD) (/[^ \r\n]*) HTTP/1\.1\r\n").unwrap();
        let mut out = Vec::new();
        for bytes in self.sent.lock().unwrap().iter() {
            let text = String::from_utf8_lossy(bytes);
            for found in line.captures_iter(&text) {
                let (path, query) = found[2].split_once('?').unwrap_or((&found[2], ""));
                out.push((found[1].to_string(), path.to_string(), query_values(query)));
            }
        }
        out
    }
}

/// A query's pairs, decoded and sorted; a JSON value (a json-style parameter) compared as JSON, since
/// the SDKs space JSON differently.
fn query_values(query: &str) -> Vec<(String, String)> {
    let url = reqwest::Url::parse(&format!("http://x/?{query}")).unwrap();
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| {
            let value = match serde_json::from_str::<serde_json::Value>(&value) {
                Ok(json @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => json.to_string(),
                _ => value.into_owned(),
            };
            (name.into_owned(), value)
        })
        .collect();
    pairs.sort();
    pairs
}

fn config(url: &str, secret: &str) -> Config {
    Config::new()
        .with_endpoint_url(url)
        .with_credentials(Credentials::new(DEFAULT_ID, secret).unwrap())
        .with_region(REGION)
        .with_retry(RetryPolicy {
            max_attempts: 1,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
}

/// The Rust client's half: the calls of the script's `cloudcontrol_calls`, with the same values.
async fn rust_calls(url: &str) {
    let client = cc::Client::new(config(url, DEFAULT_SECRET));
    let account = format!("{RESOURCES}/r-8vbf5abe31c9c4d4/Account");
    let create = cc::CreateResourceRequest::builder()
        .request_path(account.clone())
        .region_id(REGION)
        .client_token("interop-token-create")
        .body(serde_json::json!({"AccountName": "cctest", "AccountPassword": "Aa1234****"}))
        .build()
        .unwrap();
    let created = client.create_resource(create).await.unwrap();
    assert_eq!(created.task_id.as_deref(), Some("task-433aead756057fff8189a7ce5****"), "{created:?}");
    let list = cc::GetResourcesRequest::builder()
        .request_path(RESOURCES)
        .region_id(REGION)
        .filter(serde_json::json!({"EditionType": "Community"}))
        .max_results(10)
        .build()
        .unwrap();
    client.get_resources(list).await.unwrap();
    let delete = cc::DeleteResourceRequest::builder()
        .request_path(format!("{account}/cctest"))
        .region_id(REGION)
        .client_token("interop-token-delete")
        .build()
        .unwrap();
    client.delete_resource(delete).await.unwrap();
    let task = cc::GetTaskRequest::builder().task_id("task-433aead756057fff8189a7ce5").build().unwrap();
    client.get_task(task).await.unwrap();

    // A wrong secret is refused by the fake's signature check.
    let wrong = cc::Client::new(config(url, "not-the-secret"));
    let request = cc::GetResourcesRequest::builder().request_path(RESOURCES).region_id(REGION).build().unwrap();
    let Error::Service(error) = wrong.get_resources(request).await.unwrap_err() else { panic!("not a service error") };
    assert_eq!(error.code(), "SignatureDoesNotMatch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_path_calls_of_the_official_sdk_and_the_generated_client_are_the_same_requests() {
    let root = workspace();
    set_up(&root).await;
    let set = cloudspec::load::load(&[specs()]).expect("the interop specs load");
    let fake = FakeCloud::start(&set, "127.0.0.1:0".parse().unwrap(), Settings::default()).await.unwrap();

    let python = WireTap::start(&fake).await;
    let ScriptRun { ok, denied, stdout } = run_script(
        &root,
        "sdk_interop_alibaba.py",
        vec![
            "--endpoint".into(),
            python.url.clone().into(),
            "--specs".into(),
            specs().into(),
            "--services".into(),
            "cloudcontrol".into(),
        ],
    )
    .await;
    assert_eq!((ok, denied), (ACTIONS.len() as u64, 1), "not every call was made:\n{stdout}");
    let rust = WireTap::start(&fake).await;
    rust_calls(&rust.url).await;

    // The fake routed, verified and answered every call of both (and refused both wrong secrets).
    let log = fake.log();
    for action in ACTIONS {
        let processed = log.iter().filter(|e| e.processed && e.action.as_deref() == Some(action)).count();
        assert_eq!(processed, 2, "{action}: {log:#?}");
    }
    let refused: Vec<_> = log.iter().filter(|e| !e.processed).map(|e| (e.action.clone(), e.error.clone())).collect();
    let wrong = (Some("GetResources".to_string()), Some("SignatureDoesNotMatch".to_string()));
    assert_eq!(refused, [wrong.clone(), wrong], "{log:#?}");

    // The same method, path and query, call by call (the wrong-secret call last).
    let (python, rust) = (python.request_lines(), rust.request_lines());
    assert_eq!(python.len(), ACTIONS.len() + 1, "{python:#?}");
    assert_eq!(python, rust, "the official SDK's requests (left) and the generated client's (right)");
    assert_eq!(python[0].1, format!("{RESOURCES}/r-8vbf5abe31c9c4d4/Account"), "the caller's path, as it is");
    assert_eq!(python[3].1, "/api/v1/tasks/task-433aead756057fff8189a7ce5");
    fake.stop().await;
    // Shown by `cargo test -- --nocapture`.
    println!("{stdout}");
    for (method, path, query) in &python {
        println!("{method} {path} {query:?}");
    }
}

/// The generated validator refuses, when the request is built (so before anything is sent), a request path the runtime would refuse or
/// that leaves the documented shape; and the path is required.
#[tokio::test]
async fn a_request_path_outside_the_documented_shape_is_refused_before_sending() {
    let set = cloudspec::load::load(&[specs()]).expect("the interop specs load");
    let fake = FakeCloud::start(&set, "127.0.0.1:0".parse().unwrap(), Settings::default()).await.unwrap();
    let client = cc::Client::new(config(&fake.url(), DEFAULT_SECRET));
    for bad in [
        format!("{RESOURCES}/../../../../tasks/t-1"),
        format!("{RESOURCES}/./x"),
        format!("{RESOURCES}//x"),
        format!("{RESOURCES}/"),
        "/api/v1/tasks/t-1".to_string(),
        String::new(),
    ] {
        let error = cc::GetResourcesRequest::builder().request_path(bad.clone()).build().unwrap_err();
        let message = error.to_string();
        assert!(message.contains("requestPath") && message.contains("a path of the form"), "{bad:?}: {message}");
    }
    // Without the leading `/`, the documented path is accepted (the runtime adds it).
    let request = cc::GetResourcesRequest::builder().request_path(&RESOURCES[1..]).build().unwrap();
    client.get_resources(request).await.unwrap();
    // The path is required: the builder says so.
    let missing = cc::GetResourcesRequest::builder().region_id(REGION).build().unwrap_err().to_string();
    assert!(missing.contains("request_path") || missing.contains("requestPath"), "{missing}");
    // Only the one valid call reached the fake.
    assert_eq!(fake.log().len(), 1, "{:#?}", fake.log());
    fake.stop().await;
}
