//! `POST /events` and `GET /events`: the same rules as the WebSocket, over plain HTTP.

use crate::rest::json_rejection;
use app::error::{AppError, ErrorCode};
use app::feed::hub::ListFrom;
use app::feed::model::{EventList, FeedEvent, NewFeedEvent};
use app::feed::service::{choose_tenant, feed_caller};
use app::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{request::Parts, StatusCode};
use axum::Json;
use serde::Deserialize;

/// The brief's simple-auth header.
pub const TENANT_HEADER: &str = "x-tenant-id";

/// Most events one `GET /events` returns.
const MAX_LIMIT: usize = 500;

/// The tenant this request acts for (see `choose_tenant` for the rules).
pub async fn request_tenant(parts: &Parts, state: &AppState) -> Result<String, AppError> {
    let named = match parts.headers.get(TENANT_HEADER) {
        Some(v) => Some(v.to_str().map_err(|_| {
            AppError::new(ErrorCode::BadRequest, "X-Tenant-Id must be plain text.")
        })?),
        None => None,
    };
    let caller = feed_caller(parts, state, None).await?;
    choose_tenant(&caller, named, state.feed.open_tenants())
}

/// `POST /events` `{"message": "…"}` → 201 with the stored event.
pub async fn post_event(
    State(state): State<AppState>,
    parts: Parts,
    body: Result<Json<NewFeedEvent>, JsonRejection>,
) -> Result<(StatusCode, Json<FeedEvent>), AppError> {
    let tenant = request_tenant(&parts, &state).await?;
    let Json(body) = body.map_err(json_rejection)?;
    let event = state.feed.post(&tenant, &body.message)?;
    tracing::info!(tenant = %tenant, offset = event.offset, "feed event posted");
    Ok((StatusCode::CREATED, Json(event)))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    after: Option<u64>,
    before: Option<u64>,
    limit: Option<usize>,
}

/// `GET /events?after=<offset>&limit=`: buffered events, oldest first: those after `after`, the
/// newest before `before`, or else the newest `limit` (default 50, at most 500).
pub async fn list_events(
    State(state): State<AppState>,
    parts: Parts,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<EventList>, AppError> {
    let tenant = request_tenant(&parts, &state).await?;
    let Query(query) = query.map_err(crate::rest::query_rejection)?;
    let limit = query.limit.unwrap_or(50);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(AppError::invalid_field(
            "limit",
            &format!("limit must be between 1 and {MAX_LIMIT}."),
        ));
    }
    let from = match (query.after, query.before) {
        (Some(after), None) => ListFrom::After(after),
        (None, Some(before)) => ListFrom::Before(before),
        (None, None) => ListFrom::Newest,
        (Some(_), Some(_)) => {
            return Err(AppError::invalid_field(
                "before",
                "Give either after or before, not both.",
            ))
        }
    };
    let page = state.feed.hub.list(&tenant, from, limit);
    Ok(Json(EventList {
        tenant_id: tenant,
        epoch: state.feed.hub.epoch().to_string(),
        head: page.head,
        oldest: page.oldest,
        truncated: page.truncated,
        has_more: page.has_more,
        has_older: page.has_older,
        events: page.events,
    }))
}
