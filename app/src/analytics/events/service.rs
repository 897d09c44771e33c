//! Storing and listing product events. Every query is scoped to the caller's org.

use super::cursor::Cursor;
use super::model::{BatchResult, EventPage, ProductEvent};
use super::validate::{check_key, parse_batch};
use crate::auth::service::now_rfc3339;
use crate::error::{AppError, ErrorCode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

/// Default and largest page size of `GET /api/v1/events`.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// The outcome of a batch: the response body, and whether it replayed an earlier one.
#[derive(Debug, Clone)]
pub struct Ingested {
    pub result: BatchResult,
    pub replayed: bool,
}

/// Validates and stores a batch in one transaction. Events whose `event_id` is already stored
/// for the org are skipped and counted as duplicates. With an Idempotency-Key, a replay of the
/// same body returns the first result; another body under the same key is a 409.
pub async fn ingest(
    pool: &SqlitePool,
    org_id: &str,
    key: Option<&str>,
    body: &Value,
) -> Result<Ingested, AppError> {
    let key = key.map(check_key).transpose()?;
    let events = parse_batch(body, org_id, chrono::Utc::now())?;
    let fingerprint = hex::encode(Sha256::digest(body.to_string().as_bytes()));
    let now = now_rfc3339();
    let mut tx = pool.begin().await?;
    if let Some(key) = &key {
        // Writing first takes SQLite's write lock at once, so concurrent uses of one key queue
        // up here instead of failing on a read-to-write lock upgrade.
        let claimed = sqlx::query(
            "INSERT INTO product_event_batches (org_id, key, fingerprint, status, response, created_at) \
             VALUES (?, ?, ?, 0, '', ?) ON CONFLICT(org_id, key) DO NOTHING",
        )
        .bind(org_id)
        .bind(key)
        .bind(&fingerprint)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            let (stored_fp, response): (String, String) = sqlx::query_as(
                "SELECT fingerprint, response FROM product_event_batches WHERE org_id = ? AND key = ?",
            )
            .bind(org_id)
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
            if stored_fp != fingerprint {
                return Err(AppError::new(
                    ErrorCode::Conflict,
                    "This Idempotency-Key was already used with a different batch.",
                ));
            }
            let result = serde_json::from_str(&response).map_err(AppError::internal)?;
            return Ok(Ingested {
                result,
                replayed: true,
            });
        }
    }
    let mut accepted = 0;
    for ev in &events {
        let done = sqlx::query(
            "INSERT INTO product_events \
             (org_id, event_id, user_id, event_type, properties, timestamp, received_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(org_id, event_id) DO NOTHING",
        )
        .bind(org_id)
        .bind(&ev.event_id)
        .bind(&ev.user_id)
        .bind(&ev.event_type)
        .bind(&ev.properties)
        .bind(&ev.timestamp)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        accepted += done.rows_affected() as usize;
    }
    let result = BatchResult {
        accepted,
        duplicates: events.len() - accepted,
        event_ids: events.into_iter().map(|e| e.event_id).collect(),
    };
    if let Some(key) = &key {
        let response = serde_json::to_string(&result).map_err(AppError::internal)?;
        sqlx::query("UPDATE product_event_batches SET status = 201, response = ? WHERE org_id = ? AND key = ?")
            .bind(response)
            .bind(org_id)
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Ingested {
        result,
        replayed: false,
    })
}

/// Filters of the listing. Bounds are stored-format timestamps: `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub user_id: Option<String>,
    pub event_type: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

type Row = (String, String, String, String, String, String, String);

/// One page, newest first, keyset-paged on `(timestamp, event_id)`.
pub async fn list(pool: &SqlitePool, org_id: &str, f: &EventFilter) -> Result<EventPage, AppError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT event_id, org_id, user_id, event_type, properties, timestamp, received_at \
         FROM product_events WHERE org_id = ",
    );
    q.push_bind(org_id);
    if let Some(u) = &f.user_id {
        q.push(" AND user_id = ").push_bind(u);
    }
    if let Some(t) = &f.event_type {
        q.push(" AND event_type = ").push_bind(t);
    }
    if let Some(from) = &f.from {
        q.push(" AND timestamp >= ").push_bind(from);
    }
    if let Some(to) = &f.to {
        q.push(" AND timestamp < ").push_bind(to);
    }
    if let Some(c) = &f.cursor {
        q.push(" AND (timestamp < ").push_bind(&c.timestamp);
        q.push(" OR (timestamp = ").push_bind(&c.timestamp);
        q.push(" AND event_id < ").push_bind(&c.event_id).push("))");
    }
    q.push(" ORDER BY timestamp DESC, event_id DESC LIMIT ")
        .push_bind(f.limit + 1);
    let rows: Vec<Row> = q.build_query_as().fetch_all(pool).await?;
    let more = rows.len() as i64 > f.limit;
    let events: Vec<ProductEvent> = rows
        .into_iter()
        .take(f.limit as usize)
        .map(
            |(event_id, org_id, user_id, event_type, props, timestamp, received_at)| ProductEvent {
                event_id,
                org_id,
                user_id,
                event_type,
                properties: serde_json::from_str(&props).unwrap_or(Value::Null),
                timestamp,
                received_at,
            },
        )
        .collect();
    let next_cursor = match events.last() {
        Some(last) if more => Some(
            Cursor {
                timestamp: last.timestamp.clone(),
                event_id: last.event_id.clone(),
            }
            .encode(),
        ),
        _ => None,
    };
    Ok(EventPage {
        events,
        next_cursor,
    })
}
