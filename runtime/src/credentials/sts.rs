//! Assuming a role with STS `AssumeRole`, signed with source credentials ([`AssumeRoleCredentials`]),
//! and what the STS sources share: where the calls go ([`StsEndpoint`]), the client that makes them
//! (the runtime's own generated STS clients, `sts_generated.rs`) and how their answers become
//! credentials.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use super::cache::Cache;
use super::fetch::{base_url, shown};
use super::sts_generated::alibabacloud::sts::v20150401 as alibaba;
use super::sts_generated::tencentcloud::sts::v20180813 as tencent;
use super::{
    Cloud, Credentials, CredentialsError, CredentialsFuture, Environment, ProvideCredentials, default_session_name,
};
use crate::config::{Config, Endpoint, RateLimit, RetryPolicy, Timeouts};
use crate::error::Error;

/// Where STS calls go: an explicit URL, or the provider's host (Alibaba: the regional host, `sts-vpc`
/// in a VPC, when a region is known), and the region Tencent requests carry.
#[derive(Debug, Clone, Default)]
pub(crate) struct StsEndpoint {
    /// A URL or host that wins over everything else.
    pub(crate) url: Option<String>,
    /// The region: Tencent's `X-TC-Region` (default `ap-guangzhou`, as the official SDKs send);
    /// Alibaba's regional host `sts.<region>.aliyuncs.com`.
    pub(crate) region: Option<String>,
    /// Alibaba: the VPC host `sts-vpc.<region>.aliyuncs.com` (only with a region, as the official
    /// libraries do).
    pub(crate) vpc: bool,
}

impl StsEndpoint {
    /// Alibaba's variables: `ALIBABA_CLOUD_STS_REGION`, `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` (the
    /// credential libraries') and `ALIBABA_CLOUD_STS_ENDPOINT` (the CLI's).
    pub(crate) fn from_alibaba_environment(environment: &Environment) -> StsEndpoint {
        StsEndpoint {
            url: environment.var("ALIBABA_CLOUD_STS_ENDPOINT"),
            region: environment.var("ALIBABA_CLOUD_STS_REGION"),
            vpc: environment.is_true("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"),
        }
    }

    /// The URL calls go to.
    fn url(&self, cloud: Cloud) -> String {
        if let Some(url) = &self.url {
            return base_url(url, "https");
        }
        match (cloud, &self.region) {
            (Cloud::Tencent, _) => "https://sts.tencentcloudapi.com".into(),
            (Cloud::Alibaba, Some(region)) => {
                format!("https://{}.{region}.aliyuncs.com", if self.vpc { "sts-vpc" } else { "sts" })
            }
            (Cloud::Alibaba, None) => {
                if self.vpc {
                    tracing::warn!(
                        "the VPC STS endpoint needs a region (sts_region, ALIBABA_CLOUD_STS_REGION); using sts.aliyuncs.com"
                    );
                }
                "https://sts.aliyuncs.com".into()
            }
        }
    }

    /// The endpoint for messages.
    pub(crate) fn shown(&self, cloud: Cloud) -> String {
        shown(&self.url(cloud))
    }

    /// A client for STS calls signed by `source`, or unsigned without one: 5 s to connect, 10 s per
    /// attempt, 30 s in all, one retry, no client-side pacing.
    pub(crate) fn client(&self, cloud: Cloud, source: Option<Arc<dyn ProvideCredentials>>) -> crate::Client {
        let mut config = Config::new()
            .with_endpoint(Endpoint::Custom(self.url(cloud)))
            .with_timeouts(Timeouts {
                connect: Duration::from_secs(5),
                attempt: Duration::from_secs(10),
                total: Duration::from_secs(30),
            })
            .with_retry(RetryPolicy { max_attempts: 2, ..RetryPolicy::default() })
            .with_rate_limit(RateLimit::Disabled);
        if cloud == Cloud::Tencent {
            config = config.with_region(self.region.clone().unwrap_or_else(|| "ap-guangzhou".into()));
        }
        config = match source {
            Some(source) => config.with_credentials(source),
            None => config.unsigned(),
        };
        crate::Client::new(config)
    }
}

/// What a failed STS call means for the source: the provider's refusal or a bad request is
/// [`Invalid`](super::CredentialsErrorKind::Invalid), no usable answer is
/// [`Unavailable`](super::CredentialsErrorKind::Unavailable), and a source that could not sign keeps its
/// own kind.
pub(crate) fn failure<E: std::fmt::Display>(name: &str, action: &str, error: Error<E>) -> CredentialsError {
    match error {
        Error::Credentials(source) => {
            CredentialsError::invalid(name, format!("the credentials that sign {action}: {source}"))
                .with_kind(source.kind())
        }
        error @ (Error::Service(_) | Error::Validation(_) | Error::Configuration(_)) => {
            CredentialsError::invalid(name, format!("{action}: {error}"))
        }
        error => CredentialsError::unavailable(name, format!("{action}: {error}")),
    }
}

/// Credentials from Tencent's `Credentials` and `ExpiredTime`.
pub(crate) fn tencent_credentials(
    name: &str,
    credentials: tencent::Credentials,
    expired_time: i64,
) -> Result<Credentials, CredentialsError> {
    let expiry = u64::try_from(expired_time)
        .ok()
        .and_then(|seconds| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds)))
        .ok_or_else(|| CredentialsError::unavailable(name, format!("`ExpiredTime` {expired_time} is not a time")))?;
    Credentials::new(credentials.tmp_secret_id, credentials.tmp_secret_key.expose_secret())
        .and_then(|c| c.with_session_token(credentials.token.expose_secret()))
        .map(|c| c.with_expiry(expiry))
        .map_err(|e| CredentialsError::unavailable(name, format!("STS answered unusable credentials: {}", e.message())))
}

/// Credentials from Alibaba's `Credentials` (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`,
/// `Expiration`).
pub(crate) fn alibaba_credentials(
    name: &str,
    id: String,
    secret: &crate::SecretString,
    token: &crate::SecretString,
    expiration: &str,
) -> Result<Credentials, CredentialsError> {
    let expiry = super::metadata::parse_expiration(expiration)
        .ok_or_else(|| CredentialsError::unavailable(name, format!("`Expiration` `{expiration}` is not a time")))?;
    Credentials::new(id, secret.expose_secret())
        .and_then(|c| c.with_session_token(token.expose_secret()))
        .map(|c| c.with_expiry(expiry))
        .map_err(|e| CredentialsError::unavailable(name, format!("STS answered unusable credentials: {}", e.message())))
}

/// A duration as STS's `DurationSeconds`.
pub(crate) fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

/// The temporary credentials of a role, from STS `AssumeRole` signed with source credentials: an
/// Alibaba CLI profile in `RamRoleArn` or `ChainableRamRoleArn` mode, a tccli profile with a
/// `role-arn`, or your own.
///
/// The source is asked for credentials at each refresh (so it may be temporary itself: an instance
/// role, another assumed role); its session token, if any, signs the call too. Unset, the session is
/// named `cloudspec-<Unix milliseconds>` and the duration is the provider's default (Tencent 7200 s,
/// Alibaba 3600 s).
#[derive(Debug)]
pub struct AssumeRoleCredentials {
    cloud: Cloud,
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    external_id: Option<String>,
    endpoint: StsEndpoint,
    client: OnceLock<crate::Client>,
    cache: Cache,
}

impl AssumeRoleCredentials {
    /// Assumes a Tencent Cloud CAM role (`qcs::cam::uin/…:roleName/…`) with `source`'s credentials,
    /// through `sts.tencentcloudapi.com` in region `ap-guangzhou`.
    pub fn tencent(source: impl ProvideCredentials + 'static, role_arn: impl Into<String>) -> Self {
        AssumeRoleCredentials::with_source(Cloud::Tencent, Arc::new(source), role_arn.into())
    }

    /// Assumes an Alibaba Cloud RAM role (`acs:ram::…:role/…`) with `source`'s credentials, through
    /// `sts.aliyuncs.com`.
    pub fn alibaba(source: impl ProvideCredentials + 'static, role_arn: impl Into<String>) -> Self {
        AssumeRoleCredentials::with_source(Cloud::Alibaba, Arc::new(source), role_arn.into())
    }

    pub(crate) fn with_source(cloud: Cloud, source: Arc<dyn ProvideCredentials>, role_arn: String) -> Self {
        AssumeRoleCredentials {
            cloud,
            source,
            role_arn,
            session_name: None,
            duration: None,
            policy: None,
            external_id: None,
            endpoint: StsEndpoint::default(),
            client: OnceLock::new(),
            cache: Cache::default(),
        }
    }

    /// The role session's name (`RoleSessionName`).
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials live (`DurationSeconds`; Alibaba: at least 900 s).
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// A policy that narrows the role's permissions (`Policy`).
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The role's external id (`ExternalId`).
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// The STS endpoint: a host (`sts.internal.tencentcloudapi.com`) or a URL
    /// (`http://127.0.0.1:8080` for a local fake).
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint.url = Some(endpoint.into());
        self
    }

    /// The region: Tencent's `X-TC-Region`; for Alibaba, the regional host `sts.<region>.aliyuncs.com`.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.endpoint.region = Some(region.into());
        self
    }

    /// Alibaba: the VPC host `sts-vpc.<region>.aliyuncs.com` (with a region).
    pub fn with_vpc_endpoint(mut self, vpc: bool) -> Self {
        self.endpoint.vpc = vpc;
        self
    }

    pub(crate) fn with_sts_endpoint(mut self, endpoint: StsEndpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    fn name(&self) -> String {
        format!("AssumeRole of {} (STS {})", self.role_arn, self.endpoint.shown(self.cloud))
    }

    fn client(&self) -> crate::Client {
        self.client.get_or_init(|| self.endpoint.client(self.cloud, Some(self.source.clone()))).clone()
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let name = self.name();
        let session = self.session_name.clone().unwrap_or_else(default_session_name);
        let invalid = |e: crate::ValidationError| CredentialsError::invalid(&name, format!("AssumeRole: {e}"));
        match self.cloud {
            Cloud::Tencent => {
                let mut builder =
                    tencent::AssumeRoleRequest::builder().role_arn(&self.role_arn).role_session_name(session);
                if let Some(duration) = self.duration {
                    builder = builder.duration_seconds(seconds(duration));
                }
                if let Some(policy) = &self.policy {
                    builder = builder.policy(policy);
                }
                if let Some(external_id) = &self.external_id {
                    builder = builder.external_id(external_id);
                }
                let request = builder.build().map_err(invalid)?;
                let client = tencent::Client::from_runtime(self.client());
                let response = client.assume_role(request).await.map_err(|e| failure(&name, "AssumeRole", e))?;
                tencent_credentials(&name, response.credentials, response.expired_time)
            }
            Cloud::Alibaba => {
                let mut builder =
                    alibaba::AssumeRoleRequest::builder().role_arn(&self.role_arn).role_session_name(session);
                if let Some(duration) = self.duration {
                    builder = builder.duration_seconds(seconds(duration));
                }
                if let Some(policy) = &self.policy {
                    builder = builder.policy(policy);
                }
                if let Some(external_id) = &self.external_id {
                    builder = builder.external_id(external_id);
                }
                let request = builder.build().map_err(invalid)?;
                let client = alibaba::Client::from_runtime(self.client());
                let response = client.assume_role(request).await.map_err(|e| failure(&name, "AssumeRole", e))?;
                let c = response.credentials;
                alibaba_credentials(&name, c.access_key_id, &c.access_key_secret, &c.security_token, &c.expiration)
            }
        }
    }
}

impl ProvideCredentials for AssumeRoleCredentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.cache.get(&self.name(), || self.fetch()).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_official_rules() {
        let mut endpoint = StsEndpoint::default();
        assert_eq!(endpoint.url(Cloud::Tencent), "https://sts.tencentcloudapi.com");
        assert_eq!(endpoint.url(Cloud::Alibaba), "https://sts.aliyuncs.com");
        endpoint.vpc = true;
        assert_eq!(endpoint.url(Cloud::Alibaba), "https://sts.aliyuncs.com", "a VPC host needs a region");
        endpoint.region = Some("cn-beijing".into());
        assert_eq!(endpoint.url(Cloud::Alibaba), "https://sts-vpc.cn-beijing.aliyuncs.com");
        endpoint.url = Some("sts.internal.tencentcloudapi.com".into());
        assert_eq!(endpoint.url(Cloud::Tencent), "https://sts.internal.tencentcloudapi.com");
    }
}
