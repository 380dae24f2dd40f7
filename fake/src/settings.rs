//! How a fake is configured: the credentials it accepts, its clock, its rate limits and the size of
//! its emulated state.

use std::collections::BTreeMap;

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
}

impl Default for Settings {
    fn default() -> Self {
        let mut credentials = BTreeMap::new();
        credentials.insert(DEFAULT_ID.to_string(), DEFAULT_SECRET.to_string());
        Settings { credentials, clock_offset_seconds: 0, rate_limits: true, api_key_limit: 50 }
    }
}
