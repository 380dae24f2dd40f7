//! Client benchmark: `cargo bench -p cloudspec-tests --bench client`.
//!
//! 1. A whole ROA request: nanoseconds to serialize (path, query styles, JSON body) and sign it. The
//!    signatures alone, against hand-written anchors, are `cargo bench -p cloudspec-runtime --bench
//!    signing` (docs/performance.md).
//! 2. Per-request overhead: sequential calls of a generated client (`UpdateApiAppKey`: validate,
//!    serialize, sign, send, inspect, decode) against a minimal local HTTP server, compared in the
//!    same run with raw reqwest sending the same pre-computed bytes and headers.
//! 3. Decoding a large response: Alibaba ecs `DescribeInstances` with 100 instances (the documented
//!    example's instance, nested six levels deep, repeated; about 330 KB) decoded into the generated
//!    type by the client's path (`envelope::decode`), by a `serde_json::Value` tree then
//!    `json::from_value`, and, as the yardstick, parsed into a `Value` and nothing more.
//! 4. Reading a small answer: the overhead bench's 81-byte Tencent answer inspected and decoded as a
//!    call does (`envelope::decode`), alone and on one thread, so that `--calls=N` under callgrind counts
//!    the instructions of that step without the noise of the other threads' allocations.
//! 5. Encoding a small Alibaba request (`ResetAppSecret`) as the client does for an Alibaba call, as a
//!    `Value` tree (`json::to_value`: written as text, then parsed back), and, for comparison, as text
//!    only (`json::to_vec`): `encode_tree` and `encode_text`, `--calls=N` each, for callgrind.

use std::time::{Duration, Instant};

use cloudspec_apis::tencentcloud::apigateway::v20180808::{Client, UpdateApiAppKeyRequest};
use cloudspec_apis::{Config, Credentials, RateLimit};
use cloudspec_runtime::client::wire::{AlibabaRequest, AlibabaSigning, sign_alibaba};
use cloudspec_runtime::envelope::Protocol;
use cloudspec_runtime::meta::{
    ActionMeta, EndpointsMeta, ParamLocation, ParamMeta, ParamStyle, RegionRule, ServiceMeta,
};
use cloudspec_runtime::signing::tc3;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BODY: &[u8] = br#"{"Response":{"Result":true,"RequestId":"7787aa0e-be74-43c0-b6f6-7bf56995ce2d"}}"#;

/// A keep-alive HTTP/1.1 server that answers every request with `BODY`.
async fn serve(listener: tokio::net::TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        // One write per response and no Nagle delay, or every call waits for a delayed ACK.
        let _ = socket.set_nodelay(true);
        tokio::spawn(async move {
            let mut buffer = Vec::with_capacity(4096);
            let mut chunk = [0u8; 4096];
            loop {
                // Read one request: headers, then Content-Length bytes of body.
                let header_end = loop {
                    if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        break end + 4;
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                };
                let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while buffer.len() < header_end + length {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                }
                buffer.drain(..header_end + length);
                let mut response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    BODY.len()
                )
                .into_bytes();
                response.extend_from_slice(BODY);
                if socket.write_all(&response).await.is_err() {
                    return;
                }
            }
        });
    }
}

/// CPU time of the whole process (every thread: the client, the server and the runtime's workers) from
/// Linux's per-thread scheduler statistics, in nanoseconds; `None` elsewhere. On a loaded machine the
/// CPU a call costs is a steadier figure than its wall time, which includes waiting for a core.
fn process_cpu() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

fn per_op(elapsed: Duration, count: u32) -> f64 {
    elapsed.as_nanos() as f64 / f64::from(count)
}

static CS: ServiceMeta = ServiceMeta {
    name: "cs",
    signing_name: "cs",
    version: "2015-12-15",
    protocol: Protocol::AlibabaRoa,
    endpoints: EndpointsMeta { default: Some("cs.aliyuncs.com"), international: None, regional: None, regions: &[] },
};

static CREATE_POOL: ActionMeta = ActionMeta {
    service: &CS,
    name: "CreateClusterNodePool",
    idempotent: false,
    rate_limit: None,
    region: RegionRule::Optional,
    method: "POST",
    path: "/clusters/{ClusterId}/nodepools",
    sensitive_output: false,
    params: &[
        ParamMeta { name: "ClusterId", location: ParamLocation::Path, style: None },
        ParamMeta { name: "Ids", location: ParamLocation::Query, style: Some(ParamStyle::Simple) },
        ParamMeta { name: "body", location: ParamLocation::Body, style: Some(ParamStyle::Json) },
    ],
    idempotency_token: None,
    status_fields: cloudspec_runtime::meta::StatusFields { code: false, success: false },
};

fn roa_request() {
    let params = serde_json::json!({
        "ClusterId": "c82e6987e2961451182edacd74faf****",
        "Ids": ["i-1", "i-2", "i-3"],
        "body": {
            "nodepool_info": {"name": "pool", "type": "ess"},
            "scaling_group": {"instance_types": ["ecs.g6.large"], "vswitch_ids": ["vsw-1"], "desired_size": 2,
                              "system_disk_size": 120, "tags": [{"key": "k", "value": "v"}]},
        },
    });
    let credentials = Credentials::new("LTAIbench", "bench-secret").unwrap();
    let count = 100_000;
    let started = Instant::now();
    for i in 0..count {
        let nonce = format!("{i:032x}");
        let request = AlibabaRequest::new(&CREATE_POOL, &params).unwrap();
        let signing = AlibabaSigning {
            action: "CreateClusterNodePool",
            version: "2015-12-15",
            host: "cs.cn-hangzhou.aliyuncs.com",
            date: "2023-10-26T10:22:32Z",
            nonce: &nonce,
        };
        std::hint::black_box(sign_alibaba(&request, &signing, &credentials));
    }
    println!("ROA request (serialize path, query, JSON body; sign): {:.0} ns", per_op(started.elapsed(), count));
}

/// Alternating rounds of the per-call measurement.
const ROUNDS: u32 = 10;

/// One side of the overhead bench alone, to profile it: after the same warm-up, only the generated client's
/// or only raw reqwest's calls (`-- overhead --only=client --calls=3000` under `perf record` or valgrind's
/// callgrind; callgrind's CPU has no SHA extensions, so signing counts several times what it costs natively).
#[derive(Clone, Copy, PartialEq)]
enum Only {
    Client,
    Raw,
}

async fn overhead(only: Option<(Only, u32)>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(serve(listener));
    let url = format!("http://{address}/");
    let count = 20_000;

    let client = Client::new(
        Config::new()
            .with_endpoint_url(format!("http://{address}"))
            .with_credentials(Credentials::new("AKIDbench", "bench-secret").unwrap())
            .with_region("ap-guangzhou")
            .with_rate_limit(RateLimit::Disabled),
    );
    let request = UpdateApiAppKeyRequest::builder().api_app_id("app-exxxx").api_app_key("AKID123").build().unwrap();
    // Pre-computed bytes for the raw baseline: the same headers and body a generated call sends.
    let body = serde_json::to_vec(&request).unwrap();
    let raw = reqwest::Client::new();
    let signature = tc3::sign(
        &tc3::Tc3Request {
            method: "POST",
            host: &address.to_string(),
            path: "/",
            canonical_query: "",
            content_type: "application/json; charset=utf-8",
            payload: &body,
            action: Some("UpdateApiAppKey"),
            service: "apigateway",
            timestamp: 1_700_000_000,
        },
        "AKIDbench",
        "bench-secret",
    );
    let send_raw = || {
        raw.post(&url)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-tc-action", "UpdateApiAppKey")
            .header("x-tc-version", "2018-08-08")
            .header("x-tc-timestamp", "1700000000")
            .header("x-tc-region", "ap-guangzhou")
            .header("authorization", &signature.authorization)
            .body(body.clone())
            .send()
    };
    // Warm both connection pools.
    for _ in 0..200 {
        client.update_api_app_key(request.clone()).await.unwrap();
        send_raw().await.unwrap().bytes().await.unwrap();
    }
    if let Some((side, calls)) = only {
        for _ in 0..calls {
            if side == Only::Client {
                std::hint::black_box(client.update_api_app_key(request.clone()).await.unwrap());
            } else {
                std::hint::black_box(send_raw().await.unwrap().bytes().await.unwrap());
            }
        }
        println!("{calls} calls made");
        return;
    }
    let mut generated = Vec::new();
    let mut baseline = Vec::new();
    let (mut generated_cpu, mut baseline_cpu) = (Some(Duration::ZERO), Some(Duration::ZERO));
    let add =
        |sum: Option<Duration>, before: Option<Duration>, after: Option<Duration>| Some(sum? + (after? - before?));
    // Alternate rounds so both see the same machine load.
    for _ in 0..ROUNDS {
        let (started, cpu) = (Instant::now(), process_cpu());
        for _ in 0..count / ROUNDS {
            let response = client.update_api_app_key(request.clone()).await.unwrap();
            std::hint::black_box(response);
        }
        generated.push(started.elapsed());
        generated_cpu = add(generated_cpu, cpu, process_cpu());
        let (started, cpu) = (Instant::now(), process_cpu());
        for _ in 0..count / ROUNDS {
            let response = send_raw().await.unwrap().bytes().await.unwrap();
            std::hint::black_box(response);
        }
        baseline.push(started.elapsed());
        baseline_cpu = add(baseline_cpu, cpu, process_cpu());
    }
    let total = |samples: &[Duration]| samples.iter().sum::<Duration>();
    let generated = per_op(total(&generated), count);
    let baseline = per_op(total(&baseline), count);
    println!(
        "generated client: {:.1} µs per call; raw reqwest with pre-computed bytes: {:.1} µs per call",
        generated / 1e3,
        baseline / 1e3
    );
    println!(
        "client overhead: {:.1} µs per call ({:.0} %)",
        (generated - baseline) / 1e3,
        (generated / baseline - 1.0) * 100.0
    );
    if let (Some(generated), Some(baseline)) = (generated_cpu, baseline_cpu) {
        let (generated, baseline) = (per_op(generated, count), per_op(baseline, count));
        println!(
            "CPU per call (all threads): generated client {:.1} µs, raw reqwest {:.1} µs, ratio {:.3}",
            generated / 1e3,
            baseline / 1e3,
            generated / baseline
        );
    }
}

/// Alibaba ecs `DescribeInstances`: the documented example with its instance repeated 100 times.
fn large_response() -> Vec<u8> {
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/interop/specs/alibabacloud/ecs/2014-05-26.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let example = spec["actions"]["DescribeInstances"]["examples"][0]["output"].as_str().unwrap();
    let mut body: serde_json::Value = serde_json::from_str(example).unwrap();
    let instance = body["Instances"]["Instance"][0].clone();
    let instances: Vec<_> = (0..100)
        .map(|i| {
            let mut instance = instance.clone();
            instance["InstanceId"] = format!("i-bp67acfmxazb4p{i:04}").into();
            instance
        })
        .collect();
    body["Instances"]["Instance"] = instances.into();
    body["TotalCount"] = 100.into();
    serde_json::to_vec_pretty(&body).unwrap()
}

fn decoding() {
    use cloudspec_runtime::envelope::decode;
    use cloudspec_tests::alibaba_interop::alibabacloud::ecs::v20140526::{
        DescribeInstancesError, DescribeInstancesResponse,
    };
    let body = large_response();
    let direct = || {
        decode::<DescribeInstancesResponse, DescribeInstancesError>(Protocol::AlibabaRpc, 200, &body)
            .map_err(|_| "undecodable")
            .unwrap()
    };
    let through_value = || {
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        cloudspec_runtime::json::from_value::<DescribeInstancesResponse>(value).unwrap()
    };
    let parse_only = || serde_json::from_slice::<serde_json::Value>(&body).unwrap();
    let decoded = direct();
    assert_eq!(decoded.instances.as_ref().and_then(|i| i.instance.as_ref()).map(Vec::len), Some(100));
    let count = 40;
    let mut times = [Duration::ZERO; 3];
    // Alternate rounds so all three see the same machine load.
    for _ in 0..10 {
        for (which, time) in times.iter_mut().enumerate() {
            let started = Instant::now();
            for _ in 0..count {
                match which {
                    0 => drop(std::hint::black_box(direct())),
                    1 => drop(std::hint::black_box(through_value())),
                    _ => drop(std::hint::black_box(parse_only())),
                }
            }
            *time += started.elapsed();
        }
    }
    let [direct, through_value, parse_only] = times.map(|time| per_op(time, count * 10) / 1e3);
    println!(
        "decoding {} KB, 100 instances: client path (envelope::decode) {direct:.0} µs ({:.2}× a Value parse); \
         Value tree then json::from_value {through_value:.0} µs ({:.2}×); Value parse alone {parse_only:.0} µs",
        body.len() / 1000,
        direct / parse_only,
        through_value / parse_only,
    );
}

/// The overhead bench's answer, inspected and decoded as a call does, `calls` times.
fn answer(calls: u32) {
    use cloudspec_apis::tencentcloud::apigateway::v20180808::{UpdateApiAppKeyError, UpdateApiAppKeyResponse};
    use cloudspec_runtime::envelope::decode;
    let read = || {
        decode::<UpdateApiAppKeyResponse, UpdateApiAppKeyError>(Protocol::TencentJson, 200, BODY)
            .map_err(|_| "undecodable")
            .unwrap()
    };
    assert_eq!(read().request_id, "7787aa0e-be74-43c0-b6f6-7bf56995ce2d");
    let started = Instant::now();
    for _ in 0..calls {
        drop(std::hint::black_box(read()));
    }
    println!("reading the {}-byte answer: {:.0} ns ({calls} times)", BODY.len(), per_op(started.elapsed(), calls));
}

/// A small Alibaba request encoded `calls` times, as a tree (what an Alibaba call sends) or as text.
fn encode(calls: u32, tree: bool) {
    use cloudspec_apis::alibabacloud::cloudapi::v20160714::ResetAppSecretRequest;
    let request = ResetAppSecretRequest::builder().app_key("60030986").new_app_key("bench-app-key").build().unwrap();
    let started = Instant::now();
    for _ in 0..calls {
        if tree {
            drop(std::hint::black_box(cloudspec_runtime::json::to_value(&request).unwrap()));
        } else {
            drop(std::hint::black_box(cloudspec_runtime::json::to_vec(&request).unwrap()));
        }
    }
    let what = if tree { "as a tree (json::to_value)" } else { "as text (json::to_vec)" };
    println!("encoding ResetAppSecret {what}: {:.0} ns ({calls} times)", per_op(started.elapsed(), calls));
}

/// `cargo bench --bench client [-- NAME…]`: runs the parts whose names (`decoding`, `roa`, `overhead`, `answer`, `encode_tree`, `encode_text`) contain
/// one of the given words, all of them without one (cargo's own `--bench` flag is not a filter).
/// `--only=client|raw --calls=N` makes the overhead part run one side alone, N calls, for a profiler;
/// `--calls=N` alone sets how many times the `answer` and `encode_*` parts run (200,000 without it).
fn main() {
    let option = |name: &str| std::env::args().find_map(|a| a.strip_prefix(name).map(str::to_string));
    let calls = option("--calls=").map(|n| n.parse::<u32>().expect("--calls=N takes a number"));
    let only = match (option("--only=").as_deref(), calls) {
        (None, _) => None,
        (Some("client"), Some(calls)) => Some((Only::Client, calls)),
        (Some("raw"), Some(calls)) => Some((Only::Raw, calls)),
        _ => panic!("--only=client|raw goes with --calls=N"),
    };
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wanted = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
    if wanted("decoding") {
        decoding();
    }
    if wanted("roa") {
        roa_request();
    }
    if wanted("answer") {
        answer(calls.unwrap_or(200_000));
    }
    for (name, tree) in [("encode_tree", true), ("encode_text", false)] {
        if wanted(name) {
            encode(calls.unwrap_or(200_000), tree);
        }
    }
    if wanted("overhead") {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(overhead(only));
    }
}
