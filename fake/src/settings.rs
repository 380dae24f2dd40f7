//! How a fake is configured: the credentials it accepts, its clock, its rate limits, the size of its
//! emulated state, and how long and how many connections it keeps open.

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
            header_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(15),
            max_connections: 512,
        }
    }
}
