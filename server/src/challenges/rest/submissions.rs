//! `/api/v1/submissions…`: queue a run, read it, follow it live (SSE), the caller's history,
//! feedback regeneration; and `/api/v1/users/me/progress`.

use crate::rest::{json_rejection, query_rejection};
use crate::storefront::openapi::ErrorEnvelope;
use app::auth::service::Principal;
use app::challenges::model::Language;
use app::challenges::service::submissions::{self as service, is_final};
use app::challenges::service::{actor_for, progress};
use app::challenges::views::{Pagination, ProgressReport, RunMode, SubmissionView};
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::Json;
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use serde_json::{json, Value};
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

/// `POST /api/v1/submissions` body.
#[derive(Deserialize)]
pub struct SubmitBody {
    pub challenge_id: String,
    pub language: Language,
    pub code: String,
    /// `submit` (default: all tests, counts for progress, gets feedback) or `run` (public
    /// tests only).
    pub mode: Option<RunMode>,
}

#[utoipa::path(
    post,
    path = "/api/v1/submissions",
    tag = "Challenges",
    operation_id = "create_submission",
    summary = "Queue code for grading",
    description = "Body `{challenge_id, language, code, mode?}`; `mode` is `submit` (default) or \
                   `run` (public tests only; no progress, no feedback). Answers 202 with the \
                   submission as PENDING; its id is the job id. Follow it with \
                   `GET /api/v1/submissions/{id}/events`.",
    request_body(content = Object, description = "The submission"),
    responses(
        (status = 202, description = "Queued", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "No such challenge for the caller", body = ErrorEnvelope),
        (status = 422, description = "Language not offered, empty code, or code over 64 KB", body = ErrorEnvelope),
        (status = 429, description = "Per-user submission limit (Retry-After)", body = ErrorEnvelope),
        (status = 503, description = "The grading queue is full (Retry-After)", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    body: Result<Json<SubmitBody>, JsonRejection>,
) -> Result<impl IntoResponse, AppError> {
    let actor = actor_for(&state, &p).await?;
    let Json(body) = body.map_err(json_rejection)?;
    let view = service::submit(
        &state.pool,
        &state.challenges,
        &actor,
        &body.challenge_id,
        body.language,
        &body.code,
        body.mode.unwrap_or(RunMode::Submit),
    )
    .await?;
    let location = format!("/api/v1/submissions/{}", view.id);
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(view),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/submissions/{id}",
    tag = "Challenges",
    operation_id = "get_submission",
    summary = "A submission (its author, the challenge's creator, or an admin)",
    params(("id" = String, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The submission", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "No such submission for the caller", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn get_one(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<SubmissionView>, AppError> {
    let actor = actor_for(&state, &p).await?;
    Ok(Json(
        service::readable(&state.pool, &actor, &id).await?.view(),
    ))
}

/// What the event stream still has to do.
struct Follow {
    state: AppState,
    id: String,
    rx: tokio::sync::broadcast::Receiver<SubmissionView>,
    first: Option<SubmissionView>,
    done: bool,
}

fn event(view: &SubmissionView) -> Event {
    Event::default()
        .event("submission")
        .json_data(view)
        .unwrap_or_else(|_| Event::default().comment("unserialisable submission"))
}

impl Follow {
    async fn reload(&self) -> Option<SubmissionView> {
        service::load(&self.state.pool, &self.id)
            .await
            .ok()
            .flatten()
            .map(|r| r.view())
    }

    async fn next(&mut self) -> Option<SubmissionView> {
        if self.done {
            return None;
        }
        if let Some(first) = self.first.take() {
            self.done = is_final(&first);
            return Some(first);
        }
        let view = match self.rx.recv().await {
            Ok(v) => Some(v),
            Err(RecvError::Lagged(_)) => self.reload().await,
            // The final state was published (or the channel dropped): the table has the last word.
            Err(RecvError::Closed) => {
                self.done = true;
                return self.reload().await.filter(is_final);
            }
        }?;
        self.done = is_final(&view);
        Some(view)
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/submissions/{id}/events",
    tag = "Challenges",
    operation_id = "submission_events",
    summary = "Live updates of a submission (Server-Sent Events)",
    description = "`text/event-stream`: `event: submission`, `data: <submission JSON>` — the \
                   current state first, then one event per change; the stream ends after the \
                   final state (graded, and feedback ready or failed). Not resumable: reconnect \
                   to get the current state again.",
    params(("id" = String, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The event stream", content_type = "text/event-stream", body = String),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "No such submission for the caller", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn events(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let actor = actor_for(&state, &p).await?;
    service::readable(&state.pool, &actor, &id).await?;
    // Subscribed before the current state is read, so no change falls in between.
    let rx = state.challenges.subscribe(&id);
    let first = service::load(&state.pool, &id)
        .await?
        .ok_or_else(|| AppError::not_found("Submission"))?
        .view();
    let follow = Follow {
        state,
        id,
        rx,
        first: Some(first),
        done: false,
    };
    let stream = stream::unfold(follow, |mut f| async move {
        let view = f.next().await?;
        Some((Ok(event(&view)), f))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// `GET /api/v1/submissions` query.
#[derive(Deserialize)]
pub struct HistoryQuery {
    pub challenge_id: Option<String>,
    pub page: Option<u32>,
    pub limit: Option<u32>,
}

#[utoipa::path(
    get,
    path = "/api/v1/submissions",
    tag = "Challenges",
    operation_id = "list_submissions",
    summary = "The caller's own submissions, newest first",
    params(
        ("challenge_id" = Option<String>, Query, description = "Only this challenge's"),
        ("page" = Option<u32>, Query, description = "1-based, default 1"),
        ("limit" = Option<u32>, Query, description = "Default 20, at most 100"),
    ),
    responses(
        (status = 200, description = "`{submissions: [...], pagination}`", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn history(
    State(state): State<AppState>,
    p: Principal,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> Result<Json<Value>, AppError> {
    let Query(q) = query.map_err(query_rejection)?;
    let actor = actor_for(&state, &p).await?;
    let page = q.page.unwrap_or(1).max(1);
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let (subs, total) =
        service::history(&state.pool, &actor, q.challenge_id.as_deref(), page, limit).await?;
    let pagination = Pagination {
        page,
        limit,
        total,
        pages: u32::try_from(total.div_ceil(u64::from(limit))).unwrap_or(u32::MAX),
    };
    Ok(Json(
        json!({ "submissions": subs, "pagination": pagination }),
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/submissions/{id}/feedback/regenerate",
    tag = "Challenges",
    operation_id = "regenerate_feedback",
    summary = "Fresh feedback on a graded submission (its author or an admin; per-user quota)",
    params(("id" = String, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The submission with its new feedback", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 403, description = "Not the author nor an admin", body = ErrorEnvelope),
        (status = 404, description = "No such submission for the caller", body = ErrorEnvelope),
        (status = 409, description = "Not graded (yet)", body = ErrorEnvelope),
        (status = 429, description = "Regeneration quota used up", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn regenerate(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<SubmissionView>, AppError> {
    let actor = actor_for(&state, &p).await?;
    Ok(Json(
        service::regenerate(&state.pool, &state.challenges, &actor, &id).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/users/me/progress",
    tag = "Challenges",
    operation_id = "my_challenge_progress",
    summary = "The caller's progress by category, difficulty and skill, and recent submissions",
    responses(
        (status = 200, description = "The report", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn progress(
    State(state): State<AppState>,
    p: Principal,
) -> Result<Json<ProgressReport>, AppError> {
    let actor = actor_for(&state, &p).await?;
    Ok(Json(progress::report(&state.pool, &actor).await?))
}
