//! Server functions of the Challenges area (the pages call these; REST mirrors them).
//! Signatures are fixed; bodies are filled in by the service layer.

use super::model::Language;
use super::views::{
    ChallengeDetail, ChallengeList, ChallengeQuery, LeaderboardRow, ProgressReport, RunMode,
    SubmissionView,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn not_built() -> AppError {
    AppError::new(
        crate::error::ErrorCode::Internal,
        "The challenges service is not built yet.",
    )
}

/// One page of challenges the caller may see.
#[server(endpoint = "challenges/list")]
pub async fn list_challenges(query: ChallengeQuery) -> Result<ChallengeList, AppError> {
    let _ = query;
    Err(not_built())
}

/// Distinct categories of the challenges the caller may see.
#[server(endpoint = "challenges/categories")]
pub async fn list_categories() -> Result<Vec<String>, AppError> {
    Err(not_built())
}

/// One challenge with the caller's draft and attempts.
#[server(endpoint = "challenges/get")]
pub async fn get_challenge(id: String) -> Result<ChallengeDetail, AppError> {
    let _ = id;
    Err(not_built())
}

/// Autosaves the editor's text for the caller.
#[server(endpoint = "challenges/draft")]
pub async fn save_draft(
    challenge_id: String,
    language: Language,
    code: String,
) -> Result<(), AppError> {
    let _ = (challenge_id, language, code);
    Err(not_built())
}

/// Queues a run (public tests) or a submission (all tests); returns it as PENDING.
#[server(endpoint = "challenges/submit")]
pub async fn submit_code(
    challenge_id: String,
    language: Language,
    code: String,
    mode: RunMode,
) -> Result<SubmissionView, AppError> {
    let _ = (challenge_id, language, code, mode);
    Err(not_built())
}

/// A submission's current state (live updates: SSE `/api/v1/submissions/{id}/events`).
#[server(endpoint = "challenges/submission")]
pub async fn get_submission(id: String) -> Result<SubmissionView, AppError> {
    let _ = id;
    Err(not_built())
}

/// Asks for fresh feedback on a graded submission (per-user quota).
#[server(endpoint = "challenges/regenerate_feedback")]
pub async fn regenerate_feedback(submission_id: String) -> Result<SubmissionView, AppError> {
    let _ = submission_id;
    Err(not_built())
}

/// The caller's progress by category, difficulty and skill.
#[server(endpoint = "challenges/progress")]
pub async fn my_progress() -> Result<ProgressReport, AppError> {
    Err(not_built())
}

/// The tenant's leaderboard.
#[server(endpoint = "challenges/leaderboard")]
pub async fn leaderboard() -> Result<Vec<LeaderboardRow>, AppError> {
    Err(not_built())
}
