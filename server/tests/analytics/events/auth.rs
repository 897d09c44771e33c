//! Tenant isolation and the 401/403 answers of the events endpoints.

use super::{ev, get, post};
use crate::common::{error_code, TestServer};
use app::auth::tokens::{encode_jwt, JwtClaims};
use serde_json::{json, Value};

fn jwt(sub: &str, org: &str, exp_offset: i64, secret: &[u8]) -> String {
    let now = chrono::Utc::now().timestamp();
    encode_jwt(
        &JwtClaims {
            sub: sub.into(),
            org_id: org.into(),
            exp: now + exp_offset,
            iat: now,
        },
        secret,
    )
    .expect("jwt")
}

#[tokio::test]
async fn tenants_see_and_write_only_their_own_events() {
    let srv = TestServer::start(&[]).await;
    let body = json!({ "events": [ev("a1", "u", "click", "2026-01-02T10:00:00Z")] });
    assert_eq!(post(&srv, "token_admin_a", None, &body).await.status(), 201);
    let b_jwt = jwt("admin_b", "company_b", 60, b"test-secret");
    for bearer in ["token_admin_b", b_jwt.as_str()] {
        let (status, page) = get(&srv, bearer, "/api/v1/events").await;
        assert_eq!(status, 200);
        assert_eq!(page["events"], json!([]));
        let day = "/api/v1/metrics/summary?from=2026-01-02&to=2026-01-02";
        let (_, s) = get(&srv, bearer, day).await;
        assert_eq!(s["totals"]["events"], 0);
    }
    // The same event id is a different event in another org.
    let res: Value = post(&srv, &b_jwt, None, &body)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(res["accepted"], 1);
    let (_, page) = get(&srv, "token_admin_b", "/api/v1/events").await;
    assert_eq!(page["events"][0]["org_id"], "company_b");

    // Posting into company_a, or reading it by name, is forbidden.
    let mut foreign = ev("x1", "u", "click", "2026-01-02T10:00:00Z");
    foreign["org_id"] = json!("company_a");
    let res = post(&srv, &b_jwt, None, &json!({ "events": [foreign.clone()] })).await;
    assert_eq!(res.status(), 403);
    assert_eq!(error_code(res).await, "forbidden");
    let (status, _) = get(&srv, &b_jwt, "/api/v1/events?org_id=company_a").await;
    assert_eq!(status, 403);
    let (status, _) = get(&srv, &b_jwt, "/api/v1/metrics/summary?org_id=company_a").await;
    assert_eq!(status, 403);
    // Naming one's own org is fine.
    let a_jwt = jwt("admin_a", "company_a", 60, b"test-secret");
    assert_eq!(
        post(&srv, &a_jwt, None, &json!([foreign])).await.status(),
        201
    );
    let (status, page) = get(&srv, &a_jwt, "/api/v1/events?org_id=company_a").await;
    assert_eq!(status, 200);
    assert_eq!(page["events"].as_array().expect("events").len(), 2);
}

#[tokio::test]
async fn missing_invalid_and_expired_credentials_are_401() {
    let srv = TestServer::start(&[]).await;
    let body = json!({ "events": [ev("a1", "u", "click", "2026-01-02T10:00:00Z")] });
    let anonymous = reqwest::Client::new()
        .get(srv.url("/api/v1/events"))
        .send()
        .await
        .expect("get");
    assert_eq!(anonymous.status(), 401);
    assert_eq!(error_code(anonymous).await, "unauthorized");
    let wrong_secret = jwt("admin_a", "company_a", 60, b"wrong-secret");
    let expired = jwt("admin_a", "company_a", -3600, b"test-secret");
    let not_member = jwt("admin_a", "company_b", 60, b"test-secret");
    for bearer in [
        wrong_secret.as_str(),
        expired.as_str(),
        not_member.as_str(),
        "nope",
    ] {
        let res = post(&srv, bearer, None, &body).await;
        assert_eq!(res.status(), 401, "{bearer}");
        assert_eq!(error_code(res).await, "unauthorized");
        let (status, _) = get(&srv, bearer, "/api/v1/metrics/summary").await;
        assert_eq!(status, 401);
    }
}
