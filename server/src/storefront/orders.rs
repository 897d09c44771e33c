//! `/api/v1/orders`: the caller's orders (all of the tenant's for admins with `all=true`), one
//! order, and the fraud review queue's decisions with their audit trail.

use crate::rest::{json_rejection, query_rejection};
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

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    status: Option<OrderStatus>,
    all: Option<bool>,
    before_created_at: Option<String>,
    before_id: Option<String>,
    limit: Option<u32>,
}

/// A page of orders; pass the last order's `created_at` and `id` as `before_*` for the next.
#[derive(Debug, Serialize)]
pub struct OrderList {
    orders: Vec<Order>,
    has_more: bool,
}

/// `GET /api/v1/orders?status=&all=&before_created_at=&before_id=&limit=`
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

#[derive(Debug, Deserialize)]
pub struct DecisionBody {
    decision: Decision,
    #[serde(default)]
    note: String,
}

/// `POST /api/v1/orders/{id}/review` `{decision: approve|reject, note}` (admins).
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
pub async fn audit(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<ReviewEntry>>, AppError> {
    p.require_admin()?;
    orders::get(&state.pool, &p.tenant_id.0, &id).await?;
    Ok(Json(review::trail(&state.pool, &p.tenant_id.0, &id).await?))
}
