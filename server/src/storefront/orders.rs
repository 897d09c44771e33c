//! `/api/v1/orders`: the caller's orders (all of the tenant's for admins with `all=true`), one
//! order, and the fraud review queue's decisions with their audit trail.

use crate::rest::{json_rejection, query_rejection};
use crate::storefront::openapi::ErrorEnvelope;
use app::auth::model::Role;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use app::storefront::model::{Decision, Order, OrderStatus, ReviewEntry};
use app::storefront::orders::{self, OrderFilter};
use app::storefront::review;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

/// Query of `GET /api/v1/orders`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only orders with this status.
    status: Option<OrderStatus>,
    /// `true`: every order of the tenant, not just the caller's (admins only).
    all: Option<bool>,
    /// Keyset cursor: the last order's `created_at` from the previous page (with `before_id`).
    before_created_at: Option<String>,
    /// Keyset cursor: the last order's `id` from the previous page (with `before_created_at`).
    before_id: Option<String>,
    /// Page size, 1–100 (default 20).
    limit: Option<u32>,
}

/// A page of orders; pass the last order's `created_at` and `id` as `before_*` for the next.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrderList {
    orders: Vec<Order>,
    has_more: bool,
}

/// `GET /api/v1/orders?status=&all=&before_created_at=&before_id=&limit=`
#[utoipa::path(
    get,
    path = "/api/v1/orders",
    tag = "Orders",
    operation_id = "list_orders",
    summary = "List orders, newest first",
    description = "The caller's orders, or all of the tenant's with `all=true` (admins). Pages \
                   are keyset-paginated: pass the last order's `created_at` and `id` as \
                   `before_created_at` and `before_id` while `has_more` is true.",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of orders", body = OrderList),
        (status = 400, description = "Malformed query string (e.g. an unknown status)", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "`all=true` without being a tenant admin", body = ErrorEnvelope),
        (status = 422, description = "`limit` out of range, or only one of the `before_*` pair", body = ErrorEnvelope),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<OrderList>, AppError> {
    let Query(q) = query.map_err(query_rejection)?;
    let all = q.all.unwrap_or(false);
    if all {
        p.require_admin()?;
    }
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::invalid_field(
            "limit",
            "limit must be between 1 and 100.",
        ));
    }
    let before = match (q.before_created_at, q.before_id) {
        (Some(at), Some(id)) => Some((at, id)),
        (None, None) => None,
        _ => {
            return Err(AppError::invalid_field(
                "before_id",
                "Give both before_created_at and before_id.",
            ))
        }
    };
    let filter = OrderFilter {
        user_id: (!all).then(|| p.user_id.0.clone()),
        status: q.status,
        before,
        limit: limit + 1,
    };
    let mut orders = orders::list(&state.pool, &p.tenant_id.0, &filter).await?;
    let has_more = orders.len() > limit as usize;
    orders.truncate(limit as usize);
    Ok(Json(OrderList { orders, has_more }))
}

/// `GET /api/v1/orders/{id}`: the caller's own order, or any of the tenant's for an admin.
#[utoipa::path(
    get,
    path = "/api/v1/orders/{id}",
    tag = "Orders",
    operation_id = "get_order",
    summary = "Get one order",
    description = "The caller's own order, or any of the tenant's for an admin.",
    params(("id" = String, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 404, description = "No such order visible to the caller in this tenant", body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<Order>, AppError> {
    let admin = p.role == Role::Admin;
    Ok(Json(
        orders::get_for(&state.pool, &p.tenant_id.0, &id, &p.user_id.0, admin).await?,
    ))
}

/// `POST /api/v1/orders/{id}/review` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionBody {
    decision: Decision,
    /// Why, for the audit trail.
    #[serde(default)]
    note: String,
}

/// `POST /api/v1/orders/{id}/review` `{decision: approve|reject, note}` (admins).
#[utoipa::path(
    post,
    path = "/api/v1/orders/{id}/review",
    tag = "Orders",
    operation_id = "review_order",
    summary = "Approve or reject a held order (admins)",
    description = "Approving a `held` order makes it `placed`; rejecting makes it `rejected`. \
                   Both are recorded in the order's audit trail.",
    params(("id" = String, Path, description = "Order id")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The order after the decision", body = Order),
        (status = 400, description = "Malformed JSON or missing `Content-Type: application/json`", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Not a tenant admin, or a cross-site cookie request", body = ErrorEnvelope),
        (status = 404, description = "No such order in the caller's tenant", body = ErrorEnvelope),
        (status = 409, description = "The order is not waiting for review", body = ErrorEnvelope),
        (status = 422, description = "Unknown decision", body = ErrorEnvelope),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    body: Result<Json<DecisionBody>, JsonRejection>,
) -> Result<Json<Order>, AppError> {
    p.require_admin()?;
    let Json(body) = body.map_err(json_rejection)?;
    let order = review::decide(
        &state.pool,
        &p.tenant_id.0,
        &id,
        &p.username,
        body.decision,
        &body.note,
    )
    .await?;
    tracing::info!(order_id = %id, decision = ?body.decision, reviewer = %p.username, "order reviewed");
    Ok(Json(order))
}

/// `GET /api/v1/orders/{id}/audit` (admins): held, approved, rejected — who, when, why.
#[utoipa::path(
    get,
    path = "/api/v1/orders/{id}/audit",
    tag = "Orders",
    operation_id = "order_audit",
    summary = "An order's review trail (admins)",
    description = "Held, approved, rejected: who, when and why, oldest first.",
    params(("id" = String, Path, description = "Order id")),
    responses(
        (status = 200, description = "The audit trail", body = [ReviewEntry]),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Not a tenant admin", body = ErrorEnvelope),
        (status = 404, description = "No such order in the caller's tenant", body = ErrorEnvelope),
    )
)]
pub async fn audit(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<ReviewEntry>>, AppError> {
    p.require_admin()?;
    orders::get(&state.pool, &p.tenant_id.0, &id).await?;
    Ok(Json(review::trail(&state.pool, &p.tenant_id.0, &id).await?))
}
