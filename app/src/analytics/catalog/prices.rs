//! Webhook price events: idempotent (Idempotency-Key header, else the event_id), stored with
//! their history, applied to the product's price, and flagged as anomalies past a threshold.
//!
//! The whole event is one `BEGIN IMMEDIATE` transaction whose first write claims the key, so
//! concurrent retries queue behind the first and then find its finished answer: one stored
//! event, the same response for all.

use super::model::{PriceAnomaly, PriceEventResult};
use super::products::currency;
use super::state::{AnomalyEvent, CatalogState};
use crate::analytics::ingest::money::price_from_json;
use crate::auth::service::now_rfc3339;
use crate::error::{AppError, ErrorCode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

/// What the handler sends back.
#[derive(Debug)]
pub struct Outcome {
    pub status: u16,
    pub result: PriceEventResult,
    pub replayed: bool,
}

/// A validated event body.
struct Event {
    event_id: String,
    price_cents: i64,
    currency: Option<String>,
    observed_at: String,
}

fn parse(body: &Value) -> Result<Event, AppError> {
    let event_id = match body.get("event_id") {
        Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= 200 => s.trim().to_string(),
        _ => {
            return Err(AppError::invalid_field(
                "event_id",
                "event_id is required (1–200 characters).",
            ))
        }
    };
    let price_cents = match body.get("price") {
        None | Some(Value::Null) => {
            return Err(AppError::invalid_field("price", "price is required."))
        }
        Some(v) => price_from_json(v)
            .map_err(|m| AppError::invalid_field("price", &format!("price {m}.")))?,
    };
    let currency = currency(body.get("currency"))
        .map_err(|m| AppError::invalid_field("currency", &format!("currency {m}.")))?;
    let observed_at = match body.get("observed_at") {
        None | Some(Value::Null) => now_rfc3339(),
        Some(Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
            .map_err(|_| AppError::invalid_field("observed_at", "observed_at must be RFC 3339."))?
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        Some(_) => {
            return Err(AppError::invalid_field(
                "observed_at",
                "observed_at must be RFC 3339.",
            ))
        }
    };
    Ok(Event {
        event_id,
        price_cents,
        currency,
        observed_at,
    })
}

/// Signed change in percent; from a zero price any rise counts as +100 %.
pub fn change_pct(old: i64, new: i64) -> f64 {
    if old == 0 {
        return if new == 0 { 0.0 } else { 100.0 };
    }
    (new - old) as f64 * 100.0 / old as f64
}

/// Checks the per-product and per-tenant limits; `Err` is a 429 with Retry-After.
pub fn check_rate(state: &CatalogState, tenant_id: &str, product_id: &str) -> Result<(), AppError> {
    state
        .per_product
        .check(&format!("{tenant_id}/{product_id}"))
        .map_err(AppError::rate_limited)?;
    state
        .per_tenant
        .check(tenant_id)
        .map_err(AppError::rate_limited)
}

/// Records one price event (or replays the first answer for its key).
pub async fn record(
    pool: &SqlitePool,
    state: &CatalogState,
    tenant_id: &str,
    product_id: &str,
    key: Option<&str>,
    body: &Value,
) -> Result<Outcome, AppError> {
    let event = parse(body)?;
    let key = key.unwrap_or(&event.event_id).to_string();
    // serde_json's map is ordered by key, so equal bodies hash equally whatever their order.
    let fingerprint = hex::encode(Sha256::digest(format!("{product_id}\n{body}")));
    let received_at = now_rfc3339();
    let started = std::time::Instant::now();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let stored: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT fingerprint, status, response FROM sales_price_event_keys \
         WHERE tenant_id = ? AND key = ?",
    )
    .bind(tenant_id)
    .bind(&key)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((stored_fp, status, response)) = stored {
        if stored_fp != fingerprint {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "This idempotency key (or event_id) was already used with a different body.",
            ));
        }
        let result = serde_json::from_str(&response).map_err(AppError::internal)?;
        return Ok(Outcome {
            status: u16::try_from(status).unwrap_or(201),
            result,
            replayed: true,
        });
    }
    let product: Option<(i64, String)> = sqlx::query_as(
        "SELECT price_cents, currency FROM sales_products WHERE tenant_id = ? AND product_id = ?",
    )
    .bind(tenant_id)
    .bind(product_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (old, product_currency) = product.ok_or_else(|| AppError::not_found("Product"))?;
    if event
        .currency
        .as_ref()
        .is_some_and(|c| *c != product_currency)
    {
        return Err(AppError::invalid_field(
            "currency",
            &format!("currency must be the product's ({product_currency})."),
        ));
    }
    let pct = change_pct(old, event.price_cents);
    let anomaly = pct.abs() >= state.settings.anomaly_pct;
    sqlx::query(
        "INSERT INTO sales_price_events (tenant_id, event_id, product_id, price_cents, currency, \
         old_price_cents, change_pct, observed_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(tenant_id)
    .bind(&event.event_id)
    .bind(product_id)
    .bind(event.price_cents)
    .bind(&product_currency)
    .bind(old)
    .bind(pct)
    .bind(&event.observed_at)
    .bind(&received_at)
    .execute(&mut *tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::new(
            ErrorCode::Conflict,
            "This event_id was already recorded under another Idempotency-Key.",
        ),
        _ => AppError::from(e),
    })?;
    sqlx::query(
        "INSERT INTO sales_price_history (tenant_id, product_id, observed_at, event_id, \
         price_cents) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(tenant_id)
    .bind(product_id)
    .bind(&event.observed_at)
    .bind(&event.event_id)
    .bind(event.price_cents)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE sales_products SET price_cents = ?, updated_at = ? \
         WHERE tenant_id = ? AND product_id = ?",
    )
    .bind(event.price_cents)
    .bind(&received_at)
    .bind(tenant_id)
    .bind(product_id)
    .execute(&mut *tx)
    .await?;
    let result = PriceEventResult {
        event_id: event.event_id.clone(),
        product_id: product_id.to_string(),
        old_price_cents: old,
        new_price_cents: event.price_cents,
        change_pct: pct,
        anomaly,
        review_status: anomaly.then(|| "pending".to_string()),
        observed_at: event.observed_at.clone(),
        received_at: received_at.clone(),
    };
    let mut published = None;
    if anomaly {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sales_price_anomalies (tenant_id, event_id, product_id, \
             old_price_cents, new_price_cents, change_pct, observed_at, received_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(tenant_id)
        .bind(&event.event_id)
        .bind(product_id)
        .bind(old)
        .bind(event.price_cents)
        .bind(pct)
        .bind(&event.observed_at)
        .bind(&received_at)
        .fetch_one(&mut *tx)
        .await?;
        published = Some(AnomalyEvent {
            id,
            anomaly: PriceAnomaly {
                event_id: event.event_id,
                product_id: product_id.to_string(),
                old_price_cents: old,
                new_price_cents: result.new_price_cents,
                change_pct: pct,
                observed_at: event.observed_at,
                received_at,
                review_status: "pending".to_string(),
            },
        });
    }
    let response = serde_json::to_string(&result).map_err(AppError::internal)?;
    sqlx::query(
        "INSERT INTO sales_price_event_keys (tenant_id, key, fingerprint, status, response, \
         created_at) VALUES (?, ?, ?, 201, ?, ?)",
    )
    .bind(tenant_id)
    .bind(&key)
    .bind(&fingerprint)
    .bind(&response)
    .bind(&result.received_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    metrics::histogram!("db_query_duration_seconds", "query" => "catalog_price_event")
        .record(started.elapsed().as_secs_f64());
    if let Some(event) = published {
        state.publish(tenant_id, event);
    }
    Ok(Outcome {
        status: 201,
        result,
        replayed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_is_signed_percent_and_a_rise_from_zero_is_100() {
        assert_eq!(change_pct(10_000, 8_000), -20.0);
        assert_eq!(change_pct(10_000, 12_500), 25.0);
        assert_eq!(change_pct(0, 5), 100.0);
        assert_eq!(change_pct(0, 0), 0.0);
        assert_eq!(crate::analytics::catalog::format_cents(1_999), "19.99");
        assert_eq!(crate::analytics::catalog::format_cents(5), "0.05");
    }
}
