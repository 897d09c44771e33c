//! Feed rules: who reaches which tenant's feed, posting with validation and a per-tenant rate.

use super::hub::{FeedHub, FeedLimits};
use super::model::{validate_message, FeedEvent, FeedSource};
use crate::auth::service::Principal;
use crate::error::AppError;
use crate::rate_limit::KeyedRateLimit;
use governor::Quota;
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
#[derive(Debug)]
pub struct FeedState {
    pub hub: FeedHub,
    pub socket: SocketSettings,
    limiter: KeyedRateLimit,
    /// Open tenants, checked against the database at start (ids kept apart for the hot path).
    open: Vec<FeedSource>,
    open_ids: Vec<String>,
}

impl FeedState {
    /// Builds the feed; open tenants that do not exist are dropped with a warning.
    pub async fn new(pool: &SqlitePool, config: &FeedConfig) -> Result<Self, AppError> {
        let mut open = Vec::new();
        let mut open_ids = Vec::new();
        for id in &config.open_tenants {
            let name: Option<(String,)> = sqlx::query_as("SELECT name FROM tenants WHERE id = ?")
                .bind(id)
                .fetch_optional(pool)
                .await?;
            match name {
                Some((name,)) => {
                    open_ids.push(id.clone());
                    open.push(FeedSource {
                        tenant_id: id.clone(),
                        name,
                        own: false,
                    });
                }
                None => tracing::warn!(tenant = %id, "open feed tenant does not exist; ignored"),
            }
        }
        let rate = NonZeroU32::new(config.rate_per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(config.burst.max(1)).unwrap_or(NonZeroU32::MIN);
        Ok(Self {
            hub: FeedHub::new(config.limits),
            socket: config.socket,
            limiter: KeyedRateLimit::new(Quota::per_second(rate).allow_burst(burst)),
            open,
            open_ids,
        })
    }

    /// Ids of the open tenants.
    pub fn open_tenants(&self) -> &[String] {
        &self.open_ids
    }

    /// Validates, rate-limits and publishes one event for `tenant`.
    pub fn post(&self, tenant: &str, message: &str) -> Result<FeedEvent, AppError> {
        let message = validate_message(message)?;
        if let Err(wait) = self.limiter.check(tenant) {
            let mut err = AppError::rate_limited(wait);
            err.message =
                format!("This organisation is posting events too fast. Try again in {wait} s.");
            return Err(err);
        }
        metrics_published();
        Ok(self.hub.publish(tenant, message))
    }

    /// The open (demo) tenants' feeds, for the Feed page's picker.
    pub fn open_sources(&self) -> Vec<FeedSource> {
        self.open.clone()
    }

    /// Drops rate-limiter state of idle tenants (called periodically).
    pub fn forget_idle(&self) {
        self.limiter.forget_idle();
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
