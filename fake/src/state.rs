//! What connections share: the served specs, and behind one lock the settings, pending faults, the
//! log, the nonces seen and the emulated resources; plus one rate limiter per action.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, MutexGuard};

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
    pub(crate) nonces: HashSet<String>,
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
                nonces: HashSet::new(),
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
