//! Durability: a restart loses nothing, and the update log is compacted into a snapshot.

use super::client::{create_doc, stored, stored_paragraphs, Auth, YClient};
use super::{has, WAIT};
use crate::common::TestServer;
use std::time::Duration;

#[tokio::test]
async fn a_restart_between_edits_loses_nothing() {
    // No compaction before the restart: the update log alone must carry every edit.
    let slow = [
        "--collab-compact-idle-ms",
        "600000",
        "--collab-compact-max-ms",
        "600000",
    ];
    let srv = TestServer::start(&slow).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Durable").await;
    let mut a = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let mut b = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    a.add_paragraph("before 1").await;
    b.add_paragraph("before 2").await;
    // A relayed edit is a stored edit.
    assert!(b.wait_until(has("before 1"), WAIT).await);
    assert!(a.wait_until(has("before 2"), WAIT).await);
    assert_eq!(stored(&srv, &doc).await, (2, false));
    // A crash-like stop while both are still connected: the old server writes nothing more.
    let srv = srv.restart(&[]).await;
    drop((a, b));
    let mut c = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let mut got = c.paragraphs();
    got.sort();
    assert_eq!(got, ["before 1", "before 2"]);
    let mut watcher = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    c.add_paragraph("after").await;
    assert!(watcher.wait_until(has("after"), WAIT).await);

    let srv = srv.restart(&[]).await;
    drop((c, watcher));
    let d = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    assert_eq!(d.paragraphs().len(), 3);
    assert!(d.paragraphs().iter().any(|p| p == "after"));
}

#[tokio::test]
async fn updates_are_compacted_into_a_snapshot_after_the_debounce() {
    let fast = [
        "--collab-compact-idle-ms",
        "300",
        "--collab-compact-max-ms",
        "1000",
    ];
    let srv = TestServer::start(&fast).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Compact").await;
    let mut a = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let mut watcher = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    for i in 0..20 {
        a.add_paragraph(&format!("p{i}")).await;
    }
    assert!(watcher.wait_until(has("p19"), WAIT).await);
    let (rows, _) = stored(&srv, &doc).await;
    assert!(rows > 0, "updates are logged first");
    // While the room stays open, the debounce compacts the log into one snapshot.
    let mut compacted = false;
    for _ in 0..50 {
        if stored(&srv, &doc).await == (0, true) {
            compacted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(compacted, "log compacted: {:?}", stored(&srv, &doc).await);
    assert_eq!(stored_paragraphs(&srv, &doc).await.len(), 20);
    // The first compaction of edited content also saved a periodic (unnamed) revision.
    let periodic: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM doc_revisions WHERE doc_id = ? AND name IS NULL")
            .bind(&doc)
            .fetch_one(&srv.state.pool)
            .await
            .expect("count");
    assert_eq!(periodic, 1);
    // Later edits go to the log again, and the room unloads (compacting) when it empties.
    a.add_paragraph("late").await;
    assert!(watcher.wait_until(has("late"), WAIT).await);
    a.close().await;
    watcher.close().await;
    let mut unloaded = false;
    for _ in 0..50 {
        if srv.state.collab.hub.loaded() == 0 && stored(&srv, &doc).await == (0, true) {
            unloaded = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(unloaded, "room unloaded and compacted");
    let fresh = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    assert_eq!(fresh.paragraphs().len(), 21);
}

#[tokio::test]
async fn deleting_a_document_closes_its_room_and_drops_its_content() {
    let srv = TestServer::start(&[]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Doomed").await;
    let mut a = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let mut b = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    a.add_paragraph("soon gone").await;
    assert!(b.wait_until(has("soon gone"), WAIT).await);
    let res = reqwest::Client::new()
        .delete(srv.url(&format!("/api/v1/docs/{doc}")))
        .bearer_auth("token_admin_a")
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 204);
    assert!(a.closed(WAIT).await.is_some(), "connections are dropped");
    assert!(b.closed(WAIT).await.is_some());
    assert_eq!(stored(&srv, &doc).await, (0, false));
    assert_eq!(srv.state.collab.hub.loaded(), 0);
}
