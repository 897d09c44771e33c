//! Sign-in rate limit: a GCRA limiter (`governor`) keyed by client IP and username, plus a looser
//! one per IP, so one attacker cannot lock out a user from elsewhere and cannot spray usernames.

use crate::rate_limit::KeyedRateLimit;
use governor::Quota;
use std::num::NonZeroU32;

/// Limits sign-in attempts.
#[derive(Debug)]
pub struct SignInLimiter {
    per_account: KeyedRateLimit,
    per_ip: KeyedRateLimit,
}

impl SignInLimiter {
    /// `per_minute` attempts per (IP, username); five times that per IP.
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let ip_n = n.saturating_mul(NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN));
        Self {
            per_account: KeyedRateLimit::new(Quota::per_minute(n)),
            per_ip: KeyedRateLimit::new(Quota::per_minute(ip_n)),
        }
    }

    /// `Ok` when an attempt may proceed; otherwise the seconds to wait (at least 1).
    pub fn check(&self, ip: &str, username: &str) -> Result<(), u64> {
        let account_key = format!("{ip}|{}", username.trim().to_lowercase());
        self.per_ip.check(ip)?;
        self.per_account.check(&account_key)
    }

    /// Drops state of keys that are back to full capacity (called periodically).
    pub fn forget_idle(&self) {
        self.per_account.forget_idle();
        self.per_ip.forget_idle();
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
