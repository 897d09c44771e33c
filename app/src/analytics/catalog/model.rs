//! Wire types of the catalogue APIs that the dashboards read.

use serde::{Deserialize, Serialize};

/// A price event flagged as an anomaly (its change is at least the configured percentage).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PriceAnomaly {
    pub event_id: String,
    pub product_id: String,
    /// The price before this event, in minor units.
    pub old_price_cents: i64,
    pub new_price_cents: i64,
    /// Signed change in percent, e.g. `-42.5`.
    pub change_pct: f64,
    /// When the source saw the price (RFC 3339).
    pub observed_at: String,
    /// When Atrium received the event (RFC 3339).
    pub received_at: String,
}

/// A page of anomalies, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnomalyPage {
    pub items: Vec<PriceAnomaly>,
    /// Pass back as `cursor` for the next (older) page; `None` at the end.
    pub next_cursor: Option<String>,
}
