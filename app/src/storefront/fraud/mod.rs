//! Fraud scoring (brief Task 3): configurable rules combined with a seeded Isolation Forest.
//!
//! - `rules`: the brief's if/then rules with thresholds from config;
//! - `features`, `synthetic`, `forest`: the model's inputs, its seeded training data and a
//!   small seeded Isolation Forest;
//! - `engine`: training and the pure `assess` that combines rule floors with the model;
//! - `validate`, `service`: field checks, the user's history from SQL, storage, the flagged list.
//!
//! The types below are shared with the browser build; everything else is server-only.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod features;
#[cfg(feature = "ssr")]
pub mod forest;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod synthetic;
#[cfg(feature = "ssr")]
pub mod validate;

/// Risk level of a transaction.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    /// The stored and serialized name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }
}

/// A transaction to score (the brief's shape). `amount` is in major units (pounds/dollars).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    pub id: String,
    pub user_id: String,
    pub amount: f64,
    pub location: String,
    /// RFC 3339.
    pub timestamp: String,
    pub merchant_category: String,
}

/// Why a transaction got its level: a stable code and a sentence for people.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub code: String,
    pub message: String,
}

/// The result of scoring one transaction.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub transaction_id: String,
    pub risk: RiskLevel,
    /// Combined score 0.0 – 1.0.
    pub score: f64,
    /// The Isolation Forest's anomaly score 0.0 – 1.0 (0.5 ≈ normal, near 1 = anomalous).
    pub anomaly_score: f64,
    pub reasons: Vec<Reason>,
}

/// A stored transaction with its assessment, as `GET /transactions/flagged` lists it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlaggedTransaction {
    #[serde(flatten)]
    pub transaction: Transaction,
    pub risk: RiskLevel,
    pub score: f64,
    pub anomaly_score: f64,
    pub reasons: Vec<Reason>,
    /// The storefront order it was scored for; `None` for API submissions.
    pub order_id: Option<String>,
    /// When it was scored (UTC, RFC 3339).
    pub created_at: String,
}
