//! Client configuration: region, endpoint, credentials, language, timeouts, retries, rate limiting,
//! validation and user agent.

use std::sync::Arc;
use std::time::Duration;

use crate::credentials::ProvideCredentials;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To establish a connection.
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
/// transient server errors and timeouts after sending only for actions the spec marks idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The first back-off; each next one doubles, with full jitter.
    pub initial_backoff: Duration,
    /// The longest back-off.
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

/// Configuration of a client. Start from [`Config::new`] or [`Config::from_env`] and chain `with_*`.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Endpoint,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) language: Option<String>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limit: RateLimit,
    pub(crate) validate: bool,
    pub(crate) user_agent: String,
    pub(crate) http_client: Option<reqwest::Client>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("language", &self.language)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("validate", &self.validate)
            .field("user_agent", &self.user_agent)
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
    /// CLI profile, 5 s / 30 s / 90 s timeouts, 3 attempts, the spec's rate limits, validation on.
    pub fn new() -> Self {
        Config {
            region: None,
            endpoint: Endpoint::Default,
            credentials: None,
            language: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            rate_limit: RateLimit::FromSpec,
            validate: true,
            user_agent: format!("cloudspec/{}", env!("CARGO_PKG_VERSION")),
            http_client: None,
        }
    }

    /// [`Config::new`], with the region from `TENCENTCLOUD_REGION` or `ALIBABA_CLOUD_REGION_ID` and an
    /// endpoint URL from `CLOUDSPEC_ENDPOINT` (for example a local `cloudspec serve`).
    pub fn from_env() -> Self {
        let read = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut config = Config::new();
        config.region = read("TENCENTCLOUD_REGION").or_else(|| read("ALIBABA_CLOUD_REGION_ID"));
        if let Some(url) = read("CLOUDSPEC_ENDPOINT") {
            config.endpoint = Endpoint::Custom(url);
        }
        config
    }

    /// The region (`ap-guangzhou`, `cn-hangzhou`).
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

    /// The credentials, or any provider of them.
    pub fn with_credentials(mut self, credentials: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
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

    /// A `reqwest::Client` of your own (proxies, certificates, connection limits). Its timeouts and
    /// user agent are then yours; the per-attempt and total timeouts still apply.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The configured region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
}
