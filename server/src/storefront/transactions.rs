//! The brief's fraud API: `POST /transactions` scores and stores one transaction for the
//! caller's tenant; `GET /transactions/flagged` lists that tenant's recent medium/high ones.

use crate::rest::{json_rejection, query_rejection};
use crate::storefront::openapi::ErrorEnvelope;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use app::storefront::fraud::service::{list_flagged, record};
use app::storefront::fraud::{Assessment, FlaggedTransaction, Transaction};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Most rows one `GET /transactions/flagged` returns.
const MAX_LIMIT: u32 = 500;

/// `POST /transactions` answer: the assessment and how long scoring took on the server.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Scored {
    #[serde(flatten)]
    assessment: Assessment,
    processing_time_ms: f64,
}

/// `POST /transactions` with the brief's JSON → 201 and the assessment; the same transaction
/// again → 200 with the stored assessment; other details under a used id → 409.
#[utoipa::path(
    post,
    path = "/transactions",
    tag = "Fraud",
    operation_id = "score_transaction",
    summary = "Score a transaction for fraud",
    description = "Scores one transaction with the rules and the Isolation Forest and stores it \
                   for the caller's tenant. Submitting the same transaction again returns the \
                   stored assessment (200).",
    request_body = Transaction,
    responses(
        (status = 201, description = "Scored and stored", body = Scored),
        (status = 200, description = "The same transaction again: the stored assessment", body = Scored),
        (status = 400, description = "Malformed JSON or missing `Content-Type: application/json`", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Cross-site cookie request", body = ErrorEnvelope),
        (status = 409, description = "The transaction id was already used with other details", body = ErrorEnvelope),
        (status = 422, description = "A field is invalid; `details` names it", body = ErrorEnvelope),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    p: Principal,
    body: Result<Json<Transaction>, JsonRejection>,
) -> Result<(StatusCode, Json<Scored>), AppError> {
    let Json(tx) = body.map_err(json_rejection)?;
    let started = Instant::now();
    let recorded = record(
        &state.pool,
        &state.storefront.fraud,
        &p.tenant_id.0,
        &tx,
        None,
    )
    .await?;
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    let status = if recorded.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(Scored {
            assessment: recorded.assessment,
            processing_time_ms: (elapsed * 1000.0).round() / 1000.0,
        }),
    ))
}

/// Query of `GET /transactions/flagged`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FlaggedQuery {
    /// Most rows to return, 1–500 (default 50).
    limit: Option<u32>,
}

/// `GET /transactions/flagged` answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FlaggedList {
    transactions: Vec<FlaggedTransaction>,
}

/// `GET /transactions/flagged?limit=` (default 50, at most 500): newest first.
#[utoipa::path(
    get,
    path = "/transactions/flagged",
    tag = "Fraud",
    operation_id = "flagged_transactions",
    summary = "Recent medium- and high-risk transactions",
    description = "The tenant's transactions scored medium or high, newest first.",
    params(FlaggedQuery),
    responses(
        (status = 200, description = "Flagged transactions", body = FlaggedList),
        (status = 400, description = "Malformed query string", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 422, description = "`limit` out of range", body = ErrorEnvelope),
    )
)]
pub async fn flagged(
    State(state): State<AppState>,
    p: Principal,
    query: Result<Query<FlaggedQuery>, QueryRejection>,
) -> Result<Json<FlaggedList>, AppError> {
    let Query(query) = query.map_err(query_rejection)?;
    let limit = query.limit.unwrap_or(50);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(AppError::invalid_field(
            "limit",
            &format!("limit must be between 1 and {MAX_LIMIT}."),
        ));
    }
    let transactions = list_flagged(&state.pool, &p.tenant_id.0, limit).await?;
    Ok(Json(FlaggedList { transactions }))
}
