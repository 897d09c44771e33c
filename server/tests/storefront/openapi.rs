//! The OpenAPI document at `GET /api/v1/openapi.json`: public, complete, and consistent with the
//! router. `ROUTES` is the one list of the storefront's REST surface these tests check against.

use crate::common::TestServer;
use serde_json::Value;

/// Every storefront route with its methods (lower case, as OpenAPI spells them).
const ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/products", &["get", "post"]),
    ("/api/v1/products/{id}", &["get", "patch"]),
    ("/api/v1/carts", &["post"]),
    ("/api/v1/carts/{id}", &["get"]),
    ("/api/v1/carts/{id}/items", &["put"]),
    ("/api/v1/carts/{id}/preview", &["get"]),
    ("/api/v1/carts/{id}/checkout", &["post"]),
    ("/api/v1/orders", &["get"]),
    ("/api/v1/orders/{id}", &["get"]),
    ("/api/v1/orders/{id}/review", &["post"]),
    ("/api/v1/orders/{id}/audit", &["get"]),
    ("/transactions", &["post"]),
    ("/transactions/flagged", &["get"]),
];

const TAGS: &[&str] = &["Catalogue", "Carts", "Orders", "Fraud"];

/// Fetches the document without any credentials (it is public).
async fn document(srv: &TestServer) -> Value {
    let res = reqwest::Client::new()
        .get(srv.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("GET openapi.json");
    assert_eq!(res.status(), 200);
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    res.json().await.expect("document is JSON")
}

/// Follows a local `$ref` such as `#/components/schemas/Cart`.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// Every `$ref` anywhere under `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_lists_every_route_with_its_methods_and_nothing_else() {
    let srv = TestServer::start(&[]).await;
    let doc = document(&srv).await;
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with('3')),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Atrium Storefront API");
    assert!(doc["info"]["version"].is_string());
    let description = doc["info"]["description"].as_str().unwrap_or_default();
    assert!(
        description.contains("tenant") && description.contains("404"),
        "the description explains tenancy: {description}"
    );

    let paths = doc["paths"].as_object().expect("paths");
    let mut operation_ids = Vec::new();
    for (path, methods) in ROUTES {
        let item = paths
            .get(*path)
            .unwrap_or_else(|| panic!("{path} is missing from the document"));
        for method in *methods {
            let op = &item[*method];
            assert!(
                op.is_object(),
                "{} {path} is missing",
                method.to_uppercase()
            );
            let tags: Vec<&str> = op["tags"]
                .as_array()
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            assert!(
                tags.len() == 1 && TAGS.contains(&tags[0]),
                "{method} {path} tags {tags:?}"
            );
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            assert!(
                !id.is_empty() && !operation_ids.contains(&id),
                "{method} {path}: operationId {id:?} empty or repeated"
            );
            operation_ids.push(id);
            // Every documented error uses the one envelope.
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{method} {path} has no success response"
            );
            for (status, response) in responses {
                if status.starts_with('4') {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorEnvelope",
                        "{method} {path} {status}"
                    );
                }
            }
            if path.contains("{id}") {
                let params = op["parameters"].as_array().expect("parameters");
                assert!(
                    params
                        .iter()
                        .any(|p| p["name"] == "id" && p["in"] == "path" && p["required"] == true),
                    "{method} {path} documents its id"
                );
            }
        }
        let documented: Vec<&String> = item
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        for m in documented {
            let is_method =
                ["get", "post", "put", "patch", "delete", "head", "options"].contains(&m.as_str());
            assert!(
                !is_method || methods.contains(&m.as_str()),
                "{m} {path} is documented but not in ROUTES"
            );
        }
    }
    for path in paths.keys() {
        assert!(
            ROUTES.iter().any(|(p, _)| p == path),
            "{path} is documented but not in ROUTES"
        );
    }
    for tag in TAGS {
        assert!(
            doc["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t["name"] == *tag)),
            "tag {tag} is declared"
        );
    }

    // The document is self-contained: every reference resolves.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        assert!(resolve(&doc, &r).is_some(), "dangling $ref {r}");
    }
}

#[tokio::test]
async fn every_documented_route_is_really_routed() {
    let srv = TestServer::start(&[]).await;
    let http = reqwest::Client::new();
    // Unauthenticated calls are refused by the handlers (401), never 404 or 405 by the router.
    for (path, methods) in ROUTES {
        let url = srv.url(&path.replace("{id}", "no-such-id"));
        for method in *methods {
            let method =
                reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let res = http
                .request(method.clone(), &url)
                .send()
                .await
                .expect("request");
            assert_eq!(res.status(), 401, "{method} {path}");
        }
    }
}

#[tokio::test]
async fn checkout_documents_idempotency_and_its_outcomes() {
    let srv = TestServer::start(&[]).await;
    let doc = document(&srv).await;
    let op = &doc["paths"]["/api/v1/carts/{id}/checkout"]["post"];
    let params = op["parameters"].as_array().expect("parameters");
    let key = params
        .iter()
        .find(|p| p["name"] == "Idempotency-Key")
        .expect("Idempotency-Key parameter");
    assert_eq!(key["in"], "header");
    assert_ne!(key["required"], true, "the key is optional");

    let responses = &op["responses"];
    for status in ["200", "201", "404", "409", "422"] {
        assert!(responses[status].is_object(), "checkout documents {status}");
    }
    assert!(
        responses["200"]["headers"]["Idempotent-Replayed"].is_object(),
        "a replay documents Idempotent-Replayed"
    );
    let conflict = responses["409"]["description"].as_str().unwrap_or_default();
    assert!(
        conflict.contains("Idempotency-Key") && conflict.contains("out of stock"),
        "{conflict}"
    );
    assert!(
        responses["422"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("promo")),
        "422 covers unknown promo codes"
    );
    assert_eq!(
        responses["201"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/CheckoutOutcome"
    );
    // The body is optional: no body means no promo and the default country.
    assert_ne!(op["requestBody"]["required"], true);
    // `replayed` is only the status/header, never a body field.
    let outcome = &doc["components"]["schemas"]["CheckoutOutcome"];
    assert!(outcome["properties"]["order"].is_object());
    assert!(outcome["properties"]["replayed"].is_null());
}

#[tokio::test]
async fn schemas_and_security_schemes_are_declared() {
    let srv = TestServer::start(&[]).await;
    let doc = document(&srv).await;
    let schemas = &doc["components"]["schemas"];
    for name in [
        "Product",
        "ProductPage",
        "NewProduct",
        "ProductPatch",
        "Cart",
        "CheckoutPreview",
        "CheckoutOutcome",
        "Order",
        "OrderList",
        "ReviewEntry",
        "Transaction",
        "ErrorEnvelope",
    ] {
        assert!(schemas[name].is_object(), "schema {name} is missing");
    }
    let product = schemas["Product"]["properties"]
        .as_object()
        .expect("Product");
    for field in ["id", "sku", "name", "price_cents", "stock"] {
        assert!(product.contains_key(field), "Product.{field}");
    }
    let status = &schemas["OrderStatus"]["enum"];
    assert_eq!(status, &serde_json::json!(["placed", "held", "rejected"]));

    // The error envelope as the wire has it: {"error": {code, message, details, request_id}}.
    let body = resolve(
        &doc,
        schemas["ErrorEnvelope"]["properties"]["error"]["$ref"]
            .as_str()
            .unwrap_or_default(),
    )
    .expect("ErrorEnvelope.error resolves");
    for field in ["code", "message", "details", "request_id"] {
        assert!(body["properties"][field].is_object(), "error.{field}");
    }

    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["type"], "http");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session_cookie"]["type"], "apiKey");
    assert_eq!(schemes["session_cookie"]["in"], "cookie");
    assert_eq!(schemes["session_cookie"]["name"], "atrium_session");
    let security = doc["security"].as_array().expect("global security");
    for scheme in ["bearer", "session_cookie"] {
        assert!(
            security.iter().any(|s| s.get(scheme).is_some()),
            "{scheme} is required globally"
        );
    }
}
