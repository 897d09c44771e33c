//! The endpoint's query parameters, validated and aligned to the rollups' grain.

use crate::error::AppError;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};

/// Raw query parameters (all optional).
#[derive(Debug, Clone, Default)]
pub struct RawParams {
    pub group_by: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub precision: Option<String>,
}

/// How buckets are keyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Day,
    Hour,
    Product,
    Category,
}

impl GroupBy {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Day => "day",
            GroupBy::Hour => "hour",
            GroupBy::Product => "product",
            GroupBy::Category => "category",
        }
    }
    /// Product and category rollups are per day, so their ranges are whole days.
    fn day_grain(self) -> bool {
        matches!(self, GroupBy::Product | GroupBy::Category | GroupBy::Day)
    }
}

/// Validated parameters: a half-open range `[start, end)` aligned to the grain, and its text
/// keys (`YYYY-MM-DDTHH` or `YYYY-MM-DD`), which compare with `created_at` and rollup keys.
#[derive(Debug, Clone)]
pub struct Params {
    pub group_by: GroupBy,
    pub approx: bool,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub from_key: String,
    pub to_key: String,
}

/// Default range when none is given.
pub const DEFAULT_DAYS: i64 = 30;

fn parse_time(field: &str, s: &str, end: bool) -> Result<DateTime<Utc>, AppError> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        // A date as end is inclusive: the whole day.
        let d = if end { d.succ_opt().unwrap_or(d) } else { d };
        return Ok(Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)));
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            AppError::invalid_field(
                field,
                "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp",
            )
        })
}

fn floor(t: DateTime<Utc>, day: bool) -> DateTime<Utc> {
    let t = t
        .with_nanosecond(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_minute(0))
        .unwrap_or(t);
    if day {
        t.with_hour(0).unwrap_or(t)
    } else {
        t
    }
}

fn ceil(t: DateTime<Utc>, day: bool) -> DateTime<Utc> {
    let f = floor(t, day);
    if f == t {
        f
    } else if day {
        f + Duration::days(1)
    } else {
        f + Duration::hours(1)
    }
}

/// Validates the parameters (422 `invalid_field` naming the field) at time `now`.
pub fn validate(raw: &RawParams, now: DateTime<Utc>) -> Result<Params, AppError> {
    let group_by = match raw.group_by.as_deref().unwrap_or("day") {
        "day" => GroupBy::Day,
        "hour" => GroupBy::Hour,
        "product" => GroupBy::Product,
        "category" => GroupBy::Category,
        _ => {
            return Err(AppError::invalid_field(
                "group_by",
                "must be one of day, hour, product, category",
            ))
        }
    };
    let approx = match raw.precision.as_deref().unwrap_or("exact") {
        "exact" => false,
        "approx" => true,
        _ => {
            return Err(AppError::invalid_field(
                "precision",
                "must be exact or approx",
            ))
        }
    };
    let end = match raw.end_date.as_deref() {
        Some(s) => parse_time("end_date", s, true)?,
        None => now,
    };
    let start = match raw.start_date.as_deref() {
        Some(s) => parse_time("start_date", s, false)?,
        None => end - Duration::days(DEFAULT_DAYS),
    };
    if start >= end {
        return Err(AppError::invalid_field(
            "start_date",
            "must be before end_date",
        ));
    }
    let day = group_by.day_grain();
    let (start, end) = (floor(start, day), ceil(end, day));
    let fmt = if day { "%Y-%m-%d" } else { "%Y-%m-%dT%H" };
    Ok(Params {
        group_by,
        approx,
        from_key: start.format(fmt).to_string(),
        to_key: end.format(fmt).to_string(),
        start,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(g: Option<&str>, s: Option<&str>, e: Option<&str>, p: Option<&str>) -> RawParams {
        RawParams {
            group_by: g.map(str::to_string),
            start_date: s.map(str::to_string),
            end_date: e.map(str::to_string),
            precision: p.map(str::to_string),
        }
    }

    #[test]
    fn ranges_are_aligned_to_the_grain_and_dates_end_inclusive() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 24, 13, 30, 0)
            .single()
            .expect("now");
        let p = validate(&raw(None, None, None, None), now).expect("defaults");
        assert_eq!((p.group_by, p.approx), (GroupBy::Day, false));
        assert_eq!(
            (p.from_key.as_str(), p.to_key.as_str()),
            ("2026-10-25", "2026-11-25")
        );
        let p = validate(
            &raw(
                Some("hour"),
                Some("2026-11-01T10:15:00+01:00"),
                Some("2026-11-01"),
                Some("approx"),
            ),
            now,
        )
        .expect("hour");
        assert_eq!(
            (p.from_key.as_str(), p.to_key.as_str()),
            ("2026-11-01T09", "2026-11-02T00")
        );
        assert!(p.approx);
    }

    #[test]
    fn bad_values_name_their_field() {
        let now = Utc::now();
        for (r, field) in [
            (raw(Some("week"), None, None, None), "group_by"),
            (raw(None, None, None, Some("fast")), "precision"),
            (raw(None, Some("yesterday"), None, None), "start_date"),
            (raw(None, None, Some("2026-13-01"), None), "end_date"),
            (
                raw(None, Some("2026-02-01"), Some("2026-01-01"), None),
                "start_date",
            ),
        ] {
            let e = validate(&r, now).expect_err("invalid");
            assert!(e.details.expect("details").get(field).is_some(), "{field}");
        }
    }
}
