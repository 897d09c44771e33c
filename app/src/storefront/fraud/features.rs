//! The model's view of a transaction: five numbers, the same for training and scoring.

use super::rules::{self, Thresholds, UserHistory};
use chrono::{DateTime, Timelike, Utc};

/// Number of features.
pub const FEATURES: usize = 5;

/// One transaction as the Isolation Forest sees it:
/// `[ln(1 + amount), hour of day (UTC, fractional), ln(amount / user average) (0 without
/// history), country changed within the window (0/1), category risk (0–1)]`.
pub type FeatureVector = [f64; FEATURES];

/// Names of the features, in vector order (for reports and the benchmark).
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "ln_amount",
    "hour_utc",
    "ln_ratio_to_user_average",
    "country_changed",
    "category_risk",
];

/// The facts a vector is built from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inputs {
    pub amount: f64,
    /// 0.0 ≤ hour < 24.0, UTC.
    pub hour: f64,
    /// amount ÷ the user's average, when there is history.
    pub ratio_to_average: Option<f64>,
    pub country_changed: bool,
    pub category_risk: f64,
}

/// Builds the vector; extreme ratios are clamped so one wild value cannot dominate a split range.
pub fn vector(i: &Inputs) -> FeatureVector {
    let ratio = i
        .ratio_to_average
        .filter(|r| r.is_finite() && *r > 0.0)
        .map_or(0.0, |r| r.ln().clamp(-6.0, 6.0));
    [
        i.amount.max(0.0).ln_1p(),
        i.hour.clamp(0.0, 24.0),
        ratio,
        if i.country_changed { 1.0 } else { 0.0 },
        i.category_risk.clamp(0.0, 1.0),
    ]
}

/// How often a merchant category carries card fraud, 0–1 (a fixed prior; unknown → 0.5).
pub fn category_risk(category: &str) -> f64 {
    match category.trim().to_ascii_lowercase().as_str() {
        "groceries" | "grocery" | "utilities" | "pharmacy" => 0.1,
        "restaurants" | "dining" | "food" | "home" | "garden" | "books" => 0.2,
        "clothing" | "fashion" | "beauty" | "sports" | "toys" => 0.3,
        "electronics" | "computers" | "phones" => 0.5,
        "travel" | "airlines" | "hotels" => 0.6,
        "luxury" | "jewelry" | "jewellery" | "watches" => 0.8,
        "gift_cards" | "gift cards" | "crypto" | "money_transfer" | "gambling" => 0.95,
        _ => 0.5,
    }
}

/// Features of a live transaction, given when it happened and the user's history.
pub fn extract(
    t: &Thresholds,
    amount: f64,
    location: &str,
    category: &str,
    at: DateTime<Utc>,
    history: &UserHistory,
) -> FeatureVector {
    let hour = f64::from(at.hour()) + f64::from(at.minute()) / 60.0;
    let ratio_to_average = history
        .average_amount
        .filter(|a| *a > 0.0 && history.count > 0)
        .map(|avg| amount / avg);
    vector(&Inputs {
        amount,
        hour,
        ratio_to_average,
        country_changed: rules::country_change(t, location, at, history).is_some(),
        category_risk: category_risk(category),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_is_finite_for_edge_inputs() {
        for ratio in [None, Some(0.0), Some(f64::INFINITY), Some(1e300)] {
            let v = vector(&Inputs {
                amount: 0.0,
                hour: 25.0,
                ratio_to_average: ratio,
                country_changed: false,
                category_risk: 2.0,
            });
            assert!(v.iter().all(|x| x.is_finite()), "{v:?}");
        }
    }

    #[test]
    fn extract_reads_hour_ratio_and_category() {
        let t = Thresholds {
            high_amount: 5000.0,
            country_window_minutes: 60,
            average_multiple: 10.0,
        };
        let at = DateTime::parse_from_rfc3339("2025-01-20T10:30:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        let h = UserHistory {
            count: 4,
            average_amount: Some(100.0),
            nearby: vec![],
        };
        let v = extract(&t, 200.0, "US", "Electronics", at, &h);
        assert!((v[1] - 10.5).abs() < 1e-9);
        assert!((v[2] - 2f64.ln()).abs() < 1e-9);
        assert_eq!(v[3], 0.0);
        assert_eq!(v[4], 0.5);
    }
}
