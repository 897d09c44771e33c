//! `/api/v1/carts`: create, read, change quantities, preview and check out.

use crate::middleware::REQUEST_ID_HEADER;
use crate::rest::{json_rejection, query_rejection};
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use app::storefront::cart::{self, QuantityChange};
use app::storefront::model::{Cart, CheckoutPreview};
use app::storefront::service::{self, CheckoutInput, CheckoutOutcome};
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::Json;
use serde::Deserialize;

/// `POST /api/v1/carts` → 201 with an empty cart owned by the caller.
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
) -> Result<(StatusCode, Json<Cart>), AppError> {
    let cart = cart::create(&state.pool, &p.tenant_id.0, Some(&p.user_id.0)).await?;
    Ok((StatusCode::CREATED, Json(cart)))
}

/// `GET /api/v1/carts/{id}`
pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<Cart>, AppError> {
    Ok(Json(
        cart::load(&state.pool, &p.tenant_id.0, &id, Some(&p.user_id.0)).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct ItemBody {
    product_id: String,
    quantity: i64,
}

/// `PUT /api/v1/carts/{id}/items` `{product_id, quantity}`; quantity 0 removes the line.
pub async fn put_item(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    body: Result<Json<ItemBody>, JsonRejection>,
) -> Result<Json<Cart>, AppError> {
    let Json(body) = body.map_err(json_rejection)?;
    let cart = cart::change(
        &state.pool,
        &p.tenant_id.0,
        &id,
        Some(&p.user_id.0),
        &body.product_id,
        QuantityChange::Set(body.quantity),
    )
    .await?;
    Ok(Json(cart))
}

#[derive(Debug, Deserialize)]
pub struct PreviewQuery {
    promo_code: Option<String>,
}

/// `GET /api/v1/carts/{id}/preview?promo_code=`: totals and upsell suggestions before ordering.
pub async fn preview(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    query: Result<Query<PreviewQuery>, QueryRejection>,
) -> Result<Json<CheckoutPreview>, AppError> {
    let Query(query) = query.map_err(query_rejection)?;
    let preview = service::preview(
        &state,
        &p,
        &id,
        query.promo_code.as_deref(),
        request_id(&headers),
    )
    .await?;
    Ok(Json(preview))
}

fn request_id(headers: &HeaderMap) -> &str {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// `POST /api/v1/carts/{id}/checkout` `{promo_code?, country?}` with an optional
/// `Idempotency-Key` → 201 `{order, upsell}`; a replay of the same key and cart → 200 with
/// `Idempotent-Replayed: true`; the key with a different cart → 409.
pub async fn checkout(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, HeaderMap, Json<CheckoutOutcome>), AppError> {
    // The body is optional: no body means no promo code and the default country.
    let input: CheckoutInput = if body.iter().all(u8::is_ascii_whitespace) {
        CheckoutInput::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            AppError::new(
                app::error::ErrorCode::Validation,
                format!("Invalid checkout body: {e}"),
            )
        })?
    };
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(v.to_str().map_err(|_| {
            AppError::invalid_field(
                "idempotency_key",
                "Idempotency-Key must be printable ASCII.",
            )
        })?),
        None => None,
    };
    let outcome = service::checkout(&state, &p, &id, &input, key, request_id(&headers)).await?;
    let mut out = HeaderMap::new();
    let status = if outcome.replayed {
        out.insert(
            HeaderName::from_static("idempotent-replayed"),
            HeaderValue::from_static("true"),
        );
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, out, Json(outcome)))
}
