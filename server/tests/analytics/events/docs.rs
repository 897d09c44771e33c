//! `/api-docs`: the merged OpenAPI document and the offline Swagger UI page.

use crate::common::TestServer;
use serde_json::Value;

#[tokio::test]
async fn api_docs_serve_the_document_and_a_self_hosted_ui() {
    let srv = TestServer::start(&[]).await;
    let page = reqwest::get(srv.url("/api-docs")).await.expect("page");
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_string();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let html = page.text().await.expect("html");
    assert!(html.contains(r#"src="/generated/swagger/swagger-ui-bundle.js""#));
    assert!(html.contains(r#"src="/api-docs.js""#));
    assert!(!html.contains("http"), "no external URLs: {html}");
    assert!(!html.contains("<script>"), "no inline script");

    let doc: Value = reqwest::get(srv.url("/api-docs/openapi.json"))
        .await
        .expect("doc")
        .json()
        .await
        .expect("json");
    let post = &doc["paths"]["/api/v1/events"]["post"];
    assert_eq!(post["operationId"], "ingest_events");
    assert!(post["responses"].get("409").is_some());
    assert!(doc["paths"]["/api/v1/metrics/summary"]["get"].is_object());
}
