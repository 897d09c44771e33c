//! Sign-in rate limit: a GCRA limiter (`governor`) keyed by client IP and username, plus a looser
//! one per IP, so one attacker cannot lock out a user from elsewhere and cannot spray usernames.

use governor::{clock::Clock, clock::DefaultClock, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

/// Limits sign-in attempts.
pub struct SignInLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl std::fmt::Debug for SignInLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignInLimiter")
    }
}

impl SignInLimiter {
    /// `per_minute` attempts per (IP, username); five times that per IP.
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let ip_n = n.saturating_mul(NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN));
        Self {
            per_account: RateLimiter::keyed(Quota::per_minute(n)),
            per_ip: RateLimiter::keyed(Quota::per_minute(ip_n)),
            clock: DefaultClock::default(),
        }
    }

    /// `Ok` when an attempt may proceed; otherwise the seconds to wait (at least 1).
    pub fn check(&self, ip: &str, username: &str) -> Result<(), u64> {
        let account_key = format!("{ip}|{}", username.trim().to_lowercase());
        for (limiter, key) in [
            (&self.per_ip, ip.to_string()),
            (&self.per_account, account_key),
        ] {
            if let Err(not_until) = limiter.check_key(&key) {
                let wait = not_until.wait_time_from(self.clock.now());
                return Err(wait.as_secs().max(1));
            }
        }
        Ok(())
    }

    /// Drops state of keys that are back to full capacity (called periodically).
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_ip.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_quota_with_a_positive_wait() {
        let limiter = SignInLimiter::new(3);
        for _ in 0..3 {
            assert!(limiter.check("1.2.3.4", "admin_a").is_ok());
        }
        let wait = limiter
            .check("1.2.3.4", "Admin_A ")
            .expect_err("fourth attempt is limited");
        assert!(wait >= 1);
        // Another user from the same IP still gets through (per-IP quota is larger).
        assert!(limiter.check("1.2.3.4", "user_a").is_ok());
        // The same user from elsewhere too.
        assert!(limiter.check("5.6.7.8", "admin_a").is_ok());
    }
}
