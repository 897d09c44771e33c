//! The live feed over real HTTP and real WebSockets: isolation, resume, lag, validation.

mod socket;

use crate::common::{error_code, TestServer};
use serde_json::{json, Value};
use socket::FeedSocket;

async fn post(srv: &TestServer, auth: Auth<'_>, body: Value) -> reqwest::Response {
    let req = reqwest::Client::new().post(srv.url("/events")).json(&body);
    auth.apply(req).send().await.expect("post /events")
}

/// How a test request authenticates.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    Bearer(&'a str),
    Tenant(&'a str),
    None,
}

impl Auth<'_> {
    fn apply(self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Auth::Bearer(t) => req.bearer_auth(t),
            Auth::Tenant(t) => req.header("X-Tenant-Id", t),
            Auth::None => req,
        }
    }
}

/// `GET /events{query}` as `auth`.
async fn list(srv: &TestServer, auth: Auth<'_>, query: &str) -> reqwest::Response {
    let req = reqwest::Client::new().get(srv.url(&format!("/events{query}")));
    auth.apply(req).send().await.expect("get /events")
}

async fn list_json(srv: &TestServer, auth: Auth<'_>, query: &str) -> Value {
    list(srv, auth, query)
        .await
        .json()
        .await
        .expect("event list json")
}

async fn post_ok(srv: &TestServer, auth: Auth<'_>, message: &str) -> Value {
    let res = post(srv, auth, json!({ "message": message })).await;
    assert_eq!(res.status(), 201, "posting {message:?}");
    res.json().await.expect("event json")
}

#[tokio::test]
async fn posting_stores_and_answers_with_the_event() {
    let srv = TestServer::start(&[]).await;
    let event = post_ok(&srv, Auth::Bearer("token_admin_a"), "  User logged in ").await;
    assert_eq!(event["tenant_id"], "company_a");
    assert_eq!(event["message"], "User logged in");
    assert_eq!(event["offset"], 1);
    assert!(uuid::Uuid::parse_str(event["id"].as_str().unwrap_or("")).is_ok());
    let ts = event["timestamp"].as_str().unwrap_or("");
    assert!(
        ts.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(ts).is_ok(),
        "{ts}"
    );

    // The brief's simple auth: an open demo tenant by header.
    let demo = post_ok(&srv, Auth::Tenant("tenant_a"), "hello").await;
    assert_eq!(demo["tenant_id"], "tenant_a");
    assert_eq!(demo["offset"], 1, "offsets are per tenant");

    let listed = list_json(&srv, Auth::Bearer("token_admin_a"), "").await;
    assert_eq!(listed["events"].as_array().map(Vec::len), Some(1));
    assert_eq!(listed["events"][0]["id"], event["id"]);
}

#[tokio::test]
async fn bad_input_and_missing_credentials_get_clear_errors() {
    let srv = TestServer::start(&[]).await;
    let a = Auth::Bearer("token_admin_a");
    for (body, status) in [
        (json!({ "message": "" }), 422),
        (json!({ "message": "   " }), 422),
        (json!({ "message": "x".repeat(2001) }), 422),
        (json!({ "text": "wrong field" }), 422),
    ] {
        let res = post(&srv, a, body).await;
        assert_eq!(res.status(), status);
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "validation");
        assert!(body["error"]["request_id"].is_string());
    }
    let at_limit = post(&srv, a, json!({ "message": "é".repeat(2000) })).await;
    assert_eq!(at_limit.status(), 201, "2,000 characters are allowed");

    for auth in [
        Auth::None,
        Auth::Tenant("nope"),
        Auth::Tenant("company_b"),
        Auth::Bearer("bogus"),
    ] {
        let res = post(&srv, auth, json!({ "message": "hi" })).await;
        assert_eq!(res.status(), 401);
        assert_eq!(error_code(res).await, "unauthorized");
    }
    let other = post(&srv, Auth::Tenant("company_b"), json!({"message": "x"})).await;
    assert_eq!(
        other.status(),
        401,
        "closed tenants cannot be named without credentials"
    );
    let mismatch = Auth::Bearer("token_admin_a")
        .apply(reqwest::Client::new().post(srv.url("/events")))
        .header("X-Tenant-Id", "company_b")
        .json(&json!({ "message": "x" }))
        .send()
        .await
        .expect("post");
    assert_eq!(mismatch.status(), 403);
    let nothing = list_json(&srv, Auth::Bearer("token_admin_b"), "").await;
    assert_eq!(nothing["events"], json!([]), "refused posts stored nothing");
}

#[tokio::test]
async fn posting_faster_than_the_tenant_rate_is_429_with_retry_after() {
    let srv = TestServer::start(&["--feed-rate-per-second", "1", "--feed-rate-burst", "2"]).await;
    let a = Auth::Bearer("token_admin_a");
    post_ok(&srv, a, "one").await;
    post_ok(&srv, a, "two").await;
    let res = post(&srv, a, json!({ "message": "three" })).await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(retry >= 1);
    assert_eq!(error_code(res).await, "rate_limited");
    // The limit is per tenant: another tenant is unaffected.
    post_ok(&srv, Auth::Bearer("token_admin_b"), "b is fine").await;
}

#[tokio::test]
async fn listing_pages_forward_from_an_offset() {
    let srv = TestServer::start(&["--feed-rate-burst", "100"]).await;
    for i in 1..=7 {
        post_ok(&srv, Auth::Tenant("tenant_b"), &format!("m{i}")).await;
    }
    let b = Auth::Tenant("tenant_b");
    let page = list_json(&srv, b, "?after=2&limit=3").await;
    let offsets: Vec<u64> = page["events"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["offset"].as_u64()).collect())
        .unwrap_or_default();
    assert_eq!(offsets, vec![3, 4, 5]);
    assert_eq!(page["has_more"], true);
    assert_eq!(page["head"], 7);
    let newest = list_json(&srv, b, "?limit=2").await;
    assert_eq!(newest["events"][1]["message"], "m7");
    let back = list_json(&srv, b, "?before=3&limit=10").await;
    assert_eq!(back["events"].as_array().map(Vec::len), Some(2));
    assert_eq!(back["has_older"], false);
    assert_eq!(list(&srv, b, "?after=1&before=3").await.status(), 422);
    assert_eq!(list(&srv, b, "?limit=0").await.status(), 422);
    assert_eq!(list(&srv, b, "?after=-1").await.status(), 400);
    assert_eq!(
        error_code(list(&srv, b, "?limit=0").await).await,
        "validation"
    );
    assert_eq!(
        error_code(list(&srv, b, "?after=-1").await).await,
        "bad_request"
    );
    let anonymous = list(&srv, Auth::None, "").await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(error_code(anonymous).await, "unauthorized");
    // Another tenant's listing is its own.
    let a = list_json(&srv, Auth::Tenant("tenant_a"), "").await;
    assert_eq!(a["events"], json!([]));
}

#[tokio::test]
async fn events_reach_only_their_own_tenants_sockets() {
    let srv = TestServer::start(&["--feed-rate-burst", "100"]).await;
    let cookie_a = srv.session_cookie("user_a").await;
    let mut a_session = FeedSocket::open(&srv, "", Some(&cookie_a)).await;
    let mut a_token = FeedSocket::open(&srv, "?token=token_admin_a", None).await;
    let mut b = FeedSocket::open(&srv, "?token=token_admin_b", None).await;
    for s in [&mut a_session, &mut a_token, &mut b] {
        assert_eq!(s.next_json().await["type"], "snapshot");
    }
    for i in 0..5 {
        post_ok(&srv, Auth::Bearer("token_admin_a"), &format!("a{i}")).await;
        post_ok(&srv, Auth::Bearer("token_admin_b"), &format!("b{i}")).await;
    }
    for s in [&mut a_session, &mut a_token] {
        let got = s.messages(5).await;
        assert_eq!(got, ["a0", "a1", "a2", "a3", "a4"]);
    }
    assert_eq!(b.messages(5).await, ["b0", "b1", "b2", "b3", "b4"]);
    // Nothing of A is queued behind on B: the next thing B hears is B's own fence.
    post_ok(&srv, Auth::Bearer("token_admin_b"), "fence").await;
    assert_eq!(b.messages(1).await, ["fence"]);
}

#[tokio::test]
async fn sockets_need_credentials_or_an_open_tenant() {
    let srv = TestServer::start(&[]).await;
    for query in ["", "?tenant=company_a", "?tenant=unknown", "?token=bogus"] {
        assert_eq!(
            FeedSocket::refused(&srv, query, None, None).await,
            401,
            "{query}"
        );
    }
    let cookie = srv.session_cookie("admin_a").await;
    let cross = FeedSocket::refused(&srv, "", Some(&cookie), Some("http://evil.test")).await;
    assert_eq!(cross, 403, "cross-site WebSocket with the user's cookie");
    let plain = reqwest::Client::new()
        .get(srv.url("/ws/feed?token=token_admin_a"))
        .send()
        .await
        .expect("plain get");
    assert_eq!(plain.status(), 400);
    assert_eq!(error_code(plain).await, "bad_request");
    let bad_offset = reqwest::Client::new()
        .get(srv.url("/ws/feed?token=token_admin_a&after=soon"))
        .send()
        .await
        .expect("bad offset");
    assert_eq!(bad_offset.status(), 400);
    assert_eq!(error_code(bad_offset).await, "bad_request");
    // The page's server function needs a signed-in caller too.
    let sources = reqwest::Client::new()
        .post(srv.url("/api/feed/open_tenants"))
        .send()
        .await
        .expect("open tenants");
    assert_eq!(sources.status(), 401);
    let mut open = FeedSocket::open(&srv, "?tenant=tenant_b", None).await;
    let hello = open.next_json().await;
    assert_eq!(hello["tenant_id"], "tenant_b");
    assert_eq!(hello["reason"], "initial");
}

#[tokio::test]
async fn reconnecting_with_the_last_offset_gets_exactly_what_was_missed() {
    let srv = TestServer::start(&["--feed-rate-burst", "100", "--feed-buffer", "5"]).await;
    let auth = Auth::Tenant("tenant_a");
    let mut first = FeedSocket::open(&srv, "?tenant=tenant_a", None).await;
    let hello = first.next_json().await;
    let epoch = hello["epoch"].as_str().unwrap_or_default().to_string();
    for i in 1..=3 {
        post_ok(&srv, auth, &format!("m{i}")).await;
    }
    assert_eq!(first.messages(3).await, ["m1", "m2", "m3"]);
    drop(first);
    for i in 4..=6 {
        post_ok(&srv, auth, &format!("m{i}")).await;
    }
    let mut again = FeedSocket::resume(&srv, "tenant_a", &epoch, 3).await;
    let resume = again.next_json().await;
    assert_eq!(resume["type"], "resume");
    let missed: Vec<&str> = resume["events"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["message"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(missed, ["m4", "m5", "m6"]);
    post_ok(&srv, auth, "m7").await;
    assert_eq!(
        again.messages(1).await,
        ["m7"],
        "then live, with no repeats"
    );

    // Older than the buffer (5 events: 3..=7): a fresh snapshot, and the client is told why.
    let mut stale = FeedSocket::resume(&srv, "tenant_a", &epoch, 1).await;
    let snap = stale.next_json().await;
    assert_eq!(
        (snap["type"].as_str(), snap["reason"].as_str()),
        (Some("snapshot"), Some("too_old"))
    );
    assert_eq!(snap["events"][0]["offset"], 3);
    // An offset from an earlier server process (another epoch): also a snapshot.
    let mut restarted = FeedSocket::resume(&srv, "tenant_a", "old", 6).await;
    assert_eq!(restarted.next_json().await["reason"], "epoch_changed");
}

#[tokio::test]
async fn a_connection_that_falls_behind_is_told_and_resynced_without_gaps() {
    let srv = TestServer::start(&["--feed-connection-queue", "4"]).await;
    let mut socket = FeedSocket::open(&srv, "?tenant=tenant_a", None).await;
    assert_eq!(socket.next_json().await["type"], "snapshot");
    // Published without yielding: on this single-threaded test runtime the connection's task
    // cannot drain its queue meanwhile, so it must overflow.
    for i in 1..=60 {
        srv.state.feed.hub.publish("tenant_a", format!("m{i}"));
    }
    let mut seen = Vec::new();
    let mut lagged = false;
    while seen.len() < 60 {
        let msg = socket.next_json().await;
        match msg["type"].as_str() {
            Some("lagged") => lagged = true,
            Some("event") => seen.push(msg["event"]["offset"].as_u64().unwrap_or(0)),
            Some("resume") => seen.extend(
                msg["events"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e["offset"].as_u64()),
            ),
            other => panic!("unexpected {other:?}: {msg}"),
        }
    }
    assert!(lagged, "the client was told it lagged");
    assert_eq!(
        seen,
        (1..=60).collect::<Vec<u64>>(),
        "every event once, in order"
    );
}

#[tokio::test]
async fn signing_out_or_revoking_the_token_ends_an_open_stream() {
    let srv = TestServer::start(&["--feed-ping-secs", "1"]).await;
    let cookie = srv.session_cookie("user_a").await;
    let mut by_session = FeedSocket::open(&srv, "", Some(&cookie)).await;
    assert_eq!(by_session.next_json().await["type"], "snapshot");
    // Signed in, but watching an open demo tenant: signing out ends this one too.
    let mut on_open = FeedSocket::open(&srv, "?tenant=tenant_b", Some(&cookie)).await;
    assert_eq!(on_open.next_json().await["type"], "snapshot");

    let created: Value = reqwest::Client::new()
        .post(srv.url("/api/tokens"))
        .bearer_auth("token_admin_b")
        .json(&json!({ "name": "feed reader" }))
        .send()
        .await
        .expect("create token")
        .json()
        .await
        .expect("json");
    let secret = created["secret"].as_str().unwrap_or_default();
    let mut by_token = FeedSocket::open(&srv, &format!("?token={secret}"), None).await;
    assert_eq!(by_token.next_json().await["tenant_id"], "company_b");
    let mut anonymous = FeedSocket::open(&srv, "?tenant=tenant_a", None).await;
    assert_eq!(anonymous.next_json().await["type"], "snapshot");

    let out = reqwest::Client::new()
        .post(srv.url("/api/auth/sign_out"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("sign out");
    assert_eq!(out.status(), 200);
    assert_eq!(by_session.close_code().await, 4401);
    assert_eq!(on_open.close_code().await, 4401);

    let id = created["token"]["id"].as_str().unwrap_or_default();
    let revoked = reqwest::Client::new()
        .delete(srv.url(&format!("/api/tokens/{id}")))
        .bearer_auth("token_admin_b")
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), 204);
    assert_eq!(by_token.close_code().await, 4401);

    // Open-tenant watchers hold no credentials to lose: still streaming.
    post_ok(&srv, Auth::Tenant("tenant_a"), "still here").await;
    assert_eq!(anonymous.messages(1).await, ["still here"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_client_is_dropped_and_never_delays_the_others() {
    let srv = TestServer::start(&["--feed-send-timeout-secs", "1", "--feed-buffer", "6000"]).await;
    let _stuck = FeedSocket::stuck(&srv, "?tenant=tenant_a").await;
    let mut reader = FeedSocket::open(&srv, "?tenant=tenant_a", None).await;
    assert_eq!(reader.next_json().await["type"], "snapshot");
    let hub = &srv.state.feed.hub;
    assert_eq!(hub.connections("tenant_a"), 2);
    // 12 MB: more than the stuck socket's kernel buffers and its 4 MB write buffer can hold.
    let body = "x".repeat(1990);
    let publisher = {
        let state = srv.state.clone();
        tokio::spawn(async move {
            for i in 1..=6000u32 {
                state.feed.hub.publish("tenant_a", format!("{i:>9} {body}"));
                if i % 50 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        })
    };
    let mut next = 1u64;
    while next <= 6000 {
        let msg = reader.next_json().await;
        let offsets: Vec<u64> = match msg["type"].as_str() {
            Some("event") => vec![msg["event"]["offset"].as_u64().unwrap_or(0)],
            Some("resume") => msg["events"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["offset"].as_u64())
                .collect(),
            Some("lagged") => continue,
            other => panic!("unexpected {other:?}"),
        };
        for offset in offsets {
            assert_eq!(offset, next, "the reader gets every event once, in order");
            next += 1;
        }
    }
    publisher.await.expect("publisher");
    // The stuck one is closed after the send timeout (or when its write buffer overflows).
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while hub.connections("tenant_a") > 1 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "stuck client still connected"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
