//! `/api-docs`: one OpenAPI 3.1 document for the storefront and product events APIs (the
//! storefront's document merged with the events one), and a Swagger UI page that works offline:
//! its script and CSS are served from `/generated/swagger/` (copied from npm `swagger-ui-dist`
//! by `editors/build.mjs`) and its start-up code is `/api-docs.js` (no inline script).

use super::handlers;
use crate::storefront::openapi::StorefrontApi;
use app::analytics::events::model::{
    BatchResult, DayMetrics, EventPage, MetricsSummary, ProductEvent,
};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::Json;
use std::sync::LazyLock;
use utoipa::OpenApi;

/// The product events part of the document.
#[derive(OpenApi)]
#[openapi(
    paths(handlers::ingest, handlers::list, handlers::summary),
    components(schemas(ProductEvent, BatchResult, EventPage, DayMetrics, MetricsSummary)),
    tags((name = "Product events", description = "Batch ingest with Idempotency-Key, cursor listing \
        and the daily summary (brief 003). The org is the caller's tenant (a JWT's `org_id`).")),
)]
pub struct EventsApi;

/// Storefront + events, built once.
static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| {
    let mut doc = StorefrontApi::openapi();
    doc.merge(EventsApi::openapi());
    doc.merge(crate::analytics::openapi());
    doc.merge(<crate::challenges::rest::Api as OpenApi>::openapi());
    doc.info.title = "Atrium API".to_string();
    doc
});

/// `GET /api-docs/openapi.json`: the merged document (public).
pub async fn document() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(&DOCUMENT)
}

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Atrium API docs</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/generated/swagger/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"><noscript>The API reference needs JavaScript; the raw document is at
<a href="/api-docs/openapi.json">/api-docs/openapi.json</a>.</noscript></main>
<script src="/generated/swagger/swagger-ui-bundle.js"></script>
<script src="/api-docs.js"></script>
</body>
</html>
"#;

/// Scripts and styles only from this origin; Swagger UI's icons are `data:` images.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// `GET /api-docs`: the browsable reference.
pub async fn page() -> impl IntoResponse {
    ([(header::CONTENT_SECURITY_POLICY, CSP)], Html(PAGE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merged_document_has_both_apis() {
        let doc = serde_json::to_value(&*DOCUMENT).expect("json");
        assert!(doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")));
        for path in [
            "/api/v1/events",
            "/api/v1/metrics/summary",
            "/api/v1/products",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path} missing");
        }
        assert!(doc["components"]["schemas"].get("MetricsSummary").is_some());
        assert!(doc["components"]["securitySchemes"].get("bearer").is_some());
    }
}
