//! What connections share: the served specs, and behind one lock the settings, pending faults, the
//! log, the nonces seen and the emulated resources; plus one rate limiter per action.

use std::collections::{HashMap, HashSet, VecDeque};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use cloudspec::load::SpecSet;
use cloudspec::spec::Action;

use crate::control::{Fault, FaultRule, LogEntry};
use crate::emulate;
use crate::served::Served;
use crate::settings::Settings;

/// Mutable state shared by connections.
pub(crate) struct State {
    pub(crate) settings: Settings,
    pub(crate) faults: Vec<FaultRule>,
    pub(crate) log: Vec<LogEntry>,
    pub(crate) nonces: Nonces,
    pub(crate) emulation: emulate::Store,
}

/// Everything the fake's connections share.
pub(crate) struct Shared {
    pub(crate) services: Vec<Served>,
    state: Mutex<State>,
    limiters: Mutex<HashMap<(String, String), Arc<governor::DefaultDirectRateLimiter>>>,
}

impl Shared {
    pub(crate) fn new(set: &SpecSet, settings: Settings) -> Shared {
        let services: Vec<Served> = set
            .services
            .iter()
            .filter_map(|s| {
                let provider = set.providers.get(&s.spec.provider)?;
                Some(Served { spec: s.spec.clone(), provider: provider.spec.clone() })
            })
            .collect();
        let emulation = emulate::Store::seeded(&services);
        Shared {
            services,
            state: Mutex::new(State {
                settings,
                faults: Vec::new(),
                log: Vec::new(),
                nonces: Nonces::new(Nonces::CAPACITY),
                emulation,
            }),
            limiters: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in one connection must not take the fake down; the state stays usable.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Clears faults, the log and emulated state.
    pub(crate) fn reset(&self) {
        let mut state = self.lock();
        state.faults.clear();
        state.log.clear();
        state.emulation = emulate::Store::seeded(&self.services);
    }

    /// Whether the action may run now under its documented rate limit.
    pub(crate) fn admit(&self, service: &Served, action: &Action, name: &str) -> bool {
        if !self.lock().settings.rate_limits {
            return true;
        }
        let Some(rate) = action.rate_limit.as_ref().and_then(|r| NonZeroU32::new(r.requests_per_second)) else {
            return true;
        };
        let key = (service.spec.service.name.clone(), name.to_string());
        let limiter = {
            let mut limiters = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
            limiters
                .entry(key)
                .or_insert_with(|| Arc::new(governor::RateLimiter::direct(governor::Quota::per_second(rate))))
                .clone()
        };
        limiter.check().is_ok()
    }

    /// Takes the first fault that applies to `action`.
    pub(crate) fn take_fault(&self, action: &str) -> Option<Fault> {
        let mut state = self.lock();
        let index = state
            .faults
            .iter()
            .position(|rule| rule.action.as_deref().is_none_or(|a| a == action) && rule.times > 0)?;
        let rule = &mut state.faults[index];
        rule.times -= 1;
        let fault = rule.fault.clone();
        if rule.times == 0 {
            state.faults.remove(index);
        }
        Some(fault)
    }
}

/// The signature nonces seen lately. A replayed request is refused for its nonce while it is
/// remembered, and for its (signed) time once it is older than the providers' fifteen-minute window, so
/// a nonce need not be kept longer than that: the fake's memory stays bounded however long it runs.
/// Nonces are kept as SHA-256 digests, since their length is the client's choice.
pub(crate) struct Nonces {
    seen: HashSet<[u8; 32]>,
    order: VecDeque<(Instant, [u8; 32])>,
    capacity: usize,
}

impl Nonces {
    /// How long a nonce is remembered: the longest freshness window, and a minute's margin.
    const MEMORY: Duration = Duration::from_secs(16 * 60);
    /// The most remembered at once (a flood beyond it forgets the oldest first): about 100 MB.
    pub(crate) const CAPACITY: usize = 1_000_000;

    pub(crate) fn new(capacity: usize) -> Nonces {
        Nonces { seen: HashSet::new(), order: VecDeque::new(), capacity: capacity.max(1) }
    }

    /// Remembers `nonce` at `now`; `false` when it is remembered already.
    pub(crate) fn remember(&mut self, nonce: &str, now: Instant) -> bool {
        while let Some(&(at, digest)) = self.order.front() {
            let expired = now.checked_duration_since(at).is_some_and(|age| age > Nonces::MEMORY);
            if !expired && self.order.len() < self.capacity {
                break;
            }
            self.order.pop_front();
            self.seen.remove(&digest);
        }
        let digest: [u8; 32] = Sha256::digest(nonce.as_bytes()).into();
        if !self.seen.insert(digest) {
            return false;
        }
        self.order.push_back((now, digest));
        true
    }

    /// How many nonces are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_refused_while_remembered_and_memory_stays_bounded() {
        let start = Instant::now();
        let mut nonces = Nonces::new(100);
        assert!(nonces.remember("a", start));
        assert!(!nonces.remember("a", start + Duration::from_secs(60)), "a replay within the window");
        // Past the window, `a` is forgotten (a replay that old fails the time check instead).
        let later = start + Nonces::MEMORY + Duration::from_secs(1);
        assert!(nonces.remember("b", later));
        assert_eq!(nonces.len(), 1);
        assert!(nonces.remember("a", later));
        // A flood keeps at most `capacity`, forgetting the oldest first.
        for i in 0..1000 {
            assert!(nonces.remember(&format!("flood-{i}"), later));
        }
        assert_eq!(nonces.len(), 100);
        assert!(!nonces.remember("flood-999", later));
        assert!(nonces.remember("flood-0", later));
        // Long nonces cost their digest only.
        assert!(nonces.remember(&"n".repeat(100_000), later));
    }
}
