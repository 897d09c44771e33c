//! In-memory state of the catalogue: the price-event rate limits, the anomaly threshold, and the
//! per-tenant broadcast hub behind the anomaly stream.

use super::model::PriceAnomaly;
use crate::rate_limit::KeyedRateLimit;
use governor::Quota;
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use tokio::sync::broadcast;

/// Anomalies queued per stream subscriber before it lags (it then resumes from the table).
const CHANNEL_CAPACITY: usize = 256;

/// A stored anomaly and its monotonic id (the SSE `id:`).
#[derive(Debug, Clone, PartialEq)]
pub struct AnomalyEvent {
    pub id: i64,
    pub anomaly: PriceAnomaly,
}

/// Catalogue settings, from the server's configuration.
#[derive(Debug, Clone, Copy)]
pub struct CatalogSettings {
    pub events_per_product_per_minute: u32,
    pub events_per_tenant_per_minute: u32,
    /// An event is an anomaly when `|change| >= anomaly_pct` percent.
    pub anomaly_pct: f64,
}

/// Shared by every request.
#[derive(Debug)]
pub struct CatalogState {
    pub settings: CatalogSettings,
    /// Keyed by `tenant/product`.
    pub per_product: KeyedRateLimit,
    /// Keyed by tenant.
    pub per_tenant: KeyedRateLimit,
    channels: Mutex<HashMap<String, broadcast::Sender<AnomalyEvent>>>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl CatalogState {
    /// State for these settings.
    pub fn new(settings: CatalogSettings) -> Self {
        Self {
            per_product: KeyedRateLimit::new(per_minute(settings.events_per_product_per_minute)),
            per_tenant: KeyedRateLimit::new(per_minute(settings.events_per_tenant_per_minute)),
            settings,
            channels: Mutex::new(HashMap::new()),
        }
    }

    /// A receiver of the tenant's new anomalies.
    pub fn subscribe(&self, tenant_id: &str) -> broadcast::Receiver<AnomalyEvent> {
        let mut map = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(tenant_id.to_string())
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe()
    }

    /// Sends a committed anomaly to the tenant's subscribers (none listening is fine); channels
    /// nobody listens to any more are dropped.
    pub fn publish(&self, tenant_id: &str, event: AnomalyEvent) {
        let mut map = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = map.get(tenant_id) {
            if tx.send(event).is_err() {
                map.remove(tenant_id);
            }
        }
    }
}

impl Default for CatalogState {
    fn default() -> Self {
        Self::new(CatalogSettings {
            events_per_product_per_minute: 600,
            events_per_tenant_per_minute: 6000,
            anomaly_pct: 20.0,
        })
    }
}
