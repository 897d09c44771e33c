//! `PUT /api/v1/tenants/{tenant_id}/stock/bulk_update`.

use crate::rest::json_rejection;
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::catalog::model::StockBulkResult;
use app::analytics::catalog::stock::{self as service, BulkRequest, MAX_UPDATES};
use app::analytics::check_tenant_path;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::Json;

#[utoipa::path(
    put,
    path = "/api/v1/tenants/{tenant_id}/stock/bulk_update",
    tag = "Catalogue",
    operation_id = "stock_bulk_update",
    summary = "Apply stock updates with a conflict mode",
    description = "Body `{mode, updates: [{product_id, quantity?, delta?, expected_version?}]}` (at \
                   most 10,000 updates). `last_write_wins`: `quantity` replaces the stock. `merge`: \
                   `delta` is added. `reject`: `quantity` applies only if the stock version is still \
                   `expected_version`, else the product is `rejected` with its current version. All \
                   of one product's updates apply together or not at all (one transaction, taken \
                   with the write lock); products are independent. Stock never goes negative (the \
                   product `failed`). Every applied change bumps the version and is logged.",
    params(("tenant_id" = String, Path, description = "The caller's tenant")),
    request_body(content = Object, description = "Mode and updates"),
    responses(
        (status = 200, description = "One result per product", body = StockBulkResult),
        (status = 400, description = "Malformed JSON", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant", body = ErrorEnvelope),
        (status = 422, description = "Unknown mode, bad field types, too many updates", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn bulk_update(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant_id): Path<String>,
    body: Result<Json<BulkRequest>, JsonRejection>,
) -> Result<Json<StockBulkResult>, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let Json(req) = body.map_err(json_rejection)?;
    if req.updates.len() > MAX_UPDATES {
        return Err(AppError::invalid_field(
            "updates",
            &format!("At most {MAX_UPDATES} updates per request."),
        ));
    }
    Ok(Json(
        service::bulk_update(&state.pool, &tenant_id, &req).await?,
    ))
}
