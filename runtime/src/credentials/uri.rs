//! Credentials served at a URL (`ALIBABA_CLOUD_CREDENTIALS_URI`, the last source of the Alibaba
//! chain, or an Alibaba CLI profile in `CredentialsURI` mode): a local sidecar or agent that hands out
//! temporary credentials.

use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use super::cache::Cache;
use super::fetch::{Http, shown};
use super::metadata::parse_expiration;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// Credentials from `GET <uri>` (the query kept, plain HTTP allowed, as the official libraries do):
/// a JSON object with `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration`
/// (`2024-01-02T03:04:05Z`). A `Code` other than `Success` is a failure (the Python library requires
/// `Code`, the Go library ignores it; cloudspec requires it to be `Success` when it is there). Each
/// request ends within 10 s; messages show the URI without its query, which may carry a token.
pub struct UriCredentials {
    uri: String,
    http: Http,
    cache: Cache,
}

/// The URI without its query, which may carry a token.
impl std::fmt::Debug for UriCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UriCredentials")
            .field("uri", &shown(&self.uri))
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl UriCredentials {
    /// Credentials from `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        UriCredentials { uri: uri.into(), http: Http::new(Duration::from_secs(10), true), cache: Cache::default() }
    }

    /// The time limit of each request (default 10 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.http = Http::new(timeout, true);
        self
    }

    fn name(&self) -> String {
        format!("credentials URI {}", shown(&self.uri))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let name = self.name();
        let reply = self
            .http
            .send(Method::GET, &self.uri, &[])
            .await
            .map_err(|failure| CredentialsError::unavailable(&name, failure.to_string()))?;
        if reply.status != 200 {
            return Err(CredentialsError::unavailable(&name, format!("answered HTTP {}", reply.status)));
        }
        let json: Value = serde_json::from_str(&reply.body).map_err(|e| {
            CredentialsError::unavailable(
                &name,
                format!("the answer is not JSON (line {}, column {})", e.line(), e.column()),
            )
        })?;
        if let Some(code) = json.get("Code").and_then(Value::as_str).filter(|code| *code != "Success") {
            return Err(CredentialsError::unavailable(&name, format!("answered Code `{code}`")));
        }
        let field = |key: &str| {
            json.get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| CredentialsError::unavailable(&name, format!("the answer has no `{key}`")))
        };
        let expiration = field("Expiration")?;
        let expiry = parse_expiration(expiration).ok_or_else(|| {
            CredentialsError::unavailable(&name, format!("`Expiration` `{expiration}` is not a time"))
        })?;
        Credentials::new(field("AccessKeyId")?, field("AccessKeySecret")?)
            .and_then(|c| c.with_session_token(field("SecurityToken")?))
            .map(|c| c.with_expiry(expiry))
            .map_err(|e| CredentialsError::unavailable(&name, e.message()))
    }
}

impl ProvideCredentials for UriCredentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.cache.get(&self.name(), || self.fetch()).await })
    }
}
