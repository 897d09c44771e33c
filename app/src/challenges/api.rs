//! Server functions of the Challenges area (the pages call these; REST mirrors them).
//! Signatures are fixed; bodies are filled in by the service layer.

use super::model::Language;
use super::views::{
    ChallengeDetail, ChallengeInput, ChallengeList, ChallengeQuery, LeaderboardRow, ProgressReport,
    RunMode, SubmissionView,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Runs a server function's body with the caller as an actor; errors set the HTTP status.
#[cfg(feature = "ssr")]
async fn with_actor<T, F, Fut>(f: F) -> Result<T, AppError>
where
    F: FnOnce(crate::state::AppState, super::service::rules::Actor) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    async {
        let state = crate::state::use_app_state()?;
        let p = crate::auth::principal::require_principal().await?;
        let actor = super::service::actor_for(&state, &p).await?;
        f(state, actor).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// One page of challenges the caller may see.
#[server(endpoint = "challenges/list")]
pub async fn list_challenges(query: ChallengeQuery) -> Result<ChallengeList, AppError> {
    with_actor(|state, actor| async move {
        super::service::catalog::list(&state.pool, &actor, &query).await
    })
    .await
}

/// Distinct categories of the challenges the caller may see.
#[server(endpoint = "challenges/categories")]
pub async fn list_categories() -> Result<Vec<String>, AppError> {
    with_actor(|state, actor| async move {
        super::service::catalog::categories(&state.pool, &actor).await
    })
    .await
}

/// One challenge with the caller's draft and attempts.
#[server(endpoint = "challenges/get")]
pub async fn get_challenge(id: String) -> Result<ChallengeDetail, AppError> {
    with_actor(|state, actor| async move {
        super::service::catalog::detail(&state.pool, &actor, &id).await
    })
    .await
}

/// Autosaves the editor's text for the caller.
#[server(endpoint = "challenges/draft")]
pub async fn save_draft(
    challenge_id: String,
    language: Language,
    code: String,
) -> Result<(), AppError> {
    with_actor(|state, actor| async move {
        super::service::author::save_draft(&state.pool, &actor, &challenge_id, language, &code)
            .await
    })
    .await
}

/// Queues a run (public tests) or a submission (all tests); returns it as PENDING.
#[server(endpoint = "challenges/submit")]
pub async fn submit_code(
    challenge_id: String,
    language: Language,
    code: String,
    mode: RunMode,
) -> Result<SubmissionView, AppError> {
    with_actor(|state, actor| async move {
        super::service::submissions::submit(
            &state.pool,
            &state.challenges,
            &actor,
            &challenge_id,
            language,
            &code,
            mode,
        )
        .await
    })
    .await
}

/// A submission's current state (live updates: SSE `/api/v1/submissions/{id}/events`).
#[server(endpoint = "challenges/submission")]
pub async fn get_submission(id: String) -> Result<SubmissionView, AppError> {
    with_actor(|state, actor| async move {
        Ok(
            super::service::submissions::readable(&state.pool, &actor, &id)
                .await?
                .view(),
        )
    })
    .await
}

/// Asks for fresh feedback on a graded submission (per-user quota).
#[server(endpoint = "challenges/regenerate_feedback")]
pub async fn regenerate_feedback(submission_id: String) -> Result<SubmissionView, AppError> {
    with_actor(|state, actor| async move {
        super::service::submissions::regenerate(
            &state.pool,
            &state.challenges,
            &actor,
            &submission_id,
        )
        .await
    })
    .await
}

/// The caller's progress by category, difficulty and skill.
#[server(endpoint = "challenges/progress")]
pub async fn my_progress() -> Result<ProgressReport, AppError> {
    with_actor(
        |state, actor| async move { super::service::progress::report(&state.pool, &actor).await },
    )
    .await
}

/// The tenant's leaderboard.
#[server(endpoint = "challenges/leaderboard")]
pub async fn leaderboard() -> Result<Vec<LeaderboardRow>, AppError> {
    with_actor(|state, actor| async move {
        super::service::progress::leaderboard(&state.pool, &actor).await
    })
    .await
}

/// The full challenge for its edit form (creator or admin only: it holds the solutions and the
/// hidden tests' expected output).
#[server(endpoint = "challenges/editable")]
pub async fn get_challenge_for_edit(id: String) -> Result<ChallengeInput, AppError> {
    with_actor(|state, actor| async move {
        super::service::author::for_edit(&state.pool, &actor, &id).await
    })
    .await
}

/// Creates a challenge owned by the caller (instructors and admins); every invalid field is
/// in the error's `details`.
#[server(endpoint = "challenges/create", input = Json)]
pub async fn create_challenge(input: ChallengeInput) -> Result<ChallengeDetail, AppError> {
    with_actor(|state, actor| async move {
        let body = serde_json::to_value(&input).map_err(AppError::internal)?;
        super::service::author::create(&state.pool, &actor, &body).await
    })
    .await
}

/// Replaces a challenge (its creator or an admin).
#[server(endpoint = "challenges/update", input = Json)]
pub async fn update_challenge(
    id: String,
    input: ChallengeInput,
) -> Result<ChallengeDetail, AppError> {
    with_actor(|state, actor| async move {
        let body = serde_json::to_value(&input).map_err(AppError::internal)?;
        super::service::author::update(&state.pool, &actor, &id, &body).await
    })
    .await
}

/// Deletes a challenge (its creator or an admin); answers `soft` (kept for its submissions)
/// or `hard`.
#[server(endpoint = "challenges/delete")]
pub async fn delete_challenge(id: String) -> Result<String, AppError> {
    with_actor(|state, actor| async move {
        let kind = super::service::author::delete(&state.pool, &actor, &id).await?;
        Ok(match kind {
            super::service::rules::DeleteKind::Soft => "soft".to_string(),
            super::service::rules::DeleteKind::Hard => "hard".to_string(),
        })
    })
    .await
}
