//! AI upsell (brief Task 4): up to 3 complementary in-stock products for a cart.
//!
//! STUB — interface fixed; implementation in progress.

use super::model::{CartLine, UpsellOutcome};
use sqlx::SqlitePool;
use std::time::Duration;

/// Settings read from the environment at start-up (no rebuild to switch).
#[derive(Debug, Clone)]
pub struct UpsellSettings {
    pub enabled: bool,
    pub base_url: Option<String>,
    pub api_key: Option<String>,
    pub model: String,
    pub timeout: Duration,
}

/// Chooses the recommender (model or local) and applies the rules to what it returns.
#[derive(Debug)]
pub struct UpsellService {
    settings: UpsellSettings,
}

impl UpsellService {
    pub fn new(settings: UpsellSettings) -> Self {
        Self { settings }
    }

    /// Whether UPSELL_ENABLED is true.
    pub fn enabled(&self) -> bool {
        self.settings.enabled
    }

    /// Suggestions for `cart` from the tenant's in-stock catalogue. Never fails: any problem
    /// with the model falls back to the local recommender, with `fallback_reason` set.
    pub async fn suggest(
        &self,
        _pool: &SqlitePool,
        _tenant_id: &str,
        _request_id: &str,
        _cart: &[CartLine],
    ) -> UpsellOutcome {
        UpsellOutcome {
            source: "off".into(),
            label: "Suggestions are off".into(),
            ..Default::default()
        }
    }
}
