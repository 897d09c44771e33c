//! `PUT /api/v1/tenants/{tenant_id}/products` and `GET …/products/{product_id}`.

use crate::rest::json_rejection;
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::catalog::model::{Product, UpsertReport};
use app::analytics::catalog::products::{self as service, MAX_PRODUCTS};
use app::analytics::check_tenant_path;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::Json;

#[utoipa::path(
    put,
    path = "/api/v1/tenants/{tenant_id}/products",
    tag = "Catalogue",
    operation_id = "upsert_products",
    summary = "Insert or update up to 10,000 products",
    description = "Body: a JSON array of `{product_id, name, category, price, currency?, stock?}`; \
                   `price` is an exact decimal (string or number, at most 2 decimals). Valid rows are \
                   upserted in one transaction, invalid ones are reported by index and skipped. A \
                   given `stock` that differs from the stored one counts as a stock change.",
    params(("tenant_id" = String, Path, description = "The caller's tenant")),
    request_body(content = Object, description = "Array of products"),
    responses(
        (status = 200, description = "Upsert report", body = UpsertReport),
        (status = 400, description = "Not a JSON array", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant", body = ErrorEnvelope),
        (status = 422, description = "More than 10,000 rows", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn upsert(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant_id): Path<String>,
    body: Result<Json<Vec<serde_json::Value>>, JsonRejection>,
) -> Result<Json<UpsertReport>, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let Json(rows) = body.map_err(json_rejection)?;
    if rows.len() > MAX_PRODUCTS {
        return Err(AppError::invalid_field(
            "products",
            &format!("At most {MAX_PRODUCTS} products per request."),
        ));
    }
    Ok(Json(service::upsert(&state.pool, &tenant_id, &rows).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/tenants/{tenant_id}/products/{product_id}",
    tag = "Catalogue",
    operation_id = "get_product",
    summary = "One product with its price, stock and stock version",
    params(
        ("tenant_id" = String, Path, description = "The caller's tenant"),
        ("product_id" = String, Path),
    ),
    responses(
        (status = 200, description = "The product", body = Product),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "No such product (or another tenant)", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn get_product(
    State(state): State<AppState>,
    p: Principal,
    Path((tenant_id, product_id)): Path<(String, String)>,
) -> Result<Json<Product>, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    Ok(Json(
        service::get(&state.pool, &tenant_id, &product_id).await?,
    ))
}
