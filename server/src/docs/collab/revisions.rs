//! `/api/v1/docs/{id}/revisions…`: list (viewers), save a named revision (editors), restore
//! (document admins). The same service functions as the revision panel's server functions.

use crate::rest::json_rejection;
use app::auth::service::Principal;
use app::docs::collab::model::RevisionInfo;
use app::docs::collab::revisions;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

/// Body of `POST /api/v1/docs/{id}/revisions`.
#[derive(Debug, Deserialize)]
pub struct NewRevision {
    pub name: String,
}

/// `GET /api/v1/docs/{id}/revisions`: newest first.
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<RevisionInfo>>, AppError> {
    Ok(Json(revisions::list(&state, &p, &id).await?))
}

/// `POST /api/v1/docs/{id}/revisions` `{name}` → 201 with the revision.
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    body: Result<Json<NewRevision>, JsonRejection>,
) -> Result<(StatusCode, Json<RevisionInfo>), AppError> {
    let Json(body) = body.map_err(json_rejection)?;
    let created = revisions::create(&state, &p, &id, &body.name).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `POST /api/v1/docs/{id}/revisions/{rev}/restore` → 204; connected clients receive the
/// restore as an edit.
pub async fn restore(
    State(state): State<AppState>,
    p: Principal,
    Path((id, rev)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let rev: i64 = rev.parse().map_err(|_| AppError::not_found("Revision"))?;
    revisions::restore(&state, &p, &id, rev).await?;
    Ok(StatusCode::NO_CONTENT)
}
