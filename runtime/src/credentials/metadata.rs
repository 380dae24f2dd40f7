//! The instance role, from the metadata service of the instance the program runs on: a CVM role
//! ([`CvmRoleCredentials`]) or an ECS RAM role ([`EcsRamRoleCredentials`]).
//!
//! Both discover the role's name (unless it is given), then fetch its temporary credentials, which
//! the cache refreshes before they expire. Every request has a time limit (1 s by default, as the
//! Alibaba libraries; the Tencent SDKs set none, so a slow metadata service hangs them), and no proxy
//! is used. When the service cannot be reached, or has no role for the instance, the source is not
//! configured (the program is not on an instance, or the instance has no role) and a chain moves on.

use std::time::{Duration, SystemTime};

use reqwest::Method;
use serde_json::Value;

use super::cache::Cache;
use super::fetch::{Failure, Http, base_url, shown};
use super::{Credentials, CredentialsError, CredentialsFuture, Environment, ProvideCredentials};

/// The default time limit of one metadata request.
const TIMEOUT: Duration = Duration::from_secs(1);

/// What the role discovery says.
fn discovery_failure(name: &str, endpoint: &str, failure: Failure) -> CredentialsError {
    match failure {
        Failure::Unreachable(why) => CredentialsError::not_configured(
            name,
            format!("the metadata service at {} is not reachable ({why}): not on an instance?", shown(endpoint)),
        ),
        Failure::TimedOut => CredentialsError::not_configured(
            name,
            format!("the metadata service at {} did not answer within the time limit", shown(endpoint)),
        ),
        Failure::Broken(why) => CredentialsError::unavailable(name, why),
    }
}

/// A role name from a discovery answer: the first line, trimmed (the Alibaba Python library uses the
/// body verbatim, so a trailing line break breaks its next URL; Go trims it).
fn role_name(body: &str) -> Option<String> {
    body.lines().map(str::trim).find(|line| !line.is_empty()).map(str::to_string)
}

fn string_field(json: &Value, key: &str, name: &str) -> Result<String, CredentialsError> {
    json.get(key)
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .ok_or_else(|| CredentialsError::unavailable(name, format!("the answer has no `{key}`")))
}

fn parse_json(body: &str, name: &str) -> Result<Value, CredentialsError> {
    serde_json::from_str(body).map_err(|e| {
        CredentialsError::unavailable(
            name,
            format!("the answer is not JSON (line {}, column {})", e.line(), e.column()),
        )
    })
}

/// The role's credentials, or why not.
fn credentials_of(
    name: &str,
    id: String,
    secret: String,
    token: String,
    expiry: SystemTime,
) -> Result<Credentials, CredentialsError> {
    let credentials = Credentials::new(id, secret).and_then(|c| c.with_session_token(token));
    credentials.map(|c| c.with_expiry(expiry)).map_err(|e| CredentialsError::unavailable(name, e.message()))
}

/// The CVM instance role of Tencent Cloud, from `http://metadata.tencentyun.com`.
///
/// `GET /latest/meta-data/cam/security-credentials/` names the role (404: none is bound), then
/// `GET …/<role>` returns `TmpSecretId`, `TmpSecretKey`, `Token` and `ExpiredTime`, with `Code`
/// `Success`.
#[derive(Debug)]
pub struct CvmRoleCredentials {
    endpoint: String,
    role: Option<String>,
    http: Http,
    cache: Cache,
}

impl Default for CvmRoleCredentials {
    fn default() -> Self {
        CvmRoleCredentials::new()
    }
}

impl CvmRoleCredentials {
    /// The metadata service's address.
    pub const DEFAULT_ENDPOINT: &'static str = "http://metadata.tencentyun.com";

    /// The role bound to this instance, from the default metadata service.
    pub fn new() -> Self {
        CvmRoleCredentials {
            endpoint: Self::DEFAULT_ENDPOINT.into(),
            role: None,
            http: Http::new(TIMEOUT, false),
            cache: Cache::default(),
        }
    }

    /// Another metadata service address (`http://127.0.0.1:8080` for a local fake).
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = base_url(&endpoint.into(), "http");
        self
    }

    /// The role's name, so it is not discovered.
    pub fn with_role_name(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// The time limit of each metadata request (default 1 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.http = Http::new(timeout, false);
        self
    }

    fn name(&self) -> String {
        format!("CVM role (metadata service {})", shown(&self.endpoint))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let name = self.name();
        let base = format!("{}/latest/meta-data/cam/security-credentials/", self.endpoint);
        let role = match &self.role {
            Some(role) => role.clone(),
            None => {
                let reply =
                    self.http.send(Method::GET, &base, &[]).await.map_err(|f| discovery_failure(&name, &base, f))?;
                match reply.status {
                    200 => role_name(&reply.body).ok_or_else(|| {
                        CredentialsError::not_configured(&name, "no CAM role is bound to this instance")
                    })?,
                    404 => {
                        return Err(CredentialsError::not_configured(&name, "no CAM role is bound to this instance"));
                    }
                    status => {
                        return Err(CredentialsError::unavailable(
                            &name,
                            format!("role discovery answered HTTP {status}"),
                        ));
                    }
                }
            }
        };
        let url = format!("{base}{}", crate::signing::percent_encode(&role));
        let reply = self.http.send(Method::GET, &url, &[]).await.map_err(|f| {
            CredentialsError::unavailable(&name, format!("fetching the credentials of role `{role}`: {f}"))
        })?;
        if reply.status != 200 {
            let message = format!("fetching the credentials of role `{role}` answered HTTP {}", reply.status);
            return Err(CredentialsError::unavailable(&name, message));
        }
        let json = parse_json(&reply.body, &name)?;
        let code = json.get("Code").and_then(Value::as_str).unwrap_or_default();
        if code != "Success" {
            let message = format!("the metadata service answered Code `{code}` for role `{role}`");
            return Err(CredentialsError::unavailable(&name, message));
        }
        let expired = json
            .get("ExpiredTime")
            .and_then(Value::as_u64)
            .ok_or_else(|| CredentialsError::unavailable(&name, "the answer has no `ExpiredTime`"))?;
        credentials_of(
            &name,
            string_field(&json, "TmpSecretId", &name)?,
            string_field(&json, "TmpSecretKey", &name)?,
            string_field(&json, "Token", &name)?,
            SystemTime::UNIX_EPOCH + Duration::from_secs(expired),
        )
    }
}

impl ProvideCredentials for CvmRoleCredentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.cache.get(&self.name(), || self.fetch()).await })
    }
}

/// The RAM role of an Alibaba Cloud ECS instance, from `http://100.100.100.200`, in the metadata
/// service's token-protected mode (IMDSv2).
///
/// `PUT /latest/api/token` (header `X-aliyun-ecs-metadata-token-ttl-seconds: 21600`) gets a token
/// that every later request sends as `X-aliyun-ecs-metadata-token`. When the token cannot be had, the
/// requests go without it (IMDSv1), unless IMDSv1 is disabled
/// ([`with_imds_v1`](Self::with_imds_v1)`(false)`, or `ALIBABA_CLOUD_IMDSV1_DISABLED=true`), as the
/// official libraries do. `GET /latest/meta-data/ram/security-credentials/` names the role (skipped
/// when it is given: [`with_role_name`](Self::with_role_name), `ALIBABA_CLOUD_ECS_METADATA`), and
/// `GET …/<role>` returns `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration`, with
/// `Code` `Success`.
#[derive(Debug)]
pub struct EcsRamRoleCredentials {
    endpoint: String,
    role: Option<String>,
    imds_v1: bool,
    http: Http,
    cache: Cache,
}

impl Default for EcsRamRoleCredentials {
    fn default() -> Self {
        EcsRamRoleCredentials::new()
    }
}

impl EcsRamRoleCredentials {
    /// The metadata service's address.
    pub const DEFAULT_ENDPOINT: &'static str = "http://100.100.100.200";
    /// How long a metadata token lives, in seconds (the official libraries' value).
    const TOKEN_TTL: &'static str = "21600";

    /// The role attached to this instance, from the default metadata service, IMDSv1 allowed as a
    /// fallback.
    pub fn new() -> Self {
        EcsRamRoleCredentials {
            endpoint: Self::DEFAULT_ENDPOINT.into(),
            role: None,
            imds_v1: true,
            http: Http::new(TIMEOUT, false),
            cache: Cache::default(),
        }
    }

    /// [`new`](Self::new) with `ALIBABA_CLOUD_ECS_METADATA` (the role's name) and
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED` read from `environment`.
    pub fn from_environment(environment: &Environment) -> Self {
        let mut source =
            EcsRamRoleCredentials::new().with_imds_v1(!environment.is_true("ALIBABA_CLOUD_IMDSV1_DISABLED"));
        source.role = environment.var("ALIBABA_CLOUD_ECS_METADATA");
        source
    }

    /// Another metadata service address (`http://127.0.0.1:8080` for a local fake).
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = base_url(&endpoint.into(), "http");
        self
    }

    /// The role's name, so it is not discovered.
    pub fn with_role_name(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Whether requests may go without a token when none can be had (default: yes).
    pub fn with_imds_v1(mut self, allowed: bool) -> Self {
        self.imds_v1 = allowed;
        self
    }

    /// The time limit of each metadata request (default 1 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.http = Http::new(timeout, false);
        self
    }

    fn name(&self) -> String {
        format!("ECS RAM role (metadata service {})", shown(&self.endpoint))
    }

    /// A metadata token, or `None` to go on without one.
    async fn token(&self, name: &str) -> Result<Option<crate::SecretString>, CredentialsError> {
        let url = format!("{}/latest/api/token", self.endpoint);
        let why = match self
            .http
            .send(Method::PUT, &url, &[("X-aliyun-ecs-metadata-token-ttl-seconds", Self::TOKEN_TTL)])
            .await
        {
            Ok(reply) if reply.status == 200 && !reply.body.trim().is_empty() => {
                return Ok(Some(crate::SecretString::new(reply.body.trim())));
            }
            Ok(reply) => format!("the token request answered HTTP {}", reply.status),
            Err(Failure::Unreachable(why)) if !self.imds_v1 => {
                return Err(discovery_failure(name, &url, Failure::Unreachable(why)));
            }
            Err(failure) => format!("the token request failed: {failure}"),
        };
        if self.imds_v1 {
            tracing::debug!(source = name, "no metadata token ({why}); going on without one (IMDSv1)");
            Ok(None)
        } else {
            Err(CredentialsError::invalid(name, format!("{why}, and IMDSv1 is disabled")))
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let name = self.name();
        let token = self.token(&name).await?;
        let header = token.as_ref().map(|t| ("X-aliyun-ecs-metadata-token", t.expose_secret()));
        let headers: Vec<(&str, &str)> = header.into_iter().collect();
        let base = format!("{}/latest/meta-data/ram/security-credentials/", self.endpoint);
        let role = match &self.role {
            Some(role) => role.clone(),
            None => {
                let reply = self
                    .http
                    .send(Method::GET, &base, &headers)
                    .await
                    .map_err(|f| discovery_failure(&name, &base, f))?;
                match reply.status {
                    200 => role_name(&reply.body).ok_or_else(|| {
                        CredentialsError::not_configured(&name, "no RAM role is attached to this instance")
                    })?,
                    404 => {
                        return Err(CredentialsError::not_configured(
                            &name,
                            "no RAM role is attached to this instance",
                        ));
                    }
                    status => {
                        return Err(CredentialsError::unavailable(
                            &name,
                            format!("role discovery answered HTTP {status}"),
                        ));
                    }
                }
            }
        };
        let url = format!("{base}{}", crate::signing::percent_encode(&role));
        let reply = self.http.send(Method::GET, &url, &headers).await.map_err(|f| {
            CredentialsError::unavailable(&name, format!("fetching the credentials of role `{role}`: {f}"))
        })?;
        if reply.status != 200 {
            let message = format!("fetching the credentials of role `{role}` answered HTTP {}", reply.status);
            return Err(CredentialsError::unavailable(&name, message));
        }
        let json = parse_json(&reply.body, &name)?;
        let code = json.get("Code").and_then(Value::as_str).unwrap_or_default();
        if code != "Success" {
            let message = format!("the metadata service answered Code `{code}` for role `{role}`");
            return Err(CredentialsError::unavailable(&name, message));
        }
        let expiration = string_field(&json, "Expiration", &name)?;
        let expiry = parse_expiration(&expiration).ok_or_else(|| {
            CredentialsError::unavailable(&name, format!("`Expiration` `{expiration}` is not a time"))
        })?;
        credentials_of(
            &name,
            string_field(&json, "AccessKeyId", &name)?,
            string_field(&json, "AccessKeySecret", &name)?,
            string_field(&json, "SecurityToken", &name)?,
            expiry,
        )
    }
}

/// An Alibaba `Expiration` (`2015-04-09T11:52:19Z`) as a time.
pub(crate) fn parse_expiration(text: &str) -> Option<SystemTime> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok().map(SystemTime::from)
}

impl ProvideCredentials for EcsRamRoleCredentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.cache.get(&self.name(), || self.fetch()).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_trimmed_and_times_parsed() {
        assert_eq!(role_name("my-role\n").as_deref(), Some("my-role"));
        assert_eq!(role_name("\n  \n"), None);
        let at = parse_expiration("2015-04-09T11:52:19Z").unwrap();
        assert_eq!(at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(), 1_428_580_339);
        assert!(parse_expiration("soon").is_none());
    }
}
