//! `POST /transactions` and `GET /transactions/flagged` over real HTTP: scoring, idempotent
//! re-posts, validation, credentials and tenant isolation.

use crate::common::{error_code, TestServer};
use serde_json::{json, Value};

async fn post(srv: &TestServer, bearer: Option<&str>, body: &Value) -> reqwest::Response {
    let req = reqwest::Client::new()
        .post(srv.url("/transactions"))
        .json(body);
    let req = match bearer {
        Some(token) => req.bearer_auth(token),
        None => req,
    };
    req.send().await.expect("post /transactions")
}

async fn flagged(srv: &TestServer, bearer: &str, query: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(srv.url(&format!("/transactions/flagged{query}")))
        .bearer_auth(bearer)
        .send()
        .await
        .expect("get /transactions/flagged")
}

async fn flagged_ids(srv: &TestServer, bearer: &str) -> Vec<String> {
    let res = flagged(srv, bearer, "").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    body["transactions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn tx(id: &str, user: &str, amount: f64, location: &str, timestamp: &str) -> Value {
    json!({
        "id": id,
        "user_id": user,
        "amount": amount,
        "location": location,
        "timestamp": timestamp,
        "merchant_category": "electronics",
    })
}

fn codes(body: &Value) -> Vec<String> {
    body["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn scores_store_and_list_flagged_newest_first() {
    let srv = TestServer::start(&[]).await;
    let admin = Some("token_admin_a");
    let res = post(
        &srv,
        admin,
        &tx("tx123", "user456", 1500.0, "US", "2025-01-20T10:30:00Z"),
    )
    .await;
    assert_eq!(res.status(), 201);
    let low: Value = res.json().await.expect("json");
    assert_eq!(low["transaction_id"], "tx123");
    assert_eq!(low["risk"], "low");
    assert!(low["processing_time_ms"].as_f64().unwrap_or(1e9) < 200.0);
    assert!(low["score"].as_f64().is_some() && low["anomaly_score"].as_f64().is_some());

    let res = post(
        &srv,
        admin,
        &tx("tx124", "user456", 6000.0, "US", "2025-01-20T10:40:00Z"),
    )
    .await;
    let high: Value = res.json().await.expect("json");
    assert_eq!(high["risk"], "high");
    assert!(codes(&high).contains(&"high_amount".to_string()), "{high}");

    // Same user in France 30 minutes after the US purchase; posted by another member.
    let res = post(
        &srv,
        Some("token_user_a"),
        &tx("tx125", "user456", 90.0, "fr", "2025-01-20T11:00:00Z"),
    )
    .await;
    assert_eq!(res.status(), 201);
    let moved: Value = res.json().await.expect("json");
    assert_eq!(moved["risk"], "high");
    assert!(
        codes(&moved).contains(&"country_change".to_string()),
        "{moved}"
    );

    let res = flagged(&srv, "token_admin_a", "").await;
    assert_eq!(res.status(), 200);
    let list: Value = res.json().await.expect("json");
    let rows = list["transactions"].as_array().cloned().unwrap_or_default();
    let ids: Vec<&str> = rows.iter().filter_map(|t| t["id"].as_str()).collect();
    assert_eq!(ids, ["tx125", "tx124"], "low-risk tx123 is not listed");
    assert_eq!(rows[0]["location"], "FR", "stored upper-case");
    assert_eq!(rows[0]["timestamp"], "2025-01-20T11:00:00.000Z");
    assert_eq!(rows[0]["user_id"], "user456");
    assert_eq!(rows[0]["order_id"], Value::Null);
    assert!(rows[0]["created_at"].as_str().is_some());
    assert!(rows[0]["reasons"].as_array().is_some_and(|r| !r.is_empty()));

    let one = flagged(&srv, "token_admin_a", "?limit=1").await;
    let one: Value = one.json().await.expect("json");
    assert_eq!(one["transactions"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_same_id_is_idempotent_and_a_changed_body_conflicts() {
    let srv = TestServer::start(&[]).await;
    let body = tx("dup-1", "u1", 7000.0, "GB", "2025-01-20T10:30:00Z");
    let first = post(&srv, Some("token_admin_a"), &body).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");

    // The same instant written with an offset is the same transaction.
    let mut again = body.clone();
    again["timestamp"] = json!("2025-01-20T11:30:00+01:00");
    let second = post(&srv, Some("token_admin_a"), &again).await;
    assert_eq!(second.status(), 200);
    let second: Value = second.json().await.expect("json");
    for key in [
        "transaction_id",
        "risk",
        "score",
        "anomaly_score",
        "reasons",
    ] {
        assert_eq!(first[key], second[key], "{key}");
    }

    let mut changed = body.clone();
    changed["amount"] = json!(7001.0);
    let res = post(&srv, Some("token_admin_a"), &changed).await;
    assert_eq!(res.status(), 409);
    assert_eq!(error_code(res).await, "conflict");

    // Ids are per tenant: company_b may use the same one.
    assert_eq!(
        post(&srv, Some("token_admin_b"), &changed).await.status(),
        201
    );
    assert_eq!(flagged_ids(&srv, "token_admin_a").await, ["dup-1"]);
}

#[tokio::test]
async fn bad_fields_get_a_422_naming_each_field() {
    let srv = TestServer::start(&[]).await;
    let good = tx("v1", "u1", 10.0, "US", "2025-01-20T10:30:00Z");
    let long = "x".repeat(101);
    for (field, value) in [
        ("id", json!("  ")),
        ("id", json!(long)),
        ("user_id", json!("")),
        ("amount", json!(0)),
        ("amount", json!(-5.0)),
        ("amount", json!(10_000_000.01)),
        ("location", json!("USA")),
        ("location", json!("1A")),
        ("timestamp", json!("2025-01-20 10:30")),
        ("merchant_category", json!("")),
        ("merchant_category", json!("c".repeat(51))),
    ] {
        let mut body = good.clone();
        body[field] = value.clone();
        let res = post(&srv, Some("token_admin_a"), &body).await;
        assert_eq!(res.status(), 422, "{field} = {value}");
        let err: Value = res.json().await.expect("json");
        assert_eq!(err["error"]["code"], "validation");
        assert!(err["error"]["details"][field].is_string(), "{field}: {err}");
    }
    // Wrong shape (amount as text, a field missing) is also 422; broken JSON is 400.
    let mut text_amount = good.clone();
    text_amount["amount"] = json!("10");
    assert_eq!(
        post(&srv, Some("token_admin_a"), &text_amount)
            .await
            .status(),
        422
    );
    let missing = json!({"id": "m", "user_id": "u", "amount": 1.0});
    assert_eq!(
        post(&srv, Some("token_admin_a"), &missing).await.status(),
        422
    );
    let broken = reqwest::Client::new()
        .post(srv.url("/transactions"))
        .bearer_auth("token_admin_a")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(broken.status(), 400);
    for query in ["?limit=0", "?limit=501", "?limit=abc"] {
        let res = flagged(&srv, "token_admin_a", query).await;
        assert!(matches!(res.status().as_u16(), 400 | 422), "{query}");
    }
    assert!(
        flagged_ids(&srv, "token_admin_a").await.is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn credentials_are_required() {
    let srv = TestServer::start(&[]).await;
    let body = tx("a1", "u1", 9000.0, "US", "2025-01-20T10:30:00Z");
    let res = post(&srv, None, &body).await;
    assert_eq!(res.status(), 401);
    assert_eq!(error_code(res).await, "unauthorized");
    let res = reqwest::Client::new()
        .get(srv.url("/transactions/flagged"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 401);
    assert_eq!(post(&srv, Some("not-a-token"), &body).await.status(), 401);

    // A signed-in browser session works too.
    let browser = srv.signed_in("admin_a").await;
    let res = browser
        .post(srv.url("/transactions"))
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn another_tenant_never_sees_or_feeds_these_transactions() {
    let srv = TestServer::start(&[]).await;
    let a = Some("token_admin_a");
    assert_eq!(
        post(
            &srv,
            a,
            &tx(
                "a-high",
                "shared-user",
                8000.0,
                "US",
                "2025-01-20T10:00:00Z"
            )
        )
        .await
        .status(),
        201
    );
    assert_eq!(flagged_ids(&srv, "token_admin_a").await, ["a-high"]);
    assert!(flagged_ids(&srv, "token_admin_b").await.is_empty());

    // company_b's user with the same id, in another country 10 minutes later: a's history
    // must not count, so no country change.
    let res = post(
        &srv,
        Some("token_admin_b"),
        &tx("b-1", "shared-user", 40.0, "FR", "2025-01-20T10:10:00Z"),
    )
    .await;
    assert_eq!(res.status(), 201);
    let b: Value = res.json().await.expect("json");
    assert!(!codes(&b).contains(&"country_change".to_string()), "{b}");
    assert_eq!(flagged_ids(&srv, "token_admin_a").await, ["a-high"]);
}

#[tokio::test]
async fn checkout_scoring_links_the_order_and_free_orders_are_not_stored() {
    use app::storefront::fraud::service::assess_and_record;
    use app::storefront::fraud::{RiskLevel, Transaction};
    let srv = TestServer::start(&[]).await;
    let engine = &srv.state.storefront.fraud;
    let order = |id: &str, amount: f64| Transaction {
        id: id.into(),
        user_id: "shopper".into(),
        amount,
        location: "GB".into(),
        timestamp: "2025-01-20T10:30:00Z".into(),
        merchant_category: "electronics".into(),
    };
    let big = assess_and_record(
        &srv.state.pool,
        engine,
        "company_a",
        &order("o-1", 9000.0),
        Some("o-1"),
    )
    .await
    .expect("scored");
    assert_eq!(big.risk, RiskLevel::High);
    let free = assess_and_record(
        &srv.state.pool,
        engine,
        "company_a",
        &order("o-2", 0.0),
        Some("o-2"),
    )
    .await
    .expect("free order");
    assert_eq!(free.risk, RiskLevel::Low);
    let res = flagged(&srv, "token_admin_a", "").await;
    let list: Value = res.json().await.expect("json");
    assert_eq!(list["transactions"][0]["order_id"], "o-1");
    assert_eq!(list["transactions"].as_array().map(Vec::len), Some(1));
}
