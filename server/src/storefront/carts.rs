//! `/api/v1/carts`: create, read, change quantities, preview and check out.

use crate::middleware::REQUEST_ID_HEADER;
use crate::rest::{json_rejection, query_rejection};
use crate::storefront::openapi::ErrorEnvelope;
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
#[utoipa::path(
    post,
    path = "/api/v1/carts",
    tag = "Carts",
    operation_id = "create_cart",
    summary = "Start an empty cart",
    responses(
        (status = 201, description = "An empty cart owned by the caller", body = Cart),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Cross-site cookie request", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
) -> Result<(StatusCode, Json<Cart>), AppError> {
    let cart = cart::create(&state.pool, &p.tenant_id.0, Some(&p.user_id.0)).await?;
    Ok((StatusCode::CREATED, Json(cart)))
}

/// `GET /api/v1/carts/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/carts/{id}",
    tag = "Carts",
    operation_id = "get_cart",
    summary = "Get one of the caller's carts",
    params(("id" = String, Path, description = "Cart id")),
    responses(
        (status = 200, description = "The cart at current prices (no promo applied)", body = Cart),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 404, description = "No such cart of the caller's in this tenant", body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<Cart>, AppError> {
    Ok(Json(
        cart::load(&state.pool, &p.tenant_id.0, &id, Some(&p.user_id.0)).await?,
    ))
}

/// `PUT /api/v1/carts/{id}/items` body: the line's new quantity (0 removes it).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ItemBody {
    product_id: String,
    /// 0–99; 0 removes the line.
    quantity: i64,
}

/// `PUT /api/v1/carts/{id}/items` `{product_id, quantity}`; quantity 0 removes the line.
#[utoipa::path(
    put,
    path = "/api/v1/carts/{id}/items",
    tag = "Carts",
    operation_id = "set_cart_item",
    summary = "Set a line's quantity",
    description = "Sets the quantity of one product in the cart (0–99; 0 removes the line).",
    params(("id" = String, Path, description = "Cart id")),
    request_body = ItemBody,
    responses(
        (status = 200, description = "The updated cart", body = Cart),
        (status = 400, description = "Malformed JSON or missing `Content-Type: application/json`", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Cross-site cookie request", body = ErrorEnvelope),
        (status = 404, description = "No such cart or product in the caller's tenant", body = ErrorEnvelope),
        (status = 409, description = "The cart was already checked out", body = ErrorEnvelope),
        (status = 422, description = "Quantity out of range or more than in stock", body = ErrorEnvelope),
    )
)]
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

/// Query of `GET /api/v1/carts/{id}/preview`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// A promo code to apply, e.g. `SUMMER10` (case-insensitive).
    promo_code: Option<String>,
}

/// `GET /api/v1/carts/{id}/preview?promo_code=`: totals and upsell suggestions before ordering.
#[utoipa::path(
    get,
    path = "/api/v1/carts/{id}/preview",
    tag = "Carts",
    operation_id = "preview_checkout",
    summary = "Preview the checkout",
    description = "The cart with totals for the promo code (VAT on the discounted amount) and \
                   upsell suggestions; nothing is reserved or ordered.",
    params(("id" = String, Path, description = "Cart id"), PreviewQuery),
    responses(
        (status = 200, description = "Totals and suggestions", body = CheckoutPreview),
        (status = 400, description = "Malformed query string", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 404, description = "No such cart of the caller's in this tenant", body = ErrorEnvelope),
        (status = 422, description = "Unknown promo code", body = ErrorEnvelope),
    )
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/carts/{id}/checkout",
    tag = "Carts",
    operation_id = "checkout_cart",
    summary = "Check out a cart",
    description = "Reserves stock and places the order in one transaction, runs the upsell \
                   beside it and scores the order for fraud (a risky order is `held` for review). \
                   The body is optional: no body means no promo code and country `GB`. \
                   With an `Idempotency-Key`, repeating the same request returns the same order \
                   (200, `Idempotent-Replayed: true`) instead of placing another.",
    params(
        ("id" = String, Path, description = "Cart id"),
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 200,
         description = "1–200 printable ASCII characters; binds this request (cart, lines, promo \
                        code, country) to its order, per tenant"),
    ),
    request_body(content = Option<CheckoutInput>, content_type = "application/json",
                 description = "Optional promo code and two-letter country (default GB)"),
    responses(
        (status = 201, description = "Order placed (status `placed`, or `held` for fraud review)",
         body = CheckoutOutcome),
        (status = 200, description = "Replay of an earlier request with the same Idempotency-Key: \
                                      the original order, nothing placed again",
         body = CheckoutOutcome,
         headers(("Idempotent-Replayed" = String, description = "Always `true` on a replay"))),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Cross-site cookie request", body = ErrorEnvelope),
        (status = 404, description = "No such cart of the caller's in this tenant", body = ErrorEnvelope),
        (status = 409, description = "The Idempotency-Key was already used with a different cart \
                                      or promo code; a product is out of stock (`details` has \
                                      `product_id` and `available`); or the cart was already \
                                      checked out", body = ErrorEnvelope),
        (status = 422, description = "Unknown promo code, bad country, bad Idempotency-Key, \
                                      invalid body or an empty cart", body = ErrorEnvelope),
    )
)]
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
