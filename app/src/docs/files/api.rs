//! Server functions of the Files page. Thin: each resolves the caller and calls the service the
//! REST API (`/documents`) calls too. Uploads go to `POST /documents` directly (the page sends
//! them with XMLHttpRequest, for upload progress).

use super::model::{FileListing, UploadLimits};
use crate::error::AppError;
use leptos::prelude::*;

/// One page of the caller's files, newest first, and whether they may delete.
#[server(endpoint = "files/list")]
pub async fn list_files(cursor: Option<String>) -> Result<FileListing, AppError> {
    async {
        let state = crate::state::use_app_state()?;
        let p = crate::auth::principal::require_principal().await?;
        let page = super::service::list(&state.pool, &p, cursor.as_deref(), None).await?;
        Ok(FileListing {
            page,
            can_delete: super::service::require_delete(&p).is_ok(),
        })
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Deletes a file (tenant admins only).
#[server(endpoint = "files/delete")]
pub async fn delete_file(id: String) -> Result<(), AppError> {
    async {
        let state = crate::state::use_app_state()?;
        let p = crate::auth::principal::require_principal().await?;
        super::service::delete(&state.files, &state.pool, &p, &id).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// The upload size limit, so the page can refuse a file before sending it.
#[server(endpoint = "files/upload_settings")]
pub async fn upload_settings() -> Result<UploadLimits, AppError> {
    async {
        let state = crate::state::use_app_state()?;
        crate::auth::principal::require_principal().await?;
        Ok(UploadLimits {
            max_bytes: state.files.max_bytes,
        })
    }
    .await
    .map_err(crate::error::respond_with)
}
