//! Feed rules: who reaches which tenant's feed, posting with validation and a per-tenant rate.

use super::hub::{FeedHub, FeedLimits};
use super::model::{validate_message, FeedEvent, FeedSource};
use crate::auth::service::Principal;
use crate::error::AppError;
use governor::{clock::Clock, clock::DefaultClock, DefaultKeyedRateLimiter, Quota, RateLimiter};
use sqlx::SqlitePool;
use std::num::NonZeroU32;
use std::time::Duration;

/// Timings of feed WebSocket connections.
#[derive(Debug, Clone, Copy)]
pub struct SocketSettings {
    /// A ping is sent this often; a client silent for three intervals is dropped.
    pub ping_every: Duration,
    /// A socket that accepts nothing for this long is closed.
    pub send_timeout: Duration,
}

impl Default for SocketSettings {
    fn default() -> Self {
        Self {
            ping_every: Duration::from_secs(25),
            send_timeout: Duration::from_secs(10),
        }
    }
}

/// Feed settings from config.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    pub limits: FeedLimits,
    pub socket: SocketSettings,
    /// Events per second a tenant may post (sustained).
    pub rate_per_second: u32,
    /// Events a tenant may post at once before the rate applies.
    pub burst: u32,
    /// Tenants whose feed accepts the brief's simple auth (`X-Tenant-Id` / `?tenant=`).
    pub open_tenants: Vec<String>,
}

/// The feed's state: the hub, the rate limiter and the open (demo) tenants that exist.
pub struct FeedState {
    pub hub: FeedHub,
    pub socket: SocketSettings,
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
    /// (id, display name) of open tenants, checked against the database at start.
    open: Vec<(String, String)>,
}

impl std::fmt::Debug for FeedState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedState")
            .field("hub", &self.hub)
            .field("open", &self.open)
            .finish()
    }
}

impl FeedState {
    /// Builds the feed; open tenants that do not exist are dropped with a warning.
    pub async fn new(pool: &SqlitePool, config: &FeedConfig) -> Result<Self, AppError> {
        let mut open = Vec::new();
        for id in &config.open_tenants {
            let name: Option<(String,)> = sqlx::query_as("SELECT name FROM tenants WHERE id = ?")
                .bind(id)
                .fetch_optional(pool)
                .await?;
            match name {
                Some((name,)) => open.push((id.clone(), name)),
                None => tracing::warn!(tenant = %id, "open feed tenant does not exist; ignored"),
            }
        }
        let rate = NonZeroU32::new(config.rate_per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(config.burst.max(1)).unwrap_or(NonZeroU32::MIN);
        Ok(Self {
            hub: FeedHub::new(config.limits),
            socket: config.socket,
            limiter: RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)),
            clock: DefaultClock::default(),
            open,
        })
    }

    /// Ids of the open tenants.
    pub fn open_tenants(&self) -> Vec<String> {
        self.open.iter().map(|(id, _)| id.clone()).collect()
    }

    /// Validates, rate-limits and publishes one event for `tenant`.
    pub fn post(&self, tenant: &str, message: &str) -> Result<FeedEvent, AppError> {
        let message = validate_message(message)?;
        if let Err(not_until) = self.limiter.check_key(&tenant.to_string()) {
            let wait = not_until.wait_time_from(self.clock.now());
            let mut err = AppError::rate_limited(wait.as_secs().max(1));
            err.message = format!(
                "This organisation is posting events too fast. Try again in {} s.",
                wait.as_secs().max(1)
            );
            return Err(err);
        }
        metrics_published();
        Ok(self.hub.publish(tenant, message))
    }

    /// The feeds the Feed page offers this user: their own tenant first, then open ones.
    pub fn sources(&self, own: Option<(&str, &str)>) -> Vec<FeedSource> {
        let mut sources: Vec<FeedSource> = own
            .map(|(id, name)| FeedSource {
                tenant_id: id.to_string(),
                name: name.to_string(),
                own: true,
            })
            .into_iter()
            .collect();
        for (id, name) in &self.open {
            if !sources.iter().any(|s| &s.tenant_id == id) {
                sources.push(FeedSource {
                    tenant_id: id.clone(),
                    name: name.clone(),
                    own: false,
                });
            }
        }
        sources
    }

    /// Drops rate-limiter state of idle tenants (called periodically).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

fn metrics_published() {
    metrics::counter!("feed_events_published_total").increment(1);
}

/// Who is asking, as far as the feed cares.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedCaller {
    /// An `Authorization: Bearer` API token or JWT (or `?token=`): bound to one tenant.
    Bearer(Principal),
    /// A signed-in browser session.
    Session(Principal),
    /// No credentials.
    Anonymous,
}

/// Which tenant's feed a caller reaches, given the tenant it names (`X-Tenant-Id` or
/// `?tenant=`) and the open tenants.
///
/// - A bearer credential decides the tenant; naming another one is 403.
/// - A session reaches its own tenant, and open tenants when it names them.
/// - Without credentials only open tenants can be named (the brief's simple auth).
/// - Anything else is 401, so a closed tenant's existence is not revealed.
pub fn choose_tenant(
    caller: &FeedCaller,
    named: Option<&str>,
    open: &[String],
) -> Result<String, AppError> {
    let named = named.map(str::trim).filter(|t| !t.is_empty());
    let is_open = |t: &str| open.iter().any(|o| o == t);
    match (caller, named) {
        (FeedCaller::Bearer(p), None) => Ok(p.tenant_id.0.clone()),
        (FeedCaller::Bearer(p), Some(t)) if t == p.tenant_id.0 => Ok(t.to_string()),
        (FeedCaller::Bearer(_), Some(_)) => Err(AppError::forbidden(
            "X-Tenant-Id names another organisation than your credentials.",
        )),
        (FeedCaller::Session(p), None) => Ok(p.tenant_id.0.clone()),
        (FeedCaller::Session(p), Some(t)) if t == p.tenant_id.0 || is_open(t) => Ok(t.to_string()),
        (FeedCaller::Anonymous, Some(t)) if is_open(t) => Ok(t.to_string()),
        (_, Some(_)) => Err(unknown_tenant()),
        (FeedCaller::Anonymous, None) => Err(AppError::unauthorized()),
    }
}

/// Resolves the caller of a feed request: `?token=` (for WebSocket clients, which cannot set
/// headers) or an `Authorization` header are bearer credentials; otherwise the session.
pub async fn feed_caller(
    parts: &axum::http::request::Parts,
    state: &crate::state::AppState,
    query_token: Option<&str>,
) -> Result<FeedCaller, AppError> {
    use crate::auth::principal::{principal_for_bearer, record_in_span, resolve};
    let caller = if let Some(token) = query_token {
        FeedCaller::Bearer(principal_for_bearer(state, token).await?)
    } else if parts
        .headers
        .contains_key(axum::http::header::AUTHORIZATION)
    {
        match resolve(parts, state).await? {
            Some(p) => FeedCaller::Bearer(p),
            None => return Err(AppError::unauthorized()),
        }
    } else {
        match resolve(parts, state).await? {
            Some(p) => FeedCaller::Session(p),
            None => FeedCaller::Anonymous,
        }
    };
    if let FeedCaller::Bearer(p) | FeedCaller::Session(p) = &caller {
        record_in_span(p);
    }
    Ok(caller)
}

fn unknown_tenant() -> AppError {
    AppError::new(
        crate::error::ErrorCode::Unauthorized,
        "Unknown tenant, or your credentials do not cover it.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::{Role, TenantId, UserId};

    fn principal(tenant: &str) -> Principal {
        Principal {
            tenant_id: TenantId(tenant.into()),
            user_id: UserId("u".into()),
            username: "user".into(),
            role: Role::Member,
        }
    }

    fn open() -> Vec<String> {
        vec!["tenant_a".into(), "tenant_b".into()]
    }

    #[test]
    fn bearer_credentials_decide_the_tenant() {
        let caller = FeedCaller::Bearer(principal("company_a"));
        assert_eq!(
            choose_tenant(&caller, None, &open()).ok().as_deref(),
            Some("company_a")
        );
        assert_eq!(
            choose_tenant(&caller, Some("company_a"), &open())
                .ok()
                .as_deref(),
            Some("company_a")
        );
        let err = choose_tenant(&caller, Some("tenant_a"), &open()).expect_err("other tenant");
        assert_eq!(err.status(), 403);
    }

    #[test]
    fn sessions_reach_their_own_and_open_tenants_only() {
        let caller = FeedCaller::Session(principal("company_a"));
        assert_eq!(
            choose_tenant(&caller, None, &open()).ok().as_deref(),
            Some("company_a")
        );
        assert_eq!(
            choose_tenant(&caller, Some("tenant_b"), &open())
                .ok()
                .as_deref(),
            Some("tenant_b")
        );
        let err = choose_tenant(&caller, Some("company_b"), &open()).expect_err("closed");
        assert_eq!(err.status(), 401);
    }

    #[test]
    fn anonymous_callers_need_an_open_tenant() {
        let caller = FeedCaller::Anonymous;
        assert_eq!(
            choose_tenant(&caller, Some(" tenant_a "), &open())
                .ok()
                .as_deref(),
            Some("tenant_a")
        );
        for named in [None, Some(""), Some("company_a"), Some("nope")] {
            let err = choose_tenant(&caller, named, &open()).expect_err("refused");
            assert_eq!(err.status(), 401, "{named:?}");
        }
        assert!(choose_tenant(&caller, Some("tenant_a"), &[]).is_err());
    }
}
