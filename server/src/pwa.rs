//! The service worker, served with this build's id so a new build replaces the old caches.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// `sw.js` with its build id filled in.
#[derive(Clone)]
pub struct ServiceWorker(pub Arc<str>);

impl ServiceWorker {
    /// Reads `sw.js` from the site root and stamps it with a hash of the built bundle.
    pub fn load(site_root: &str) -> Self {
        let template = std::fs::read_to_string(Path::new(site_root).join("sw.js"))
            .unwrap_or_else(|_| String::from("// no service worker in this build\n"));
        let id = build_id(site_root);
        ServiceWorker(template.replace("__ATRIUM_BUILD_ID__", &id).into())
    }
}

/// A short hash of the names, sizes and times of everything under `pkg/`.
pub fn build_id(site_root: &str) -> String {
    let mut hasher = Sha256::new();
    let mut entries: Vec<_> = std::fs::read_dir(Path::new(site_root).join("pkg"))
        .map(|dir| dir.filter_map(Result::ok).collect())
        .unwrap_or_default();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        hasher.update(entry.file_name().as_encoded_bytes());
        if let Ok(meta) = entry.metadata() {
            hasher.update(meta.len().to_le_bytes());
            if let Ok(modified) = meta.modified() {
                hasher.update(format!("{modified:?}").as_bytes());
            }
        }
    }
    hex::encode(&hasher.finalize()[..8])
}

/// `GET /sw.js`: never cached by the browser, so updates are found at once.
pub async fn service_worker(State(sw): State<ServiceWorker>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        sw.0.to_string(),
    )
}
