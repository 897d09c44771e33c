//! Challenges REST API (issue 7): challenges, drafts, submissions with live updates, progress
//! and the leaderboard. Bearer (API token or JWT) or session; everything is scoped to the
//! caller's tenant (another tenant's ids answer 404).

pub mod challenges;
pub mod submissions;

use app::state::AppState;
use axum::routing::{get, post, put};
use axum::Router;
use utoipa::OpenApi;

/// This part of the OpenAPI document (merged into `/api-docs/openapi.json`).
#[derive(OpenApi)]
#[openapi(
    paths(
        challenges::list,
        challenges::categories,
        challenges::get_one,
        challenges::create,
        challenges::update,
        challenges::delete_one,
        challenges::save_draft,
        challenges::leaderboard,
        submissions::create,
        submissions::get_one,
        submissions::events,
        submissions::history,
        submissions::regenerate,
        submissions::progress,
    ),
    tags((name = "Challenges", description = "Coding challenges: the library and authored \
        tasks, drafts, graded submissions (queued; live updates over SSE), AI feedback, \
        progress and the leaderboard (issue 7).")),
)]
pub struct Api;

/// The routes, mounted at the root.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/challenges",
            get(challenges::list).post(challenges::create),
        )
        .route("/api/v1/challenges/categories", get(challenges::categories))
        .route(
            "/api/v1/challenges/leaderboard",
            get(challenges::leaderboard),
        )
        .route(
            "/api/v1/challenges/{id}",
            get(challenges::get_one)
                .put(challenges::update)
                .delete(challenges::delete_one),
        )
        .route("/api/v1/challenges/{id}/draft", put(challenges::save_draft))
        .route(
            "/api/v1/submissions",
            get(submissions::history).post(submissions::create),
        )
        .route("/api/v1/submissions/{id}", get(submissions::get_one))
        .route("/api/v1/submissions/{id}/events", get(submissions::events))
        .route(
            "/api/v1/submissions/{id}/feedback/regenerate",
            post(submissions::regenerate),
        )
        .route("/api/v1/users/me/progress", get(submissions::progress))
}
