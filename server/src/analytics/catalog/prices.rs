//! Price events (webhook) and the anomaly listings.

use crate::rest::{json_rejection, query_rejection};
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::catalog::model::{AnomalyPage, PriceEventResult};
use app::analytics::catalog::prices::{self as service, DEFAULT_LIMIT, MAX_LIMIT};
use app::analytics::check_tenant_path;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use app::storefront::checkout::validate_key;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

#[utoipa::path(
    post,
    path = "/api/v1/tenants/{tenant_id}/products/{product_id}/price-event",
    tag = "Catalogue",
    operation_id = "price_event",
    summary = "Record a price event (webhook)",
    description = "Body `{event_id, price, currency?, observed_at?}`. The `Idempotency-Key` header \
                   (else the `event_id`) makes retries safe: the same key and body replay the first \
                   answer with `Idempotent-Replayed: true`; another body under it is 409. The \
                   product's price is updated; a change of at least `ATRIUM_PRICE_ANOMALY_PCT` \
                   percent (default 20) either way is stored as an anomaly, review status \
                   `pending`, and pushed to the anomaly stream. Unknown products are 404 (events \
                   never create products). Rate-limited per product and per tenant.",
    params(
        ("tenant_id" = String, Path, description = "The caller's tenant"),
        ("product_id" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "1–200 printable ASCII characters"),
    ),
    request_body(content = Object, description = "The event"),
    responses(
        (status = 201, description = "Recorded (or replayed)", body = PriceEventResult),
        (status = 400, description = "Malformed JSON or key", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "Unknown product or another tenant", body = ErrorEnvelope),
        (status = 409, description = "Key or event_id reused with another body", body = ErrorEnvelope),
        (status = 422, description = "Invalid field", body = ErrorEnvelope),
        (status = 429, description = "Rate limit; see Retry-After", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn price_event(
    State(state): State<AppState>,
    p: Principal,
    Path((tenant_id, product_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Response, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(validate_key(v.to_str().unwrap_or(""))?),
        None => None,
    };
    let Json(body) = body.map_err(json_rejection)?;
    service::check_rate(&state.catalog, &tenant_id, &product_id)?;
    let done = service::record(
        &state.pool,
        &state.catalog,
        &tenant_id,
        &product_id,
        key.as_deref(),
        &body,
    )
    .await?;
    let status = StatusCode::from_u16(done.status).unwrap_or(StatusCode::CREATED);
    let mut res = (status, Json(done.result)).into_response();
    if done.replayed {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// Paging of the anomaly listings.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1–500, default 50.
    limit: Option<i64>,
}

async fn page(
    state: &AppState,
    tenant_id: &str,
    product_id: Option<&str>,
    q: PageQuery,
) -> Result<Json<AnomalyPage>, AppError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::invalid_field(
            "limit",
            &format!("limit must be between 1 and {MAX_LIMIT}."),
        ));
    }
    let before = q
        .cursor
        .as_deref()
        .map(service::decode_cursor)
        .transpose()?;
    Ok(Json(
        service::list(&state.pool, tenant_id, product_id, before, limit).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/tenants/{tenant_id}/products/{product_id}/price-anomalies",
    tag = "Catalogue",
    operation_id = "product_price_anomalies",
    summary = "One product's price anomalies, newest first",
    params(
        ("tenant_id" = String, Path, description = "The caller's tenant"),
        ("product_id" = String, Path),
        PageQuery,
    ),
    responses(
        (status = 200, description = "A page", body = AnomalyPage),
        (status = 400, description = "Malformed cursor", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant", body = ErrorEnvelope),
        (status = 422, description = "Bad limit", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn product_anomalies(
    State(state): State<AppState>,
    p: Principal,
    Path((tenant_id, product_id)): Path<(String, String)>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<AnomalyPage>, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let Query(q) = query.map_err(query_rejection)?;
    page(&state, &tenant_id, Some(&product_id), q).await
}

#[utoipa::path(
    get,
    path = "/api/v1/tenants/{tenant_id}/price-anomalies",
    tag = "Catalogue",
    operation_id = "price_anomalies",
    summary = "All products' price anomalies, newest first",
    description = "Keyset pagination: pass `next_cursor` back as `cursor`.",
    params(("tenant_id" = String, Path, description = "The caller's tenant"), PageQuery),
    responses(
        (status = 200, description = "A page", body = AnomalyPage),
        (status = 400, description = "Malformed cursor", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant", body = ErrorEnvelope),
        (status = 422, description = "Bad limit", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn tenant_anomalies(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant_id): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<AnomalyPage>, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let Query(q) = query.map_err(query_rejection)?;
    page(&state, &tenant_id, None, q).await
}
