//! Storefront settings: upsell (UPSELL_ENABLED and the OpenAI-compatible endpoint) and the fraud
//! rules' thresholds. All read at start-up from flags or the environment; no rebuild to change.

use app::storefront::fraud::service::{FraudConfig, FraudEngine};
use app::storefront::state::StorefrontState;
use app::storefront::upsell::{UpsellService, UpsellSettings};
use clap::{ArgAction, Args};
use std::time::Duration;

#[derive(Args, Clone)]
pub struct StorefrontConfig {
    /// Upsell: ask for complementary products at checkout (the brief's feature flag).
    #[arg(long, env = "UPSELL_ENABLED", default_value_t = false, action = ArgAction::Set)]
    pub upsell_enabled: bool,

    /// AI: base URL of an OpenAI-compatible API (e.g. http://127.0.0.1:8080/v1). Unset: the
    /// built-in local recommender answers instead.
    #[arg(long, env = "ATRIUM_AI_BASE_URL")]
    pub ai_base_url: Option<String>,

    /// AI: bearer key for that endpoint.
    #[arg(long, env = "ATRIUM_AI_API_KEY", hide_env_values = true)]
    pub ai_api_key: Option<String>,

    /// AI: chat model name.
    #[arg(long, env = "ATRIUM_AI_MODEL", default_value = "gpt-4o-mini")]
    pub ai_model: String,

    /// AI: milliseconds to wait for the model before falling back to the local recommender.
    #[arg(long, env = "ATRIUM_AI_TIMEOUT_MS", default_value_t = 1500)]
    pub ai_timeout_ms: u64,

    /// Fraud: amounts above this (major units) are high risk.
    #[arg(long, env = "ATRIUM_FRAUD_HIGH_AMOUNT", default_value_t = 5000.0)]
    pub fraud_high_amount: f64,

    /// Fraud: the same user in two countries within this many minutes is high risk.
    #[arg(
        long,
        env = "ATRIUM_FRAUD_COUNTRY_WINDOW_MINUTES",
        default_value_t = 60
    )]
    pub fraud_country_window_minutes: i64,

    /// Fraud: amounts above this multiple of the user's average are medium risk.
    #[arg(long, env = "ATRIUM_FRAUD_AVERAGE_MULTIPLE", default_value_t = 10.0)]
    pub fraud_average_multiple: f64,

    /// Fraud: seed of the Isolation Forest's synthetic training data (same seed, same model).
    #[arg(long, env = "ATRIUM_FRAUD_SEED", default_value_t = 42)]
    pub fraud_seed: u64,

    /// Fraud: trees in the Isolation Forest.
    #[arg(long, env = "ATRIUM_FRAUD_TREES", default_value_t = 100)]
    pub fraud_trees: usize,

    /// Fraud: share of the synthetic training data drawn as fraud-like (scikit-learn's
    /// `contamination`); the model calls the top share of training scores anomalous.
    #[arg(long, env = "ATRIUM_FRAUD_CONTAMINATION", default_value_t = 0.1)]
    pub fraud_contamination: f64,

    /// Fraud: a fixed anomaly-score threshold (0–1) for the model's "anomalous" verdict, which
    /// raises low to medium. Unset: taken from the contamination.
    #[arg(long, env = "ATRIUM_FRAUD_ANOMALY_THRESHOLD")]
    pub fraud_anomaly_threshold: Option<f64>,
}

impl std::fmt::Debug for StorefrontConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorefrontConfig")
            .field("upsell_enabled", &self.upsell_enabled)
            .field("ai_base_url", &self.ai_base_url)
            .field(
                "ai_api_key",
                &self.ai_api_key.as_ref().map(|_| "<redacted>"),
            )
            .field("ai_model", &self.ai_model)
            .field("ai_timeout_ms", &self.ai_timeout_ms)
            .field("fraud_high_amount", &self.fraud_high_amount)
            .field(
                "fraud_country_window_minutes",
                &self.fraud_country_window_minutes,
            )
            .field("fraud_average_multiple", &self.fraud_average_multiple)
            .field("fraud_seed", &self.fraud_seed)
            .field("fraud_trees", &self.fraud_trees)
            .field("fraud_contamination", &self.fraud_contamination)
            .field("fraud_anomaly_threshold", &self.fraud_anomaly_threshold)
            .finish()
    }
}

impl StorefrontConfig {
    /// Trains the fraud model and builds the upsell service.
    pub fn build_state(&self) -> StorefrontState {
        StorefrontState {
            fraud: FraudEngine::train(FraudConfig {
                high_amount: self.fraud_high_amount,
                country_window_minutes: self.fraud_country_window_minutes,
                average_multiple: self.fraud_average_multiple,
                seed: self.fraud_seed,
                trees: self.fraud_trees,
                contamination: self.fraud_contamination,
                anomaly_threshold: self.fraud_anomaly_threshold,
            }),
            upsell: UpsellService::new(UpsellSettings {
                enabled: self.upsell_enabled,
                base_url: self.ai_base_url.clone().filter(|u| !u.trim().is_empty()),
                api_key: self.ai_api_key.clone().filter(|k| !k.trim().is_empty()),
                model: self.ai_model.clone(),
                timeout: Duration::from_millis(self.ai_timeout_ms.max(1)),
            }),
        }
    }
}
