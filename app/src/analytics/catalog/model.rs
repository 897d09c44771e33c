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
    /// `pending` until someone reviews it, then `confirmed` or `dismissed`.
    #[serde(default = "pending")]
    pub review_status: String,
}

fn pending() -> String {
    REVIEW_STATUSES[0].to_string()
}

/// The review states of an anomaly; the first is a new anomaly's.
pub const REVIEW_STATUSES: [&str; 3] = ["pending", "confirmed", "dismissed"];

/// A review decision (`PATCH …/price-anomalies/{event_id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnomalyReview {
    /// `confirmed`, `dismissed`, or `pending` to undo a review.
    pub review_status: String,
}

/// A page of anomalies, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnomalyPage {
    pub items: Vec<PriceAnomaly>,
    /// Pass back as `cursor` for the next (older) page; `None` at the end.
    pub next_cursor: Option<String>,
}

/// A catalogue product as `GET /api/v1/tenants/{tenant_id}/products/{product_id}` answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Product {
    pub product_id: String,
    pub name: String,
    pub category: String,
    /// Exact decimal string, e.g. `"12.50"`.
    pub price: String,
    pub price_cents: i64,
    pub currency: String,
    pub stock: i64,
    /// Stock version: incremented on every applied stock change.
    pub version: i64,
    pub updated_at: String,
}

/// Why one row of a products upsert was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductRowError {
    /// 0-based position in the request array.
    pub index: u64,
    pub field: String,
    pub reason: String,
}

/// The answer to a products upsert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UpsertReport {
    pub rows_received: u64,
    /// Products inserted or updated.
    pub rows_upserted: u64,
    pub rows_failed: u64,
    /// The first 100 row errors.
    pub errors: Vec<ProductRowError>,
}

/// The answer to a price event (also what a replay returns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PriceEventResult {
    pub event_id: String,
    pub product_id: String,
    pub old_price_cents: i64,
    pub new_price_cents: i64,
    pub change_pct: f64,
    /// The change reached the anomaly threshold; the anomaly awaits review.
    pub anomaly: bool,
    /// `pending` for a new anomaly, else absent.
    pub review_status: Option<String>,
    pub observed_at: String,
    pub received_at: String,
}

/// One product's outcome in a stock bulk update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockResult {
    pub product_id: String,
    /// `applied`, `rejected` (version mismatch) or `failed` (unknown product, bad update,
    /// negative stock). Not applied means none of that product's updates were.
    pub status: String,
    /// Stock after the request (the unchanged stock when not applied; 0 for an unknown product).
    pub stock: i64,
    pub version: i64,
    pub reason: Option<String>,
}

/// The answer to a stock bulk update: one result per product, in first-mention order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockBulkResult {
    pub results: Vec<StockResult>,
}
