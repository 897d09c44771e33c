//! Date-range parsing and the daily metrics summary (counts computed in SQL).

use super::model::{DayMetrics, MetricsSummary};
use super::validate::format_ts;
use crate::error::AppError;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::SqlitePool;
use std::collections::BTreeMap;

/// Longest summary range, in days.
pub const MAX_DAYS: i64 = 366;
/// Days covered when the caller gives no `from`.
pub const DEFAULT_DAYS: i64 = 30;

/// A `from`/`to` query value: `YYYY-MM-DD` or an RFC 3339 date-time.
enum Bound {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

fn parse(field: &str, s: &str) -> Result<Bound, AppError> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Bound::Day(d));
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| Bound::Instant(t.with_timezone(&Utc)))
        .map_err(|_| {
            AppError::invalid_field(
                field,
                &format!("{field} must be YYYY-MM-DD or an RFC 3339 date-time."),
            )
        })
}

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// Inclusive lower bound in stored format: a day means its first instant.
pub fn lower_bound(field: &str, s: &str) -> Result<String, AppError> {
    Ok(match parse(field, s)? {
        Bound::Day(d) => format_ts(day_start(d)),
        Bound::Instant(t) => format_ts(t),
    })
}

/// Exclusive upper bound in stored format: a day includes the whole day; an instant includes
/// itself (timestamps are stored to the millisecond).
pub fn upper_bound(field: &str, s: &str) -> Result<String, AppError> {
    Ok(match parse(field, s)? {
        Bound::Day(d) => format_ts(day_start(d) + Duration::days(1)),
        Bound::Instant(t) => format_ts(t + Duration::milliseconds(1)),
    })
}

fn day(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    match parse(field, s)? {
        Bound::Day(d) => Ok(d),
        Bound::Instant(t) => Ok(t.date_naive()),
    }
}

/// The summary for whole UTC days `from..=to` (default: the last 30 days up to today).
pub async fn summary(
    pool: &SqlitePool,
    org_id: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<MetricsSummary, AppError> {
    let to = match to {
        Some(s) => day("to", s)?,
        None => Utc::now().date_naive(),
    };
    let from = match from {
        Some(s) => day("from", s)?,
        None => to - Duration::days(DEFAULT_DAYS - 1),
    };
    let span = (to - from).num_days() + 1;
    if span < 1 {
        return Err(AppError::invalid_field(
            "from",
            "from must not be after to.",
        ));
    }
    if span > MAX_DAYS {
        return Err(AppError::invalid_field(
            "to",
            &format!("The range covers at most {MAX_DAYS} days."),
        ));
    }
    let lo = format_ts(day_start(from));
    let hi = format_ts(day_start(to) + Duration::days(1));
    const WHERE: &str = "FROM product_events WHERE org_id = ? AND timestamp >= ? AND timestamp < ?";
    let per_day: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT substr(timestamp, 1, 10) AS day, COUNT(*), COUNT(DISTINCT user_id) {WHERE} GROUP BY day"
    ))
    .bind(org_id).bind(&lo).bind(&hi)
    .fetch_all(pool)
    .await?;
    let per_type: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT substr(timestamp, 1, 10) AS day, event_type, COUNT(*) {WHERE} GROUP BY day, event_type"
    ))
    .bind(org_id).bind(&lo).bind(&hi)
    .fetch_all(pool)
    .await?;
    let (total_events, total_users): (i64, i64) =
        sqlx::query_as(&format!("SELECT COUNT(*), COUNT(DISTINCT user_id) {WHERE}"))
            .bind(org_id)
            .bind(&lo)
            .bind(&hi)
            .fetch_one(pool)
            .await?;

    let mut days: BTreeMap<String, DayMetrics> = (0..span)
        .map(|i| {
            let d = (from + Duration::days(i)).format("%Y-%m-%d").to_string();
            (
                d.clone(),
                DayMetrics {
                    date: Some(d),
                    ..Default::default()
                },
            )
        })
        .collect();
    let mut totals = DayMetrics {
        events: total_events,
        unique_users: total_users,
        ..Default::default()
    };
    for (d, events, users) in per_day {
        if let Some(m) = days.get_mut(&d) {
            m.events = events;
            m.unique_users = users;
        }
    }
    for (d, ty, n) in per_type {
        if let Some(m) = days.get_mut(&d) {
            m.by_type.insert(ty.clone(), n);
        }
        *totals.by_type.entry(ty).or_default() += n;
    }
    Ok(MetricsSummary {
        org_id: org_id.to_string(),
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        days: days.into_values().collect(),
        totals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_cover_whole_days_and_instants() {
        assert_eq!(
            lower_bound("from", "2026-01-02").expect("day"),
            "2026-01-02T00:00:00.000Z"
        );
        assert_eq!(
            upper_bound("to", "2026-01-02").expect("day"),
            "2026-01-03T00:00:00.000Z"
        );
        assert_eq!(
            upper_bound("to", "2026-01-02T10:00:00+01:00").expect("instant"),
            "2026-01-02T09:00:00.001Z"
        );
        assert!(lower_bound("from", "02/01/2026").is_err());
    }
}
