//! Server functions of the auth slice: thin wrappers that read context, call the service and
//! map errors. Each is also an HTTP endpoint under `/api/auth/…` and `/api/tokens/…`.

use super::model::{ApiTokenInfo, DemoAccount, NewApiToken, SessionInfo};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::principal::{
        client_ip, request_parts, request_session, require_principal, SessionAuth, SESSION_KEY,
    },
    super::service,
    crate::error::respond_with,
    crate::state::use_app_state,
};

/// Plain HTML form posts (no wasm yet) get a 302; the hydrated client reloads by itself.
#[cfg(feature = "ssr")]
fn redirect_plain_form(path: &str) {
    let accepts_html = request_parts()
        .ok()
        .and_then(|p| {
            p.headers
                .get("accept")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false);
    if accepts_html {
        leptos_axum::redirect(path);
    }
}

/// Signs in with username and password into the user's first tenant.
#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(username: String, password: String) -> Result<(), AppError> {
    async {
        let state = use_app_state()?;
        let parts = request_parts()?;
        if username.trim().is_empty() || password.is_empty() {
            return Err(AppError::invalid_field(
                "username",
                "Enter your username and password.",
            ));
        }
        state
            .sign_in_limiter
            .check(&client_ip(&parts), &username)
            .map_err(AppError::rate_limited)?;
        let user = service::verify_credentials(&state.pool, &username, &password)
            .await?
            .ok_or_else(|| {
                AppError::new(
                    crate::error::ErrorCode::Unauthorized,
                    "Invalid username or password.",
                )
            })?;
        let memberships = service::memberships(&state.pool, &user).await?;
        let first = memberships
            .first()
            .ok_or_else(|| AppError::forbidden("This account belongs to no organisation."))?;
        let session = request_session(&parts)?;
        // A new id on sign-in prevents session fixation.
        session.cycle_id().await.map_err(AppError::internal)?;
        session
            .insert(
                SESSION_KEY,
                SessionAuth {
                    user_id: user,
                    tenant_id: first.tenant_id.clone(),
                },
            )
            .await
            .map_err(AppError::internal)?;
        redirect_plain_form("/");
        Ok(())
    }
    .await
    .map_err(respond_with)
}

/// Ends the session.
#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    async {
        let session = request_session(&request_parts()?)?;
        session.flush().await.map_err(AppError::internal)?;
        redirect_plain_form("/sign-in");
        Ok(())
    }
    .await
    .map_err(respond_with)
}

/// The signed-in user and tenant, or None.
#[server(endpoint = "auth/session")]
pub async fn current_session() -> Result<Option<SessionInfo>, AppError> {
    async {
        let state = use_app_state()?;
        let parts = request_parts()?;
        match super::principal::resolve(&parts, &state).await? {
            Some(p) => Ok(Some(service::session_info(&state.pool, &p).await?)),
            None => Ok(None),
        }
    }
    .await
    .map_err(respond_with)
}

/// Makes another of the user's tenants the active one.
#[server(endpoint = "auth/switch_tenant")]
pub async fn switch_tenant(tenant_id: String) -> Result<(), AppError> {
    async {
        let state = use_app_state()?;
        let principal = require_principal().await?;
        let target = super::model::TenantId(tenant_id);
        // Not a member: indistinguishable from a tenant that does not exist.
        service::principal_for_user(&state.pool, &target, &principal.user_id)
            .await?
            .ok_or_else(|| AppError::not_found("Organisation"))?;
        let session = request_session(&request_parts()?)?;
        session
            .insert(
                SESSION_KEY,
                SessionAuth {
                    user_id: principal.user_id,
                    tenant_id: target,
                },
            )
            .await
            .map_err(AppError::internal)?;
        Ok(())
    }
    .await
    .map_err(respond_with)
}

/// Demo accounts to show on the sign-in page; empty unless demo mode is on.
#[server(endpoint = "auth/demo_accounts")]
pub async fn demo_accounts() -> Result<Vec<DemoAccount>, AppError> {
    let state = use_app_state().map_err(respond_with)?;
    Ok(if state.auth.demo_mode {
        super::demo::demo_accounts()
    } else {
        Vec::new()
    })
}

/// The caller's API tokens in the active tenant.
#[server(endpoint = "tokens/list")]
pub async fn list_tokens() -> Result<Vec<ApiTokenInfo>, AppError> {
    async {
        let state = use_app_state()?;
        service::list_tokens(&state.pool, &require_principal().await?).await
    }
    .await
    .map_err(respond_with)
}

/// Creates an API token; its secret is in the answer and nowhere else.
#[server(endpoint = "tokens/create")]
pub async fn create_token(name: String) -> Result<NewApiToken, AppError> {
    async {
        let state = use_app_state()?;
        service::create_token(&state.pool, &require_principal().await?, &name).await
    }
    .await
    .map_err(respond_with)
}

/// Revokes one of the caller's tokens.
#[server(endpoint = "tokens/revoke")]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    async {
        let state = use_app_state()?;
        service::revoke_token(&state.pool, &require_principal().await?, &id).await
    }
    .await
    .map_err(respond_with)
}
