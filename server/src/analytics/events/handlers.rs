//! Handlers: the caller's tenant is the org (API token, session, or a JWT's `org_id` claim).
//! 400 malformed body/query/header, 401 missing/invalid/expired credentials, 403 another org,
//! 409 Idempotency-Key reused with another body, 422 validation (details per field).

use crate::rest::{json_rejection, query_rejection};
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::events::cursor::Cursor;
use app::analytics::events::model::{BatchResult, EventPage, MetricsSummary};
use app::analytics::events::service::{self, EventFilter, DEFAULT_LIMIT, MAX_LIMIT};
use app::analytics::events::summary::{self as metrics, lower_bound, upper_bound};
use app::auth::service::Principal;
use app::error::{AppError, ErrorCode};
use app::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// Header a client sets to make a batch safe to retry.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Response header set (to `true`) when a stored response is replayed.
pub const REPLAYED: &str = "idempotent-replayed";

/// An `org_id` given by the client must be the caller's own.
fn same_org(p: &Principal, org_id: Option<&str>) -> Result<(), AppError> {
    match org_id {
        Some(o) if o != p.tenant_id.0 => Err(AppError::forbidden(
            "You can only read your own organisation's events.",
        )),
        _ => Ok(()),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/events",
    tag = "Product events",
    operation_id = "ingest_events",
    summary = "Ingest a batch of 1–100 events",
    description = "Body `{\"events\": [{event_id?, org_id?, user_id, event_type, timestamp, properties?}]}`. \
                   Stored in one transaction; an `event_id` already stored for the org is skipped and counted \
                   in `duplicates`. With `Idempotency-Key`, a retry of the same body replays the first \
                   response (header `Idempotent-Replayed: true`); another body under the key is 409.",
    params(("Idempotency-Key" = Option<String>, Header, description = "1–200 printable ASCII characters")),
    request_body(content = Object, description = "The batch"),
    responses(
        (status = 201, description = "Stored (or replayed)", body = BatchResult),
        (status = 400, description = "Malformed JSON or Idempotency-Key", body = ErrorEnvelope),
        (status = 401, description = "Missing, invalid or expired credentials", body = ErrorEnvelope),
        (status = 403, description = "An event names another org", body = ErrorEnvelope),
        (status = 409, description = "Idempotency-Key reused with another body", body = ErrorEnvelope),
        (status = 422, description = "Invalid batch; details map `events[i].field` to a message", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn ingest(
    State(state): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Response, AppError> {
    let key = match headers.get(IDEMPOTENCY_KEY) {
        Some(v) => Some(v.to_str().map_err(|_| {
            AppError::new(
                ErrorCode::BadRequest,
                "Idempotency-Key must be plain ASCII.",
            )
        })?),
        None => None,
    };
    let Json(body) = body.map_err(json_rejection)?;
    let done = service::ingest(&state.pool, &p.tenant_id.0, key, &body).await?;
    tracing::info!(
        accepted = done.result.accepted,
        duplicates = done.result.duplicates,
        replayed = done.replayed,
        "product events batch"
    );
    let mut res = (StatusCode::CREATED, Json(done.result)).into_response();
    if done.replayed {
        res.headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// Filters of `GET /api/v1/events`. `start_date`/`end_date` are accepted as aliases of `from`/`to`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Must be the caller's org if given (else 403).
    org_id: Option<String>,
    user_id: Option<String>,
    event_type: Option<String>,
    /// Inclusive: `YYYY-MM-DD` (start of day, UTC) or RFC 3339.
    from: Option<String>,
    /// Inclusive: `YYYY-MM-DD` (whole day, UTC) or RFC 3339.
    to: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    /// 1–500, default 50.
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "Product events",
    operation_id = "list_events",
    summary = "List events, newest first",
    description = "Keyset pagination: pass `next_cursor` back as `cursor`; no offsets, so events \
                   arriving between pages cause no gaps or repeats.",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of events", body = EventPage),
        (status = 400, description = "Malformed query or cursor", body = ErrorEnvelope),
        (status = 401, description = "Missing, invalid or expired credentials", body = ErrorEnvelope),
        (status = 403, description = "`org_id` is another org", body = ErrorEnvelope),
        (status = 422, description = "Bad limit or date", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<EventPage>, AppError> {
    let Query(q) = query.map_err(query_rejection)?;
    same_org(&p, q.org_id.as_deref())?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::invalid_field(
            "limit",
            &format!("limit must be between 1 and {MAX_LIMIT}."),
        ));
    }
    let from = q.from.or(q.start_date);
    let to = q.to.or(q.end_date);
    let filter = EventFilter {
        user_id: q.user_id,
        event_type: q.event_type,
        from: from
            .as_deref()
            .map(|s| lower_bound("from", s))
            .transpose()?,
        to: to.as_deref().map(|s| upper_bound("to", s)).transpose()?,
        cursor: q.cursor.as_deref().map(Cursor::decode).transpose()?,
        limit,
    };
    Ok(Json(
        service::list(&state.pool, &p.tenant_id.0, &filter).await?,
    ))
}

/// Range of `GET /api/v1/metrics/summary` (whole UTC days; aliases `start_date`/`end_date`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// Must be the caller's org if given (else 403).
    org_id: Option<String>,
    /// First day, `YYYY-MM-DD`; default 29 days before `to`.
    from: Option<String>,
    /// Last day (inclusive), `YYYY-MM-DD`; default today (UTC).
    to: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
}

/// The metrics a summary can include.
const METRICS: [&str; 3] = ["events", "unique_users", "by_type"];

/// The `metrics` / `metrics[]` values of a query (repeated and/or comma-separated).
fn chosen_metrics(pairs: &[(String, String)]) -> Result<Vec<&str>, AppError> {
    let mut chosen = Vec::new();
    for (_, value) in pairs
        .iter()
        .filter(|(k, _)| k == "metrics" || k == "metrics[]")
    {
        for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let known = METRICS.iter().find(|m| **m == name).ok_or_else(|| {
                AppError::invalid_field("metrics", "metrics are events, unique_users and by_type.")
            })?;
            chosen.push(*known);
        }
    }
    Ok(chosen)
}

/// Drops the metrics not asked for from every day and the totals.
fn keep_metrics(summary: &MetricsSummary, chosen: &[&str]) -> Result<serde_json::Value, AppError> {
    let mut value = serde_json::to_value(summary).map_err(AppError::internal)?;
    if chosen.is_empty() {
        return Ok(value);
    }
    let drop = |entry: &mut serde_json::Value| {
        if let Some(obj) = entry.as_object_mut() {
            obj.retain(|k, _| {
                k == "date" || !METRICS.contains(&k.as_str()) || chosen.contains(&k.as_str())
            });
        }
    };
    if let Some(days) = value["days"].as_array_mut() {
        days.iter_mut().for_each(drop);
    }
    drop(&mut value["totals"]);
    Ok(value)
}

#[utoipa::path(
    get,
    path = "/api/v1/metrics/summary",
    tag = "Product events",
    operation_id = "metrics_summary",
    summary = "Daily events, unique users and per-type counts, with totals",
    params(
        SummaryQuery,
        ("metrics" = Option<Vec<String>>, Query, description = "Which metrics to include: \
         `events`, `unique_users`, `by_type` (repeat the parameter, `metrics[]=`, or separate \
         with commas); default all. The others are left out of the answer."),
    ),
    responses(
        (status = 200, description = "One entry per day (zero days included) and totals", body = MetricsSummary),
        (status = 400, description = "Malformed query", body = ErrorEnvelope),
        (status = 401, description = "Missing, invalid or expired credentials", body = ErrorEnvelope),
        (status = 403, description = "`org_id` is another org", body = ErrorEnvelope),
        (status = 422, description = "Bad date or range over 366 days", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn summary(
    State(state): State<AppState>,
    p: Principal,
    query: Result<Query<SummaryQuery>, QueryRejection>,
    pairs: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let Query(q) = query.map_err(query_rejection)?;
    let Query(pairs) = pairs.map_err(query_rejection)?;
    same_org(&p, q.org_id.as_deref())?;
    let chosen = chosen_metrics(&pairs)?;
    let from = q.from.or(q.start_date);
    let to = q.to.or(q.end_date);
    let s = metrics::summary(&state.pool, &p.tenant_id.0, from.as_deref(), to.as_deref()).await?;
    Ok(Json(keep_metrics(&s, &chosen)?))
}
