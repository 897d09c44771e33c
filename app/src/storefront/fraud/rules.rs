//! The brief's if/then rules, with thresholds from config. Pure: the caller brings the history.

use super::{Reason, RiskLevel};
use chrono::{DateTime, Utc};

/// The rules' thresholds (`ATRIUM_FRAUD_*`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Amounts strictly above this are high risk.
    pub high_amount: f64,
    /// Another country within this many minutes (either side, inclusive) is high risk.
    pub country_window_minutes: i64,
    /// Amounts strictly above this multiple of the user's average are medium risk.
    pub average_multiple: f64,
}

/// One earlier transaction of the same user, near in time.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub transaction_id: String,
    pub location: String,
    pub at: DateTime<Utc>,
}

/// What we know about the user (in this tenant) when a transaction arrives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserHistory {
    /// How many other transactions the user has.
    pub count: u64,
    /// Mean amount of those; `None` without history.
    pub average_amount: Option<f64>,
    /// The user's transactions close in time to this one (either side), any country.
    pub nearby: Vec<Seen>,
}

/// A rule that fired: the level it sets as a floor, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleHit {
    pub level: RiskLevel,
    pub reason: Reason,
}

/// Stable reason codes.
pub mod codes {
    pub const HIGH_AMOUNT: &str = "high_amount";
    pub const COUNTRY_CHANGE: &str = "country_change";
    pub const ABOVE_USER_AVERAGE: &str = "above_user_average";
}

/// Amount over the limit → high.
pub fn high_amount(t: &Thresholds, amount: f64) -> Option<RuleHit> {
    (amount > t.high_amount).then(|| RuleHit {
        level: RiskLevel::High,
        reason: Reason {
            code: codes::HIGH_AMOUNT.into(),
            message: format!("Amount over {} ({amount:.2}).", trim_number(t.high_amount)),
        },
    })
}

/// The closest transaction of the user in another country within the window (either direction).
pub fn country_change<'h>(
    t: &Thresholds,
    location: &str,
    at: DateTime<Utc>,
    history: &'h UserHistory,
) -> Option<(&'h Seen, i64)> {
    history
        .nearby
        .iter()
        .filter(|s| !s.location.eq_ignore_ascii_case(location))
        .map(|s| (s, (at - s.at).num_seconds().abs()))
        .filter(|(_, secs)| *secs <= t.country_window_minutes.saturating_mul(60))
        .min_by_key(|(_, secs)| *secs)
}

/// Same user, other country within the window → high.
pub fn country_change_hit(
    t: &Thresholds,
    location: &str,
    at: DateTime<Utc>,
    history: &UserHistory,
) -> Option<RuleHit> {
    let (seen, secs) = country_change(t, location, at, history)?;
    Some(RuleHit {
        level: RiskLevel::High,
        reason: Reason {
            code: codes::COUNTRY_CHANGE.into(),
            message: format!(
                "Same user in {} and {location} within {} min (window {} min).",
                seen.location,
                (secs + 59) / 60,
                t.country_window_minutes
            ),
        },
    })
}

/// Amount over `average_multiple` × the user's average → medium (needs history).
pub fn above_average(t: &Thresholds, amount: f64, history: &UserHistory) -> Option<RuleHit> {
    let avg = history
        .average_amount
        .filter(|a| *a > 0.0 && history.count > 0)?;
    (amount > t.average_multiple * avg).then(|| RuleHit {
        level: RiskLevel::Medium,
        reason: Reason {
            code: codes::ABOVE_USER_AVERAGE.into(),
            message: format!(
                "Amount is {:.1}× the user's average of {avg:.2} (limit {}×).",
                amount / avg,
                trim_number(t.average_multiple)
            ),
        },
    })
}

/// Every rule that fires, highest level first.
pub fn check(
    t: &Thresholds,
    amount: f64,
    location: &str,
    at: DateTime<Utc>,
    history: &UserHistory,
) -> Vec<RuleHit> {
    let mut hits: Vec<RuleHit> = [
        high_amount(t, amount),
        country_change_hit(t, location, at, history),
        above_average(t, amount, history),
    ]
    .into_iter()
    .flatten()
    .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.level));
    hits
}

/// `5000` rather than `5000.00` for whole thresholds.
fn trim_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    const T: Thresholds = Thresholds {
        high_amount: 5000.0,
        country_window_minutes: 60,
        average_multiple: 10.0,
    };

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn seen(location: &str, when: DateTime<Utc>) -> Seen {
        Seen {
            transaction_id: "prev".into(),
            location: location.into(),
            at: when,
        }
    }

    #[test]
    fn high_amount_fires_only_above_the_limit() {
        assert!(high_amount(&T, 5000.0).is_none(), "at the limit");
        let hit = high_amount(&T, 5000.01).map(|h| (h.level, h.reason.message));
        assert_eq!(
            hit,
            Some((RiskLevel::High, "Amount over 5000 (5000.01).".into()))
        );
    }

    #[test]
    fn country_change_counts_the_window_inclusive_and_both_directions() {
        let now = at("2025-01-20T10:30:00Z");
        let window = Duration::minutes(60);
        for (prev, fires) in [
            (now - window, true),                         // exactly 60 min before
            (now + window, true),                         // 60 min after (posted late)
            (now - window - Duration::seconds(1), false), // just outside
            (now + window + Duration::seconds(1), false),
        ] {
            let h = UserHistory {
                count: 1,
                average_amount: Some(100.0),
                nearby: vec![seen("US", prev)],
            };
            assert_eq!(
                country_change_hit(&T, "FR", now, &h).is_some(),
                fires,
                "{prev}"
            );
        }
        // The same country (any case) never fires.
        let h = UserHistory {
            count: 1,
            average_amount: Some(100.0),
            nearby: vec![seen("fr", now - Duration::minutes(5))],
        };
        assert!(country_change_hit(&T, "FR", now, &h).is_none());
    }

    #[test]
    fn above_average_needs_history_and_is_strict() {
        let h = UserHistory {
            count: 3,
            average_amount: Some(100.0),
            nearby: vec![],
        };
        assert!(above_average(&T, 1000.0, &h).is_none(), "exactly 10×");
        assert_eq!(
            above_average(&T, 1000.01, &h).map(|r| r.level),
            Some(RiskLevel::Medium)
        );
        assert!(above_average(&T, 1_000_000.0, &UserHistory::default()).is_none());
    }

    #[test]
    fn check_lists_the_highest_first() {
        let now = at("2025-01-20T10:30:00Z");
        let h = UserHistory {
            count: 2,
            average_amount: Some(100.0),
            nearby: vec![seen("US", now - Duration::minutes(30))],
        };
        let codes: Vec<String> = check(&T, 6000.0, "FR", now, &h)
            .into_iter()
            .map(|r| r.reason.code)
            .collect();
        assert_eq!(codes.len(), 3);
        assert_eq!(codes[2], codes::ABOVE_USER_AVERAGE);
    }
}
