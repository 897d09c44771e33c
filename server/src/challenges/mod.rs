//! The Challenges area's server side: configuration, the sandboxed runner and the REST API.

pub mod config;
pub mod feedback_config;
pub mod rest;
pub mod sandbox;

use app::state::AppState;

/// Seeds every tenant with the library and starts the grading workers (re-queueing what a
/// crash left unfinished).
pub async fn start(state: &AppState) -> Result<(), app::error::AppError> {
    app::challenges::service::repo::seed_all(&state.pool, &state.challenges).await?;
    app::challenges::service::worker::start(state.pool.clone(), state.challenges.clone()).await
}
