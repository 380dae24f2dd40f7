//! How a fake is configured: the credentials it accepts, its clock, its rate limits, the size of its
//! emulated state and of the lists paged actions answer from, the temporary credentials and instance
//! metadata it serves, and how long and how many connections it keeps open.

use std::collections::BTreeMap;
use std::time::Duration;

/// The access key id the fake accepts unless told otherwise.
pub const DEFAULT_ID: &str = "cloudspec-fake-id";
/// Its secret (a fake one: it opens nothing but the fake).
pub const DEFAULT_SECRET: &str = "cloudspec-fake-secret";

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
    /// How long the temporary credentials the fake issues (STS, instance metadata, the credentials
    /// URI) live. `None`: as asked (`DurationSeconds`), else the provider's default (Tencent 7200 s,
    /// Alibaba 3600 s, metadata 6 h). Tests of expiry set a few seconds.
    pub temporary_lifetime: Option<Duration>,
    /// The instance metadata service the fake plays.
    pub metadata: Metadata,
    /// The lists paged actions answer from, by action name.
    pub lists: BTreeMap<String, crate::ListRule>,
    /// The length of the list of every paged action without a rule in `lists`. `None` (the default):
    /// such an action answers with its documented example, as every other action does.
    pub list_length: Option<usize>,
    /// How long the fake waits for a request's head (request line and headers), counted from when it
    /// starts waiting: the connection opened, or the previous answer went out. A client that sends
    /// nothing, or its head a byte at a time, is disconnected. Default 30 s; between a millisecond and a day.
    pub header_read_timeout: Duration,
    /// How long a connection may stay silent (not a byte either way) while the fake waits on the
    /// client: between requests on a kept-alive connection, in a request body that stops arriving, or
    /// with an answer the client does not read. The fake's own work, such as an injected latency, does
    /// not count. Default 15 s; between a millisecond and a day.
    pub idle_timeout: Duration,
    /// How many connections the fake serves at once. Beyond it, new connections wait in the listen
    /// backlog until one closes, rather than exhausting the process's file descriptors. Default 512
    /// (half the usual descriptor limit); at least 1.
    pub max_connections: usize,
}

/// The instance metadata service the fake plays: Tencent CVM's
/// (`/latest/meta-data/cam/security-credentials/`) and Alibaba ECS's
/// (`/latest/meta-data/ram/security-credentials/`, with the IMDSv2 token at `PUT /latest/api/token`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The role bound to the instance; `None`: no role (discovery answers 404).
    pub role: Option<String>,
    /// How the Alibaba service treats tokens.
    pub token: ImdsToken,
}

impl Default for Metadata {
    fn default() -> Self {
        Metadata { role: Some("cloudspec-fake-role".into()), token: ImdsToken::Optional }
    }
}

/// The Alibaba metadata service's token mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImdsToken {
    /// Tokens are issued, and requests are answered with a valid token or without one (the default).
    #[default]
    Optional,
    /// Requests without a valid token are refused (HTTP 401): IMDSv2 only.
    Required,
    /// The token endpoint refuses (HTTP 403), as a service with tokens turned off; requests go without.
    Refused,
}

/// The connection limits of [`Settings`], read once when the fake starts, within their bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) header_read_timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) max_connections: usize,
}

/// The longest a timeout may be: longer ones would overflow the clocks they are added to.
const LONGEST_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);
/// The shortest: a zero timeout would close every connection at once.
const SHORTEST_TIMEOUT: Duration = Duration::from_millis(1);

impl Settings {
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            header_read_timeout: self.header_read_timeout.clamp(SHORTEST_TIMEOUT, LONGEST_TIMEOUT),
            idle_timeout: self.idle_timeout.clamp(SHORTEST_TIMEOUT, LONGEST_TIMEOUT),
            max_connections: self.max_connections.clamp(1, tokio::sync::Semaphore::MAX_PERMITS),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        let mut credentials = BTreeMap::new();
        credentials.insert(DEFAULT_ID.to_string(), DEFAULT_SECRET.to_string());
        Settings {
            credentials,
            clock_offset_seconds: 0,
            rate_limits: true,
            api_key_limit: 50,
            temporary_lifetime: None,
            metadata: Metadata::default(),
            lists: BTreeMap::new(),
            list_length: None,
            header_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(15),
            max_connections: 512,
        }
    }
}
