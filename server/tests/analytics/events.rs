//! Product events API: batches, idempotency, filters, cursor paging, summary, tenant isolation.

mod auth;
mod docs;
mod paging;

use crate::common::{error_code, TestServer};
use serde_json::{json, Value};

/// An event of `user` and `ty` at `ts`, with an explicit id.
pub fn ev(id: &str, user: &str, ty: &str, ts: &str) -> Value {
    json!({ "event_id": id, "user_id": user, "event_type": ty, "timestamp": ts,
            "properties": { "path": "/x" } })
}

/// `POST /api/v1/events` with a bearer token and an optional Idempotency-Key.
pub async fn post(
    srv: &TestServer,
    bearer: &str,
    key: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(srv.url("/api/v1/events"))
        .bearer_auth(bearer)
        .json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    req.send().await.expect("post events")
}

/// `GET path` with a bearer token, as (status, JSON).
pub async fn get(srv: &TestServer, bearer: &str, path: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .get(srv.url(path))
        .bearer_auth(bearer)
        .send()
        .await
        .expect("get");
    let status = res.status().as_u16();
    (status, res.json().await.expect("json"))
}

#[tokio::test]
async fn a_batch_is_stored_and_sizes_are_checked() {
    let srv = TestServer::start(&[]).await;
    let body = json!({ "events": [
        ev("e1", "u1", "page_view", "2026-01-02T10:00:00Z"),
        ev("e2", "u2", "signup", "2026-01-02T11:00:00+01:00"),
    ]});
    let res = post(&srv, "token_admin_a", None, &body).await;
    assert_eq!(res.status(), 201);
    let out: Value = res.json().await.expect("json");
    assert_eq!(out["accepted"], 2);
    assert_eq!(out["duplicates"], 0);
    assert_eq!(out["event_ids"], json!(["e1", "e2"]));
    let (status, page) = get(&srv, "token_user_a", "/api/v1/events").await;
    assert_eq!(status, 200);
    assert_eq!(page["events"].as_array().expect("events").len(), 2);
    assert_eq!(page["events"][0]["timestamp"], "2026-01-02T10:00:00.000Z");
    assert_eq!(page["events"][0]["org_id"], "company_a");
    assert_eq!(page["events"][1]["properties"]["path"], "/x");
    assert_eq!(page["next_cursor"], Value::Null);

    let empty = post(&srv, "token_admin_a", None, &json!({ "events": [] })).await;
    assert_eq!(empty.status(), 422);
    assert_eq!(error_code(empty).await, "validation");
    let many: Vec<Value> = (0..101)
        .map(|i| ev(&format!("m{i}"), "u", "click", "2026-01-02T10:00:00Z"))
        .collect();
    let too_many = post(&srv, "token_admin_a", None, &json!({ "events": many })).await;
    assert_eq!(too_many.status(), 422);
    let garbage = reqwest::Client::new()
        .post(srv.url("/api/v1/events"))
        .bearer_auth("token_admin_a")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(garbage.status(), 400);
    assert_eq!(error_code(garbage).await, "bad_request");
}

#[tokio::test]
async fn validation_reports_each_event_and_field_and_stores_nothing() {
    let srv = TestServer::start(&[]).await;
    let mut bad = ev("b1", "", "Bad Type", "2026-01-02");
    bad["properties"] = json!("not an object");
    let future = ev("b2", "u", "click", "2999-01-01T00:00:00Z");
    let body = json!({ "events": [ev("ok", "u", "click", "2026-01-02T10:00:00Z"), bad, future] });
    let res = post(&srv, "token_admin_a", None, &body).await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.expect("json");
    let details = &err["error"]["details"];
    for key in [
        "events[1].user_id",
        "events[1].event_type",
        "events[1].timestamp",
        "events[1].properties",
        "events[2].timestamp",
    ] {
        assert!(details[key].is_string(), "{key} missing: {details}");
    }
    assert!(details.get("events[0].user_id").is_none());
    let (_, page) = get(&srv, "token_admin_a", "/api/v1/events").await;
    assert_eq!(page["events"], json!([]), "the whole batch is rejected");
}

#[tokio::test]
async fn idempotency_keys_replay_or_conflict_and_event_ids_dedupe() {
    let srv = TestServer::start(&[]).await;
    let body = json!({ "events": [ev("k1", "u", "click", "2026-01-02T10:00:00Z")] });
    let first = post(&srv, "token_admin_a", Some("key-1"), &body).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.expect("json");
    let again = post(&srv, "token_admin_a", Some("key-1"), &body).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.expect("json"), first);

    let other = json!({ "events": [ev("k2", "u", "click", "2026-01-02T10:00:00Z")] });
    let clash = post(&srv, "token_admin_a", Some("key-1"), &other).await;
    assert_eq!(clash.status(), 409);
    assert_eq!(error_code(clash).await, "conflict");
    // The key is per org: company_b may use it freely.
    assert_eq!(
        post(&srv, "token_admin_b", Some("key-1"), &other)
            .await
            .status(),
        201
    );

    // Without a key, a repeated event_id (in the store or in the batch) is not stored twice.
    let dup = json!({ "events": [
        ev("k1", "u", "click", "2026-01-02T10:00:00Z"),
        ev("k3", "u", "click", "2026-01-02T10:00:00Z"),
        ev("k3", "u", "click", "2026-01-02T10:00:00Z"),
    ]});
    let res: Value = post(&srv, "token_admin_a", None, &dup)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (res["accepted"].clone(), res["duplicates"].clone()),
        (json!(1), json!(2))
    );
    let (_, page) = get(&srv, "token_admin_a", "/api/v1/events").await;
    assert_eq!(page["events"].as_array().expect("events").len(), 2);
    let bad_key = post(&srv, "token_admin_a", Some("has space"), &body).await;
    assert_eq!(bad_key.status(), 400);
}

#[tokio::test]
async fn filters_and_the_summary_are_exact() {
    let srv = TestServer::start(&[]).await;
    let body = json!({ "events": [
        ev("f1", "alice", "page_view", "2026-01-01T09:00:00Z"),
        ev("f2", "alice", "page_view", "2026-01-01T10:00:00Z"),
        ev("f3", "bob", "signup", "2026-01-01T23:59:59.999Z"),
        ev("f4", "bob", "page_view", "2026-01-02T00:00:00Z"),
        ev("f5", "carol", "purchase", "2026-01-03T12:00:00Z"),
    ]});
    assert_eq!(post(&srv, "token_admin_a", None, &body).await.status(), 201);
    let ids = |page: &Value| -> Vec<String> {
        page["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| e["event_id"].as_str().expect("id").to_string())
            .collect()
    };
    let (_, p) = get(&srv, "token_admin_a", "/api/v1/events?user_id=bob").await;
    assert_eq!(ids(&p), ["f4", "f3"]);
    let (_, p) = get(&srv, "token_admin_a", "/api/v1/events?event_type=page_view").await;
    assert_eq!(ids(&p), ["f4", "f2", "f1"]);
    let (_, p) = get(
        &srv,
        "token_admin_a",
        "/api/v1/events?from=2026-01-01&to=2026-01-01",
    )
    .await;
    assert_eq!(ids(&p), ["f3", "f2", "f1"]);
    let (_, p) = get(
        &srv,
        "token_admin_a",
        "/api/v1/events?start_date=2026-01-02&event_type=page_view&user_id=bob",
    )
    .await;
    assert_eq!(ids(&p), ["f4"]);
    let (_, p) = get(
        &srv,
        "token_admin_a",
        "/api/v1/events?to=2026-01-01T09:00:00Z",
    )
    .await;
    assert_eq!(ids(&p), ["f1"]);
    for bad in ["limit=0", "limit=501", "from=yesterday"] {
        let (status, _) = get(&srv, "token_admin_a", &format!("/api/v1/events?{bad}")).await;
        assert_eq!(status, 422, "{bad}");
    }
    for bad in ["limit=ten", "cursor=garbage"] {
        let (status, _) = get(&srv, "token_admin_a", &format!("/api/v1/events?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
    }

    let (status, s) = get(
        &srv,
        "token_admin_a",
        "/api/v1/metrics/summary?from=2026-01-01&to=2026-01-04",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(s["days"].as_array().expect("days").len(), 4);
    assert_eq!(
        s["days"][0],
        json!({ "date": "2026-01-01", "events": 3, "unique_users": 2,
        "by_type": { "page_view": 2, "signup": 1 } })
    );
    assert_eq!(
        s["days"][1],
        json!({ "date": "2026-01-02", "events": 1, "unique_users": 1,
        "by_type": { "page_view": 1 } })
    );
    assert_eq!(
        s["days"][3],
        json!({ "date": "2026-01-04", "events": 0, "unique_users": 0, "by_type": {} })
    );
    assert_eq!(
        s["totals"],
        json!({ "events": 5, "unique_users": 3,
        "by_type": { "page_view": 3, "signup": 1, "purchase": 1 } })
    );
    let range = "/api/v1/metrics/summary?from=2026-01-01&to=2026-01-04";
    let (_, s) = get(
        &srv,
        "token_admin_a",
        &format!("{range}&metrics[]=events&metrics[]=unique_users"),
    )
    .await;
    assert_eq!(
        s["days"][0],
        json!({ "date": "2026-01-01", "events": 3, "unique_users": 2 })
    );
    let (_, s) = get(&srv, "token_admin_a", &format!("{range}&metrics=by_type")).await;
    assert_eq!(
        s["totals"],
        json!({ "by_type": { "page_view": 3, "signup": 1, "purchase": 1 } })
    );
    let (status, _) = get(&srv, "token_admin_a", &format!("{range}&metrics=revenue")).await;
    assert_eq!(status, 422);
    let (status, _) = get(
        &srv,
        "token_admin_a",
        "/api/v1/metrics/summary?from=2026-01-05&to=2026-01-01",
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = get(
        &srv,
        "token_admin_a",
        "/api/v1/metrics/summary?from=2024-01-01&to=2026-01-01",
    )
    .await;
    assert_eq!(status, 422);
}
