//! Re-checks an open feed connection's credentials: signing out, a revoked token, a removed
//! membership or a tenant switch in another tab ends the stream, not just the next request.

use app::error::ErrorCode;
use app::feed::service::{choose_tenant, feed_caller, FeedCaller};
use app::state::AppState;
use axum::http::request::Parts;
use tower_sessions::Session;

/// WebSocket close code sent when the credentials no longer cover the feed (4000–4999 are the
/// application's own). The browser reloads the page on it.
pub const CREDENTIALS_ENDED: u16 = 4401;

/// What the connection was authorised with, kept to ask again.
pub struct Access {
    /// Who connected.
    pub caller: FeedCaller,
    /// The upgrade request (headers and the session).
    pub parts: Parts,
    pub state: AppState,
    /// `?token=`, when that was the credential.
    pub token: Option<String>,
    /// The tenant the client named (`?tenant=`).
    pub named: Option<String>,
    /// The tenant the connection streams.
    pub tenant: String,
}

impl Access {
    /// Access worth re-checking; None for anonymous access to an open tenant (nothing can
    /// expire there).
    pub fn recheckable(self) -> Option<Access> {
        (self.caller != FeedCaller::Anonymous).then_some(self)
    }

    /// True while the same user, with the same kind of credentials, still reaches the same
    /// tenant. A signed-in tab whose session ended is closed even on an open tenant's feed, so
    /// signing out anywhere signs out everywhere. A store or database hiccup counts as allowed:
    /// only a definite "no" closes the stream.
    pub async fn still_allowed(&self) -> bool {
        if let Some(session) = self.parts.extensions.get::<Session>() {
            // Reads the session afresh: sign-out and expiry delete it from the store.
            if session.id().is_some() && session.load().await.is_err() {
                return true;
            }
        }
        let caller = match feed_caller(&self.parts, &self.state, self.token.as_deref()).await {
            Ok(caller) => caller,
            Err(e) => return e.code != ErrorCode::Unauthorized,
        };
        let same_user = match (&self.caller, &caller) {
            (FeedCaller::Session(a), FeedCaller::Session(b))
            | (FeedCaller::Bearer(a), FeedCaller::Bearer(b)) => a.user_id == b.user_id,
            _ => false,
        };
        let open = self.state.feed.open_tenants();
        same_user
            && choose_tenant(&caller, self.named.as_deref(), open).is_ok_and(|t| t == self.tenant)
    }
}
