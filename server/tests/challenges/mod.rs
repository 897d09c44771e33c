//! Challenges (issue 7): the REST API against a real server. Grading uses the direct (test)
//! runner, which runs plans with the host's python3/node without a sandbox.

mod api;
mod authoring;
mod library;
mod sandbox;
mod sandbox_hardening;
mod submissions;

use crate::common::TestServer;
use app::challenges::service::direct_runner::DirectRunner;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

pub const ADMIN: &str = "token_admin_a";
pub const STUDENT: &str = "token_user_a";
pub const INSTRUCTOR: &str = "token_instructor_a";
pub const OTHER_TENANT: &str = "token_admin_b";

/// A server whose runner executes plans directly.
pub async fn server(extra: &[&str]) -> TestServer {
    let srv = TestServer::start(extra).await;
    srv.state
        .challenges
        .set_runner(Arc::new(DirectRunner::default()));
    srv
}

/// A small authored Python task: `double(x)`, one public and one hidden test.
pub fn task(title: &str, public: bool) -> Value {
    json!({
        "title": title,
        "summary": format!("{title}: write double(x)."),
        "description": "Write `double(x)` returning twice its argument.",
        "category": "Basics",
        "difficulty": "BEGINNER",
        "level": 1,
        "skills": ["Functions"],
        "roles": ["Backend Developer"],
        "tools": ["Python"],
        "estimated_minutes": 5,
        "objectives": ["Return a value"],
        "hints": ["Multiply by two."],
        "grading_note": "Unit tests on double().",
        "is_public": public,
        "variants": [{
            "language": "python",
            "starter": "def double(x):\n    pass\n",
            "solution": "def double(x):\n    return 2 * x\n"
        }],
        "tests": [
            {"name": "doubles two", "public": true, "description": "double(2) is 4",
             "checks": [{"language": "python", "code": "return double(2)", "expected": 4}]},
            {"name": "doubles negatives", "public": false, "description": "a negative number",
             "checks": [{"language": "python", "code": "return double(-21)", "expected": -42}]}
        ]
    })
}

pub fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// `POST /api/v1/challenges` as `token`; the response.
pub async fn create_as(srv: &TestServer, token: &str, body: &Value) -> reqwest::Response {
    http()
        .post(srv.url("/api/v1/challenges"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("create")
}

/// Creates a challenge as `token` (asserting 201); its id.
pub async fn create_ok(srv: &TestServer, token: &str, body: &Value) -> String {
    let res = create_as(srv, token, body).await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.expect("json");
    v["summary"]["id"].as_str().expect("id").to_string()
}

/// `GET path` as `token`.
pub async fn get_as(srv: &TestServer, token: &str, path: &str) -> reqwest::Response {
    http()
        .get(srv.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("get")
}

/// Queues code (asserting 202); the submission id.
pub async fn submit(
    srv: &TestServer,
    token: &str,
    challenge: &str,
    code: &str,
    mode: &str,
) -> String {
    let res = http()
        .post(srv.url("/api/v1/submissions"))
        .bearer_auth(token)
        .json(&json!({"challenge_id": challenge, "language": "python", "code": code, "mode": mode}))
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 202);
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["status"], "PENDING");
    v["id"].as_str().expect("id").to_string()
}

/// Every state the SSE stream sends until it ends (after the final state).
pub async fn follow(srv: &TestServer, token: &str, id: &str) -> Vec<Value> {
    let res = get_as(srv, token, &format!("/api/v1/submissions/{id}/events")).await;
    assert_eq!(res.status(), 200);
    let body = tokio::time::timeout(Duration::from_secs(90), res.text())
        .await
        .expect("the stream ends after the final state")
        .expect("body");
    body.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(|d| serde_json::from_str(d.trim()).expect("event json"))
        .collect()
}
