//! Server functions the Docs pages call. Thin: each resolves the caller and hands over to
//! `service` (the REST API in the server crate calls the same functions).

use super::model::{DocDetail, DocSummary, ShareCandidate};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn caller() -> Result<(crate::state::AppState, crate::auth::service::Principal), AppError> {
    Ok((
        crate::state::use_app_state()?,
        crate::auth::principal::require_principal().await?,
    ))
}

/// Documents the caller owns or that are shared with them.
#[server(endpoint = "docs/list")]
pub async fn list_docs() -> Result<Vec<DocSummary>, AppError> {
    async {
        let (state, p) = caller().await?;
        super::service::list(&state.pool, &p).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Creates a document owned by the caller.
#[server(endpoint = "docs/create")]
pub async fn create_doc(title: String) -> Result<DocSummary, AppError> {
    async {
        let (state, p) = caller().await?;
        super::service::create(&state.pool, &p, &title).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Renames a document (its admins).
#[server(endpoint = "docs/rename")]
pub async fn rename_doc(id: String, title: String) -> Result<DocSummary, AppError> {
    async {
        let (state, p) = caller().await?;
        super::service::rename(&state.pool, &p, &id, &title).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Deletes a document and its content (its admins).
#[server(endpoint = "docs/delete")]
pub async fn delete_doc(id: String) -> Result<(), AppError> {
    async {
        let (state, p) = caller().await?;
        super::service::delete(&state.pool, &p, &id).await?;
        state.collab.forget(&state.pool, &id).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// A document with its collaborators.
#[server(endpoint = "docs/get")]
pub async fn get_doc(id: String) -> Result<DocDetail, AppError> {
    async {
        let (state, p) = caller().await?;
        super::service::detail(&state.pool, &p, &id).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Shares a document with a user of the tenant (`view`, `edit`, `admin`), or `none` to remove.
#[server(endpoint = "docs/share")]
pub async fn share_doc(
    id: String,
    username: String,
    permission: String,
) -> Result<DocDetail, AppError> {
    async {
        let (state, p) = caller().await?;
        super::service::share(&state.pool, &p, &id, &username, &permission).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Users of the tenant the document can be shared with.
#[server(endpoint = "docs/share_candidates")]
pub async fn share_candidates(id: String) -> Result<Vec<ShareCandidate>, AppError> {
    async {
        let (state, p) = caller().await?;
        super::service::share_candidates(&state.pool, &p, &id).await
    }
    .await
    .map_err(crate::error::respond_with)
}
