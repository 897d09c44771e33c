//! `/api/v1/docs`: create, list, read, rename, delete and share collaborative documents.

use crate::rest::json_rejection;
use app::auth::service::Principal;
use app::docs::collab::model::{DocDetail, DocSummary};
use app::docs::collab::service;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v1/docs` and `PATCH /api/v1/docs/{id}`.
#[derive(Debug, Deserialize)]
pub struct TitleBody {
    pub title: String,
}

/// Body of `PUT /api/v1/docs/{id}/collaborators/{user}`.
#[derive(Debug, Deserialize)]
pub struct PermissionBody {
    /// `view`, `edit`, `admin`, or `none` to remove the user's access.
    pub permission: String,
}

/// `GET /api/v1/docs` answer.
#[derive(Debug, Serialize)]
pub struct DocList {
    pub docs: Vec<DocSummary>,
}

/// `POST /api/v1/docs` `{title}` → 201 with the new document.
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    body: Result<Json<TitleBody>, JsonRejection>,
) -> Result<(StatusCode, Json<DocSummary>), AppError> {
    let Json(body) = body.map_err(json_rejection)?;
    let doc = service::create(&state.pool, &p, &body.title).await?;
    Ok((StatusCode::CREATED, Json(doc)))
}

/// `GET /api/v1/docs`: owned by or shared with the caller (all of the tenant's for admins).
pub async fn list(State(state): State<AppState>, p: Principal) -> Result<Json<DocList>, AppError> {
    Ok(Json(DocList {
        docs: service::list(&state.pool, &p).await?,
    }))
}

/// `GET /api/v1/docs/{id}`: the document and its collaborators.
pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<DocDetail>, AppError> {
    Ok(Json(service::detail(&state.pool, &p, &id).await?))
}

/// `PATCH /api/v1/docs/{id}` `{title}`: renames (document admins).
pub async fn rename(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    body: Result<Json<TitleBody>, JsonRejection>,
) -> Result<Json<DocSummary>, AppError> {
    let Json(body) = body.map_err(json_rejection)?;
    Ok(Json(
        service::rename(&state.pool, &p, &id, &body.title).await?,
    ))
}

/// `DELETE /api/v1/docs/{id}` → 204 (document admins); connected editors are disconnected.
pub async fn delete(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    service::delete(&state.pool, &p, &id).await?;
    state.collab.forget(&state.pool, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/v1/docs/{id}/collaborators/{user}` `{permission}` (user: username or id).
pub async fn share(
    State(state): State<AppState>,
    p: Principal,
    Path((id, user)): Path<(String, String)>,
    body: Result<Json<PermissionBody>, JsonRejection>,
) -> Result<Json<DocDetail>, AppError> {
    let Json(body) = body.map_err(json_rejection)?;
    Ok(Json(
        service::share(&state.pool, &p, &id, &user, &body.permission).await?,
    ))
}
