//! Cursor paging over many events, also while new events arrive between pages.

use super::{ev, get, post};
use crate::common::TestServer;
use serde_json::{json, Value};
use std::collections::HashSet;

/// Posts `n` events of company_a in batches of 100; ids `p<i>`, several per timestamp.
async fn seed(srv: &TestServer, n: usize, prefix: &str) {
    let events: Vec<Value> = (0..n)
        .map(|i| {
            let ts = format!("2026-02-01T10:{:02}:00Z", (i / 5) % 60);
            ev(
                &format!("{prefix}{i:04}"),
                &format!("u{}", i % 7),
                "click",
                &ts,
            )
        })
        .collect();
    for chunk in events.chunks(100) {
        let res = post(srv, "token_admin_a", None, &json!({ "events": chunk })).await;
        assert_eq!(res.status(), 201);
    }
}

/// Walks all pages of `query` with `limit`; calls `between` after each page.
async fn walk(
    srv: &TestServer,
    limit: usize,
    mut between: impl AsyncFnMut(usize),
) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for page_no in 0.. {
        let path = match &cursor {
            Some(c) => format!("/api/v1/events?limit={limit}&cursor={c}"),
            None => format!("/api/v1/events?limit={limit}"),
        };
        let (status, page) = get(srv, "token_admin_a", &path).await;
        assert_eq!(status, 200);
        let events = page["events"].as_array().expect("events");
        assert!(events.len() <= limit);
        for e in events {
            let ts = e["timestamp"].as_str().expect("ts").to_string();
            seen.push((ts, e["event_id"].as_str().expect("id").to_string()));
        }
        between(page_no).await;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    seen
}

#[tokio::test]
async fn pages_cover_every_event_once_newest_first() {
    let srv = TestServer::start(&[]).await;
    seed(&srv, 250, "p").await;
    let seen = walk(&srv, 40, async |_| {}).await;
    assert_eq!(seen.len(), 250);
    let unique: HashSet<_> = seen.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(unique.len(), 250);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first, then event_id descending");
}

#[tokio::test]
async fn new_events_between_pages_cause_no_gaps_or_repeats() {
    let srv = TestServer::start(&[]).await;
    seed(&srv, 250, "p").await;
    let mut n = 0;
    let seen = walk(&srv, 50, async |_| {
        // A newer event, and one newer than the cursor inside the range already walked.
        n += 1;
        let body = json!({ "events": [
            ev(&format!("new{n}"), "u", "click", "2026-03-01T00:00:00Z"),
            ev(&format!("mid{n}"), "u", "click", "2026-02-01T10:49:30Z"),
        ]});
        assert_eq!(post(&srv, "token_admin_a", None, &body).await.status(), 201);
    })
    .await;
    let ids: Vec<&str> = seen.iter().map(|(_, id)| id.as_str()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no repeats");
    for i in 0..250 {
        assert!(
            unique.contains(format!("p{i:04}").as_str()),
            "p{i:04} missing"
        );
    }
    // Every insert landed above the cursor: the walk saw exactly the seeded events.
    assert_eq!(ids.len(), 250);
}
