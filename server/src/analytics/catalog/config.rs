//! Catalogue settings: price-event rate limits and the anomaly threshold.

use app::analytics::catalog::state::{CatalogSettings, CatalogState};
use clap::Args;

#[derive(Args, Clone, Debug)]
pub struct CatalogConfig {
    /// Catalogue: price events one product may receive per minute (then 429 with Retry-After).
    #[arg(
        long,
        env = "ATRIUM_PRICE_EVENTS_PER_PRODUCT_PER_MINUTE",
        default_value_t = 600
    )]
    pub price_events_per_product_per_minute: u32,

    /// Catalogue: price events one tenant may send per minute, all products together.
    #[arg(
        long,
        env = "ATRIUM_PRICE_EVENTS_PER_TENANT_PER_MINUTE",
        default_value_t = 6000
    )]
    pub price_events_per_tenant_per_minute: u32,

    /// Catalogue: a price change of at least this many percent (either way) is an anomaly.
    #[arg(long, env = "ATRIUM_PRICE_ANOMALY_PCT", default_value_t = 20.0)]
    pub price_anomaly_pct: f64,
}

impl CatalogConfig {
    /// The shared catalogue state.
    pub fn build_state(&self) -> CatalogState {
        CatalogState::new(CatalogSettings {
            events_per_product_per_minute: self.price_events_per_product_per_minute,
            events_per_tenant_per_minute: self.price_events_per_tenant_per_minute,
            anomaly_pct: self.price_anomaly_pct,
        })
    }
}
