//! HTTP behaviour of the platform foundation, against the real router on a random port.
//! One test binary (see `mod` lines) keeps link time down.

mod analytics;
mod challenges;
mod common;
mod docs;
mod feed;
mod storefront;

use common::{error_code, TestServer};
use serde_json::Value;

const PW: &str = "atrium-demo";

#[tokio::test]
async fn sign_in_sets_a_hardened_session_cookie_and_resolves_the_tenant() {
    let srv = TestServer::start(&[]).await;
    let client = srv.browser();
    let res = srv.sign_in(&client, "admin_a", PW).await;
    assert_eq!(res.status(), 200);
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cookie.starts_with("atrium_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
    let me: Value = srv.me_json(&client).await;
    assert_eq!(me["user"]["username"], "admin_a");
    assert_eq!(me["tenant"]["id"], "company_a");
    assert_eq!(me["role"], "admin");

    // Sign out ends the session.
    let out = client
        .post(srv.url("/api/auth/sign_out"))
        .send()
        .await
        .expect("sign out");
    assert_eq!(out.status(), 200);
    let after = client.get(srv.url("/api/me")).send().await.expect("me");
    assert_eq!(after.status(), 401);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_are_refused_alike() {
    let srv = TestServer::start(&[]).await;
    for (user, pw) in [("admin_a", "wrong"), ("nobody", PW)] {
        let res = srv.sign_in(&srv.browser(), user, pw).await;
        assert_eq!(res.status(), 401);
        let body = res.text().await.unwrap_or_default();
        assert!(body.contains("Invalid username or password"), "{body}");
    }
}

#[tokio::test]
async fn an_expired_session_is_no_longer_accepted() {
    let srv = TestServer::start(&[]).await;
    let client = srv.signed_in("user_a").await;
    assert_eq!(
        client
            .get(srv.url("/api/me"))
            .send()
            .await
            .expect("me")
            .status(),
        200
    );
    sqlx::query("UPDATE tower_sessions SET expiry_date = 0")
        .execute(&srv.state.pool)
        .await
        .expect("expire");
    let res = client.get(srv.url("/api/me")).send().await.expect("me");
    assert_eq!(res.status(), 401);
    assert_eq!(error_code(res).await, "unauthorized");
}

#[tokio::test]
async fn bearer_tokens_resolve_like_sessions_and_revoked_ones_fail() {
    let srv = TestServer::start(&[]).await;
    let me: Value = srv
        .me_with("token_user_a")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["user"]["username"], "user_a");
    assert_eq!(me["role"], "member");

    let http = reqwest::Client::new();
    let created = http
        .post(srv.url("/api/tokens"))
        .bearer_auth("token_admin_a")
        .json(&serde_json::json!({"name": "ci"}))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.expect("json");
    let secret = created["secret"].as_str().unwrap_or_default().to_string();
    let id = created["token"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(secret.starts_with("atr_"));
    assert_eq!(srv.me_with(&secret).await.status(), 200);

    // The secret is stored hashed, never in clear.
    let stored: Option<(String,)> =
        sqlx::query_as("SELECT token_hash FROM api_tokens WHERE token_hash = ?")
            .bind(&secret)
            .fetch_optional(&srv.state.pool)
            .await
            .expect("query");
    assert!(stored.is_none());

    let revoked = http
        .delete(srv.url(&format!("/api/tokens/{id}")))
        .bearer_auth("token_admin_a")
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), 204);
    let res = srv.me_with(&secret).await;
    assert_eq!(res.status(), 401);
    assert_eq!(error_code(res).await, "unauthorized");
    assert_eq!(srv.me_with("not-a-token").await.status(), 401);
}

#[tokio::test]
async fn jwts_name_the_tenant_in_org_id() {
    use app::auth::tokens::{encode_jwt, JwtClaims};
    let srv = TestServer::start(&[]).await;
    let now = chrono::Utc::now().timestamp();
    let jwt = |sub: &str, org: &str, exp: i64, secret: &[u8]| {
        encode_jwt(
            &JwtClaims {
                sub: sub.into(),
                org_id: org.into(),
                exp: now + exp,
                iat: now,
            },
            secret,
        )
        .expect("jwt")
    };
    let me: Value = srv
        .me_with(&jwt("admin_a", "tenant_a", 60, b"test-secret"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["tenant"]["id"], "tenant_a");
    assert_eq!(me["user"]["username"], "admin_a");
    assert_eq!(
        srv.me_with(&jwt("admin_a", "company_a", 60, b"wrong"))
            .await
            .status(),
        401
    );
    assert_eq!(
        srv.me_with(&jwt("admin_a", "company_b", 60, b"test-secret"))
            .await
            .status(),
        401
    );
    assert_eq!(
        srv.me_with(&jwt("admin_a", "company_a", -3600, b"test-secret"))
            .await
            .status(),
        401
    );

    // The server also issues JWTs for the caller's tenant.
    let issued: Value = reqwest::Client::new()
        .post(srv.url("/api/auth/jwt"))
        .bearer_auth("token_admin_b")
        .send()
        .await
        .expect("issue")
        .json()
        .await
        .expect("json");
    let me: Value = srv
        .me_with(issued["token"].as_str().unwrap_or_default())
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["tenant"]["id"], "company_b");
}

#[tokio::test]
async fn another_tenants_resources_are_not_found() {
    let srv = TestServer::start(&[]).await;
    let http = reqwest::Client::new();
    let created: Value = http
        .post(srv.url("/api/tokens"))
        .bearer_auth("token_admin_a")
        .json(&serde_json::json!({"name": "a's token"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let id = created["token"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let res = http
        .delete(srv.url(&format!("/api/tokens/{id}")))
        .bearer_auth("token_admin_b")
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 404);
    assert_eq!(error_code(res).await, "not_found");
    let res = http
        .get(srv.url("/api/tenants/company_a/members"))
        .bearer_auth("token_admin_b")
        .send()
        .await
        .expect("members");
    assert_eq!(res.status(), 404);
    let own = http
        .get(srv.url("/api/tenants/company_a/members"))
        .bearer_auth("token_user_a")
        .send()
        .await
        .expect("members");
    assert_eq!(own.status(), 200);
    // a's token still works: b's attempt changed nothing.
    assert_eq!(
        srv.me_with(created["secret"].as_str().unwrap_or_default())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn cross_site_cookie_requests_are_rejected() {
    let srv = TestServer::start(&[]).await;
    let client = srv.signed_in("admin_a").await;
    let body = serde_json::json!({"name": "csrf"});
    let evil = client
        .post(srv.url("/api/tokens"))
        .header("origin", "http://evil.test")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(evil.status(), 403);
    assert_eq!(error_code(evil).await, "csrf_rejected");
    let cross = client
        .post(srv.url("/api/tokens"))
        .header("sec-fetch-site", "cross-site")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(cross.status(), 403);
    let host = srv.base.trim_start_matches("http://").to_string();
    let same = client
        .post(srv.url("/api/tokens"))
        .header("origin", format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(same.status(), 201);
}

#[tokio::test]
async fn sign_in_is_rate_limited_with_retry_after() {
    let srv = TestServer::start(&["--sign-in-per-minute", "3"]).await;
    for _ in 0..3 {
        assert_eq!(
            srv.sign_in(&srv.browser(), "admin_a", "wrong")
                .await
                .status(),
            401
        );
    }
    let res = srv.sign_in(&srv.browser(), "admin_a", PW).await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .unwrap_or(0);
    assert!(
        retry >= 1,
        "Retry-After must be a positive number of seconds"
    );
}

#[tokio::test]
async fn api_errors_use_one_envelope_with_the_request_id() {
    let srv = TestServer::start(&[]).await;
    let http = reqwest::Client::new();
    let res = http
        .get(srv.url("/api/no-such-thing"))
        .header("x-request-id", "req-123")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 404);
    assert_eq!(
        res.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("req-123")
    );
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["request_id"], "req-123");
    assert!(body["error"]["message"].is_string());

    // Generated when absent, and echoed.
    let res = http.get(srv.url("/api/me")).send().await.expect("get");
    assert_eq!(res.status(), 401);
    let echoed = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body: Value = res.json().await.expect("json");
    assert!(!echoed.is_empty());
    assert_eq!(body["error"]["request_id"], echoed.as_str());

    // Bad input: malformed JSON, wrong shape, and an empty name.
    for (raw, status, code) in [
        ("{not json", 400, "bad_request"),
        ("{\"nom\":1}", 422, "validation"),
        ("{\"name\":\"  \"}", 422, "validation"),
    ] {
        let res = http
            .post(srv.url("/api/tokens"))
            .bearer_auth("token_admin_a")
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), status, "{raw}");
        assert_eq!(error_code(res).await, code, "{raw}");
    }
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let srv = TestServer::start(&[]).await;
    let http = reqwest::Client::new();
    assert_eq!(
        http.get(srv.url("/healthz"))
            .send()
            .await
            .expect("healthz")
            .status(),
        200
    );
    let ready: Value = http
        .get(srv.url("/readyz"))
        .send()
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(ready["status"], "ready");
    let _ = srv.me_with("token_admin_a").await;
    let text = http
        .get(srv.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    for needle in [
        "http_requests_total",
        "route=\"/api/me\"",
        "http_request_duration_seconds_bucket",
        "db_pool_connections",
        "process_resident_memory_bytes",
    ] {
        assert!(text.contains(needle), "metrics lack {needle}");
    }
    srv.state.pool.close().await;
    assert_eq!(
        http.get(srv.url("/readyz"))
            .send()
            .await
            .expect("readyz")
            .status(),
        503
    );
}

#[tokio::test]
async fn pages_carry_security_headers_and_signed_out_visitors_are_redirected() {
    let srv = TestServer::start(&[]).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = http.get(srv.url("/sign-in")).send().await.expect("page");
    assert_eq!(page.status(), 200);
    let csp = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(
        page.headers()
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert!(page.headers().contains_key("referrer-policy"));
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Demo accounts") && html.contains("admin_a"),
        "demo accounts listed in demo mode"
    );

    let protected = http
        .get(srv.url("/storefront"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(protected.status(), 302);
    assert_eq!(
        protected
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/sign-in")
    );
    assert_eq!(
        http.get(srv.url("/no/such/page"))
            .send()
            .await
            .expect("page")
            .status(),
        404
    );
}

#[tokio::test]
async fn the_tenant_switcher_only_switches_to_own_tenants() {
    let srv = TestServer::start(&[]).await;
    let client = srv.signed_in("admin_a").await;
    // A tenant of the user switches; another tenant is 404 and leaves the active one as it was.
    for (target, status) in [("tenant_a", 200), ("company_b", 404)] {
        let res = client
            .post(srv.url("/api/auth/switch_tenant"))
            .form(&[("tenant_id", target)])
            .send()
            .await
            .expect("switch");
        assert_eq!(res.status(), status, "{target}");
        let me: Value = srv.me_json(&client).await;
        assert_eq!(me["tenant"]["id"], "tenant_a");
    }
}
