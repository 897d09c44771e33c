//! The feedback cache and the regeneration quota (migration 0016), per tenant.

use crate::auth::service::now_rfc3339;
use crate::challenges::model::{Feedback, FeedbackSource};
use chrono::{DateTime, Duration, Utc};
use sqlx::SqlitePool;

/// The cached review for `key`, counting the hit.
pub async fn cached(
    pool: &SqlitePool,
    tenant_id: &str,
    key: &str,
) -> Result<Option<Feedback>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE challenge_feedback_cache SET hits = hits + 1 \
         WHERE tenant_id = ? AND cache_key = ? RETURNING feedback",
    )
    .bind(tenant_id)
    .bind(key)
    .fetch_optional(pool)
    .await?;
    // An entry an older build wrote in another shape is a miss, and is overwritten.
    Ok(row.and_then(|(json,)| serde_json::from_str(&json).ok()))
}

/// Stores (or replaces) the review for `key`.
pub async fn store(
    pool: &SqlitePool,
    tenant_id: &str,
    key: &str,
    challenge_id: &str,
    language: &str,
    feedback: &Feedback,
) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(feedback).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO challenge_feedback_cache \
           (tenant_id, cache_key, challenge_id, language, source, model, feedback, hits, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) \
         ON CONFLICT (tenant_id, cache_key) DO UPDATE SET \
           source = excluded.source, model = excluded.model, feedback = excluded.feedback, \
           hits = 0, created_at = excluded.created_at",
    )
    .bind(tenant_id)
    .bind(key)
    .bind(challenge_id)
    .bind(language)
    .bind(source_label(feedback.source))
    .bind(&feedback.model)
    .bind(json)
    .bind(now_rfc3339())
    .execute(pool)
    .await?;
    Ok(())
}

/// Takes one regeneration from the user's quota for the UTC day of `now`: `Ok(used)` with the
/// count including this one, or `Err(seconds until the quota resets)` when none is left.
pub async fn take_regeneration(
    pool: &SqlitePool,
    tenant_id: &str,
    user_id: &str,
    per_day: u32,
    now: DateTime<Utc>,
) -> Result<Result<u32, u64>, sqlx::Error> {
    let reset = seconds_until_midnight(now);
    if per_day == 0 {
        return Ok(Err(reset));
    }
    let used: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO challenge_feedback_usage (tenant_id, user_id, day, used) VALUES (?, ?, ?, 1) \
         ON CONFLICT (tenant_id, user_id, day) DO UPDATE SET used = used + 1 WHERE used < ? \
         RETURNING used",
    )
    .bind(tenant_id)
    .bind(user_id)
    .bind(now.format("%Y-%m-%d").to_string())
    .bind(i64::from(per_day))
    .fetch_optional(pool)
    .await?;
    Ok(match used {
        Some((n,)) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        None => Err(reset),
    })
}

/// Whole seconds from `now` to the next UTC midnight (at least 1).
pub fn seconds_until_midnight(now: DateTime<Utc>) -> u64 {
    let tomorrow = now.date_naive() + Duration::days(1);
    let midnight = tomorrow.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    midnight
        .map(|m| (m - now).num_seconds().max(1) as u64)
        .unwrap_or(86_400)
}

/// The stored and metric form of a source.
pub fn source_label(source: FeedbackSource) -> &'static str {
    match source {
        FeedbackSource::Cache => "cache",
        FeedbackSource::Rules => "rules",
        FeedbackSource::Model => "model",
        FeedbackSource::LocalReviewer => "local_reviewer",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_quota_resets_at_utc_midnight() {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 24, 23, 59, 0)
            .single()
            .expect("time");
        assert_eq!(seconds_until_midnight(t), 60);
        let t = Utc
            .with_ymd_and_hms(2026, 11, 24, 0, 0, 0)
            .single()
            .expect("time");
        assert_eq!(seconds_until_midnight(t), 86_400);
    }
}
