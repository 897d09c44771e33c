//! Reviewing a price anomaly: confirm it, dismiss it, or put it back to pending.

use crate::rest::json_rejection;
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::catalog::anomalies;
use app::analytics::catalog::model::{AnomalyReview, PriceAnomaly};
use app::analytics::check_tenant_path;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::Json;

#[utoipa::path(
    patch,
    path = "/api/v1/tenants/{tenant_id}/price-anomalies/{event_id}",
    tag = "Catalogue",
    operation_id = "review_price_anomaly",
    summary = "Review a price anomaly",
    description = "Body `{review_status}`: `confirmed`, `dismissed`, or `pending` to undo. \
                   Idempotent: setting the current status again answers the same anomaly.",
    params(
        ("tenant_id" = String, Path, description = "The caller's tenant"),
        ("event_id" = String, Path, description = "The price event that raised the anomaly"),
    ),
    request_body = AnomalyReview,
    responses(
        (status = 200, description = "The reviewed anomaly", body = PriceAnomaly),
        (status = 400, description = "Malformed JSON", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "No such anomaly, or another tenant", body = ErrorEnvelope),
        (status = 422, description = "Unknown review status", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn review(
    State(state): State<AppState>,
    p: Principal,
    Path((tenant_id, event_id)): Path<(String, String)>,
    body: Result<Json<AnomalyReview>, JsonRejection>,
) -> Result<Json<PriceAnomaly>, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let Json(body) = body.map_err(json_rejection)?;
    let anomaly =
        anomalies::review(&state.pool, &tenant_id, &event_id, &body.review_status).await?;
    tracing::info!(tenant = %tenant_id, event_id = %event_id, status = %anomaly.review_status,
        user = %p.username, "price anomaly reviewed");
    Ok(Json(anomaly))
}
