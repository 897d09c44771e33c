//! The anomaly listings (newest first, keyset-paged on the monotonic id) and the stream's
//! catch-up read.

use super::model::{AnomalyPage, PriceAnomaly, REVIEW_STATUSES};
use super::state::AnomalyEvent;
use crate::error::{AppError, ErrorCode};
use sqlx::SqlitePool;

/// Default and largest page sizes of the anomaly listings.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

type Row = (i64, String, String, i64, i64, f64, String, String, String);

fn to_event(r: Row) -> AnomalyEvent {
    AnomalyEvent {
        id: r.0,
        anomaly: PriceAnomaly {
            event_id: r.1,
            product_id: r.2,
            old_price_cents: r.3,
            new_price_cents: r.4,
            change_pct: r.5,
            observed_at: r.6,
            received_at: r.7,
            review_status: r.8,
        },
    }
}

const COLUMNS: &str = "id, event_id, product_id, old_price_cents, new_price_cents, change_pct, \
                       observed_at, received_at, review_status";

/// Reads a cursor this API issued (the last id of the previous page).
pub fn decode_cursor(cursor: &str) -> Result<i64, AppError> {
    cursor.trim().parse::<i64>().map_err(|_| {
        let mut err = AppError::new(ErrorCode::BadRequest, "cursor is not one this API issued.");
        err.details = Some(serde_json::json!({ "cursor": "malformed" }));
        err
    })
}

/// Anomalies newest first (by arrival), optionally of one product, keyset-paged on `id`.
pub async fn list(
    pool: &SqlitePool,
    tenant_id: &str,
    product_id: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<AnomalyPage, AppError> {
    let started = std::time::Instant::now();
    // Two statements rather than `(? IS NULL OR product_id = ?)`, so each gets its own index.
    let filter = if product_id.is_some() {
        "product_id = ?2"
    } else {
        "?2 IS NULL"
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM sales_price_anomalies WHERE tenant_id = ?1 AND {filter} \
         AND id < ?3 ORDER BY id DESC LIMIT ?4"
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(tenant_id)
        .bind(product_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit + 1)
        .fetch_all(pool)
        .await?;
    metrics::histogram!("db_query_duration_seconds", "query" => "catalog_anomalies")
        .record(started.elapsed().as_secs_f64());
    let more = rows.len() as i64 > limit;
    let events: Vec<AnomalyEvent> = rows
        .into_iter()
        .take(limit as usize)
        .map(to_event)
        .collect();
    let next_cursor = if more {
        events.last().map(|e| e.id.to_string())
    } else {
        None
    };
    Ok(AnomalyPage {
        items: events.into_iter().map(|e| e.anomaly).collect(),
        next_cursor,
    })
}

/// The tenant's anomalies after `after_id`, oldest first (what a reconnecting stream missed).
pub async fn since(
    pool: &SqlitePool,
    tenant_id: &str,
    after_id: i64,
    limit: i64,
) -> Result<Vec<AnomalyEvent>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sales_price_anomalies WHERE tenant_id = ? AND id > ? \
         ORDER BY id LIMIT ?"
    ))
    .bind(tenant_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(to_event).collect())
}

/// Sets the review status of the tenant's anomaly for `event_id` and returns it; 404 when the
/// tenant has no such anomaly, 422 for a status outside [`REVIEW_STATUSES`].
pub async fn review(
    pool: &SqlitePool,
    tenant_id: &str,
    event_id: &str,
    status: &str,
) -> Result<PriceAnomaly, AppError> {
    if !REVIEW_STATUSES.contains(&status) {
        return Err(AppError::invalid_field(
            "review_status",
            "review_status must be pending, confirmed or dismissed.",
        ));
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "UPDATE sales_price_anomalies SET review_status = ? \
         WHERE tenant_id = ? AND event_id = ? RETURNING {COLUMNS}"
    ))
    .bind(status)
    .bind(tenant_id)
    .bind(event_id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| to_event(r).anomaly)
        .ok_or_else(|| AppError::not_found("price anomaly"))
}
