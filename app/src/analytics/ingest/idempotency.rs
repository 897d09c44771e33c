//! Ingest Idempotency-Keys, per tenant.
//!
//! The key is claimed (a row with no fingerprint yet) before any of the body is read, in its own
//! statement, so of two concurrent requests with one key exactly one proceeds; the other gets 409
//! "in progress" and may retry later. On success the body's SHA-256 and the response are stored:
//! the same key and bytes replay the response, other bytes are a 409. A failed request releases
//! its claim (a claim left by a crashed server expires after an hour), so the client can retry
//! with the same key (rows from committed batches stay; the retry upserts them again).

use super::model::IngestReport;
use crate::error::{AppError, ErrorCode};
use sqlx::SqlitePool;

/// An unfinished claim this old (its server presumably died mid-request) may be taken over.
pub const STALE_CLAIM_SECS: i64 = 3600;

/// What a key already holds.
#[derive(Debug)]
pub enum Claim {
    /// The key is new and now ours.
    Claimed,
    /// Another request with this key is still running.
    InProgress,
    /// A finished request: its body hash and response.
    Done {
        fingerprint: String,
        report: IngestReport,
    },
}

/// Claims the key for this request, or says what it already holds.
pub async fn claim(pool: &SqlitePool, tenant_id: &str, key: &str) -> Result<Claim, AppError> {
    let now = chrono::Utc::now();
    let stale = (now - chrono::Duration::seconds(STALE_CLAIM_SECS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    // A new key is inserted; an unfinished claim older than STALE_CLAIM_SECS is taken over.
    let inserted = sqlx::query(
        "INSERT INTO sales_ingest_keys (tenant_id, key, created_at) VALUES (?, ?, ?) \
         ON CONFLICT (tenant_id, key) DO UPDATE SET created_at = excluded.created_at \
         WHERE sales_ingest_keys.fingerprint IS NULL AND sales_ingest_keys.created_at < ?",
    )
    .bind(tenant_id)
    .bind(key)
    .bind(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    .bind(stale)
    .execute(pool)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::Claimed);
    }
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT fingerprint, response FROM sales_ingest_keys WHERE tenant_id = ? AND key = ?",
    )
    .bind(tenant_id)
    .bind(key)
    .fetch_optional(pool)
    .await?;
    match row {
        Some((Some(fingerprint), Some(response))) => Ok(Claim::Done {
            fingerprint,
            report: serde_json::from_str(&response).map_err(AppError::internal)?,
        }),
        // Released between our insert and select: treat as busy; a retry will claim it.
        _ => Ok(Claim::InProgress),
    }
}

/// Stores the outcome for replays.
pub async fn finish(
    pool: &SqlitePool,
    tenant_id: &str,
    key: &str,
    fingerprint: &str,
    report: &IngestReport,
) -> Result<(), AppError> {
    let response = serde_json::to_string(report).map_err(AppError::internal)?;
    sqlx::query(
        "UPDATE sales_ingest_keys SET fingerprint = ?, response = ? WHERE tenant_id = ? AND key = ?",
    )
    .bind(fingerprint)
    .bind(response)
    .bind(tenant_id)
    .bind(key)
    .execute(pool)
    .await?;
    Ok(())
}

/// Gives up a claim after a failed request.
pub async fn release(pool: &SqlitePool, tenant_id: &str, key: &str) -> Result<(), AppError> {
    sqlx::query(
        "DELETE FROM sales_ingest_keys WHERE tenant_id = ? AND key = ? AND fingerprint IS NULL",
    )
    .bind(tenant_id)
    .bind(key)
    .execute(pool)
    .await?;
    Ok(())
}

/// 409 for a key that is still being processed.
pub fn in_progress() -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        "A request with this Idempotency-Key is still being processed; retry later.",
    )
}

/// 409 for a key reused with another body.
pub fn mismatch() -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        "This Idempotency-Key was already used with a different body.",
    )
}
