//! The sales metrics service: validate, bring the range's rollups up to date, compute.

use super::model::{ErrorBounds, SalesMetrics};
use super::params::{self, GroupBy, RawParams};
use super::rollups::{refresh_dirty, DirtyScope};
use super::{approx, exact, sketch};
use crate::analytics::ingest::store::WriteGate;
use crate::error::AppError;
use chrono::{SecondsFormat, Utc};
use sqlx::SqlitePool;
use std::time::Instant;

/// Description of the exact method.
pub const EXACT_METHOD: &str = "exact: orders, units and revenue summed from the hourly, \
    product-day and category-day rollups (exact sums); distinct orders per product/category, unique customers \
    (COUNT DISTINCT) and nearest-rank p50/p95 (window functions) from the raw orders in SQL";

fn approx_method() -> String {
    format!(
        "approx: everything from the rollups; unique customers by merged HyperLogLog++ \
         sketches (p={}, m={}, 64-bit FNV-1a+fmix64 hash), p50/p95 by merged t-digests \
         (compression {})",
        sketch::HLL_PRECISION,
        1u32 << sketch::HLL_PRECISION,
        sketch::TDIGEST_SIZE
    )
}

/// `GET /api/v1/tenants/{tenant_id}/metrics/sales` for an already authorised tenant.
pub async fn sales_metrics(
    pool: &SqlitePool,
    gate: &WriteGate,
    tenant_id: &str,
    raw: &RawParams,
) -> Result<SalesMetrics, AppError> {
    let started = Instant::now();
    let p = params::validate(raw, Utc::now())?;
    // Read your own writes: the range's dirty hours are recomputed before reading.
    refresh_dirty(
        pool,
        gate,
        &DirtyScope::Range {
            tenant_id,
            from: &p.from_key,
            to: &p.to_key,
        },
    )
    .await?;
    let query_started = Instant::now();
    let (totals, mut groups) = if p.approx {
        approx::compute(pool, tenant_id, &p).await?
    } else {
        exact::compute(pool, tenant_id, &p).await?
    };
    let name = if p.approx {
        "sales_metrics_approx"
    } else {
        "sales_metrics_exact"
    };
    metrics::histogram!("db_query_duration_seconds", "query" => name)
        .record(query_started.elapsed().as_secs_f64());
    if matches!(p.group_by, GroupBy::Product | GroupBy::Category) {
        groups.sort_by(|a, b| {
            b.revenue_cents
                .cmp(&a.revenue_cents)
                .then_with(|| a.key.cmp(&b.key))
        });
    }
    let (method, error_bounds) = if p.approx {
        (
            approx_method(),
            Some(ErrorBounds {
                unique_customers_relative: sketch::hll_relative_error(),
                percentile_rank: sketch::tdigest_rank_error(),
            }),
        )
    } else {
        (EXACT_METHOD.to_string(), None)
    };
    Ok(SalesMetrics {
        tenant_id: tenant_id.to_string(),
        group_by: p.group_by.name().to_string(),
        precision: if p.approx { "approx" } else { "exact" }.to_string(),
        method,
        error_bounds,
        start_date: p.start.to_rfc3339_opts(SecondsFormat::Secs, true),
        end_date: p.end.to_rfc3339_opts(SecondsFormat::Secs, true),
        totals,
        groups,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}
