//! The client: validates, addresses, signs, sends, retries, paces and decodes one call.
//!
//! Generated service clients hold a [`Client`] and call [`Client::execute`] once per action; all the
//! work happens here, in code that is compiled once instead of once per action.

mod endpoint;
mod limiter;
pub mod wire;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::Config;
use crate::credentials::{Credentials, CredentialsChain, ProvideCredentials};
use crate::envelope::{Inspected, Protocol, decode_payload, inspect};
use crate::error::{Error, ErrorMetadata, Outcome, ServiceError, UndecodableResponse};
use crate::meta::ActionMeta;
use crate::validation::ValidationError;

pub use endpoint::Target;

/// A request type generated from a spec.
pub trait Request: Serialize + Send + Sync {
    /// Checks every rule of the spec.
    fn validate(&self) -> Result<(), ValidationError>;
}

/// A client for every service of every provider; generated service clients wrap one. Cheap to clone:
/// clones share connections and rate limits.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    http: Result<reqwest::Client, String>,
    limiters: Mutex<limiter::Limiters>,
    default_credentials: OnceLock<[Arc<dyn ProvideCredentials>; 2]>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("config", &self.inner.config).finish_non_exhaustive()
    }
}

/// A terminal answer of the service, before typed decoding.
struct Reply {
    status: u16,
    body: bytes::Bytes,
    inspected: Inspected,
}

/// A failure that is the same whatever the action's types.
enum Failure {
    Validation(ValidationError),
    Timeout(Outcome, u32),
    Transport(Outcome, u32, Box<dyn std::error::Error + Send + Sync>),
    Credentials(crate::credentials::CredentialsError),
    Configuration(String),
}

/// How the retry loop sees an error code: (transient, throttling).
type Classify = fn(&ErrorMetadata) -> (bool, bool);

/// The spec's classification of an error code, through the action's typed error.
fn classify<E: ServiceError>(metadata: &ErrorMetadata) -> (bool, bool) {
    let error = E::from_metadata(metadata.clone());
    (error.is_retryable(), error.is_throttling())
}

/// Turns the outcome of a call into the action's output or typed error.
fn finish<T: DeserializeOwned, E: ServiceError>(
    action: &'static ActionMeta,
    result: Result<Reply, Failure>,
) -> Result<T, Error<E>> {
    let reply = match result {
        Ok(reply) => reply,
        Err(Failure::Validation(error)) => return Err(Error::Validation(error)),
        Err(Failure::Timeout(outcome, attempts)) => {
            return Err(Error::Timeout { action: action.name, outcome, attempts });
        }
        Err(Failure::Transport(outcome, attempts, source)) => {
            return Err(Error::Transport { action: action.name, outcome, attempts, source });
        }
        Err(Failure::Credentials(error)) => return Err(Error::Credentials(error)),
        Err(Failure::Configuration(message)) => return Err(Error::Configuration(message)),
    };
    let request_id = reply.inspected.request_id().map(str::to_string);
    let undecodable = |reason: String| {
        UndecodableResponse::new(reply.status, reply.body.clone(), reason, request_id.clone(), action.sensitive_output)
    };
    match reply.inspected {
        Inspected::Success(payload) => {
            decode_payload(payload).map_err(|reason| Error::Undecodable(undecodable(reason)))
        }
        Inspected::ServiceError(metadata) => Err(Error::Service(E::from_metadata(metadata))),
        Inspected::Undecodable(reason) => Err(Error::Undecodable(undecodable(reason))),
    }
}

impl Client {
    /// A client with this configuration. Configuration problems (a missing region, a plain-HTTP URL
    /// that is not loopback) surface as [`Error::Configuration`] on the first call.
    pub fn new(config: Config) -> Self {
        let http = match &config.http_client {
            Some(client) => Ok(client.clone()),
            None => reqwest::Client::builder()
                .connect_timeout(config.timeouts.connect)
                .user_agent(config.user_agent.clone())
                .pool_idle_timeout(Duration::from_secs(60))
                .build()
                .map_err(|e| format!("cannot build the HTTP client: {e}")),
        };
        Client {
            inner: Arc::new(Inner {
                config,
                http,
                limiters: Mutex::new(limiter::Limiters::default()),
                default_credentials: OnceLock::new(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Calls an action: validates the request, then sends it (retrying as the spec allows) and
    /// decodes the answer into the action's output or typed error.
    pub fn execute<'a, R, T, E>(
        &'a self,
        action: &'static ActionMeta,
        request: &R,
    ) -> impl std::future::Future<Output = Result<T, Error<E>>> + Send + use<'a, R, T, E>
    where
        R: Request,
        T: DeserializeOwned,
        E: ServiceError,
    {
        // Only the small steps before and after the call depend on the action's types; the call
        // itself is one non-generic future, so a crate of thousands of actions compiles it once.
        let prepared = self.prepare(request);
        let call = self.call(action, prepared, classify::<E>);
        async move { finish::<T, E>(action, call.await) }
    }

    /// Validates and serializes a request.
    fn prepare<R: Request>(&self, request: &R) -> Result<serde_json::Value, Failure> {
        if self.inner.config.validate {
            request.validate().map_err(Failure::Validation)?;
        }
        serde_json::to_value(request)
            .map_err(|e| Failure::Configuration(format!("the request does not serialize: {e}")))
    }

    async fn credentials(&self, protocol: Protocol) -> Result<Credentials, Failure> {
        let provider: &dyn ProvideCredentials = match &self.inner.config.credentials {
            Some(provider) => provider.as_ref(),
            None => {
                let defaults = self.inner.default_credentials.get_or_init(|| {
                    [
                        Arc::new(CredentialsChain::default_for(Protocol::TencentJson)),
                        Arc::new(CredentialsChain::default_for(Protocol::AlibabaRpc)),
                    ]
                });
                let index = usize::from(protocol != Protocol::TencentJson);
                defaults[index].as_ref()
            }
        };
        provider.provide().await.map_err(Failure::Credentials)
    }

    /// The non-generic heart of a call: the retry loop.
    async fn call(
        &self,
        action: &'static ActionMeta,
        params: Result<serde_json::Value, Failure>,
        classify: Classify,
    ) -> Result<Reply, Failure> {
        let params = params?;
        let config = &self.inner.config;
        let span = tracing::info_span!(
            "cloudspec.call",
            service = action.service.name,
            version = action.service.version,
            action = action.name,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        async move {
            let http = self.inner.http.as_ref().map_err(|e| Failure::Configuration(e.clone()))?;
            let target = endpoint::resolve(config, action).map_err(Failure::Configuration)?;
            let credentials = self.credentials(action.service.protocol).await?;
            // One token per logical call, serialized once: every retry sends the same one.
            let params = with_idempotency_token(action, params);
            // A write with a client token is safe to repeat: the service applies it once.
            let idempotent = action.idempotent || action.idempotency_token.is_some();
            let body = wire::Body::new(action, &params).map_err(Failure::Configuration)?;
            let limiter = limiter::get(&self.inner.limiters, config.rate_limit, action);
            let deadline = Instant::now() + config.timeouts.total;
            let policy = config.retry;
            let mut attempt = 0;
            loop {
                attempt += 1;
                let remaining = deadline.saturating_duration_since(Instant::now());
                if let Some(limiter) = &limiter {
                    if tokio::time::timeout(remaining, limiter.until_ready()).await.is_err() {
                        return Err(Failure::Timeout(Outcome::NotSent, attempt - 1));
                    }
                }
                let request =
                    wire::build(http, config, action, &target, &body, &credentials).map_err(Failure::Configuration)?;
                let started = Instant::now();
                let remaining = deadline.saturating_duration_since(started);
                let result = tokio::time::timeout(config.timeouts.attempt.min(remaining), send(http, request)).await;
                let latency_ms = started.elapsed().as_millis() as u64;
                // What happened, and whether another attempt may help.
                let (retry, retry_after, failure_or_reply) = match result {
                    Err(_) => {
                        tracing::debug!(attempt, latency_ms, "attempt timed out");
                        (idempotent, None, Err(Failure::Timeout(Outcome::Unknown, attempt)))
                    }
                    Ok(Err(error)) => {
                        let outcome = if error.is_connect() { Outcome::NotSent } else { Outcome::Unknown };
                        tracing::debug!(attempt, latency_ms, connect = error.is_connect(), "attempt failed: {error}");
                        let retry = outcome == Outcome::NotSent || idempotent;
                        (retry, None, Err(Failure::Transport(outcome, attempt, Box::new(without_url(error)))))
                    }
                    Ok(Ok((status, retry_after, body))) => {
                        let inspected = inspect(action.service.protocol, status, &body);
                        let request_id = inspected.request_id().map(str::to_string);
                        tracing::debug!(
                            attempt,
                            status,
                            latency_ms,
                            request_id = request_id.as_deref(),
                            "attempt answered"
                        );
                        if let Some(request_id) = &request_id {
                            tracing::Span::current().record("request_id", request_id.as_str());
                        }
                        let retry = match &inspected {
                            Inspected::ServiceError(metadata) => {
                                let (transient, throttling) = classify(metadata);
                                throttling || (transient && idempotent)
                            }
                            // Throttled without an envelope: the service did not process the request.
                            Inspected::Undecodable(_) if status == 429 => true,
                            // A damaged answer (an error page, a cut body) is worth another try
                            // when repeating the action is safe.
                            Inspected::Undecodable(_) => idempotent && (status >= 500 || (200..300).contains(&status)),
                            Inspected::Success(_) => false,
                        };
                        (retry, retry_after, Ok(Reply { status, body, inspected }))
                    }
                };
                tracing::Span::current().record("attempts", attempt);
                if !retry || attempt >= policy.max_attempts {
                    return failure_or_reply;
                }
                let backoff =
                    retry_after.unwrap_or_else(|| full_jitter(policy.initial_backoff, policy.max_backoff, attempt));
                if Instant::now() + backoff >= deadline {
                    return failure_or_reply;
                }
                tracing::debug!(attempt, backoff_ms = backoff.as_millis() as u64, "retrying");
                tokio::time::sleep(backoff).await;
            }
        }
        .instrument(span)
        .await
    }
}

/// Fills the action's client token with a fresh UUID v4 when the caller left it unset.
///
/// The token is a top-level request field (`ClientToken`), or a member of the body parameter written
/// `body.clientToken` (ROA actions whose token is a property of their JSON body): the part before the
/// first `.` names a parameter at [`ParamLocation::Body`](crate::meta::ParamLocation::Body).
fn with_idempotency_token(action: &ActionMeta, mut params: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let (Some(name), Value::Object(object)) = (action.idempotency_token, &mut params) else { return params };
    let nested = name.split_once('.').filter(|(body, _)| {
        action.params.iter().any(|p| p.name == *body && p.location == crate::meta::ParamLocation::Body)
    });
    let (object, name) = match nested {
        Some((body, member)) => {
            match object.entry(body.to_string()).or_insert_with(|| Value::Object(Default::default())) {
                Value::Object(members) => (members, member),
                // A string or list body has no member to fill.
                _ => return params,
            }
        }
        None => (object, name),
    };
    if object.get(name).is_none_or(Value::is_null) {
        object.insert(name.to_string(), Value::String(uuid::Uuid::new_v4().to_string()));
    }
    params
}

/// Sends a request and reads the whole answer: status, the provider's retry-after hint, body.
async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> Result<(u16, Option<Duration>, bytes::Bytes), reqwest::Error> {
    let response = http.execute(request).await?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("x-acs-retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis)
        .or_else(|| {
            let seconds =
                response.headers().get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok()?;
            Some(Duration::from_secs(seconds))
        });
    let body = response.bytes().await?;
    Ok((status, retry_after, body))
}

/// reqwest errors print the URL, whose query may carry request parameters; keep only the kind.
fn without_url(error: reqwest::Error) -> reqwest::Error {
    error.without_url()
}

/// Exponential back-off with full jitter: a random delay up to `initial * 2^(attempt-1)`, capped.
fn full_jitter(initial: Duration, max: Duration, attempt: u32) -> Duration {
    let ceiling = initial.saturating_mul(1u32 << attempt.saturating_sub(1).min(16)).min(max);
    let millis = ceiling.as_millis().min(u128::from(u64::MAX)) as u64;
    Duration::from_millis(rand::random_range(0..=millis.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_tokens_fill_top_level_fields_and_body_members() {
        use crate::envelope::Protocol;
        use crate::meta::{EndpointsMeta, ParamLocation, ParamMeta, RegionRule, ServiceMeta};
        use serde_json::json;
        static SERVICE: ServiceMeta = ServiceMeta {
            name: "cs",
            signing_name: "cs",
            version: "2015-12-15",
            protocol: Protocol::AlibabaRoa,
            endpoints: EndpointsMeta { default: None, international: None, regional: None, regions: &[] },
        };
        const fn action(token: &'static str) -> ActionMeta {
            ActionMeta {
                service: &SERVICE,
                name: "CreateCluster",
                idempotent: false,
                rate_limit: None,
                region: RegionRule::Optional,
                method: "POST",
                path: "/clusters",
                sensitive_output: false,
                params: &[ParamMeta { name: "body", location: ParamLocation::Body, style: None }],
                idempotency_token: Some(token),
            }
        }
        static TOP: ActionMeta = action("ClientToken");
        static NESTED: ActionMeta = action("body.client_token");
        static DOTTED: ActionMeta = action("Task.ClientToken");
        let filled = with_idempotency_token(&TOP, json!({"ClientToken": null, "body": {}}));
        assert_eq!(filled["ClientToken"].as_str().map(str::len), Some(36));
        let filled = with_idempotency_token(&NESTED, json!({"body": {"name": "c"}}));
        assert_eq!(filled["body"]["client_token"].as_str().map(str::len), Some(36), "{filled}");
        assert_eq!(filled["body"]["name"], "c");
        let filled = with_idempotency_token(&NESTED, json!({}));
        assert_eq!(filled["body"]["client_token"].as_str().map(str::len), Some(36), "{filled}");
        let kept = with_idempotency_token(&NESTED, json!({"body": {"client_token": "mine"}}));
        assert_eq!(kept["body"]["client_token"], "mine");
        let raw = with_idempotency_token(&NESTED, json!({"body": "raw"}));
        assert_eq!(raw, json!({"body": "raw"}));
        // A wire name with a dot that is not a body member is a top-level field.
        let filled = with_idempotency_token(&DOTTED, json!({}));
        assert_eq!(filled["Task.ClientToken"].as_str().map(str::len), Some(36), "{filled}");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        for _ in 0..100 {
            assert!(full_jitter(Duration::from_millis(100), Duration::from_secs(1), 1) <= Duration::from_millis(100));
            assert!(full_jitter(Duration::from_millis(100), Duration::from_secs(1), 3) <= Duration::from_millis(400));
            assert!(full_jitter(Duration::from_millis(100), Duration::from_secs(1), 30) <= Duration::from_secs(1));
        }
    }
}
