//! The client: validates, addresses, signs, sends, retries, paces and decodes one call.
//!
//! Generated service clients hold a [`Client`] and call [`Client::execute`] once per action; all the
//! work happens here, in code that is compiled once instead of once per action. Clients run on Tokio
//! (see [`Config`]); they never follow redirects, read at most the configured number of response
//! bytes, and report for every failure how many attempts were made and whether the service may have
//! processed the request.

mod endpoint;
mod limiter;
pub mod paginate;
mod response;
pub mod wire;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::json::{Decode, Encode};
use tracing::Instrument;

use crate::config::Config;
use crate::credentials::Credentials;
use crate::envelope::{Inspected, Protocol, inspect_action};
use crate::error::UndecodableResponse;
use crate::error::{Error, ErrorMetadata, IncompleteResponse, Incompleteness, Outcome, ServiceError, TransportCause};
use crate::meta::ActionMeta;
use crate::signing::SigningKeyCache;
use crate::validation::{ValidationError, Validator};

pub use endpoint::Target;
use response::{Answer, Deadline};

/// A request type generated from a spec.
///
/// Generated requests implement only `validate_at`, the checks of their own fields; `validate` runs
/// them and collects every violation into one error.
pub trait Request: Encode + Send + Sync {
    /// Records the request's violations of the spec's rules, each under `path` joined with its field's
    /// wire name (`""` at the top). A request without rules records nothing, the default.
    fn validate_at(&self, path: &str, v: &mut Validator) {
        let _ = (path, v);
    }

    /// Checks every rule of the spec: every violation, in one error.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Validator::new();
        self.validate_at("", &mut v);
        v.finish()
    }
}

/// The future a generated client method returns: `.await` it for the action's response, or its error.
///
/// Every `Future` with that output that can move between threads is one; the trait only gives the
/// generated signatures a short name (`-> impl Call<CreateApiKeyResponse, CreateApiKeyError> + '_`).
pub trait Call<T, E>: Future<Output = Result<T, Error<E>>> + Send {}

impl<F, T, E> Call<T, E> for F where F: Future<Output = Result<T, Error<E>>> + Send {}

/// A client for every service of every provider; generated service clients wrap one. Cheap to clone:
/// clones share connections and rate limits.
///
/// Calls must be awaited inside a Tokio runtime with its I/O and time drivers enabled; elsewhere they
/// fail with [`Error::Configuration`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    http: Result<reqwest::Client, String>,
    limiters: Mutex<limiter::Limiters>,
    /// TC3 keys derived for this client, shared by its clones.
    signing_keys: SigningKeyCache,
    /// Each service's endpoint, resolved on its first call: it depends only on the service and the
    /// configuration, both fixed for the client's life.
    // Looked up on every call, where SipHash (the default) costs more than the rest of the lookup, and
    // guarding against crafted keys is moot: the keys are the addresses of the program's own statics.
    targets: Mutex<HashMap<usize, Arc<Target>, foldhash::fast::RandomState>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("config", &self.inner.config).finish_non_exhaustive()
    }
}

/// A serialized request.
enum Params {
    /// A Tencent body without a client token to fill: its bytes.
    Json(bytes::Bytes),
    /// The parameters as a tree, to fill a client token into or to lay out for Alibaba.
    Tree(serde_json::Value),
}

/// A terminal answer of the service, before typed decoding.
struct Reply {
    status: u16,
    body: bytes::Bytes,
    inspected: Inspected,
    /// The answer's headers: their request id, for when the body has none.
    headers: reqwest::header::HeaderMap,
}

/// A failure that is the same whatever the action's types.
enum Failure {
    Validation(ValidationError),
    Timeout(Outcome, u32),
    Transport {
        host: String,
        cause: TransportCause,
        outcome: Outcome,
        attempts: u32,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    Redirect {
        host: String,
        status: u16,
        location: Option<String>,
        attempts: u32,
    },
    Incomplete(IncompleteResponse),
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
fn finish<T: Decode, E: ServiceError>(
    action: &'static ActionMeta,
    result: Result<Reply, Failure>,
) -> Result<T, Error<E>> {
    let name = action.name;
    let reply = match result {
        Ok(reply) => reply,
        Err(Failure::Validation(error)) => return Err(Error::Validation(error)),
        Err(Failure::Timeout(outcome, attempts)) => return Err(Error::Timeout { action: name, outcome, attempts }),
        Err(Failure::Transport { host, cause, outcome, attempts, source }) => {
            return Err(Error::Transport { action: name, host, cause, outcome, attempts, source });
        }
        Err(Failure::Redirect { host, status, location, attempts }) => {
            return Err(Error::Redirect { action: name, host, status, location, attempts });
        }
        Err(Failure::Incomplete(response)) => return Err(Error::Incomplete(response)),
        Err(Failure::Credentials(error)) => return Err(Error::Credentials(error)),
        Err(Failure::Configuration(message)) => return Err(Error::Configuration(message)),
    };
    let Reply { status, body, inspected, headers } = reply;
    // The request id is copied only for an error, never for a success.
    let undecodable = |reason: String, body: bytes::Bytes, request_id: Option<String>| {
        let request_id = request_id.or_else(|| response::header_request_id(&headers));
        Error::Undecodable(UndecodableResponse::new(status, body, reason, request_id, action.sensitive_output))
    };
    match inspected {
        // Decoded from the tape the envelope was read from: the body is parsed once.
        Inspected::Success(payload) => match payload.decode(&body) {
            Ok(output) => Ok(output),
            Err(reason) => {
                let request_id = payload.request_id(&body).map(str::to_string);
                Err(undecodable(reason, body, request_id))
            }
        },
        Inspected::ServiceError(metadata) => Err(Error::Service(E::from_metadata(metadata))),
        Inspected::Undecodable(reason) => Err(undecodable(reason, body, None)),
    }
}

/// What one attempt came to, and whether another may help.
struct Attempted {
    result: Result<Reply, Failure>,
    retry: bool,
    retry_after: Option<Duration>,
    /// The service may have processed this attempt.
    maybe_processed: bool,
}

impl Client {
    /// A client with this configuration. Configuration problems (a missing region, a plain-HTTP URL
    /// that is not loopback, an HTTP client builder that fails) surface as [`Error::Configuration`] on
    /// the first call.
    pub fn new(config: Config) -> Self {
        let http = match &config.http_client {
            Some(client) => client.clone(),
            None => crate::config::without_redirects(reqwest::Client::builder())
                // A connection that is not up within the attempt's time fails as a connection error,
                // which says exactly that nothing was sent.
                .connect_timeout(config.timeouts.connect.min(config.timeouts.attempt))
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
                signing_keys: SigningKeyCache::new(),
                targets: Mutex::new(HashMap::default()),
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
        T: Decode,
        E: ServiceError,
    {
        // Only the small steps before and after the call depend on the action's types; the call
        // itself is one non-generic future, so a crate of thousands of actions compiles it once.
        let prepared = self.prepare(action, request);
        let call = self.call(action, prepared, classify::<E>);
        async move { finish::<T, E>(action, call.await) }
    }

    /// Validates and serializes a request.
    fn prepare<R: Request>(&self, action: &ActionMeta, request: &R) -> Result<Params, Failure> {
        self.check(request)?;
        // A Tencent body is the request's JSON as is, written straight to bytes; the other protocols,
        // and a client token to fill in, need the parameters as a tree first.
        if action.service.protocol == Protocol::TencentJson && action.idempotency_token.is_none() {
            return crate::json::to_vec(request).map(|json| Params::Json(json.into())).map_err(unserializable);
        }
        crate::json::to_value(request).map(Params::Tree).map_err(unserializable)
    }

    /// Validates a request and serializes it as a tree, for a paginator to set each page's token in.
    fn prepare_tree<R: Request>(&self, request: &R) -> Result<serde_json::Value, Failure> {
        self.check(request)?;
        crate::json::to_value(request).map_err(unserializable)
    }

    /// Checks the spec's rules, unless the configuration turned that off.
    fn check<R: Request>(&self, request: &R) -> Result<(), Failure> {
        if self.inner.config.validate {
            request.validate().map_err(Failure::Validation)?;
        }
        Ok(())
    }

    /// The endpoint of the action's service, resolved once per client and service.
    fn target(&self, action: &ActionMeta) -> Result<Arc<Target>, String> {
        // Keyed by the service's static, which is unique per generated service version.
        let key = std::ptr::from_ref(action.service) as usize;
        let cached = self.inner.targets.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&key).cloned();
        if let Some(target) = cached {
            return Ok(target);
        }
        let target = Arc::new(endpoint::resolve(&self.inner.config, action)?);
        self.inner.targets.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(key, target.clone());
        Ok(target)
    }

    /// The credentials that sign the call; `None` for an unsigned one.
    async fn credentials(&self, protocol: Protocol) -> Result<Option<Credentials>, Failure> {
        let config = &self.inner.config;
        if config.unsigned {
            return Ok(None);
        }
        config.credentials_for(protocol).provide().await.map(Some).map_err(Failure::Credentials)
    }

    /// The non-generic heart of a call: the retry loop.
    async fn call(
        &self,
        action: &'static ActionMeta,
        params: Result<Params, Failure>,
        classify: Classify,
    ) -> Result<Reply, Failure> {
        let params = params?;
        // Timers and sockets need a Tokio runtime; without one they panic. Checked before any is used.
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Failure::Configuration(format!(
                "{} was called outside a Tokio runtime: cloudspec clients run on Tokio, so await calls inside \
                 one (`#[tokio::main]`, or a runtime built with `enable_all()`)",
                action.name
            )));
        }
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
            let target = self.target(action).map_err(Failure::Configuration)?;
            let credentials = self.credentials(action.service.protocol).await?;
            let body = match params {
                Params::Json(json) => wire::Body::Json(json),
                Params::Tree(params) => {
                    // One token per logical call, serialized once: every retry sends the same one.
                    let params = with_idempotency_token(action, params);
                    wire::Body::new(action, &params).map_err(Failure::Configuration)?
                }
            };
            // A write with a client token is safe to repeat: the service applies it once.
            let idempotent = action.idempotent || action.idempotency_token.is_some();
            let limiter = limiter::get(&self.inner.limiters, config.rate_limit, action);
            // `None`: a total timeout too large to add to now, so no deadline.
            let deadline = Instant::now().checked_add(config.timeouts.total);
            let remaining =
                || deadline.map_or(Duration::MAX, |deadline| deadline.saturating_duration_since(Instant::now()));
            let policy = config.retry;
            let mut attempt: u32 = 0;
            // Whether an earlier attempt may have been processed: a later "not sent" does not undo it.
            let mut maybe_processed = false;
            loop {
                attempt = attempt.saturating_add(1);
                if let Some(limiter) = &limiter {
                    if tokio::time::timeout(remaining(), limiter.until_ready()).await.is_err() {
                        let outcome = if maybe_processed { Outcome::Unknown } else { Outcome::NotSent };
                        return Err(Failure::Timeout(outcome, attempt - 1));
                    }
                }
                let request =
                    wire::build(config, action, &target, &body, credentials.as_ref(), &self.inner.signing_keys)
                        .map_err(Failure::Configuration)?;
                // Timed only for a debug log that someone reads: a clock read is not free.
                let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
                let budget = config.timeouts.attempt.min(remaining());
                let attempt_deadline = tokio::time::Instant::now().checked_add(budget);
                let attempted =
                    self.attempt(action, &target, http, request, attempt_deadline, attempt, idempotent, classify).await;
                if let Some(started) = started {
                    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                    tracing::debug!(attempt, latency_ms, "attempt done");
                }
                tracing::Span::current().record("attempts", attempt);
                maybe_processed |= attempted.maybe_processed;
                let result = match attempted.result {
                    // The last attempt was not sent, but an earlier one may have been processed.
                    Err(Failure::Transport { host, cause, outcome: Outcome::NotSent, attempts, source })
                        if maybe_processed =>
                    {
                        Err(Failure::Transport { host, cause, outcome: Outcome::Unknown, attempts, source })
                    }
                    other => other,
                };
                if !attempted.retry || attempt >= policy.max_attempts {
                    return result;
                }
                // A server's hint is followed, but never beyond the policy's longest back-off.
                let backoff = match attempted.retry_after {
                    Some(hint) => hint.min(policy.max_backoff),
                    None => full_jitter(policy.initial_backoff, policy.max_backoff, attempt),
                };
                let fits = match (deadline, Instant::now().checked_add(backoff)) {
                    (None, _) => true,
                    (Some(deadline), Some(resume)) => resume < deadline,
                    (Some(_), None) => false,
                };
                if !fits {
                    return result;
                }
                tracing::debug!(
                    attempt,
                    backoff_ms = u64::try_from(backoff.as_millis()).unwrap_or(u64::MAX),
                    "retrying"
                );
                tokio::time::sleep(backoff).await;
            }
        }
        .instrument(span)
        .await
    }

    /// Sends one attempt and reads its answer before `deadline`.
    #[allow(clippy::too_many_arguments)]
    async fn attempt(
        &self,
        action: &'static ActionMeta,
        target: &Target,
        http: &reqwest::Client,
        request: reqwest::Request,
        deadline: Option<tokio::time::Instant>,
        attempt: u32,
        idempotent: bool,
        classify: Classify,
    ) -> Attempted {
        let host = || target.host.clone();
        let timer = std::pin::pin!(deadline.map(tokio::time::sleep_until));
        let mut deadline = Deadline::at(timer);
        let response = match deadline.within(http.execute(request)).await {
            Err(()) => {
                tracing::debug!(attempt, "attempt timed out before an answer");
                return Attempted {
                    result: Err(Failure::Timeout(Outcome::Unknown, attempt)),
                    retry: idempotent,
                    retry_after: None,
                    maybe_processed: true,
                };
            }
            Ok(Err(error)) => {
                let sent = !error.is_connect();
                let cause = response::transport_cause(&error);
                // reqwest errors print the URL, whose query may carry request parameters.
                let error = error.without_url();
                tracing::debug!(attempt, sent, ?cause, "attempt failed: {error}");
                let outcome = if sent { Outcome::Unknown } else { Outcome::NotSent };
                return Attempted {
                    result: Err(Failure::Transport {
                        host: host(),
                        cause,
                        outcome,
                        attempts: attempt,
                        source: Box::new(error),
                    }),
                    retry: !sent || idempotent,
                    retry_after: None,
                    maybe_processed: sent,
                };
            }
            Ok(Ok(response)) => response,
        };
        match response::read(response, self.inner.config.max_response_bytes, &mut deadline).await {
            Answer::Redirect { status, location } => {
                tracing::debug!(attempt, status, location = location.as_deref(), "redirect not followed");
                Attempted {
                    result: Err(Failure::Redirect { host: host(), status, location, attempts: attempt }),
                    retry: false,
                    retry_after: None,
                    maybe_processed: true,
                }
            }
            Answer::Incomplete { status, request_id, incompleteness, received, head, source } => {
                tracing::debug!(attempt, status, received, ?incompleteness, "response incomplete");
                let too_large = matches!(incompleteness, Incompleteness::TooLarge { .. });
                let source = source.map(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>);
                let response = IncompleteResponse::new(
                    action.name,
                    status,
                    request_id,
                    incompleteness,
                    received,
                    head,
                    action.sensitive_output,
                    source,
                )
                .with_attempts(attempt);
                Attempted {
                    result: Err(Failure::Incomplete(response)),
                    // The same answer would come again when it is too large.
                    retry: idempotent && !too_large,
                    retry_after: None,
                    maybe_processed: true,
                }
            }
            Answer::Complete { status, headers, body } => {
                let inspected = inspect_action(action, status, &body);
                // The request id is looked up only for a span or a log that records it.
                let span = tracing::Span::current();
                if !span.is_disabled() || tracing::enabled!(tracing::Level::DEBUG) {
                    let header_request_id = response::header_request_id(&headers);
                    let request_id = inspected.request_id(&body).or(header_request_id.as_deref());
                    tracing::debug!(attempt, status, request_id, "attempt answered");
                    if let Some(request_id) = request_id {
                        span.record("request_id", request_id);
                    }
                }
                let retry = match &inspected {
                    Inspected::ServiceError(metadata) => {
                        let (transient, throttling) = classify(metadata);
                        throttling || (transient && idempotent)
                    }
                    // Throttled without an envelope: the service did not process the request.
                    Inspected::Undecodable(_) if status == 429 => true,
                    // A damaged answer (an error page, a cut body) is worth another try when repeating
                    // the action is safe.
                    Inspected::Undecodable(_) => idempotent && (status >= 500 || (200..300).contains(&status)),
                    Inspected::Success(_) => false,
                };
                // An error envelope says the request was not processed; a throttled answer was not
                // processed either. Any other answer may mean it was.
                let maybe_processed = match &inspected {
                    Inspected::ServiceError(_) => false,
                    Inspected::Undecodable(_) => status != 429,
                    Inspected::Success(_) => true,
                };
                // The provider's hint matters only to an answer that is retried.
                let retry_after =
                    if retry { response::retry_after(&headers, std::time::SystemTime::now) } else { None };
                Attempted {
                    result: Ok(Reply { status, body, inspected, headers }),
                    retry,
                    retry_after,
                    maybe_processed,
                }
            }
        }
    }
}

/// A request that cannot be written: a timestamp its format cannot write (a year past 9999 in RFC 3339),
/// or a hand-written `Encode` that fails. The error names the member, never its value.
fn unserializable(error: String) -> Failure {
    Failure::Configuration(format!("the request does not serialize: {error}"))
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
                status_fields: crate::meta::StatusFields { code: false, success: false },
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
    fn validate_collects_what_validate_at_records_and_new_actions_are_not_retried_blindly() {
        struct Checked(&'static str);
        impl crate::json::Encode for Checked {
            fn encode(&self, out: &mut crate::json::Encoder) {
                out.begin_object();
                out.member("Name", &self.0);
                out.end_object();
            }
        }
        impl Request for Checked {
            fn validate_at(&self, path: &str, v: &mut Validator) {
                v.length(
                    &crate::validation::join(path, "Name"),
                    self.0,
                    Some(2),
                    None,
                    crate::validation::LengthUnit::Chars,
                );
            }
        }
        struct Unchecked;
        impl crate::json::Encode for Unchecked {
            fn encode(&self, out: &mut crate::json::Encoder) {
                out.begin_object();
                out.end_object();
            }
        }
        impl Request for Unchecked {}
        let error = Checked("x").validate().unwrap_err();
        assert_eq!(error.violations().len(), 1, "{error}");
        assert_eq!(error.violations()[0].field, "Name");
        assert!(Checked("xy").validate().is_ok());
        assert!(Unchecked.validate().is_ok());

        use crate::envelope::Protocol;
        use crate::meta::{EndpointsMeta, RegionRule, ServiceMeta};
        static SERVICE: ServiceMeta = ServiceMeta {
            name: "cvm",
            signing_name: "cvm",
            version: "2017-03-12",
            protocol: Protocol::TencentJson,
            endpoints: EndpointsMeta { default: None, international: None, regional: None, regions: &[] },
        };
        static ACTION: ActionMeta = ActionMeta { rate_limit: Some(20), ..ActionMeta::new(&SERVICE, "RunInstances") };
        assert_eq!(
            (ACTION.name, ACTION.rate_limit, ACTION.method, ACTION.path),
            ("RunInstances", Some(20), "POST", "/")
        );
        // What a generated static leaves out never makes a call look safe to retry blindly.
        assert!(!ACTION.idempotent && ACTION.idempotency_token.is_none() && ACTION.params.is_empty());
        assert!(matches!(ACTION.region, RegionRule::Optional));
        assert_eq!(ACTION.status_fields, crate::meta::StatusFields::default());
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
