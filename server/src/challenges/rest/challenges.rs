//! `/api/v1/challenges…`: list, categories, one challenge, authoring, drafts, leaderboard.

use crate::rest::{json_rejection, query_rejection};
use crate::storefront::openapi::ErrorEnvelope;
use app::auth::service::Principal;
use app::challenges::model::Language;
use app::challenges::service::rules::DeleteKind;
use app::challenges::service::{actor_for, author, catalog, progress};
use app::challenges::views::{ChallengeDetail, ChallengeList, ChallengeQuery, LeaderboardRow};
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[utoipa::path(
    get,
    path = "/api/v1/challenges",
    tag = "Challenges",
    operation_id = "list_challenges",
    summary = "One page of the challenges the caller may see",
    description = "Query: `search` (LIKE on title, summary, tags), `difficulty` (BEGINNER, \
                   INTERMEDIATE, ADVANCED, EXPERT), `category`, `tags` (comma-separated, all must \
                   match), `status` (NOT_STARTED, IN_PROGRESS, COMPLETED: the caller's), `sort_by` \
                   (difficulty, title, created_at, estimated_time, level), `sort_order` (asc, \
                   desc), `page` (default 1), `limit` (default 20, at most 100). Answer \
                   `{challenges: [...], pagination: {page, limit, total, pages}}`.",
    responses(
        (status = 200, description = "The page", body = Object),
        (status = 400, description = "Malformed query", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 422, description = "Unknown sort key or order", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    query: Result<Query<ChallengeQuery>, QueryRejection>,
) -> Result<Json<ChallengeList>, AppError> {
    let Query(query) = query.map_err(query_rejection)?;
    let actor = actor_for(&state, &p).await?;
    Ok(Json(catalog::list(&state.pool, &actor, &query).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/challenges/categories",
    tag = "Challenges",
    operation_id = "challenge_categories",
    summary = "Distinct categories of the challenges the caller may see",
    responses(
        (status = 200, description = "Sorted names", body = [String]),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn categories(
    State(state): State<AppState>,
    p: Principal,
) -> Result<Json<Vec<String>>, AppError> {
    let actor = actor_for(&state, &p).await?;
    Ok(Json(catalog::categories(&state.pool, &actor).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/challenges/{id}",
    tag = "Challenges",
    operation_id = "get_challenge",
    summary = "One challenge, with the caller's draft and attempts",
    description = "Reference solutions (`variants[].solution`) only for the challenge's creator \
                   and admins; tests show name and description only. A private challenge the \
                   caller may not see, a deleted one and another tenant's answer 404.",
    params(("id" = String, Path, description = "Challenge id")),
    responses(
        (status = 200, description = "The challenge", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "No such challenge for the caller", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn get_one(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<ChallengeDetail>, AppError> {
    let actor = actor_for(&state, &p).await?;
    Ok(Json(catalog::detail(&state.pool, &actor, &id).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/challenges",
    tag = "Challenges",
    operation_id = "create_challenge",
    summary = "Create a challenge (instructors and admins)",
    description = "Body: a task — `title`, `description` (Markdown), `category`, `difficulty`, \
                   `level` (1–10), `skills`, `roles`, `tools`, `estimated_minutes`, `objectives`, \
                   `hints`, `grading_note`, `variants: [{language, starter, solution}]`, `tests: \
                   [...]` — and `is_public` (default true). Every invalid field is reported in \
                   `details`.",
    request_body(content = Object, description = "The task"),
    responses(
        (status = 201, description = "Created", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 403, description = "Students cannot author", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<ChallengeDetail>), AppError> {
    let actor = actor_for(&state, &p).await?;
    let Json(body) = body.map_err(json_rejection)?;
    let created = author::create(&state.pool, &actor, &body).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(
    put,
    path = "/api/v1/challenges/{id}",
    tag = "Challenges",
    operation_id = "update_challenge",
    summary = "Replace a challenge (its creator or an admin; built-in ones are read-only)",
    params(("id" = String, Path, description = "Challenge id")),
    request_body(content = Object, description = "The task, as for create"),
    responses(
        (status = 200, description = "Replaced", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 403, description = "Not the creator nor an admin, or built-in", body = ErrorEnvelope),
        (status = 404, description = "No such challenge for the caller", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn update(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<ChallengeDetail>, AppError> {
    let actor = actor_for(&state, &p).await?;
    let Json(body) = body.map_err(json_rejection)?;
    Ok(Json(author::update(&state.pool, &actor, &id, &body).await?))
}

#[utoipa::path(
    delete,
    path = "/api/v1/challenges/{id}",
    tag = "Challenges",
    operation_id = "delete_challenge",
    summary = "Delete a challenge: soft when it has submissions, else hard",
    params(("id" = String, Path, description = "Challenge id")),
    responses(
        (status = 200, description = "`{\"deleted\": \"soft\" | \"hard\"}`", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 403, description = "Not the creator nor an admin, or built-in", body = ErrorEnvelope),
        (status = 404, description = "No such challenge for the caller", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn delete_one(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let actor = actor_for(&state, &p).await?;
    let kind = match author::delete(&state.pool, &actor, &id).await? {
        DeleteKind::Soft => "soft",
        DeleteKind::Hard => "hard",
    };
    Ok(Json(json!({ "deleted": kind })))
}

/// `PUT /api/v1/challenges/{id}/draft` body.
#[derive(Deserialize)]
pub struct DraftBody {
    pub language: Language,
    pub code: String,
}

#[utoipa::path(
    put,
    path = "/api/v1/challenges/{id}/draft",
    tag = "Challenges",
    operation_id = "save_challenge_draft",
    summary = "Autosave the caller's editor text for one language",
    params(("id" = String, Path, description = "Challenge id")),
    request_body(content = Object, description = "`{language, code}` (code at most 64 KB)"),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "No such challenge for the caller", body = ErrorEnvelope),
        (status = 422, description = "Language not offered or code too long", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn save_draft(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    body: Result<Json<DraftBody>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let actor = actor_for(&state, &p).await?;
    let Json(body) = body.map_err(json_rejection)?;
    author::save_draft(&state.pool, &actor, &id, body.language, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/api/v1/challenges/leaderboard",
    tag = "Challenges",
    operation_id = "challenge_leaderboard",
    summary = "The tenant's leaderboard: sum of best scores, then challenges solved",
    responses(
        (status = 200, description = "`[{rank, username, solved, score}]`", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn leaderboard(
    State(state): State<AppState>,
    p: Principal,
) -> Result<Json<Vec<LeaderboardRow>>, AppError> {
    let actor = actor_for(&state, &p).await?;
    Ok(Json(progress::leaderboard(&state.pool, &actor).await?))
}
