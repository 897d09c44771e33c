//! `/api/v1/products`: the catalogue for shoppers, and create/update for the tenant's admins.

use crate::rest::{json_rejection, query_rejection};
use crate::storefront::openapi::ErrorEnvelope;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use app::storefront::catalog;
use app::storefront::input::{NewProduct, ProductPatch};
use app::storefront::model::{Product, ProductPage, ProductQuery};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;

/// `GET /api/v1/products?category=&search=&cursor=&limit=`
#[utoipa::path(
    get,
    path = "/api/v1/products",
    tag = "Catalogue",
    operation_id = "list_products",
    summary = "List the catalogue",
    description = "One page of the tenant's products, filtered by category and/or a search \
                   term; pass `next_cursor` back as `cursor` for the next page (`limit` 1–100).",
    params(ProductQuery),
    responses(
        (status = 200, description = "A page of products", body = ProductPage),
        (status = 400, description = "Malformed query string", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 422, description = "Bad `limit` or a cursor this API did not issue", body = ErrorEnvelope),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    query: Result<Query<ProductQuery>, QueryRejection>,
) -> Result<Json<ProductPage>, AppError> {
    let Query(query) = query.map_err(query_rejection)?;
    Ok(Json(
        catalog::list(&state.pool, &p.tenant_id.0, &query).await?,
    ))
}

/// `GET /api/v1/products/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/products/{id}",
    tag = "Catalogue",
    operation_id = "get_product",
    summary = "Get one product",
    params(("id" = String, Path, description = "Product id")),
    responses(
        (status = 200, description = "The product", body = Product),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 404, description = "No such product in the caller's tenant", body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<Product>, AppError> {
    Ok(Json(catalog::get(&state.pool, &p.tenant_id.0, &id).await?))
}

/// `POST /api/v1/products` (admins) → 201
#[utoipa::path(
    post,
    path = "/api/v1/products",
    tag = "Catalogue",
    operation_id = "create_product",
    summary = "Add a product (admins)",
    request_body = NewProduct,
    responses(
        (status = 201, description = "Created", body = Product),
        (status = 400, description = "Malformed JSON or missing `Content-Type: application/json`", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Not a tenant admin, or a cross-site cookie request", body = ErrorEnvelope),
        (status = 409, description = "The SKU is already in the catalogue", body = ErrorEnvelope),
        (status = 422, description = "A field is invalid; `details` names it", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    body: Result<Json<NewProduct>, JsonRejection>,
) -> Result<(StatusCode, Json<Product>), AppError> {
    p.require_admin()?;
    let Json(body) = body.map_err(json_rejection)?;
    let product = catalog::create(&state.pool, &p.tenant_id.0, &body).await?;
    Ok((StatusCode::CREATED, Json(product)))
}

/// `PATCH /api/v1/products/{id}` (admins)
#[utoipa::path(
    patch,
    path = "/api/v1/products/{id}",
    tag = "Catalogue",
    operation_id = "update_product",
    summary = "Change a product (admins)",
    description = "Only the fields present change; an empty patch is a 422.",
    params(("id" = String, Path, description = "Product id")),
    request_body = ProductPatch,
    responses(
        (status = 200, description = "The updated product", body = Product),
        (status = 400, description = "Malformed JSON or missing `Content-Type: application/json`", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Not a tenant admin, or a cross-site cookie request", body = ErrorEnvelope),
        (status = 404, description = "No such product in the caller's tenant", body = ErrorEnvelope),
        (status = 422, description = "A field is invalid, or nothing to change", body = ErrorEnvelope),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    body: Result<Json<ProductPatch>, JsonRejection>,
) -> Result<Json<Product>, AppError> {
    p.require_admin()?;
    let Json(body) = body.map_err(json_rejection)?;
    Ok(Json(
        catalog::update(&state.pool, &p.tenant_id.0, &id, &body).await?,
    ))
}
