//! Reviewing price anomalies: confirm, dismiss, undo; listed with their status; another
//! tenant's anomaly is 404; bad statuses are 422.

use super::prices::event;
use super::{a, load, req};
use crate::common::{error_code, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

/// An anomaly for company_a: p-1 goes 100.00 → 150.00 under event `e-big`.
async fn seed_anomaly(srv: &TestServer) {
    load(
        srv,
        &json!([{"product_id": "p-1", "name": "Lamp", "category": "home", "price": "100.00"}]),
    )
    .await;
    let r: Value = event(
        srv,
        "p-1",
        None,
        &json!({"event_id": "e-big", "price": "150.00"}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(r["anomaly"], true);
}

async fn review(srv: &TestServer, token: &str, event_id: &str, body: Value) -> reqwest::Response {
    req(
        Method::PATCH,
        srv,
        token,
        &a(&format!("/price-anomalies/{event_id}")),
    )
    .json(&body)
    .send()
    .await
    .expect("review")
}

async fn listed_status(srv: &TestServer) -> Value {
    let page: Value = req(Method::GET, srv, "token_user_a", &a("/price-anomalies"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    page["items"][0]["review_status"].clone()
}

#[tokio::test]
async fn an_anomaly_is_pending_then_confirmed_dismissed_or_put_back() {
    let srv = TestServer::start(&[]).await;
    seed_anomaly(&srv).await;
    assert_eq!(listed_status(&srv).await, "pending");
    for status in ["confirmed", "confirmed", "dismissed", "pending"] {
        let res = review(
            &srv,
            "token_user_a",
            "e-big",
            json!({ "review_status": status }),
        )
        .await;
        assert_eq!(res.status(), 200, "{status}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["event_id"], "e-big");
        assert_eq!(body["review_status"], status);
        assert_eq!(listed_status(&srv).await, status);
    }
}

#[tokio::test]
async fn bad_statuses_unknown_events_and_other_tenants_are_refused() {
    let srv = TestServer::start(&[]).await;
    seed_anomaly(&srv).await;
    let res = review(
        &srv,
        "token_admin_a",
        "e-big",
        json!({"review_status": "ignored"}),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(error_code(res).await, "validation");
    let res = review(
        &srv,
        "token_admin_a",
        "e-big",
        json!({"status": "confirmed"}),
    )
    .await;
    assert_eq!(res.status(), 422, "missing review_status");
    let res = review(
        &srv,
        "token_admin_a",
        "e-none",
        json!({"review_status": "confirmed"}),
    )
    .await;
    assert_eq!(res.status(), 404);
    // Company B can neither review A's anomaly through A's path nor through its own.
    let res = review(
        &srv,
        "token_admin_b",
        "e-big",
        json!({"review_status": "dismissed"}),
    )
    .await;
    assert_eq!(res.status(), 404);
    let res = req(
        Method::PATCH,
        &srv,
        "token_admin_b",
        "/api/v1/tenants/company_b/price-anomalies/e-big",
    )
    .json(&json!({"review_status": "dismissed"}))
    .send()
    .await
    .expect("b");
    assert_eq!(res.status(), 404);
    let res = reqwest::Client::new()
        .patch(srv.url(&a("/price-anomalies/e-big")))
        .json(&json!({"review_status": "dismissed"}))
        .send()
        .await
        .expect("anon");
    assert_eq!(res.status(), 401);
    assert_eq!(listed_status(&srv).await, "pending");
}
