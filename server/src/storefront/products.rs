//! `/api/v1/products`: the catalogue for shoppers, and create/update for the tenant's admins.

use crate::rest::{json_rejection, query_rejection};
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
pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<Product>, AppError> {
    Ok(Json(catalog::get(&state.pool, &p.tenant_id.0, &id).await?))
}

/// `POST /api/v1/products` (admins) → 201
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
