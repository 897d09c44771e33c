//! Wire types of `GET /api/v1/tenants/{tenant_id}/metrics/sales`, shared with the dashboards.

use serde::{Deserialize, Serialize};

/// One bucket (`key` is the day `2026-11-24`, the hour `2026-11-24T13`, a product id or a
/// category) or the totals over the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SalesBucket {
    pub key: String,
    pub orders: u64,
    /// Units sold (sum of item quantities).
    pub units: u64,
    /// Sum of order totals in minor units (all currencies added; the generator uses one).
    pub revenue_cents: i64,
    /// Distinct customers: exact, or a HyperLogLog estimate in approx mode.
    pub unique_customers: u64,
    /// Median and 95th percentile order total in minor units (t-digest estimate in approx mode).
    pub p50_order_cents: i64,
    pub p95_order_cents: i64,
}

/// The stated error of an approximate answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBounds {
    /// Relative standard error of `unique_customers` (e.g. `0.008` for ±0.8 %).
    pub unique_customers_relative: f64,
    /// Rank error of the percentiles (e.g. `0.01`: the value returned for p95 lies between the
    /// true p94 and p96).
    pub percentile_rank: f64,
}

/// The answer to the sales metrics endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SalesMetrics {
    pub tenant_id: String,
    /// `day`, `hour`, `product` or `category`.
    pub group_by: String,
    /// `exact` or `approx`.
    pub precision: String,
    /// How the numbers were computed, e.g. "exact: SQL aggregation over rollups".
    pub method: String,
    /// `None` in exact mode.
    pub error_bounds: Option<ErrorBounds>,
    pub start_date: String,
    pub end_date: String,
    pub totals: SalesBucket,
    /// Ordered by key for day/hour, by revenue (highest first) for product/category.
    pub groups: Vec<SalesBucket>,
    pub elapsed_ms: f64,
}
