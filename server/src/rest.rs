//! REST endpoints for API clients (sessions, tokens and JWTs all resolve to one `Principal`).

use app::auth::service::{self, Principal};
use app::auth::tokens::{encode_jwt, JwtClaims};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// Routes mounted under `/api` (server functions share the prefix; paths do not clash).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", delete(revoke_token))
        .route("/auth/jwt", post(issue_jwt))
        .route("/tenants/{tenant_id}/members", get(tenant_members))
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the database answers.
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    sqlx::query("SELECT 1")
        .execute(&state.pool)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "readiness check failed");
            AppError::new(app::error::ErrorCode::Unavailable, "Database unreachable.")
        })?;
    Ok(Json(json!({ "status": "ready" })))
}

/// `GET /api/me`: who the credentials belong to.
async fn me(State(state): State<AppState>, p: Principal) -> Result<Json<Value>, AppError> {
    let info = service::session_info(&state.pool, &p).await?;
    Ok(Json(json!({
        "user": { "id": info.user_id, "username": info.username, "display_name": info.display_name },
        "tenant": { "id": info.tenant_id, "name": info.tenant_name },
        "role": info.role,
        "memberships": info.memberships,
    })))
}

async fn list_tokens(State(state): State<AppState>, p: Principal) -> Result<Json<Value>, AppError> {
    let tokens = service::list_tokens(&state.pool, &p).await?;
    Ok(Json(json!({ "tokens": tokens })))
}

#[derive(Deserialize)]
struct CreateTokenBody {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    p: Principal,
    body: Result<Json<CreateTokenBody>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, AppError> {
    let Json(body) = body.map_err(json_rejection)?;
    let created = service::create_token(&state.pool, &p, &body.name).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn revoke_token(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    service::revoke_token(&state.pool, &p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/auth/jwt`: a one-hour HS256 JWT for the caller's tenant.
async fn issue_jwt(State(state): State<AppState>, p: Principal) -> Result<Json<Value>, AppError> {
    let now = chrono::Utc::now().timestamp();
    let claims = JwtClaims {
        sub: p.username,
        org_id: p.tenant_id.0,
        exp: now + 3600,
        iat: now,
    };
    let token = encode_jwt(&claims, &state.auth.jwt_secret).map_err(AppError::internal)?;
    Ok(Json(json!({ "token": token, "expires_at": claims.exp })))
}

/// `GET /api/tenants/{id}/members`: only for the caller's own tenant; any other is 404.
async fn tenant_members(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant_id): Path<String>,
) -> Result<Json<Value>, AppError> {
    if tenant_id != p.tenant_id.0 {
        return Err(AppError::not_found("Organisation"));
    }
    let members: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.username, u.display_name, m.role FROM memberships m \
         JOIN users u ON u.id = m.user_id WHERE m.tenant_id = ? ORDER BY u.username",
    )
    .bind(&p.tenant_id)
    .fetch_all(&state.pool)
    .await?;
    let members: Vec<Value> = members
        .into_iter()
        .map(|(username, display_name, role)| json!({ "username": username, "display_name": display_name, "role": role }))
        .collect();
    Ok(Json(json!({ "members": members })))
}

/// Malformed query strings become 400 with the envelope.
pub fn query_rejection(rejection: axum::extract::rejection::QueryRejection) -> AppError {
    AppError::new(app::error::ErrorCode::BadRequest, rejection.body_text())
}

/// Malformed JSON bodies become 400/422 with the envelope.
pub fn json_rejection(rejection: axum::extract::rejection::JsonRejection) -> AppError {
    use axum::extract::rejection::JsonRejection as R;
    match rejection {
        R::JsonDataError(e) => AppError::new(app::error::ErrorCode::Validation, e.body_text()),
        R::MissingJsonContentType(_) => AppError::new(
            app::error::ErrorCode::BadRequest,
            "Send a JSON body with Content-Type: application/json.",
        ),
        other => AppError::new(app::error::ErrorCode::BadRequest, other.body_text()),
    }
}
