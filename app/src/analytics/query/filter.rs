//! The order filter shared by search and exports: parsed from text parameters (a query string
//! or a JSON body), validated into 422 `invalid_field` errors, then appended to a
//! `sqlx::QueryBuilder` over `sales_orders o`.
//!
//! Dates: `start_date` is inclusive, `end_date` exclusive. A bare `YYYY-MM-DD` means that day's
//! midnight UTC for `start_date` and the *next* midnight for `end_date`, so
//! `start_date=2026-01-01&end_date=2026-01-31` covers all of January 1–31. An RFC 3339 timestamp
//! is used as the exact instant.

use super::search_fts::match_expression;
use crate::analytics::ingest::{money::parse_minor_units, row::STATUSES};
use crate::error::AppError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, SecondsFormat, Utc};
use serde::Deserialize;
use sqlx::{QueryBuilder, Sqlite};

/// Most product ids one filter may name.
pub const MAX_PRODUCT_IDS: usize = 1000;

/// The filter as sent: every parameter is text (comma-separated lists, decimal money).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct OrderFilterParams {
    /// Orders created at or after: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 timestamp.
    pub start_date: Option<String>,
    /// Orders created before: `YYYY-MM-DD` (that whole day included) or an RFC 3339 timestamp.
    pub end_date: Option<String>,
    /// Comma-separated product ids: orders with at least one item of any of them.
    pub product_ids: Option<String>,
    /// Smallest order total, inclusive, as a decimal (`12.50`).
    pub min_total: Option<String>,
    /// Largest order total, inclusive, as a decimal (`99.99`).
    pub max_total: Option<String>,
    /// Comma-separated statuses: pending, paid, shipped, delivered, cancelled.
    pub status: Option<String>,
    /// Words of the customer's name or email (every word must match; the last may be a prefix).
    pub q: Option<String>,
}

/// A validated filter. Times are in the stored format (RFC 3339 UTC, milliseconds).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// `created_at >= from`.
    pub from: Option<String>,
    /// `created_at < until`.
    pub until: Option<String>,
    pub product_ids: Vec<String>,
    pub min_total_cents: Option<i64>,
    pub max_total_cents: Option<i64>,
    pub statuses: Vec<&'static str>,
    /// The FTS5 MATCH expression built from `q` (every term quoted).
    pub text_match: Option<String>,
}

impl OrderFilter {
    /// Validates the parameters; the first bad one is a 422 naming it.
    pub fn parse(p: &OrderFilterParams) -> Result<OrderFilter, AppError> {
        let from = given(&p.start_date)
            .map(|s| parse_bound("start_date", s, false))
            .transpose()?;
        let until = given(&p.end_date)
            .map(|s| parse_bound("end_date", s, true))
            .transpose()?;
        if let (Some(f), Some(u)) = (&from, &until) {
            if f >= u {
                return Err(AppError::invalid_field(
                    "end_date",
                    "must be after start_date",
                ));
            }
        }
        let min_total_cents = given(&p.min_total)
            .map(|s| money("min_total", s))
            .transpose()?;
        let max_total_cents = given(&p.max_total)
            .map(|s| money("max_total", s))
            .transpose()?;
        if let (Some(lo), Some(hi)) = (min_total_cents, max_total_cents) {
            if lo > hi {
                return Err(AppError::invalid_field(
                    "max_total",
                    "must not be below min_total",
                ));
            }
        }
        let text_match = given(&p.q).map(match_expression).transpose()?;
        Ok(OrderFilter {
            from,
            until,
            product_ids: product_ids(given(&p.product_ids))?,
            min_total_cents,
            max_total_cents,
            statuses: statuses(given(&p.status))?,
            text_match,
        })
    }

    /// Appends ` WHERE o.tenant_id = ?` (always the first bind) and one ` AND …` per filter.
    /// The caller adds the cursor condition, `ORDER BY` and `LIMIT`.
    pub fn push_where(&self, q: &mut QueryBuilder<'_, Sqlite>, tenant_id: &str) {
        q.push(" WHERE o.tenant_id = ")
            .push_bind(tenant_id.to_string());
        if let Some(from) = &self.from {
            q.push(" AND o.created_at >= ").push_bind(from.clone());
        }
        if let Some(until) = &self.until {
            q.push(" AND o.created_at < ").push_bind(until.clone());
        }
        if !self.statuses.is_empty() {
            q.push(" AND o.status IN (");
            let mut list = q.separated(", ");
            for s in &self.statuses {
                list.push_bind(*s);
            }
            q.push(")");
        }
        if let Some(lo) = self.min_total_cents {
            q.push(" AND o.total_cents >= ").push_bind(lo);
        }
        if let Some(hi) = self.max_total_cents {
            q.push(" AND o.total_cents <= ").push_bind(hi);
        }
        if !self.product_ids.is_empty() {
            // Correlated per order (a primary-key prefix lookup): streams in time order with no
            // temporary set, whatever the product's popularity.
            q.push(
                " AND EXISTS (SELECT 1 FROM sales_order_items i WHERE i.tenant_id = o.tenant_id \
                 AND i.order_id = o.order_id AND i.product_id IN (",
            );
            let mut list = q.separated(", ");
            for id in &self.product_ids {
                list.push_bind(id.clone());
            }
            q.push("))");
        }
        if let Some(m) = &self.text_match {
            super::search_fts::push_text_match(q, tenant_id, m);
        }
    }
}

/// A parameter that was sent non-blank.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A date bound in the stored format; `end` moves a bare date to the next midnight.
fn parse_bound(field: &str, s: &str, end: bool) -> Result<String, AppError> {
    let bad = || {
        AppError::invalid_field(
            field,
            "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp",
        )
    };
    let instant: DateTime<Utc> = if let Ok(day) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let day = if end {
            day.succ_opt().ok_or_else(bad)?
        } else {
            day
        };
        day.and_hms_opt(0, 0, 0).ok_or_else(bad)?.and_utc()
    } else {
        let t = DateTime::parse_from_rfc3339(s).map_err(|_| bad())?;
        ceil_to_millis(t.with_timezone(&Utc)).ok_or_else(bad)?
    };
    if !(0..=9999).contains(&instant.year()) {
        return Err(AppError::invalid_field(
            field,
            "must be within years 0–9999",
        ));
    }
    Ok(instant.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// Stored times have milliseconds: for both `>=` and `<` against them, rounding the bound up is
/// exact.
fn ceil_to_millis(t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let sub_ms = t.timestamp_subsec_nanos() % 1_000_000;
    if sub_ms == 0 {
        Some(t)
    } else {
        t.checked_add_signed(Duration::nanoseconds(i64::from(1_000_000 - sub_ms)))
    }
}

fn money(field: &str, s: &str) -> Result<i64, AppError> {
    parse_minor_units(s).map_err(|reason| AppError::invalid_field(field, reason))
}

fn product_ids(s: Option<&str>) -> Result<Vec<String>, AppError> {
    let Some(s) = s else { return Ok(Vec::new()) };
    let mut ids: Vec<String> = Vec::new();
    for id in s.split(',').map(str::trim) {
        if id.is_empty() {
            return Err(AppError::invalid_field(
                "product_ids",
                "must be comma-separated ids with none empty",
            ));
        }
        if id.len() > 200 {
            return Err(AppError::invalid_field(
                "product_ids",
                "ids must be at most 200 bytes",
            ));
        }
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_string());
        }
        if ids.len() > MAX_PRODUCT_IDS {
            return Err(AppError::invalid_field(
                "product_ids",
                "must name at most 1000 products",
            ));
        }
    }
    Ok(ids)
}

fn statuses(s: Option<&str>) -> Result<Vec<&'static str>, AppError> {
    let Some(s) = s else { return Ok(Vec::new()) };
    let mut out: Vec<&'static str> = Vec::new();
    for word in s.split(',').map(str::trim) {
        let known = STATUSES.iter().find(|k| k.eq_ignore_ascii_case(word));
        let Some(&status) = known else {
            return Err(AppError::invalid_field(
                "status",
                "must be comma-separated statuses among pending, paid, shipped, delivered, \
                 cancelled",
            ));
        };
        if !out.contains(&status) {
            out.push(status);
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
