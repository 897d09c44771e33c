//! Server functions of the revision panel. Thin: each resolves the caller and hands over to
//! [`super::revisions`] (the REST API calls the same functions).

use super::model::RevisionInfo;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn caller() -> Result<(crate::state::AppState, crate::auth::service::Principal), AppError> {
    Ok((
        crate::state::use_app_state()?,
        crate::auth::principal::require_principal().await?,
    ))
}

/// A document's revisions, newest first.
#[server(endpoint = "docs/revisions")]
pub async fn list_revisions(doc_id: String) -> Result<Vec<RevisionInfo>, AppError> {
    async {
        let (state, p) = caller().await?;
        super::revisions::list(&state, &p, &doc_id).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Saves the current content as a named revision (editors).
#[server(endpoint = "docs/revisions/create")]
pub async fn create_revision(doc_id: String, name: String) -> Result<RevisionInfo, AppError> {
    async {
        let (state, p) = caller().await?;
        super::revisions::create(&state, &p, &doc_id, &name).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Restores a revision as a new edit everyone receives (document admins).
#[server(endpoint = "docs/revisions/restore")]
pub async fn restore_revision(doc_id: String, revision_id: i64) -> Result<(), AppError> {
    async {
        let (state, p) = caller().await?;
        super::revisions::restore(&state, &p, &doc_id, revision_id).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// A revision's content as an HTML fragment (escaped; safe to show).
#[server(endpoint = "docs/revisions/html")]
pub async fn revision_html(doc_id: String, revision_id: i64) -> Result<String, AppError> {
    async {
        let (state, p) = caller().await?;
        super::revisions::html(&state, &p, &doc_id, revision_id).await
    }
    .await
    .map_err(crate::error::respond_with)
}
