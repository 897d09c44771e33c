//! Server state shared by axum handlers and server functions (through Leptos context).

use crate::auth::limiter::SignInLimiter;
use crate::docs::collab::state::CollabState;
use crate::docs::files::state::FilesState;
use crate::feed::service::FeedState;
use crate::storefront::state::StorefrontState;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;
use std::sync::Arc;

/// Settings the auth slice needs; built by the server from its config.
#[derive(Clone)]
pub struct AuthSettings {
    /// HS256 secret for JWTs.
    pub jwt_secret: Vec<u8>,
    /// Demo mode: demo accounts are listed on the sign-in page.
    pub demo_mode: bool,
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("jwt_secret", &"<redacted>")
            .field("demo_mode", &self.demo_mode)
            .finish()
    }
}

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: SqlitePool,
    pub leptos_options: LeptosOptions,
    pub auth: Arc<AuthSettings>,
    pub sign_in_limiter: Arc<SignInLimiter>,
    pub feed: Arc<FeedState>,
    pub storefront: Arc<StorefrontState>,
    pub files: Arc<FilesState>,
    pub collab: Arc<CollabState>,
    /// Analytics catalogue: price-event limits and the anomaly stream hub.
    pub catalog: Arc<crate::analytics::catalog::state::CatalogState>,
    /// Order ingest: the bounded queue and the resumable uploads' folder.
    pub ingest: Arc<crate::analytics::ingest::state::IngestState>,
    /// Analytics exports: where files go and how jobs page and checkpoint.
    pub exports: Arc<crate::analytics::query::export::ExportSettings>,
    /// Challenges: the runner, the submission queue and live updates.
    pub challenges: Arc<crate::challenges::state::ChallengesState>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state from Leptos context, inside a server function.
pub fn use_app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("AppState missing from context"))
}
