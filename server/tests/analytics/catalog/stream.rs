//! The anomaly stream (SSE): live anomalies of the caller's tenant only, and resuming with
//! Last-Event-ID.

use super::load;
use super::prices::event;
use crate::common::TestServer;
use serde_json::{json, Value};
use std::time::Duration;

/// Reads SSE frames until one with `data:` arrives; returns (id, data JSON).
async fn next_event(res: &mut reqwest::Response, buf: &mut String) -> (String, Value) {
    loop {
        if let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            let field = |name: &str| {
                frame
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .map(|v| v.trim_start().to_string())
            };
            if let Some(data) = field("data:") {
                let id = field("id:").expect("id");
                return (id, serde_json::from_str(&data).expect("json data"));
            }
            continue;
        }
        let chunk = tokio::time::timeout(Duration::from_secs(10), res.chunk())
            .await
            .expect("an event within 10 s")
            .expect("read")
            .expect("stream open");
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

async fn open(
    srv: &TestServer,
    token: &str,
    tenant: &str,
    last: Option<&str>,
) -> reqwest::Response {
    let mut r = reqwest::Client::new()
        .get(srv.url(&format!("/api/v1/tenants/{tenant}/price-anomalies/stream")))
        .bearer_auth(token);
    if let Some(id) = last {
        r = r.header("Last-Event-ID", id);
    }
    let res = r.send().await.expect("stream");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .expect("ct")
        .starts_with("text/event-stream"));
    res
}

#[tokio::test]
async fn the_stream_carries_the_tenants_new_anomalies_and_resumes_from_last_event_id() {
    let srv = TestServer::start(&[]).await;
    load(
        &srv,
        &json!([{"product_id": "p-1", "name": "Lamp", "category": "home", "price": 100}]),
    )
    .await;
    let b_product = json!([{"product_id": "p-1", "name": "B", "category": "home", "price": 100}]);
    let res = reqwest::Client::new()
        .put(srv.url("/api/v1/tenants/company_b/products"))
        .bearer_auth("token_admin_b")
        .json(&b_product)
        .send()
        .await
        .expect("b products");
    assert_eq!(res.status(), 200);
    let mut a_stream = open(&srv, "token_user_a", "company_a", None).await;
    // Company B's anomaly comes first; A's stream must skip it and deliver A's.
    let res = reqwest::Client::new()
        .post(srv.url("/api/v1/tenants/company_b/products/p-1/price-event"))
        .bearer_auth("token_admin_b")
        .json(&json!({"event_id": "b-1", "price": 10}))
        .send()
        .await
        .expect("b event");
    assert_eq!(res.status(), 201);
    assert_eq!(
        event(&srv, "p-1", None, &json!({"event_id": "a-1", "price": 50}))
            .await
            .status(),
        201
    );
    let mut buf = String::new();
    let (id1, data) = next_event(&mut a_stream, &mut buf).await;
    assert_eq!(data["event_id"], "a-1");
    assert_eq!(data["product_id"], "p-1");
    assert_eq!(data["old_price_cents"], 10000);
    assert_eq!(data["new_price_cents"], 5000);
    drop(a_stream);
    // While disconnected, two more anomalies; reconnecting after id1 gets both, in order.
    event(&srv, "p-1", None, &json!({"event_id": "a-2", "price": 100})).await;
    event(&srv, "p-1", None, &json!({"event_id": "a-3", "price": 10})).await;
    let mut resumed = open(&srv, "token_user_a", "company_a", Some(&id1)).await;
    let mut buf = String::new();
    assert_eq!(
        next_event(&mut resumed, &mut buf).await.1["event_id"],
        "a-2"
    );
    assert_eq!(
        next_event(&mut resumed, &mut buf).await.1["event_id"],
        "a-3"
    );
    // And then live ones.
    event(&srv, "p-1", None, &json!({"event_id": "a-4", "price": 100})).await;
    assert_eq!(
        next_event(&mut resumed, &mut buf).await.1["event_id"],
        "a-4"
    );
}
