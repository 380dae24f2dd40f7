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

mod answers;
mod bodies;
mod redirects_and_hints;
