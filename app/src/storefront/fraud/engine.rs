//! The trained engine: rules set a floor on the level, the Isolation Forest adds its verdict.
//!
//! Level: the highest level of any rule that fired; with no rule, an anomaly score at or above
//! the model's threshold raises low to medium. Score (0–1): the level's band — low [0, 0.5),
//! medium [0.5, 0.8), high [0.8, 1] — and the anomaly score places it within the band, so a
//! higher score never means a lower level.

use super::features::{self, FeatureVector, FEATURES};
use super::forest::{ForestOptions, IsolationForest};
use super::rules::{self, Thresholds, UserHistory};
use super::synthetic;
use super::{Assessment, Reason, RiskLevel, Transaction};
use chrono::{DateTime, Utc};

/// Rows of synthetic training data generated at start-up (the brief asks for 1000).
pub const TRAINING_ROWS: usize = 2000;

/// Reason codes of the model's verdict.
pub mod codes {
    pub const MODEL_ANOMALY: &str = "model_anomaly";
    pub const MODEL_NORMAL: &str = "model_normal";
    pub const BAD_TIMESTAMP: &str = "timestamp_unreadable";
}

/// Thresholds and model settings (all from config).
#[derive(Debug, Clone, PartialEq)]
pub struct FraudConfig {
    /// Amounts above this are high risk.
    pub high_amount: f64,
    /// The same user in two countries within this many minutes is high risk.
    pub country_window_minutes: i64,
    /// Amounts above this multiple of the user's average are medium risk.
    pub average_multiple: f64,
    /// Seed of the synthetic data and of the forest.
    pub seed: u64,
    /// Trees in the forest.
    pub trees: usize,
    /// Share of the synthetic data drawn as fraud-like; also where the anomaly threshold is set
    /// (the training scores' 1 − contamination quantile), like scikit-learn's `contamination`.
    pub contamination: f64,
    /// Fixed anomaly threshold instead of the contamination quantile.
    pub anomaly_threshold: Option<f64>,
}

impl Default for FraudConfig {
    /// The brief's numbers: 5000, one hour, 10×; 100 trees; contamination 0.1.
    fn default() -> Self {
        Self {
            high_amount: 5000.0,
            country_window_minutes: 60,
            average_multiple: 10.0,
            seed: 42,
            trees: 100,
            contamination: 0.1,
            anomaly_threshold: None,
        }
    }
}

/// The trained engine, shared by every request.
#[derive(Debug)]
pub struct FraudEngine {
    pub config: FraudConfig,
    forest: IsolationForest<FEATURES>,
    anomaly_threshold: f64,
}

impl FraudEngine {
    /// Trains the model on synthetic data (seeded: the same config gives the same model).
    pub fn train(config: FraudConfig) -> Self {
        let contamination = config.contamination.clamp(0.0, 0.5);
        let samples = synthetic::generate(TRAINING_ROWS, contamination, config.seed);
        let rows: Vec<FeatureVector> = samples.iter().map(|s| s.features).collect();
        let forest = IsolationForest::fit(
            &rows,
            ForestOptions {
                trees: config.trees.max(1),
                sample_size: 256,
                seed: config.seed ^ 0x9E37_79B9_7F4A_7C15,
            },
        );
        let anomaly_threshold = config.anomaly_threshold.unwrap_or_else(|| {
            let mut scores: Vec<f64> = rows.iter().map(|r| forest.score(r)).collect();
            scores.sort_by(f64::total_cmp);
            let at = ((scores.len() as f64) * (1.0 - contamination)).floor() as usize;
            scores
                .get(at.min(scores.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0.6)
        });
        Self {
            config,
            forest,
            anomaly_threshold,
        }
    }

    /// The rules' thresholds.
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            high_amount: self.config.high_amount,
            country_window_minutes: self.config.country_window_minutes,
            average_multiple: self.config.average_multiple,
        }
    }

    /// Anomaly scores at or above this are the model's "anomalous" verdict.
    pub fn anomaly_threshold(&self) -> f64 {
        self.anomaly_threshold
    }

    /// The raw Isolation Forest score of a feature vector.
    pub fn anomaly_score(&self, features: &FeatureVector) -> f64 {
        self.forest.score(features)
    }

    /// Scores `tx` against the user's `history` (pure; the service loads the history).
    pub fn assess(&self, tx: &Transaction, history: &UserHistory) -> Assessment {
        let parsed = DateTime::parse_from_rfc3339(&tx.timestamp).map(|d| d.with_timezone(&Utc));
        let at = parsed.unwrap_or_default();
        let t = self.thresholds();
        let mut hits = rules::check(&t, tx.amount, &tx.location, at, history);
        if parsed.is_err() {
            hits.push(rules::RuleHit {
                level: RiskLevel::Medium,
                reason: Reason {
                    code: codes::BAD_TIMESTAMP.into(),
                    message: "The timestamp is not RFC 3339; time rules were skipped.".into(),
                },
            });
        }
        let v = features::extract(
            &t,
            tx.amount,
            &tx.location,
            &tx.merchant_category,
            at,
            history,
        );
        let anomaly = self.forest.score(&v);
        let anomalous = anomaly >= self.anomaly_threshold;
        let floor = hits.iter().map(|h| h.level).max().unwrap_or(RiskLevel::Low);
        let risk = if anomalous {
            floor.max(RiskLevel::Medium)
        } else {
            floor
        };
        let (lo, hi) = match risk {
            RiskLevel::Low => (0.0, 0.5),
            RiskLevel::Medium => (0.5, 0.8),
            RiskLevel::High => (0.8, 1.0),
        };
        let mut reasons: Vec<Reason> = hits.into_iter().map(|h| h.reason).collect();
        reasons.push(Reason {
            code: if anomalous {
                codes::MODEL_ANOMALY
            } else {
                codes::MODEL_NORMAL
            }
            .into(),
            message: format!(
                "Isolation Forest anomaly score {anomaly:.2} (threshold {:.2}): {}.",
                self.anomaly_threshold,
                if anomalous {
                    "unusual pattern"
                } else {
                    "typical pattern"
                }
            ),
        });
        Assessment {
            transaction_id: tx.id.clone(),
            risk,
            score: round4(lo + (hi - lo) * anomaly.clamp(0.0, 1.0)),
            anomaly_score: round4(anomaly),
            reasons,
        }
    }
}

/// Four decimals: enough to rank, stable in JSON.
fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
