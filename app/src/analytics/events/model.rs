//! Wire types of the product events API (wasm-safe: shared with the dashboards).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One stored product event, as `GET /api/v1/events` returns it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductEvent {
    pub event_id: String,
    pub org_id: String,
    pub user_id: String,
    pub event_type: String,
    /// Free-form JSON object.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub properties: serde_json::Value,
    /// UTC, RFC 3339 with milliseconds.
    pub timestamp: String,
    pub received_at: String,
}

/// The answer to an accepted batch (and to its replays under the same Idempotency-Key).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchResult {
    /// Events newly stored.
    pub accepted: usize,
    /// Events whose `event_id` was already stored (or repeated in the batch): not stored again.
    pub duplicates: usize,
    /// The ids of all events in the batch, in order (generated where the client gave none).
    pub event_ids: Vec<String>,
}

/// One page of events, newest first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub events: Vec<ProductEvent>,
    /// Pass as `cursor` for the next (older) page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Counts for one day or for the whole range.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DayMetrics {
    /// `YYYY-MM-DD` (UTC); absent on the totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub events: i64,
    pub unique_users: i64,
    /// Events per event type.
    pub by_type: BTreeMap<String, i64>,
}

/// `GET /api/v1/metrics/summary`: one entry per day of the range (zero days included) + totals.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsSummary {
    pub org_id: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day (inclusive), `YYYY-MM-DD`.
    pub to: String,
    pub days: Vec<DayMetrics>,
    pub totals: DayMetrics,
}
