//! Client configuration: region, endpoint, credentials, language, timeouts, retries, rate limiting,
//! validation, the response size limit, user agent and the HTTP client.
//!
//! Clients run on Tokio: calls must be awaited inside a Tokio runtime with its I/O and time drivers
//! enabled (`#[tokio::main]`, or a `Runtime` built with `enable_all()`); a call made elsewhere fails
//! with [`Error::Configuration`](crate::Error::Configuration) instead of panicking.

use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{DefaultCredentials, ProvideCredentials};
use crate::envelope::Protocol;

/// The default limit of a response body: 32 MiB. The largest documented responses (long listings) are
/// a few megabytes; a body larger than this is a misbehaving or hostile server, and buffering it whole
/// (then parsing it) could take the process's memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 << 20;

/// Which host a client calls.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Endpoint {
    /// The service's default host; with a region, the regional host where the service has one and no
    /// default (Alibaba).
    Default,
    /// The international-site host (`apigateway.intl.tencentcloudapi.com`).
    International,
    /// The host of the configured region (`apigateway.ap-guangzhou.tencentcloudapi.com`).
    Regional,
    /// A URL: `https://…`, or `http://` to a loopback address for local fakes and tests.
    Custom(String),
}

/// Timeouts of a call.
///
/// A connection that is not up within `connect` (never more than `attempt`) fails as a connection
/// error, which reports that nothing was sent; an attempt that times out once connected reports an
/// unknown outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To establish a connection (name resolution and TLS included).
    pub connect: Duration,
    /// For one attempt: sending the request and reading the whole response.
    pub attempt: Duration,
    /// For the whole call, retries and back-off included.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(5), attempt: Duration::from_secs(30), total: Duration::from_secs(90) }
    }
}

/// When and how often a failed attempt is retried.
///
/// Throttling and connection failures before the request was sent are retried for every action;
/// transient server errors, timeouts and cut bodies after sending only for actions the spec marks
/// idempotent. Redirects and bodies over the size limit are never retried. A server's retry-after hint
/// (`Retry-After`, `x-acs-retry-after`) is followed up to `max_backoff`, and a retry that would end
/// after the call's total timeout is not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The first back-off; each next one doubles, with full jitter.
    pub initial_backoff: Duration,
    /// The longest back-off, the server's retry-after hints included.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }
}

/// Client-side pacing of calls, per action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RateLimit {
    /// Each action's documented rate (20 requests per second), shared by clones of a client.
    #[default]
    FromSpec,
    /// The same rate for every action.
    PerSecond(u32),
    /// No pacing.
    Disabled,
}

/// The regions `Config::from_env` read, each for its own provider's clients.
#[derive(Debug, Clone, Default)]
pub(crate) struct EnvRegions {
    /// `TENCENTCLOUD_REGION`.
    pub(crate) tencent: Option<String>,
    /// `ALIBABA_CLOUD_REGION_ID`.
    pub(crate) alibaba: Option<String>,
}

/// Configuration of a client. Start from [`Config::new`] or [`Config::from_env`] and chain `with_*`.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) env_regions: EnvRegions,
    pub(crate) endpoint: Endpoint,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    /// The providers' default chains, for when `credentials` is unset; clones of the configuration
    /// (and every client made from them) share them, and so share the credentials they find.
    pub(crate) default_credentials: [DefaultCredentials; 2],
    /// Requests are sent unsigned (STS's OIDC actions); set by the runtime's own credential sources.
    pub(crate) unsigned: bool,
    pub(crate) language: Option<String>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limit: RateLimit,
    pub(crate) validate: bool,
    pub(crate) user_agent: String,
    pub(crate) max_response_bytes: usize,
    /// A client built from the user's builder, or why it could not be built.
    pub(crate) http_client: Option<Result<reqwest::Client, String>>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("env_regions", &self.env_regions)
            .field("endpoint", &self.endpoint)
            .field(
                "credentials",
                &self.credentials.as_ref().map_or(&"the default chain" as &dyn std::fmt::Debug, |c| c),
            )
            .field("unsigned", &self.unsigned)
            .field("language", &self.language)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("validate", &self.validate)
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .finish_non_exhaustive()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// Defaults: no region, the default endpoint, credentials from the environment or the provider's
    /// CLI profile, 5 s / 30 s / 90 s timeouts, 3 attempts, the spec's rate limits, validation on,
    /// responses up to [`DEFAULT_MAX_RESPONSE_BYTES`].
    pub fn new() -> Self {
        Config {
            region: None,
            env_regions: EnvRegions::default(),
            endpoint: Endpoint::Default,
            credentials: None,
            default_credentials: [DefaultCredentials::tencent(), DefaultCredentials::alibaba()],
            unsigned: false,
            language: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            rate_limit: RateLimit::FromSpec,
            validate: true,
            user_agent: format!("cloudspec/{}", env!("CARGO_PKG_VERSION")),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http_client: None,
        }
    }

    /// [`Config::new`], with each provider's region from its own variable — `TENCENTCLOUD_REGION` for
    /// Tencent Cloud clients, `ALIBABA_CLOUD_REGION_ID` for Alibaba Cloud clients, so one configuration
    /// serves both — and an endpoint URL from `CLOUDSPEC_ENDPOINT` (for example a local
    /// `cloudspec serve`). A region set with [`Config::with_region`] applies to every provider.
    pub fn from_env() -> Self {
        let read = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut config = Config::new();
        config.env_regions =
            EnvRegions { tencent: read("TENCENTCLOUD_REGION"), alibaba: read("ALIBABA_CLOUD_REGION_ID") };
        if let Some(url) = read("CLOUDSPEC_ENDPOINT") {
            config.endpoint = Endpoint::Custom(url);
        }
        config
    }

    /// The region for every provider (`ap-guangzhou`, `cn-hangzhou`); it wins over the variables
    /// [`Config::from_env`] read.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Which host to call.
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// A custom endpoint URL (`http://127.0.0.1:8080` for a local fake).
    pub fn with_endpoint_url(self, url: impl Into<String>) -> Self {
        self.with_endpoint(Endpoint::Custom(url.into()))
    }

    /// The credentials, or any source of them ([`crate::credentials`]); without, each provider's
    /// [`DefaultCredentials`] chain.
    pub fn with_credentials(mut self, credentials: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// Sends requests unsigned, for the actions that take no signature (STS
    /// `AssumeRoleWithWebIdentity`, `AssumeRoleWithOIDC`).
    pub(crate) fn unsigned(mut self) -> Self {
        self.unsigned = true;
        self
    }

    /// The credentials source a client of the protocol's provider asks.
    pub(crate) fn credentials_for(&self, protocol: Protocol) -> &dyn ProvideCredentials {
        match (&self.credentials, protocol) {
            (Some(credentials), _) => credentials.as_ref(),
            (None, Protocol::TencentJson) => &self.default_credentials[0],
            (None, Protocol::AlibabaRpc | Protocol::AlibabaRoa) => &self.default_credentials[1],
        }
    }

    /// The language of messages (Tencent `X-TC-Language`: `zh-CN`, `en-US`).
    pub fn with_language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Timeouts.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Client-side rate limiting.
    pub fn with_rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Whether requests are validated before they are sent (default: yes). Turn it off when the
    /// provider accepts values its documentation rules out.
    pub fn with_validation(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }

    /// The `User-Agent` (default `cloudspec/<version>`).
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body read, in bytes (default [`DEFAULT_MAX_RESPONSE_BYTES`]). Reading
    /// stops there, and the call fails with [`Error::Incomplete`](crate::Error::Incomplete); a response
    /// that declares a larger `Content-Length` is not read at all.
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// An HTTP client of your own (proxies, root certificates, connection limits), as the
    /// `reqwest::ClientBuilder` that makes it. Its connect timeout and user agent are then yours; the
    /// per-attempt and total timeouts still apply (give it a connect timeout below the attempt
    /// timeout, so that a connection failure reports that nothing was sent). A builder that cannot
    /// build fails the first call with [`Error::Configuration`](crate::Error::Configuration).
    ///
    /// cloudspec finishes the builder itself, turning redirects off (`redirect::Policy::none()`) and
    /// `Referer` headers off, whatever the builder says. That is why this takes a builder and not a
    /// `reqwest::Client`: a client's redirect policy cannot be read back, and a client that follows
    /// redirects re-sends the request — its body (a new `AccessKeySecret`), its session token
    /// (`X-TC-Token`, `x-acs-security-token`), a `Referer` with its query (`NewAppSecret=…`) — to
    /// whichever host a 3xx names. Cloud APIs never redirect: a 3xx is reported as
    /// [`Error::Redirect`](crate::Error::Redirect).
    pub fn with_http_client_builder(mut self, builder: reqwest::ClientBuilder) -> Self {
        let client = without_redirects(builder).build().map_err(|e| format!("cannot build the HTTP client: {e}"));
        self.http_client = Some(client);
        self
    }

    /// The region set with [`Config::with_region`], for every provider. The per-provider regions
    /// [`Config::from_env`] reads are used only when it is not set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The region a client of the protocol's provider uses: [`Config::region`], else that provider's
    /// own variable as [`Config::from_env`] read it.
    pub(crate) fn region_for(&self, protocol: Protocol) -> Option<&str> {
        let from_env = match protocol {
            Protocol::TencentJson => &self.env_regions.tencent,
            Protocol::AlibabaRpc | Protocol::AlibabaRoa => &self.env_regions.alibaba,
        };
        self.region.as_deref().or(from_env.as_deref())
    }
}

/// The policy every HTTP client of cloudspec has: never follow a redirect, never send a `Referer`.
pub(crate) fn without_redirects(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.redirect(reqwest::redirect::Policy::none()).referer(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_reads_its_own_region_and_an_explicit_region_wins() {
        let config = Config {
            env_regions: EnvRegions { tencent: Some("ap-guangzhou".into()), alibaba: Some("cn-hangzhou".into()) },
            ..Config::new()
        };
        assert_eq!(config.region_for(Protocol::TencentJson), Some("ap-guangzhou"));
        assert_eq!(config.region_for(Protocol::AlibabaRpc), Some("cn-hangzhou"));
        assert_eq!(config.region_for(Protocol::AlibabaRoa), Some("cn-hangzhou"));
        assert_eq!(config.region(), None);
        let only_tencent =
            Config { env_regions: EnvRegions { tencent: Some("ap-guangzhou".into()), alibaba: None }, ..Config::new() };
        assert_eq!(
            only_tencent.region_for(Protocol::AlibabaRpc),
            None,
            "an Alibaba client never gets a Tencent region"
        );
        let explicit = config.with_region("eu-central-1");
        assert_eq!(explicit.region_for(Protocol::TencentJson), Some("eu-central-1"));
        assert_eq!(explicit.region_for(Protocol::AlibabaRpc), Some("eu-central-1"));
    }

    /// `from_env` itself, in a child process: the variables are set for it alone, so no other test
    /// sees them (and no `unsafe` `set_var` is needed).
    #[test]
    fn from_env_gives_each_provider_its_own_region() {
        const CHILD: &str = "CLOUDSPEC_FROM_ENV_CHILD";
        if std::env::var_os(CHILD).is_some() {
            let config = Config::from_env();
            assert_eq!(config.region_for(Protocol::TencentJson), Some("ap-guangzhou"));
            assert_eq!(config.region_for(Protocol::AlibabaRpc), Some("cn-hangzhou"));
            assert_eq!(config.region(), None);
            assert_eq!(config.endpoint, Endpoint::Custom("http://127.0.0.1:9".into()));
            return;
        }
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "config::tests::from_env_gives_each_provider_its_own_region", "--test-threads=1"])
            .env(CHILD, "1")
            .env("TENCENTCLOUD_REGION", "ap-guangzhou")
            .env("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")
            .env("CLOUDSPEC_ENDPOINT", "http://127.0.0.1:9")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("1 passed"),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
