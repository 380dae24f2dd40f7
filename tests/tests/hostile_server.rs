//! The generated clients against a hostile server: a raw TCP server on 127.0.0.1 that writes exact
//! bytes — redirects to another port and to itself, absurd retry hints, endless and oversized bodies,
//! cut and reset bodies, bytes that are not JSON or not UTF-8, numbers out of range, nesting beyond any
//! parser's depth, Alibaba errors with HTTP 200, terminal escapes and bidi controls in messages, and a
//! secret-bearing response of the wrong shape.
//!
//! For each: no panic, a typed error, the exact outcome and attempt count (checked against what the
//! server received), and no secret — credentials, session token, request and response secrets — in
//! the error's `Display`, `Debug` or source chain, nor in any log line of any crate at TRACE level.
//! Every server stops with its test's runtime; every loop is bounded.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use cloudspec_apis::alibabacloud::cloudapi::v20160714 as cloudapi;
use cloudspec_apis::tencentcloud::apigateway::v20180808::*;
use cloudspec_apis::{
    Config, Credentials, Error, Incompleteness, Outcome, RateLimit, RetryPolicy, Timeouts, TransportCause,
};
use cloudspec_tests::hostile::hostilecloud::weird::v20200101 as weird;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SECRET_KEY: &str = "hostile-secret-key-0001";
const SESSION_TOKEN: &str = "hostile-session-token-0002";
const RESPONSE_SECRET: &str = "HostileResponseSecret0003";
const REQUEST_SECRET: &str = "HostileRequestSecret0004";
const NEW_APP_SECRET: &str = "HostileNewAppSecret0005";
const SECRETS: [&str; 5] = [SECRET_KEY, SESSION_TOKEN, RESPONSE_SECRET, REQUEST_SECRET, NEW_APP_SECRET];

// ---------------------------------------------------------------------------------------------------
// Log capture: every log line of every crate, at TRACE, for the whole test binary.

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .try_init();
        captured
    })
}

/// Every log line so far.
fn log_text() -> String {
    String::from_utf8_lossy(&logs().0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
}

/// No secret anywhere: in the texts given, in the logs so far.
fn assert_no_secret(texts: &[String]) {
    let log = log_text();
    for secret in SECRETS {
        assert!(!log.contains(secret), "a secret is in the logs");
        for text in texts {
            assert!(!text.contains(secret), "a secret is shown: {text}");
        }
    }
    for text in texts {
        assert!(!text.contains("Signature="), "a signature is shown: {text}");
    }
}

/// Display, Debug and the source chain of an error: all a user or a reporter can print.
fn shown<E: std::fmt::Debug + std::fmt::Display>(error: &Error<E>) -> Vec<String>
where
    Error<E>: std::error::Error,
{
    let mut texts = vec![error.to_string(), format!("{error:?}")];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        source = cause.source();
    }
    let line = &texts[0];
    assert!(!line.contains('\n') && !line.contains('\u{1b}'), "Display is not one clean line: {line:?}");
    assert_no_secret(&texts);
    texts
}

// ---------------------------------------------------------------------------------------------------
// The raw server.

/// What the server does with one request.
#[derive(Clone)]
enum Script {
    /// Writes the bytes, then closes.
    Bytes(Vec<u8>),
    /// Writes the bytes, waits, then resets the connection (RST).
    ThenReset(Vec<u8>),
    /// Writes the bytes, then holds the connection open without writing.
    ThenStall(Vec<u8>, Duration),
    /// Writes `head`, then `chunk` again and again until the client goes away or `limit` bytes are out.
    Stream { head: Vec<u8>, chunk: Vec<u8>, limit: usize },
}

/// A raw HTTP/1.1 server on 127.0.0.1:0. Each connection carries one request; `script` answers the
/// n-th request (from 0), given the server's own port.
struct RawServer {
    port: u16,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    connections: Arc<AtomicUsize>,
}

type ScriptFn = dyn Fn(usize, u16) -> Script + Send + Sync;

impl RawServer {
    async fn start(script: impl Fn(usize, u16) -> Script + Send + Sync + 'static) -> RawServer {
        RawServer::start_limited(usize::MAX, script).await
    }

    /// A server that accepts `max_connections` connections, then closes its listener (later
    /// connections are refused).
    async fn start_limited(
        max_connections: usize,
        script: impl Fn(usize, u16) -> Script + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let script: Arc<ScriptFn> = Arc::new(script);
        let (seen, count) = (requests.clone(), connections.clone());
        tokio::spawn(async move {
            for _ in 0..max_connections {
                let Ok((stream, _)) = listener.accept().await else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let (seen, script) = (seen.clone(), script.clone());
                tokio::spawn(async move { serve(stream, port, seen, script).await });
            }
        });
        RawServer { port, requests, connections }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn received(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and `Content-Length` body, at most 1 MiB, within 5 s) and plays the script.
async fn serve(mut stream: TcpStream, port: u16, seen: Arc<Mutex<Vec<Vec<u8>>>>, script: Arc<ScriptFn>) {
    let Ok(Some(request)) = tokio::time::timeout(Duration::from_secs(5), read_request(&mut stream)).await else {
        return;
    };
    let index = {
        let mut seen = seen.lock().unwrap();
        seen.push(request);
        seen.len() - 1
    };
    match script(index, port) {
        Script::Bytes(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Script::ThenReset(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
            // Let the client read the head and start on the body, then reset.
            tokio::time::sleep(Duration::from_millis(200)).await;
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Script::ThenStall(bytes, hold) => {
            let _ = stream.write_all(&bytes).await;
            tokio::time::sleep(hold).await;
        }
        Script::Stream { head, chunk, limit } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            let mut written = 0;
            while written < limit {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
                written += chunk.len();
            }
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Some(data);
            }
        }
        if data.len() > 1 << 20 {
            return None;
        }
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..read]);
    }
}

/// An HTTP/1.1 response with a `Content-Length` and `Connection: close`.
fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len()).into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn json_200(body: serde_json::Value) -> Vec<u8> {
    http("200 OK", &[("Content-Type", "application/json")], body.to_string().as_bytes())
}

// ---------------------------------------------------------------------------------------------------
// Clients.

fn credentials() -> Credentials {
    Credentials::new("AKIDhostile", SECRET_KEY).unwrap().with_session_token(SESSION_TOKEN).unwrap()
}

fn config(url: &str) -> Config {
    Config::new()
        .with_endpoint_url(url)
        .with_credentials(credentials())
        .with_region("ap-guangzhou")
        .with_rate_limit(RateLimit::Disabled)
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
        .with_timeouts(Timeouts {
            connect: Duration::from_secs(1),
            attempt: Duration::from_secs(2),
            total: Duration::from_secs(10),
        })
}

/// CreateApiKey with a custom secret: the request body carries `REQUEST_SECRET`.
fn create_with_secret() -> CreateApiKeyRequest {
    CreateApiKeyRequest::builder()
        .secret_name("hostile")
        .access_key_type("manual")
        .access_key_id("AKID_hostile")
        .access_key_secret(REQUEST_SECRET)
        .build()
        .unwrap()
}

/// ResetAppSecret with a new secret: the query carries `NewAppSecret=NEW_APP_SECRET`. The parameter is
/// deprecated by the provider, which is no reason for it to leak.
#[allow(deprecated)]
fn reset_with_secret() -> cloudapi::ResetAppSecretRequest {
    cloudapi::ResetAppSecretRequest::builder().app_key("60030986").new_app_secret(NEW_APP_SECRET).build().unwrap()
}

fn match_request() -> weird::MatchRequest {
    weird::MatchRequest::builder().r#type("t").build().unwrap()
}

fn api_key_body(secret: &str) -> serde_json::Value {
    json!({"Response": {
        "Result": {
            "AccessKeyId": "AKIDnew", "AccessKeySecret": secret, "AccessKeyType": "manual", "SecretName": "hostile",
            "Status": 1, "CreatedTime": "2020-02-26T06:10:01Z", "ModifiedTime": "2020-02-26T06:10:01Z"
        },
        "RequestId": "req-ok"
    }})
}

// ---------------------------------------------------------------------------------------------------
// Redirects.

#[tokio::test]
async fn redirects_to_another_port_are_never_followed() {
    logs();
    for status in
        ["301 Moved Permanently", "302 Found", "303 See Other", "307 Temporary Redirect", "308 Permanent Redirect"]
    {
        let elsewhere = RawServer::start(|_, _| Script::Bytes(json_200(api_key_body("elsewhere")))).await;
        let target = format!("http://127.0.0.1:{}/steal?NewAppSecret={NEW_APP_SECRET}&x=1", elsewhere.port);
        let redirecting = {
            let target = target.clone();
            RawServer::start(move |_, _| Script::Bytes(http(status, &[("Location", &target)], b""))).await
        };
        let code: u16 = status[..3].parse().unwrap();

        let error = Client::new(config(&redirecting.url())).create_api_key(create_with_secret()).await.unwrap_err();
        let Error::Redirect { status: got, location, attempts, host, .. } = &error else { panic!("{error:?}") };
        assert_eq!((*got, *attempts), (code, 1), "{error}");
        assert_eq!(location.as_deref(), Some(format!("127.0.0.1:{}", elsewhere.port).as_str()));
        assert_eq!(host, &format!("127.0.0.1:{}", redirecting.port));
        assert!(error.is_outcome_unknown());
        let texts = shown(&error);
        assert!(texts[0].contains(&format!("HTTP {code}")) && texts[0].contains("never followed"), "{}", texts[0]);
        assert!(!texts.iter().any(|t| t.contains("steal") || t.contains("NewAppSecret")), "{texts:?}");

        // Alibaba: the secret travels in the query, the token in a header.
        let error =
            cloudapi::Client::new(config(&redirecting.url())).reset_app_secret(reset_with_secret()).await.unwrap_err();
        assert!(matches!(error, Error::Redirect { attempts: 1, .. }), "{error:?}");
        shown(&error);

        // A client of the user's own making, which would follow ten redirects: not these.
        let own = reqwest::Client::builder().redirect(reqwest::redirect::Policy::limited(10)).referer(true);
        let error = Client::new(config(&redirecting.url()).with_http_client_builder(own))
            .create_api_key(create_with_secret())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Redirect { attempts: 1, .. }), "{error:?}");

        assert_eq!(redirecting.received(), 3, "{status}: one request per call, no retry");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(elsewhere.connections(), 0, "{status}: the other host received a connection");
    }
    let log = log_text();
    assert!(log.contains("redirect not followed") && log.contains("cloudspec.call"), "the sweep saw no log");
    if std::env::var_os("SWEEP_DUMP").is_some() {
        eprintln!("{log}");
    }
}

#[tokio::test]
async fn a_redirect_loop_sends_the_request_once() {
    logs();
    let server = RawServer::start(|_, port| {
        Script::Bytes(http("307 Temporary Redirect", &[("Location", &format!("http://127.0.0.1:{port}/"))], b""))
    })
    .await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    assert!(matches!(error, Error::Redirect { status: 307, attempts: 1, .. }), "{error:?}");
    shown(&error);
    assert_eq!(server.received(), 1);
    // A relative location, a location that is not a URL: reported without a host.
    for location in ["/again?NewAppSecret=x", "::not a url::"] {
        let server =
            RawServer::start(move |_, _| Script::Bytes(http("302 Found", &[("Location", location)], b""))).await;
        let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
        assert!(matches!(&error, Error::Redirect { location: None, attempts: 1, .. }), "{error:?}");
        assert!(!error.to_string().contains("NewAppSecret"));
        assert_eq!(server.received(), 1);
    }
}

// ---------------------------------------------------------------------------------------------------
// Retry hints.

#[tokio::test]
async fn absurd_retry_hints_neither_crash_nor_stall_the_client() {
    logs();
    let throttled_tencent = |name: &'static str, value: &'static str| {
        let body =
            json!({"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "slow down"}, "RequestId": "t"}});
        http("200 OK", &[(name, value), ("Content-Type", "application/json")], body.to_string().as_bytes())
    };
    let throttled_alibaba = |name: &'static str, value: &'static str| {
        let body = json!({"Code": "Throttling.User", "Message": "slow down", "RequestId": "t"});
        http("400 Bad Request", &[(name, value), ("Content-Type", "application/json")], body.to_string().as_bytes())
    };
    let hints = [
        ("Retry-After", "18446744073709551615"),
        ("Retry-After", "99999999999999999999999999"),
        ("Retry-After", "-5"),
        ("Retry-After", "soon"),
        ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ("Retry-After", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ("x-acs-retry-after", "18446744073709551615"),
        ("x-acs-retry-after", "-1"),
        ("x-acs-retry-after", "NaN"),
    ];
    for (name, value) in hints {
        let started = Instant::now();
        let server = RawServer::start(move |_, _| Script::Bytes(throttled_tencent(name, value))).await;
        let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
        assert!(error.service_error().is_some_and(|e| e.is_throttling()), "{name}: {value}: {error:?}");
        shown(&error);
        // Throttling is retried for every action: all three attempts, each back-off at most 50 ms.
        assert_eq!(server.received(), 3, "{name}: {value}");

        let server = RawServer::start(move |_, _| Script::Bytes(throttled_alibaba(name, value))).await;
        let error =
            cloudapi::Client::new(config(&server.url())).reset_app_secret(reset_with_secret()).await.unwrap_err();
        assert_eq!(error.service_error().map(|e| e.code()), Some("Throttling.User"), "{error:?}");
        shown(&error);
        assert_eq!(server.received(), 3, "{name}: {value}");
        assert!(started.elapsed() < Duration::from_secs(3), "{name}: {value}: {:?}", started.elapsed());
    }

    // A hint that does not fit in the call's total time ends the call at once, after one attempt.
    let server = RawServer::start(move |_, _| Script::Bytes(throttled_tencent("Retry-After", "5"))).await;
    let config = config(&server.url())
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_secs(60),
        })
        .with_timeouts(Timeouts {
            connect: Duration::from_secs(1),
            attempt: Duration::from_secs(1),
            total: Duration::from_secs(2),
        });
    let started = Instant::now();
    let error = Client::new(config).create_api_key(create_with_secret()).await.unwrap_err();
    assert!(matches!(error, Error::Service(_)), "{error:?}");
    assert_eq!(server.received(), 1);
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
}

#[tokio::test]
async fn absurd_timeouts_and_back_offs_do_not_overflow() {
    logs();
    let server = RawServer::start(|index, _| {
        if index == 0 {
            let body =
                json!({"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "m"}, "RequestId": "t"}});
            Script::Bytes(http("200 OK", &[("Retry-After", "0")], body.to_string().as_bytes()))
        } else {
            Script::Bytes(json_200(api_key_body(RESPONSE_SECRET)))
        }
    })
    .await;
    let config = config(&server.url())
        .with_retry(RetryPolicy { max_attempts: u32::MAX, initial_backoff: Duration::MAX, max_backoff: Duration::MAX })
        .with_timeouts(Timeouts { connect: Duration::MAX, attempt: Duration::MAX, total: Duration::MAX });
    let response = Client::new(config).create_api_key(create_with_secret()).await.unwrap();
    assert_eq!(response.request_id, "req-ok");
    assert_eq!(server.received(), 2);
    assert_no_secret(&[format!("{response:?}")]);
}

// ---------------------------------------------------------------------------------------------------
// Bodies: too large, endless, cut, reset, slow.

/// The process's peak resident memory (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_with_bounded_memory() {
    logs();
    let chunk = {
        let data = "a".repeat(64 * 1024);
        format!("{:x}\r\n{data}\r\n", data.len()).into_bytes()
    };
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let server = RawServer::start(move |_, _| Script::Stream {
        head: head.clone(),
        chunk: chunk.clone(),
        // Bounded, and far above the limit: a client that does not stop would read 1 GiB.
        limit: 1 << 30,
    })
    .await;
    let started = Instant::now();
    // The default limit (32 MiB).
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(
        response.incompleteness(),
        Incompleteness::TooLarge { limit: cloudspec_runtime::DEFAULT_MAX_RESPONSE_BYTES, declared: None }
    );
    assert!(response.received() > cloudspec_runtime::DEFAULT_MAX_RESPONSE_BYTES as u64);
    assert!(response.received() <= cloudspec_runtime::DEFAULT_MAX_RESPONSE_BYTES as u64 + 70_000);
    assert_eq!((response.status(), response.attempts()), (200, 1));
    assert!(response.head().is_empty(), "CreateApiKey responses carry secrets: no bytes are kept");
    assert!(error.is_outcome_unknown());
    let texts = shown(&error);
    assert!(texts[0].contains("larger than the 33554432-byte limit"), "{}", texts[0]);
    assert_eq!(server.received(), 1, "a body over the limit is not retried");

    // An idempotent action is not retried either: the same answer would come again.
    let error = weird::Client::new(config(&server.url()).with_max_response_bytes(1 << 20))
        .r#match(match_request())
        .await
        .unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.attempts(), 1);
    assert!(!response.head().is_empty(), "a non-sensitive action keeps the first bytes");
    assert!(response.head().len() <= 1024);
    assert_eq!(server.received(), 2);

    let peak = peak_rss_kib();
    eprintln!("peak RSS (VmHWM) after the endless body: {} MiB", peak / 1024);
    assert!(peak < 256 * 1024, "peak RSS {peak} KiB: the body was not bounded");
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_declared_200_mb_body_is_not_read() {
    logs();
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n".to_vec();
    let server = RawServer::start(move |_, _| Script::Stream {
        head: head.clone(),
        chunk: vec![b' '; 64 * 1024],
        limit: 200 << 20,
    })
    .await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(
        response.incompleteness(),
        Incompleteness::TooLarge { limit: cloudspec_runtime::DEFAULT_MAX_RESPONSE_BYTES, declared: Some(209_715_200) }
    );
    assert_eq!(response.received(), 0);
    let texts = shown(&error);
    assert!(texts[0].contains("declares 209715200 bytes"), "{}", texts[0]);
    assert_eq!(server.received(), 1);
}

#[tokio::test]
async fn a_cut_body_is_sent_and_answered_not_unreachable() {
    logs();
    // Content-Length larger than what is sent, then the server closes.
    let cut = || {
        let mut bytes =
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-acs-request-id: cut-1\r\nContent-Length: 1000\r\n\r\n".to_vec();
        bytes.extend_from_slice(
            &format!(r#"{{"Response": {{"Result": {{"AccessKeySecret": "{RESPONSE_SECRET}""#).into_bytes()[..60],
        );
        bytes
    };
    let server = RawServer::start(move |_, _| Script::Bytes(cut())).await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.incompleteness(), Incompleteness::Closed);
    assert_eq!((response.status(), response.received(), response.attempts()), (200, 60, 1));
    assert_eq!(response.request_id(), Some("cut-1"));
    assert!(error.is_outcome_unknown());
    let texts = shown(&error);
    assert!(texts[0].contains("answered HTTP 200 but the response is incomplete"), "{}", texts[0]);
    assert!(texts[0].contains("connection closed after 60 bytes"), "{}", texts[0]);
    assert!(!texts[0].contains("failed to reach") && !texts[0].contains("not sent"), "{}", texts[0]);
    assert_eq!(server.received(), 1, "CreateApiKey is not idempotent: never repeated");

    // An idempotent action is retried, and every attempt is counted.
    let server = RawServer::start(move |_, _| Script::Bytes(cut())).await;
    let error = weird::Client::new(config(&server.url())).r#match(match_request()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.attempts(), 3);
    assert_eq!(server.received(), 3);
}

#[tokio::test]
async fn a_reset_mid_body_is_sent_and_answered() {
    logs();
    let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n".to_vec();
    bytes.extend_from_slice(b"{\"Response\": {\"RequestId\": \"");
    let server = RawServer::start(move |_, _| Script::ThenReset(bytes.clone())).await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.incompleteness(), Incompleteness::Reset, "{error}");
    assert_eq!((response.status(), response.attempts()), (200, 1));
    assert!(std::error::Error::source(&error).is_some(), "the read error is the source");
    let texts = shown(&error);
    assert!(texts[0].contains("connection was reset after"), "{}", texts[0]);
    assert_eq!(server.received(), 1);
}

#[tokio::test]
async fn a_stalled_body_times_out_as_incomplete() {
    logs();
    let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n".to_vec();
    bytes.extend_from_slice(b"{\"Response\": ");
    let server = RawServer::start(move |_, _| Script::ThenStall(bytes.clone(), Duration::from_secs(3))).await;
    let config = config(&server.url()).with_timeouts(Timeouts {
        connect: Duration::from_secs(1),
        attempt: Duration::from_millis(300),
        total: Duration::from_secs(5),
    });
    let error = Client::new(config).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.incompleteness(), Incompleteness::TimedOut);
    assert_eq!((response.received(), response.attempts()), (13, 1));
    shown(&error);
    assert_eq!(server.received(), 1);
}

#[tokio::test]
async fn an_earlier_attempt_that_may_have_been_processed_is_not_hidden_by_a_later_refusal() {
    logs();
    // One connection, answered with a cut body; then the listener is gone and connections are refused.
    let server = RawServer::start_limited(1, |_, _| {
        Script::Bytes(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Resp".to_vec())
    })
    .await;
    let error = weird::Client::new(config(&server.url())).r#match(match_request()).await.unwrap_err();
    let Error::Transport { outcome, attempts, cause, .. } = &error else { panic!("{error:?}") };
    assert_eq!((*outcome, *attempts, *cause), (Outcome::Unknown, 3, TransportCause::Refused), "{error}");
    assert!(error.is_outcome_unknown());
    assert!(shown(&error)[0].contains("the outcome is unknown"));
    assert_eq!(server.received(), 1);
}

// ---------------------------------------------------------------------------------------------------
// Bytes that are not what the protocol promises.

#[tokio::test]
async fn malformed_bodies_are_undecodable_not_panics() {
    logs();
    let deep = {
        let mut text = String::from(r#"{"Response": {"RequestId": "r", "Result": "#);
        text.push_str(&"[".repeat(100_000));
        text.push_str(&"]".repeat(100_000));
        text.push_str("}}");
        text.into_bytes()
    };
    let mut not_utf8 = br#"{"Response": {"RequestId": "r-"#.to_vec();
    not_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    not_utf8.extend_from_slice(br#"", "Result": {}}}"#);
    let out_of_range = format!(
        r#"{{"Response": {{"Result": {{"AccessKeyId": "a", "AccessKeySecret": "{RESPONSE_SECRET}", "AccessKeyType": "auto", "SecretName": "n", "Status": 1e400, "CreatedTime": "2020-02-26T06:10:01Z", "ModifiedTime": "2020-02-26T06:10:01Z"}}, "RequestId": "r"}}}}"#
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid UTF-8", http("200 OK", &[("Content-Type", "application/json")], &not_utf8)),
        (
            "an HTML error page",
            http("502 Bad Gateway", &[("Content-Type", "text/html")], b"<html><body><h1>502</h1></body></html>"),
        ),
        ("an HTML page with 200", http("200 OK", &[("Content-Type", "text/html")], b"<!doctype html><p>login</p>")),
        ("1e400 in a number field", http("200 OK", &[("Content-Type", "application/json")], out_of_range.as_bytes())),
        ("100,000-deep arrays", http("200 OK", &[("Content-Type", "application/json")], &deep)),
        ("only deep arrays", http("200 OK", &[], "[".repeat(100_000).as_bytes())),
    ];
    for (what, bytes) in cases {
        let expected_len = bytes.len();
        let server = RawServer::start(move |_, _| Script::Bytes(bytes.clone())).await;
        let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
        let Error::Undecodable(response) = &error else { panic!("{what}: {error:?}") };
        assert!(response.body().len() < expected_len && !response.body().is_empty(), "{what}: the body is kept");
        assert!(!error.is_outcome_unknown(), "{what}: a complete answer");
        shown(&error);
        assert_eq!(server.received(), 1, "{what}: CreateApiKey is never repeated");
    }
}

#[tokio::test]
async fn a_secret_bearing_response_of_the_wrong_shape_quotes_no_value() {
    logs();
    let wrong_shapes = [
        // The whole object, double-encoded as a string.
        json!({"Response": {"Result": json!({"AccessKeySecret": RESPONSE_SECRET}).to_string(), "RequestId": "r"}}),
        // A field of the wrong type beside the secret.
        json!({"Response": {"Result": {"AccessKeyId": "a", "AccessKeySecret": RESPONSE_SECRET, "AccessKeyType": "auto",
            "SecretName": "n", "Status": RESPONSE_SECRET, "CreatedTime": "2020-02-26T06:10:01Z",
            "ModifiedTime": "2020-02-26T06:10:01Z"}, "RequestId": "r"}}),
        // The secret where a timestamp belongs, and as a list.
        json!({"Response": {"Result": {"AccessKeyId": "a", "AccessKeySecret": [RESPONSE_SECRET], "AccessKeyType": "auto",
            "SecretName": "n", "Status": 1, "CreatedTime": RESPONSE_SECRET, "ModifiedTime": "x"}, "RequestId": "r"}}),
    ];
    let expected = [
        "`Result`: invalid type: a string, expected a map",
        "`Result`: `Status`: invalid type: a string, expected i64",
        "`Result`: `AccessKeySecret`: invalid type: a list, expected a string",
    ];
    for (body, expected) in wrong_shapes.into_iter().zip(expected) {
        let server = RawServer::start(move |_, _| Script::Bytes(json_200(body.clone()))).await;
        let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
        let Error::Undecodable(response) = &error else { panic!("{error:?}") };
        assert!(response.reason().ends_with(expected), "{}", response.reason());
        assert_eq!(response.request_id(), Some("r"));
        shown(&error);
        assert_eq!(server.received(), 1);
    }
}

// ---------------------------------------------------------------------------------------------------
// Alibaba errors with HTTP 200.

#[tokio::test]
async fn an_alibaba_error_with_http_200_is_an_error() {
    logs();
    let body = json!({"Code": "Forbidden.RAM", "Message": "no permission", "RequestId": "ali-200", "HostId": "h"});
    let server = RawServer::start(move |_, _| Script::Bytes(json_200(body.clone()))).await;
    let error = cloudapi::Client::new(config(&server.url())).reset_app_secret(reset_with_secret()).await.unwrap_err();
    let typed = error.service_error().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!((typed.code(), typed.request_id()), ("Forbidden.RAM", Some("ali-200")));
    shown(&error);
    assert_eq!(server.received(), 1);
}

/// An Alibaba action whose success response documents `Code` and `Success`, described by hand as
/// generated code describes one.
mod documented_code {
    use super::*;
    use cloudspec_runtime::envelope::Protocol;
    use cloudspec_runtime::meta::{ActionMeta, EndpointsMeta, RegionRule, ServiceMeta, StatusFields};

    static SERVICE: ServiceMeta = ServiceMeta {
        name: "sms",
        signing_name: "dysmsapi",
        version: "2017-05-25",
        protocol: Protocol::AlibabaRpc,
        endpoints: EndpointsMeta {
            default: Some("dysmsapi.aliyuncs.com"),
            international: None,
            regional: None,
            regions: &[],
        },
    };

    static SEND: ActionMeta = ActionMeta {
        service: &SERVICE,
        name: "SendSms",
        idempotent: false,
        rate_limit: None,
        region: RegionRule::Optional,
        method: "POST",
        path: "/",
        sensitive_output: false,
        params: &[],
        idempotency_token: None,
        status_fields: StatusFields { code: true, success: true },
    };

    #[derive(serde::Serialize)]
    struct Params(serde_json::Value);

    impl cloudspec_runtime::Request for Params {
        fn validate(&self) -> Result<(), cloudspec_runtime::ValidationError> {
            Ok(())
        }
    }

    async fn call(body: serde_json::Value) -> Result<serde_json::Value, Error<cloudapi::ResetAppSecretError>> {
        let server = RawServer::start(move |_, _| Script::Bytes(json_200(body.clone()))).await;
        let client = cloudspec_runtime::Client::new(config(&server.url()));
        let result = client.execute(&SEND, &Params(json!({"PhoneNumbers": "1"}))).await;
        assert_eq!(server.received(), 1);
        result
    }

    #[tokio::test]
    async fn a_documented_code_is_a_success_and_a_documented_success_false_an_error() {
        logs();
        let ok = call(json!({"Code": "OK", "Message": "OK", "BizId": "9006197469364984^0", "RequestId": "r"}))
            .await
            .unwrap();
        assert_eq!(ok["Code"], "OK");
        let ok = call(json!({"Code": "200", "Message": "success", "Success": true, "RequestId": "r"})).await.unwrap();
        assert_eq!(ok["Success"], true);
        let error =
            call(json!({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "limit", "Success": false, "RequestId": "r"}))
                .await
                .unwrap_err();
        assert_eq!(error.service_error().map(|e| e.code()), Some("isv.BUSINESS_LIMIT_CONTROL"), "{error:?}");
        shown(&error);
    }
}

// ---------------------------------------------------------------------------------------------------
// Terminal escapes.

#[tokio::test]
async fn escapes_and_bidi_controls_in_messages_are_neutralised() {
    logs();
    let message = "\u{1b}[2J\u{1b}]0;pwned\u{7}evil\u{202e}exe.txt\u{2066}\r\nforged line\u{9b}31m";
    let tencent = json!({"Response": {"Error": {"Code": "InternalError\u{1b}[31m", "Message": message}, "RequestId": "r\u{1b}[1A"}});
    let server = RawServer::start(move |_, _| Script::Bytes(json_200(tencent.clone()))).await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let typed = error.service_error().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(typed.message(), message, "the accessor keeps the raw value");
    for text in [error.to_string(), typed.to_string()] {
        assert!(
            !text.chars().any(|c| c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "{text:?}"
        );
        assert!(text.contains("\\u{1b}[2J") && text.contains("\\u{202e}") && text.contains("r\\u{1b}[1A"), "{text}");
    }
    shown(&error);

    let alibaba = json!({"Code": "Bad\u{1b}[5m", "Message": "\u{2067}hidden\u{2069}\u{7f}", "RequestId": "a"});
    let server = RawServer::start(move |_, _| {
        Script::Bytes(http("400 Bad Request", &[("Content-Type", "application/json")], alibaba.to_string().as_bytes()))
    })
    .await;
    let error = cloudapi::Client::new(config(&server.url())).reset_app_secret(reset_with_secret()).await.unwrap_err();
    assert_eq!(error.to_string(), "service error: Bad\\u{1b}[5m: \\u{2067}hidden\\u{2069}\\u{7f} (request id a)");
    shown(&error);
}

// ---------------------------------------------------------------------------------------------------
// Transport failures and configuration.

#[tokio::test]
async fn a_refused_port_names_the_action_the_host_and_the_cause() {
    logs();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error =
        Client::new(config(&format!("http://{address}"))).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Transport { cause, outcome, attempts, host, .. } = &error else { panic!("{error:?}") };
    assert_eq!((*cause, *outcome, *attempts), (TransportCause::Refused, Outcome::NotSent, 3));
    assert_eq!(host, &address.to_string());
    let texts = shown(&error);
    assert_eq!(
        texts[0],
        format!(
            "CreateApiKey could not reach {address} (connection refused) after 3 attempt(s); the request was not sent"
        )
    );
    // The cause's own text is in the source chain, not repeated in the line.
    assert!(texts.len() > 2, "{texts:?}");
    assert!(!texts[0].contains("os error"), "{}", texts[0]);
}

#[tokio::test]
async fn an_unresolvable_host_is_not_sent() {
    logs();
    // `.invalid` never resolves (RFC 6761); without DNS in a sandbox, resolution fails or times out.
    let config =
        config("https://cloudspec-hostile-test.invalid").with_retry(RetryPolicy::none()).with_timeouts(Timeouts {
            connect: Duration::from_secs(2),
            attempt: Duration::from_secs(4),
            total: Duration::from_secs(5),
        });
    let started = Instant::now();
    let error = Client::new(config).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Transport { cause, outcome, attempts, .. } = &error else { panic!("{error:?}") };
    assert!(matches!(cause, TransportCause::Dns | TransportCause::ConnectTimeout), "{error:?}");
    assert_eq!((*outcome, *attempts), (Outcome::NotSent, 1));
    let texts = shown(&error);
    assert!(texts[0].contains("could not reach cloudspec-hostile-test.invalid"), "{}", texts[0]);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_endpoint_without_a_scheme_gets_a_hint() {
    logs();
    let error = Client::new(config("127.0.0.1:8080")).create_api_key(create_with_secret()).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "configuration: the endpoint `127.0.0.1:8080` has no scheme: add one, as in `http://127.0.0.1:8080`"
    );
}

#[test]
fn a_call_outside_tokio_is_a_configuration_error_not_a_panic() {
    use std::future::Future;
    use std::task::{Context, Poll, Waker};
    let client = Client::new(config("http://127.0.0.1:9"));
    let mut call = std::pin::pin!(client.create_api_key(create_with_secret()));
    match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Err(Error::Configuration(message))) => {
            assert!(message.contains("outside a Tokio runtime"), "{message}")
        }
        Poll::Ready(other) => panic!("{other:?}"),
        Poll::Pending => panic!("the call waited for a runtime that is not there"),
    }
}
