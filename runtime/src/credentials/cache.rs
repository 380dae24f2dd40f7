//! The cache in front of every source of temporary credentials: one fetch at a time, refreshes ahead
//! of expiry, the old credentials kept while they are still good when a refresh fails.
//!
//! Timing, for credentials that live `L` (from when they were fetched to their expiry `E`):
//!
//! - they are served as they are until `E − min(5 min, L / 2)`;
//! - from then on the first caller refreshes them while the others wait for its result (one fetch,
//!   however many calls are waiting: a `tokio::sync::Mutex` is held across it, and a caller that
//!   gets it after another's refresh finds fresh credentials and fetches nothing);
//! - a refresh that fails before `E − min(10 s, L / 10)` keeps the old credentials (a warning says
//!   so) and is tried again at most every 10 s; after that the failure is the caller's error.
//!
//! The official SDKs each have their own rule — Tencent refreshes AssumeRole credentials after a tenth
//! of their life, Alibaba's Python library 15 minutes and its Go library 3 minutes before expiry —
//! and none of them refreshes only once under concurrency. Five minutes (or half the life of short
//! credentials) is the Tencent CVM rule and uses the credentials for most of their life.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::{Credentials, CredentialsError, rfc3339};

/// The longest lead a refresh takes on expiry.
const REFRESH_LEAD: Duration = Duration::from_secs(300);
/// The longest safety margin before expiry within which old credentials are no longer served.
const SAFETY: Duration = Duration::from_secs(10);
/// How long after a failed refresh the next one is tried while old credentials are still served.
const RETRY_AFTER: Duration = Duration::from_secs(10);

/// Cached credentials and when to act on them.
#[derive(Debug, Clone)]
struct Entry {
    credentials: Credentials,
    /// From then on, refresh.
    refresh_at: Option<SystemTime>,
    /// Until then, serve them when a refresh fails.
    usable_until: Option<SystemTime>,
    /// After a failed refresh, the next one not before then.
    retry_at: Option<SystemTime>,
}

impl Entry {
    fn new(credentials: Credentials, now: SystemTime) -> Result<Entry, String> {
        let Some(expiry) = credentials.expiry() else {
            return Ok(Entry { credentials, refresh_at: None, usable_until: None, retry_at: None });
        };
        let Ok(life) = expiry.duration_since(now) else {
            return Err(format!(
                "the credentials it returned expired at {} already (is this machine's clock right?)",
                rfc3339(expiry)
            ));
        };
        let refresh_at = expiry - REFRESH_LEAD.min(life / 2);
        let usable_until = expiry - SAFETY.min(life / 10);
        Ok(Entry { credentials, refresh_at: Some(refresh_at), usable_until: Some(usable_until), retry_at: None })
    }

    /// Served as they are, without a refresh.
    fn fresh(&self, now: SystemTime) -> bool {
        let before = |at: Option<SystemTime>| at.is_none_or(|at| now < at);
        before(self.refresh_at) || (self.retry_at.is_some_and(|retry| now < retry) && before(self.usable_until))
    }

    fn usable(&self, now: SystemTime) -> bool {
        self.usable_until.is_none_or(|at| now < at)
    }
}

/// Temporary credentials of one source, shared by everything that holds the source.
#[derive(Default)]
pub(crate) struct Cache {
    current: Mutex<Option<Entry>>,
    refresh: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let expiry = self.entry().and_then(|e| e.credentials.expiry()).map(rfc3339);
        f.debug_struct("Cache").field("expiry", &expiry).finish_non_exhaustive()
    }
}

impl Cache {
    fn entry(&self) -> Option<Entry> {
        self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn store(&self, entry: Entry) {
        *self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(entry);
    }

    /// The cached credentials while they are fresh; otherwise those `fetch` brings, fetched by one
    /// caller at a time. `source` names the source in messages.
    pub(crate) async fn get<F, Fut>(&self, source: &str, fetch: F) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        if let Some(entry) = self.entry().filter(|e| e.fresh(SystemTime::now())) {
            return Ok(entry.credentials);
        }
        let _refreshing = self.refresh.lock().await;
        // Whoever held the lock before may have refreshed them already.
        let cached = self.entry();
        if let Some(entry) = cached.clone().filter(|e| e.fresh(SystemTime::now())) {
            return Ok(entry.credentials);
        }
        tracing::debug!(source, "fetching temporary credentials");
        let fetched = fetch().await.map_err(|e| e.attributed_to(source));
        let now = SystemTime::now();
        let failure = match fetched.and_then(|credentials| {
            Entry::new(credentials, now).map_err(|message| CredentialsError::unavailable(source, message))
        }) {
            Ok(entry) => {
                let expiry = entry.credentials.expiry().map(rfc3339);
                tracing::debug!(source, expiry, "temporary credentials fetched");
                let credentials = entry.credentials.clone();
                self.store(entry);
                return Ok(credentials);
            }
            Err(failure) => failure,
        };
        match cached.filter(|entry| entry.usable(now)) {
            Some(mut entry) => {
                let until = entry.usable_until.map(rfc3339);
                tracing::warn!(
                    source,
                    until,
                    "refreshing credentials failed; the cached ones are used meanwhile: {failure}"
                );
                entry.retry_at = now.checked_add(RETRY_AFTER);
                let credentials = entry.credentials.clone();
                self.store(entry);
                Ok(credentials)
            }
            None => Err(failure),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn expiring(id: &str, life: Duration) -> Credentials {
        Credentials::new(id, "secret").unwrap().with_expiry(SystemTime::now() + life)
    }

    #[test]
    fn the_refresh_lead_is_five_minutes_or_half_the_life() {
        let now = SystemTime::now();
        let hour = Entry::new(expiring("a", Duration::from_secs(3600)), now).unwrap();
        assert!(hour.fresh(now + Duration::from_secs(3200)));
        assert!(!hour.fresh(now + Duration::from_secs(3400)));
        let short = Entry::new(expiring("a", Duration::from_secs(60)), now).unwrap();
        assert!(short.fresh(now + Duration::from_secs(29)));
        assert!(!short.fresh(now + Duration::from_secs(31)));
        assert!(short.usable(now + Duration::from_secs(53)) && !short.usable(now + Duration::from_secs(55)));
        let long_term = Entry::new(Credentials::new("a", "s").unwrap(), now).unwrap();
        assert!(long_term.fresh(now + Duration::from_secs(1 << 40)));
        let expired = Credentials::new("a", "s").unwrap().with_expiry(now - Duration::from_secs(1));
        assert!(Entry::new(expired, now).unwrap_err().contains("expired at"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_fetch_however_many_callers_wait() {
        let cache = Arc::new(Cache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut callers = Vec::new();
        for _ in 0..100 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            callers.push(tokio::spawn(async move {
                cache
                    .get("test", || async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(expiring("fetched", Duration::from_secs(3600)))
                    })
                    .await
            }));
        }
        for caller in callers {
            assert_eq!(caller.await.unwrap().unwrap().access_key_id(), "fetched");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_usable_credentials_and_then_fails() {
        let cache = Cache::default();
        // Within its refresh lead from the start: every call tries a refresh.
        let first = cache.get("test", || async { Ok(expiring("old", Duration::from_secs(100))) }).await.unwrap();
        assert_eq!(first.access_key_id(), "old");
        let down = || async { Err(CredentialsError::unavailable("sts", "down")) };
        // Fresh for 50 s: no fetch at all.
        assert_eq!(cache.get("test", down).await.unwrap().access_key_id(), "old");
        let mut entry = cache.entry().unwrap();
        entry.refresh_at = Some(SystemTime::now() - Duration::from_secs(1));
        cache.store(entry.clone());
        assert_eq!(cache.get("test", down).await.unwrap().access_key_id(), "old", "served while usable");
        assert!(cache.entry().unwrap().retry_at.is_some());
        entry.usable_until = Some(SystemTime::now() - Duration::from_secs(1));
        entry.retry_at = None;
        cache.store(entry);
        let error = cache.get("test", down).await.unwrap_err();
        assert_eq!(error.to_string(), "sts: down");
    }
}
