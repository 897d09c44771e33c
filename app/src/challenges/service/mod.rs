//! The Challenges service: storage, access rules, the list query, authoring and drafts,
//! submissions and the worker pool that grades them, progress and the leaderboard.

pub mod author;
pub mod catalog;
pub mod columns;
#[cfg(any(test, feature = "test-support"))]
pub mod direct_runner;
pub mod progress;
pub mod repo;
pub mod rules;
pub mod submissions;
pub mod worker;

use crate::auth::service::Principal;
use crate::state::AppState;
use rules::Actor;

/// The caller as an actor, after making sure their tenant has the library.
pub async fn actor_for(state: &AppState, p: &Principal) -> Result<Actor, crate::error::AppError> {
    repo::ensure_seeded(&state.pool, &state.challenges, &p.tenant_id.0).await?;
    repo::actor(&state.pool, p).await
}
