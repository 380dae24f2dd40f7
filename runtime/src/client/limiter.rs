//! Client-side rate limiting per action, shared by clones of a client (GCRA, from `governor`).
//!
//! Calls are spaced evenly (no burst), so no one-second window ever holds more than the documented
//! number, whichever way the provider counts.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::config::RateLimit;
use crate::meta::ActionMeta;

/// Limiters by (service, version, action).
pub type Limiters = HashMap<(&'static str, &'static str, &'static str), Arc<DefaultDirectRateLimiter>>;

/// The limiter of an action, if it is paced.
pub fn get(
    limiters: &Mutex<Limiters>,
    mode: RateLimit,
    action: &'static ActionMeta,
) -> Option<Arc<DefaultDirectRateLimiter>> {
    let rate = match mode {
        RateLimit::Disabled => return None,
        RateLimit::PerSecond(rate) => rate,
        RateLimit::FromSpec => action.rate_limit?,
    };
    let rate = NonZeroU32::new(rate)?;
    let key = (action.service.name, action.service.version, action.name);
    // A poisoned lock only means another thread panicked while inserting; the map is still usable.
    let mut limiters = limiters.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let limiter = limiters
        .entry(key)
        .or_insert_with(|| Arc::new(RateLimiter::direct(Quota::per_second(rate).allow_burst(NonZeroU32::MIN))));
    Some(limiter.clone())
}
