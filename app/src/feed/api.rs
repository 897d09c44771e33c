//! Server functions of the feed. Posting and streaming are REST (`POST /events`) and WebSocket
//! (`/ws/feed`) routes in the server crate; the page only needs to know which feeds it may offer.

use super::model::FeedSource;
use crate::error::AppError;
use leptos::prelude::*;

/// The open demo tenants whose feeds anyone signed in may watch (the brief's simple-auth mode).
#[server(endpoint = "feed/open_tenants")]
pub async fn open_feed_tenants() -> Result<Vec<FeedSource>, AppError> {
    async {
        let state = crate::state::use_app_state()?;
        crate::auth::principal::require_principal().await?;
        Ok(state.feed.open_sources())
    }
    .await
    .map_err(crate::error::respond_with)
}
