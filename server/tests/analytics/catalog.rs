//! Catalogue: products upsert/get, price events (idempotency, anomalies, rate limits, stream),
//! stock bulk updates (modes, partial failure, concurrency), tenant isolation.

mod prices;
mod review;
mod stock;
mod stream;

use crate::common::{error_code, TestServer};
use serde_json::{json, Value};

/// `/api/v1/tenants/company_a` + `rest`.
pub fn a(rest: &str) -> String {
    format!("/api/v1/tenants/company_a{rest}")
}

/// A request with a bearer token.
pub fn req(
    method: reqwest::Method,
    srv: &TestServer,
    token: &str,
    path: &str,
) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, srv.url(path))
        .bearer_auth(token)
}

/// Upserts products as admin_a and returns the report.
pub async fn load(srv: &TestServer, products: &Value) -> Value {
    let res = req(reqwest::Method::PUT, srv, "token_admin_a", &a("/products"))
        .json(products)
        .send()
        .await
        .expect("upsert");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

/// GET a product of company_a as JSON.
pub async fn product(srv: &TestServer, id: &str) -> Value {
    let res = req(
        reqwest::Method::GET,
        srv,
        "token_admin_a",
        &a(&format!("/products/{id}")),
    )
    .send()
    .await
    .expect("get");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

#[tokio::test]
async fn products_upsert_reports_bad_rows_and_updates_existing_ones() {
    let srv = TestServer::start(&[]).await;
    let r = load(
        &srv,
        &json!([
            {"product_id": "p-1", "name": "Lamp", "category": "home", "price": "19.99", "stock": 5},
            {"product_id": "p-2", "name": "Mug", "category": "kitchen", "price": 4.5, "currency": "eur"},
            {"product_id": "p-3", "name": "Bad", "category": "home", "price": "1.234"},
            {"name": "No id", "category": "home", "price": 1},
            {"product_id": "p-4", "name": "Neg", "category": "home", "price": 1, "stock": -1},
        ]),
    )
    .await;
    assert_eq!(r["rows_received"], 5);
    assert_eq!(r["rows_upserted"], 2);
    assert_eq!(r["rows_failed"], 3);
    assert_eq!(r["errors"][0]["index"], 2);
    assert_eq!(r["errors"][0]["field"], "price");
    assert_eq!(r["errors"][1]["field"], "product_id");
    assert_eq!(r["errors"][2]["field"], "stock");
    let p1 = product(&srv, "p-1").await;
    assert_eq!(p1["price"], "19.99");
    assert_eq!(p1["price_cents"], 1999);
    assert_eq!(p1["stock"], 5);
    assert_eq!(p1["version"], 0);
    assert_eq!(product(&srv, "p-2").await["currency"], "EUR");
    // Updating: a new stock is a stock change (version + 1); leaving stock out keeps it.
    load(&srv, &json!([{"product_id": "p-1", "name": "Lamp 2", "category": "home", "price": 25, "stock": 7}])).await;
    load(
        &srv,
        &json!([{"product_id": "p-1", "name": "Lamp 3", "category": "home", "price": 25}]),
    )
    .await;
    let p1 = product(&srv, "p-1").await;
    assert_eq!(
        (
            p1["name"].as_str(),
            p1["stock"].as_i64(),
            p1["version"].as_i64()
        ),
        (Some("Lamp 3"), Some(7), Some(1))
    );
    let res = req(
        reqwest::Method::GET,
        &srv,
        "token_admin_a",
        &a("/products/nope"),
    )
    .send()
    .await
    .expect("get");
    assert_eq!(res.status(), 404);
    let too_many: Vec<Value> = (0..10_001)
        .map(|i| json!({"product_id": format!("p-{i}")}))
        .collect();
    let res = req(reqwest::Method::PUT, &srv, "token_admin_a", &a("/products"))
        .json(&too_many)
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn every_catalogue_route_is_404_for_another_tenant_and_401_without_credentials() {
    let srv = TestServer::start(&[]).await;
    load(
        &srv,
        &json!([{"product_id": "p-1", "name": "Lamp", "category": "home", "price": 10}]),
    )
    .await;
    use reqwest::Method;
    let routes: [(Method, &str, Value); 7] = [
        (Method::PUT, "/products", json!([])),
        (Method::GET, "/products/p-1", Value::Null),
        (
            Method::POST,
            "/products/p-1/price-event",
            json!({"event_id": "e", "price": 1}),
        ),
        (Method::GET, "/products/p-1/price-anomalies", Value::Null),
        (Method::GET, "/price-anomalies", Value::Null),
        (Method::GET, "/price-anomalies/stream", Value::Null),
        (
            Method::PUT,
            "/stock/bulk_update",
            json!({"mode": "merge", "updates": []}),
        ),
    ];
    for (method, path, body) in routes {
        let with_body = |r: reqwest::RequestBuilder| if body.is_null() { r } else { r.json(&body) };
        let res = with_body(req(method.clone(), &srv, "token_admin_b", &a(path)))
            .send()
            .await
            .expect("b");
        assert_eq!(res.status(), 404, "{method} {path} as company_b");
        assert_eq!(error_code(res).await, "not_found");
        let res = with_body(reqwest::Client::new().request(method.clone(), srv.url(&a(path))))
            .send()
            .await
            .expect("anon");
        assert_eq!(res.status(), 401, "{method} {path} without credentials");
    }
    // Company A's product is untouched by B's attempts.
    assert_eq!(product(&srv, "p-1").await["price_cents"], 1000);
}

#[tokio::test]
async fn the_catalogue_is_in_the_openapi_document() {
    let srv = TestServer::start(&[]).await;
    let doc: Value = reqwest::get(srv.url("/api-docs/openapi.json"))
        .await
        .expect("doc")
        .json()
        .await
        .expect("json");
    for path in [
        "/api/v1/tenants/{tenant_id}/products",
        "/api/v1/tenants/{tenant_id}/products/{product_id}/price-event",
        "/api/v1/tenants/{tenant_id}/price-anomalies/stream",
        "/api/v1/tenants/{tenant_id}/price-anomalies/{event_id}",
        "/api/v1/tenants/{tenant_id}/stock/bulk_update",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("AnomalyPage").is_some());
}
