//! `GET /api/v1/docs/{id}/export?format=md|html`: the current content rendered on the server,
//! as an attachment named after the title.

use app::auth::service::Principal;
use app::docs::collab::revisions::{export as render, Format};
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
}

/// The export, or 422 for a missing or unknown format.
pub async fn export(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(query) = query.map_err(crate::rest::query_rejection)?;
    let format = Format::parse(query.format.as_deref().unwrap_or(""))?;
    let exported = render(&state, &p, &id, format).await?;
    Ok((
        [
            (CONTENT_TYPE, exported.content_type.to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", exported.filename),
            ),
        ],
        exported.body,
    )
        .into_response())
}
