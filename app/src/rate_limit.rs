//! A keyed GCRA rate limit (`governor`) that answers with the seconds to wait, for `Retry-After`.
//! Shared by the sign-in limiter and the feed's per-tenant posting limit.

use governor::{clock::Clock, clock::DefaultClock, DefaultKeyedRateLimiter, Quota, RateLimiter};

/// One limit per key (an IP, an account, a tenant).
pub struct KeyedRateLimit {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl std::fmt::Debug for KeyedRateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyedRateLimit")
    }
}

impl KeyedRateLimit {
    /// A limit with this quota for every key.
    pub fn new(quota: Quota) -> Self {
        Self {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }

    /// `Ok` when `key` may act now; otherwise the seconds to wait (at least 1).
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.limiter
            .check_key(&key.to_string())
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs().max(1))
    }

    /// Drops state of keys that are back to full capacity (called periodically).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}
