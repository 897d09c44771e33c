//! The brief's example transactions with expected outcomes, and the model's determinism.

use super::*;
use crate::storefront::fraud::rules::{codes as rule_codes, Seen};
use chrono::Duration;

fn engine() -> FraudEngine {
    FraudEngine::train(FraudConfig::default())
}

fn tx(id: &str, amount: f64, location: &str, timestamp: &str, category: &str) -> Transaction {
    Transaction {
        id: id.into(),
        user_id: "user456".into(),
        amount,
        location: location.into(),
        timestamp: timestamp.into(),
        merchant_category: category.into(),
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

/// A user with `count` earlier purchases averaging `avg`, and `nearby` ones close in time.
fn history(count: u64, avg: f64, nearby: &[(&str, &str)]) -> UserHistory {
    UserHistory {
        count,
        average_amount: (count > 0).then_some(avg),
        nearby: nearby
            .iter()
            .map(|(loc, ts)| Seen {
                transaction_id: format!("prev-{ts}"),
                location: (*loc).into(),
                at: at(ts),
            })
            .collect(),
    }
}

struct Case {
    name: &'static str,
    tx: Transaction,
    history: UserHistory,
    risk: RiskLevel,
    /// Reason codes that must be present.
    codes: &'static [&'static str],
    /// Reason codes that must be absent.
    not: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let normal = || history(12, 1200.0, &[]);
    vec![
        Case {
            name: "the brief's tx123: $1500 US electronics, usual for this user",
            tx: tx("tx123", 1500.0, "US", "2025-01-20T10:30:00Z", "electronics"),
            history: normal(),
            risk: RiskLevel::Low,
            codes: &[codes::MODEL_NORMAL],
            not: &[rule_codes::HIGH_AMOUNT],
        },
        Case {
            name: "$6000 is over the 5000 limit",
            tx: tx("t2", 6000.0, "US", "2025-01-20T10:30:00Z", "electronics"),
            history: normal(),
            risk: RiskLevel::High,
            codes: &[rule_codes::HIGH_AMOUNT],
            not: &[rule_codes::ABOVE_USER_AVERAGE],
        },
        Case {
            name: "US, then FR 30 minutes later",
            tx: tx("t3", 80.0, "FR", "2025-01-20T10:30:00Z", "restaurants"),
            history: history(12, 90.0, &[("US", "2025-01-20T10:00:00Z")]),
            risk: RiskLevel::High,
            codes: &[rule_codes::COUNTRY_CHANGE],
            not: &[],
        },
        Case {
            name: "FR posted first, the earlier US purchase arrives late (either direction)",
            tx: tx("t4", 80.0, "US", "2025-01-20T10:00:00Z", "restaurants"),
            history: history(12, 90.0, &[("FR", "2025-01-20T10:30:00Z")]),
            risk: RiskLevel::High,
            codes: &[rule_codes::COUNTRY_CHANGE],
            not: &[],
        },
        Case {
            name: "20× the user's average",
            tx: tx("t5", 1000.0, "GB", "2025-01-20T14:00:00Z", "clothing"),
            history: history(8, 50.0, &[]),
            risk: RiskLevel::Medium,
            codes: &[rule_codes::ABOVE_USER_AVERAGE],
            not: &[rule_codes::HIGH_AMOUNT],
        },
        Case {
            name: "same country two hours later",
            tx: tx("t6", 60.0, "US", "2025-01-20T12:30:00Z", "groceries"),
            history: history(12, 70.0, &[("US", "2025-01-20T10:30:00Z")]),
            risk: RiskLevel::Low,
            codes: &[codes::MODEL_NORMAL],
            not: &[rule_codes::COUNTRY_CHANGE],
        },
        Case {
            name: "another country, but two hours later (outside the window)",
            tx: tx("t7", 60.0, "FR", "2025-01-20T12:30:00Z", "groceries"),
            history: history(12, 70.0, &[("US", "2025-01-20T10:30:00Z")]),
            risk: RiskLevel::Low,
            codes: &[],
            not: &[rule_codes::COUNTRY_CHANGE],
        },
        Case {
            name: "a first purchase: no average to compare with",
            tx: tx("t8", 300.0, "GB", "2025-01-20T13:00:00Z", "home"),
            history: history(0, 0.0, &[]),
            risk: RiskLevel::Low,
            codes: &[codes::MODEL_NORMAL],
            not: &[rule_codes::ABOVE_USER_AVERAGE],
        },
        Case {
            name: "$7500 in FR 20 minutes after US, 100× the average: every rule",
            tx: tx("t9", 7500.0, "FR", "2025-01-20T10:20:00Z", "jewelry"),
            history: history(5, 75.0, &[("US", "2025-01-20T10:00:00Z")]),
            risk: RiskLevel::High,
            codes: &[
                rule_codes::HIGH_AMOUNT,
                rule_codes::COUNTRY_CHANGE,
                rule_codes::ABOVE_USER_AVERAGE,
                codes::MODEL_ANOMALY,
            ],
            not: &[],
        },
        Case {
            name: "no rule fires, but $4000 of gift cards at 3 a.m., 40× the usual: the model",
            tx: tx("t10", 4000.0, "US", "2025-01-20T03:10:00Z", "gift_cards"),
            history: history(1, 100.0, &[]),
            risk: RiskLevel::Medium,
            codes: &[codes::MODEL_ANOMALY],
            not: &[rule_codes::HIGH_AMOUNT],
        },
    ]
}

#[test]
fn brief_examples_get_the_expected_level_and_reasons() {
    let engine = engine();
    for case in cases() {
        let a = engine.assess(&case.tx, &case.history);
        let codes: Vec<&str> = a.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(a.risk, case.risk, "{}: {a:?}", case.name);
        for want in case.codes {
            assert!(
                codes.contains(want),
                "{}: missing {want} in {codes:?}",
                case.name
            );
        }
        for unwanted in case.not {
            assert!(
                !codes.contains(unwanted),
                "{}: {unwanted} in {codes:?}",
                case.name
            );
        }
        let band = match a.risk {
            RiskLevel::Low => 0.0..0.5,
            RiskLevel::Medium => 0.5..0.8,
            RiskLevel::High => 0.8..1.0001,
        };
        assert!(band.contains(&a.score), "{}: score {}", case.name, a.score);
        assert_eq!(a.transaction_id, case.tx.id);
    }
}

#[test]
fn the_high_amount_message_names_the_limit() {
    let a = engine().assess(
        &tx("t", 6000.0, "US", "2025-01-20T10:30:00Z", "electronics"),
        &UserHistory::default(),
    );
    assert!(
        a.reasons[0].message.starts_with("Amount over 5000"),
        "{a:?}"
    );
}

#[test]
fn configured_thresholds_are_used() {
    let strict = FraudEngine::train(FraudConfig {
        high_amount: 1000.0,
        country_window_minutes: 180,
        ..FraudConfig::default()
    });
    let a = strict.assess(
        &tx("t", 1000.5, "US", "2025-01-20T10:30:00Z", "electronics"),
        &UserHistory::default(),
    );
    assert_eq!(a.risk, RiskLevel::High);
    let moved = history(3, 70.0, &[("US", "2025-01-20T10:30:00Z")]);
    let b = strict.assess(
        &tx("t", 60.0, "FR", "2025-01-20T12:30:00Z", "groceries"),
        &moved,
    );
    assert_eq!(b.risk, RiskLevel::High, "two hours is inside a 3 h window");
}

/// Transactions from the ordinary to the absurd, for comparing models.
fn probe() -> Vec<(Transaction, UserHistory)> {
    let mut out = Vec::new();
    let base = at("2025-01-20T00:00:00Z");
    for i in 0..40u32 {
        let when = base + Duration::minutes(i64::from(i) * 37);
        let amount = 5.0 * f64::from(i + 1).powf(2.2);
        let ts = when.to_rfc3339();
        let cat = ["groceries", "electronics", "travel", "gift_cards"][(i % 4) as usize];
        out.push((
            tx("p", amount, "GB", &ts, cat),
            history(u64::from(i % 3), 80.0, &[]),
        ));
    }
    out
}

#[test]
fn the_same_seed_gives_identical_scores() {
    let (a, b) = (engine(), engine());
    assert_eq!(
        a.anomaly_threshold().to_bits(),
        b.anomaly_threshold().to_bits()
    );
    for (t, h) in probe() {
        assert_eq!(a.assess(&t, &h), b.assess(&t, &h));
    }
}

#[test]
fn another_seed_is_another_model_with_the_same_verdict_on_obvious_cases() {
    let a = engine();
    let b = FraudEngine::train(FraudConfig {
        seed: 7,
        ..FraudConfig::default()
    });
    let differs = probe()
        .iter()
        .any(|(t, h)| a.assess(t, h).anomaly_score != b.assess(t, h).anomaly_score);
    assert!(differs, "a different seed should grow a different forest");
    for case in cases() {
        assert_eq!(
            a.assess(&case.tx, &case.history).risk,
            b.assess(&case.tx, &case.history).risk,
            "{}",
            case.name
        );
    }
}

#[test]
fn clear_outliers_score_higher_than_typical_transactions() {
    let engine = engine();
    let typical = [
        tx("a", 45.0, "GB", "2025-01-20T12:00:00Z", "groceries"),
        tx("b", 120.0, "GB", "2025-01-20T15:30:00Z", "clothing"),
        tx("c", 30.0, "GB", "2025-01-20T19:00:00Z", "restaurants"),
    ];
    let outliers = [
        tx("x", 25_000.0, "GB", "2025-01-20T03:00:00Z", "gift_cards"),
        tx("y", 9_000.0, "GB", "2025-01-20T02:00:00Z", "crypto"),
    ];
    let h = history(20, 60.0, &[]);
    let worst_typical = typical
        .iter()
        .map(|t| engine.assess(t, &h).anomaly_score)
        .fold(0.0, f64::max);
    for t in &outliers {
        let s = engine.assess(t, &h).anomaly_score;
        assert!(s > worst_typical, "{} scored {s} ≤ {worst_typical}", t.id);
        assert!(s >= engine.anomaly_threshold());
    }
    assert!(worst_typical < engine.anomaly_threshold());
}

#[test]
fn an_unreadable_timestamp_is_at_least_medium() {
    let a = engine().assess(
        &tx("t", 20.0, "GB", "yesterday", "groceries"),
        &UserHistory::default(),
    );
    assert!(a.risk >= RiskLevel::Medium);
    assert!(a.reasons.iter().any(|r| r.code == codes::BAD_TIMESTAMP));
}
