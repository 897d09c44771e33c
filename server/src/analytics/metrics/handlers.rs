//! `GET /api/v1/tenants/{tenant_id}/metrics/sales`: 401 without credentials, 404 for another
//! tenant's path, 400 malformed query, 422 invalid parameter (details name it).

use crate::rest::query_rejection;
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::check_tenant_path;
use app::analytics::metrics::model::SalesMetrics;
use app::analytics::metrics::params::RawParams;
use app::analytics::metrics::service;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// Query of the sales metrics endpoint.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SalesQuery {
    /// `day` (default), `hour`, `product` or `category`.
    group_by: Option<String>,
    /// Inclusive: `YYYY-MM-DD` (start of day, UTC) or RFC 3339; default 30 days before the end.
    /// Floored to the hour (day, hour) or day (product, category).
    start_date: Option<String>,
    /// `YYYY-MM-DD` (whole day included) or RFC 3339; default now. Ceiled to the grain.
    end_date: Option<String>,
    /// `exact` (default) or `approx` (sketches merged from the rollups, with error bounds).
    precision: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/tenants/{tenant_id}/metrics/sales",
    tag = "Analytics",
    operation_id = "sales_metrics",
    summary = "Sales metrics per day, hour, product or category, exact or approximate",
    description = "Orders, units, revenue, unique customers and p50/p95 order totals per group and \
                   over the range. The range is half-open and aligned to the rollup grain; the \
                   response's `start_date`/`end_date` give the range used. Rollups of hours \
                   dirtied by ingest in the range are refreshed first, so a caller reads its own \
                   writes. `exact` aggregates raw orders for distinct counts and percentiles; \
                   `approx` merges HyperLogLog++ and t-digest sketches and states `error_bounds`.",
    params(("tenant_id" = String, Path, description = "The caller's tenant"), SalesQuery),
    responses(
        (status = 200, description = "The metrics", body = SalesMetrics),
        (status = 400, description = "Malformed query string", body = ErrorEnvelope),
        (status = 401, description = "Missing, invalid or expired credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant", body = ErrorEnvelope),
        (status = 422, description = "Bad group_by, precision or date; details name the field", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn sales(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant_id): Path<String>,
    query: Result<Query<SalesQuery>, QueryRejection>,
) -> Result<Json<SalesMetrics>, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let Query(q) = query.map_err(query_rejection)?;
    let raw = RawParams {
        group_by: q.group_by,
        start_date: q.start_date,
        end_date: q.end_date,
        precision: q.precision,
    };
    Ok(Json(
        service::sales_metrics(&state.pool, &state.ingest.gate, &tenant_id, &raw).await?,
    ))
}
