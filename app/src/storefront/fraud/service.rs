//! STUB: engine construction and scoring with the user's stored history.

use super::{Assessment, RiskLevel, Transaction};
use crate::error::AppError;
use sqlx::SqlitePool;

/// Thresholds and model settings (all from config).
#[derive(Debug, Clone)]
pub struct FraudConfig {
    pub high_amount: f64,
    pub country_window_minutes: i64,
    pub average_multiple: f64,
    pub seed: u64,
}

/// The trained engine, shared by every request.
#[derive(Debug)]
pub struct FraudEngine {
    pub config: FraudConfig,
}

impl FraudEngine {
    /// Trains the model on synthetic data (seeded: the same config gives the same model).
    pub fn train(config: FraudConfig) -> Self {
        Self { config }
    }
}

/// Scores `tx` against the user's history in this tenant and stores it.
pub async fn assess_and_record(
    _pool: &SqlitePool,
    engine: &FraudEngine,
    _tenant_id: &str,
    tx: &Transaction,
    _order_id: Option<&str>,
) -> Result<Assessment, AppError> {
    let high = tx.amount > engine.config.high_amount;
    Ok(Assessment {
        transaction_id: tx.id.clone(),
        risk: if high {
            RiskLevel::High
        } else {
            RiskLevel::Low
        },
        score: if high { 1.0 } else { 0.0 },
        anomaly_score: 0.5,
        reasons: vec![],
    })
}
