//! `cloudspec serve`: a local fake of the providers' APIs, driven by the specs.
//!
//! It speaks Tencent Cloud API 3.0, Alibaba Cloud RPC (signature V3 and the legacy HMAC-SHA1) and
//! Alibaba Cloud ROA (signature V3 and the legacy `acs id:signature`): a ROA request is routed by its
//! method and path to the action whose `http.path` template matches (literal segments beat `{Param}`
//! ones, a `?fixed` query in the template must be present), and each parameter is read from where its
//! `location` says (path segment, percent-decoded; query; header; a JSON body, where a single `body`
//! parameter is the whole body; a form). ROA answers are the bare documented example with the request
//! id in `x-acs-request-id`; errors use the provider's envelope (`Code`, `Message`, `RequestId`) and
//! status. It verifies signatures against configured credentials, rejects stale timestamps and reused nonces,
//! checks every parameter with the same rules generated validators apply, paces each action to its
//! documented rate limit, answers with documented examples (and emulates the seed actions with
//! state), and lets tests inject faults and read a log of what it processed.
//!
//! Tests start it in-process with [`FakeCloud::start`]; `cloudspec serve` runs the same server.

mod auth;
mod emulate;
mod protocol;
mod roa;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use cloudspec::load::SpecSet;
use cloudspec::spec::{Action, ProviderSpec, ServiceSpec};

pub use protocol::Wire;

/// A fault to inject into the next matching requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer after a delay (the request is processed).
    Latency {
        /// Milliseconds.
        ms: u64,
    },
    /// Answer with an HTTP status and a body that is not an envelope (the request is not processed).
    Status {
        /// The status.
        status: u16,
        /// The body.
        #[serde(default)]
        body: String,
    },
    /// Close the connection before processing the request.
    ResetBefore,
    /// Process the request, then close the connection without answering.
    ResetAfter,
    /// Answer with the provider's throttling error (not processed).
    Throttle,
    /// Answer with this error code in the provider's envelope (not processed).
    Error {
        /// The code.
        code: String,
    },
    /// Process the request, then answer with a body that is not JSON.
    Malformed,
    /// Process the request, then answer with the first half of the real body.
    Truncated,
}

/// A fault and the requests it applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// The action it applies to; every action when absent.
    #[serde(default)]
    pub action: Option<String>,
    /// What happens.
    pub fault: Fault,
    /// How many requests it applies to (default 1).
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

/// One request the fake received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// The action, when it could be told.
    pub action: Option<String>,
    /// The service, when it could be told.
    pub service: Option<String>,
    /// The request passed authentication and validation and its effect was applied.
    pub processed: bool,
    /// The error code answered, if any.
    pub error: Option<String>,
    /// The HTTP status answered (0 when the connection was closed instead).
    pub status: u16,
    /// The action's parameters the processed request carried, by wire name, top level, in the spec's
    /// order (names only: values may be secrets). Empty for a request that was not processed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<String>,
}

/// Settings of a fake.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Access key id → secret.
    pub credentials: BTreeMap<String, String>,
    /// Offset of the fake's clock from the real one, to test skew (seconds).
    pub clock_offset_seconds: i64,
    /// Enforce each action's documented rate limit.
    pub rate_limits: bool,
    /// How many API keys `CreateApiKey` keeps before `LimitExceeded.ApiKeyCountLimitExceeded`.
    pub api_key_limit: usize,
}

impl Default for Settings {
    fn default() -> Self {
        let mut credentials = BTreeMap::new();
        credentials.insert(DEFAULT_ID.to_string(), DEFAULT_SECRET.to_string());
        Settings { credentials, clock_offset_seconds: 0, rate_limits: true, api_key_limit: 50 }
    }
}

/// The access key id the fake accepts unless told otherwise.
pub const DEFAULT_ID: &str = "cloudspec-fake-id";
/// Its secret (a fake one: it opens nothing but the fake).
pub const DEFAULT_SECRET: &str = "cloudspec-fake-secret";

/// A spec the fake serves: service, its provider, and its file's directory-derived provider name.
pub(crate) struct Served {
    pub(crate) spec: ServiceSpec,
    pub(crate) provider: ProviderSpec,
}

impl Served {
    pub(crate) fn action(&self, name: &str) -> Option<&Action> {
        self.spec.actions.get(name)
    }
}

/// Mutable state shared by connections.
pub(crate) struct State {
    pub(crate) settings: Settings,
    pub(crate) faults: Vec<FaultRule>,
    pub(crate) log: Vec<LogEntry>,
    pub(crate) nonces: HashSet<String>,
    pub(crate) emulation: emulate::Store,
}

pub(crate) struct Shared {
    pub(crate) services: Vec<Served>,
    pub(crate) state: Mutex<State>,
    limiters: Mutex<HashMap<(String, String), Arc<governor::DefaultDirectRateLimiter>>>,
}

impl Shared {
    pub(crate) fn new(set: &SpecSet, settings: Settings) -> Shared {
        let services: Vec<Served> = set
            .services
            .iter()
            .filter_map(|s| {
                let provider = set.providers.get(&s.spec.provider)?;
                Some(Served { spec: s.spec.clone(), provider: provider.spec.clone() })
            })
            .collect();
        let emulation = emulate::Store::seeded(&services);
        Shared {
            services,
            state: Mutex::new(State {
                settings,
                faults: Vec::new(),
                log: Vec::new(),
                nonces: HashSet::new(),
                emulation,
            }),
            limiters: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic in one connection must not take the fake down; the state stays usable.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether the action may run now under its documented rate limit.
    fn admit(&self, service: &Served, action: &Action, name: &str) -> bool {
        if !self.lock().settings.rate_limits {
            return true;
        }
        let Some(rate) = action.rate_limit.as_ref().and_then(|r| NonZeroU32::new(r.requests_per_second)) else {
            return true;
        };
        let key = (service.spec.service.name.clone(), name.to_string());
        let limiter = {
            let mut limiters = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
            limiters
                .entry(key)
                .or_insert_with(|| Arc::new(governor::RateLimiter::direct(governor::Quota::per_second(rate))))
                .clone()
        };
        limiter.check().is_ok()
    }
}

/// A running fake.
pub struct FakeCloud {
    address: SocketAddr,
    shared: Arc<Shared>,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for FakeCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeCloud").field("address", &self.address).finish_non_exhaustive()
    }
}

/// Why the fake could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The specs could not be read.
    #[error("cannot read the specs: {0}")]
    Load(String),
    /// The specs have errors.
    #[error("the specs have {0} error(s); run `cloudspec check`")]
    InvalidSpecs(usize),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

impl FakeCloud {
    /// Starts a fake of every service of the spec tree at `specs` (files or directories, as
    /// `cloudspec check` takes them) on `address` (port 0 picks a free one): what a test needs.
    pub async fn start_from(
        specs: impl AsRef<std::path::Path>,
        address: SocketAddr,
        settings: Settings,
    ) -> Result<FakeCloud, ServeError> {
        let set =
            cloudspec::load::load(&[specs.as_ref().to_path_buf()]).map_err(|e| ServeError::Load(e.to_string()))?;
        FakeCloud::start(&set, address, settings).await
    }

    /// Starts a fake of every service in `set` on `address` (port 0 picks a free one).
    pub async fn start(set: &SpecSet, address: SocketAddr, settings: Settings) -> Result<FakeCloud, ServeError> {
        let report = cloudspec::check::check(set);
        if report.errors() > 0 {
            return Err(ServeError::InvalidSpecs(report.errors()));
        }
        let shared = Arc::new(Shared::new(set, settings));
        let listener =
            tokio::net::TcpListener::bind(address).await.map_err(|source| ServeError::Bind { address, source })?;
        let address = listener.local_addr().map_err(|source| ServeError::Bind { address, source })?;
        let (shutdown, mut stop) = tokio::sync::watch::channel(false);
        let serving = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    accepted = listener.accept() => accepted,
                    _ = stop.changed() => return,
                };
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let shared = serving.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| handle(shared.clone(), request));
                    let io = hyper_util::rt::TokioIo::new(stream);
                    // An `Err` from the service closes the connection without an answer: a reset.
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
                });
            }
        });
        Ok(FakeCloud { address, shared, shutdown, task: Some(task) })
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://<address>`, for a client's endpoint.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Injects a fault.
    pub fn inject(&self, rule: FaultRule) {
        self.shared.lock().faults.push(rule);
    }

    /// Every request received so far.
    pub fn log(&self) -> Vec<LogEntry> {
        self.shared.lock().log.clone()
    }

    /// How many requests of `action` were processed.
    pub fn processed(&self, action: &str) -> usize {
        self.shared.lock().log.iter().filter(|e| e.processed && e.action.as_deref() == Some(action)).count()
    }

    /// Sets the fake's clock offset, to test clock skew.
    pub fn set_clock_offset(&self, seconds: i64) {
        self.shared.lock().settings.clock_offset_seconds = seconds;
    }

    /// Adds or replaces a credential.
    pub fn add_credential(&self, id: impl Into<String>, secret: impl Into<String>) {
        self.shared.lock().settings.credentials.insert(id.into(), secret.into());
    }

    /// Clears faults, the log and emulated state.
    pub fn reset(&self) {
        let mut state = self.shared.lock();
        state.faults.clear();
        state.log.clear();
        state.emulation = emulate::Store::seeded(&self.shared.services);
    }

    /// Stops the fake.
    pub async fn stop(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeCloud {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

type Answer = Result<Response<Full<Bytes>>, Reset>;

/// Closes the connection without answering.
#[derive(Debug)]
pub(crate) struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by the fake (injected fault)")
    }
}

impl std::error::Error for Reset {}

/// The most a request body may be.
const MAX_BODY: usize = 8 * 1024 * 1024;

async fn handle(shared: Arc<Shared>, request: Request<Incoming>) -> Answer {
    let (parts, body) = request.into_parts();
    let body = match http_body_util::Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(plain(413, "the request body is too large or was cut off")),
    };
    if parts.uri.path().starts_with("/_cloudspec/") {
        return Ok(admin(&shared, &parts, &body));
    }
    let wire = protocol::Wire::new(&parts, body);
    let outcome = protocol::process(&shared, &wire).await;
    if let Some(entry) = outcome.entry {
        shared.lock().log.push(entry);
    }
    outcome.answer
}

pub(crate) fn plain(status: u16, text: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(text.to_string())));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response
}

pub(crate) fn json(status: u16, value: &Value) -> Response<Full<Bytes>> {
    let mut response = plain(status, &value.to_string());
    response.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("application/json"));
    response
}

/// `/_cloudspec/faults` (POST a rule or a list), `/_cloudspec/log` (GET), `/_cloudspec/reset` (POST).
fn admin(shared: &Shared, parts: &hyper::http::request::Parts, body: &Bytes) -> Response<Full<Bytes>> {
    match (parts.method.as_str(), parts.uri.path()) {
        ("POST", "/_cloudspec/faults") => {
            let rules: Result<Vec<FaultRule>, _> = serde_json::from_slice::<Vec<FaultRule>>(body)
                .or_else(|_| serde_json::from_slice::<FaultRule>(body).map(|rule| vec![rule]));
            match rules {
                Ok(rules) => {
                    let count = rules.len();
                    shared.lock().faults.extend(rules);
                    json(200, &serde_json::json!({ "injected": count }))
                }
                Err(error) => plain(400, &format!("not a fault rule: {error}")),
            }
        }
        ("GET", "/_cloudspec/log") => json(200, &serde_json::to_value(&shared.lock().log).unwrap_or_default()),
        ("POST", "/_cloudspec/reset") => {
            let mut state = shared.lock();
            state.faults.clear();
            state.log.clear();
            state.emulation = emulate::Store::seeded(&shared.services);
            json(200, &serde_json::json!({ "reset": true }))
        }
        ("POST", "/_cloudspec/clock") => {
            match serde_json::from_slice::<Value>(body).ok().and_then(|v| v["offset_seconds"].as_i64()) {
                Some(offset) => {
                    shared.lock().settings.clock_offset_seconds = offset;
                    json(200, &serde_json::json!({ "offset_seconds": offset }))
                }
                None => plain(400, "expected {\"offset_seconds\": N}"),
            }
        }
        _ => plain(
            404,
            "unknown admin endpoint: /_cloudspec/faults, /_cloudspec/log, /_cloudspec/reset, /_cloudspec/clock",
        ),
    }
}

/// Takes the first fault that applies to `action`.
pub(crate) fn take_fault(shared: &Shared, action: &str) -> Option<Fault> {
    let mut state = shared.lock();
    let index =
        state.faults.iter().position(|rule| rule.action.as_deref().is_none_or(|a| a == action) && rule.times > 0)?;
    let rule = &mut state.faults[index];
    rule.times -= 1;
    let fault = rule.fault.clone();
    if rule.times == 0 {
        state.faults.remove(index);
    }
    Some(fault)
}

/// Sleeps for a latency fault.
pub(crate) async fn delay(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}
