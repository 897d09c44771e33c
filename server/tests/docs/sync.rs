//! The Yjs sync server over a real WebSocket with a Rust yrs client: the protocol, presence,
//! access, limits and keepalive. Storage and revisions are in the submodules.

mod client;
mod revisions;
mod storage;

use crate::common::TestServer;
use client::{create_doc, refused, share, stored_blocks, stored_paragraphs, Auth, YClient};
use std::time::Duration;
use yrs::sync::{Message, SyncMessage};

const WAIT: Duration = Duration::from_secs(10);

fn has(text: &'static str) -> impl Fn(&YClient) -> bool {
    move |c: &YClient| c.paragraphs().iter().any(|p| p == text)
}

#[tokio::test]
async fn two_clients_exchange_steps_and_updates_and_converge() {
    let srv = TestServer::start(&[]).await;
    let doc = create_doc(&srv, "user_a", "company_a", "Plan").await;
    let cookie = Auth::Cookie(srv.session_cookie("user_a").await);
    // The server opens with sync step 1, like the reference server.
    let mut a = YClient::connect(&srv, &doc, &cookie).await;
    let first = a.next(WAIT).await.expect("a first message");
    assert!(
        matches!(first, Message::Sync(SyncMessage::SyncStep1(_))),
        "{first:?}"
    );
    a.sync().await;
    a.add_paragraph("from a").await;
    stored_blocks(&srv, &doc, 1).await;
    // A tenant admin (by token) joins late and gets a's edit in sync step 2.
    let mut b = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    assert_eq!(b.paragraphs(), ["from a"]);
    // Concurrent edits on both sides converge.
    a.add_paragraph("a again").await;
    b.add_paragraph("from b").await;
    assert!(b.wait_until(has("a again"), WAIT).await);
    assert!(a.wait_until(has("from b"), WAIT).await);
    assert_eq!(a.paragraphs(), b.paragraphs());
    assert_eq!(a.paragraphs().len(), 3);
    assert_eq!(stored_paragraphs(&srv, &doc).await, a.paragraphs());
}

#[tokio::test]
async fn awareness_reaches_everyone_including_the_sender_and_leaves_with_the_socket() {
    let srv = TestServer::start(&[]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Presence").await;
    let mut a = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let mut b = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let a_id = a.client_id();
    a.set_presence(r##"{"user":{"name":"Admin A","color":"#c33"}}"##)
        .await;
    let present = move |c: &YClient| c.presence.get(&a_id).is_some_and(|s| s.is_some());
    assert!(
        a.wait_until(present, WAIT).await,
        "the sender hears its own awareness"
    );
    assert!(b.wait_until(present, WAIT).await, "peers hear it");
    // A late joiner gets the known states on connect, and again when it queries.
    let mut c = YClient::connect(&srv, &doc, &Auth::Token("token_admin_a")).await;
    assert!(c.wait_until(present, WAIT).await, "states sent on connect");
    c.presence.clear();
    c.send(Message::AwarenessQuery).await;
    assert!(
        c.wait_until(present, WAIT).await,
        "query-awareness answered"
    );
    // Closing a's socket removes its presence within seconds.
    a.close().await;
    let gone = move |c: &YClient| c.presence.get(&a_id).is_some_and(|s| s.is_none());
    assert!(
        b.wait_until(gone, Duration::from_secs(3)).await,
        "presence removed on close"
    );
    assert!(c.wait_until(gone, Duration::from_secs(3)).await);
}

#[tokio::test]
async fn a_viewers_updates_are_dropped_but_it_still_syncs_and_sees_presence() {
    let srv = TestServer::start(&[]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Read only").await;
    share(&srv, &doc, "user_a", "view").await;
    let mut editor = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let mut viewer = YClient::synced(&srv, &doc, &Auth::Token("token_user_a")).await;
    viewer.add_paragraph("viewer edit").await;
    editor.add_paragraph("editor edit").await;
    assert!(
        viewer.wait_until(has("editor edit"), WAIT).await,
        "a viewer receives edits"
    );
    viewer.set_presence(r#"{"user":{"name":"User A"}}"#).await;
    let v_id = viewer.client_id();
    assert!(
        editor
            .wait_until(move |c| c.presence.contains_key(&v_id), WAIT)
            .await
    );
    editor.drain(Duration::from_millis(300)).await;
    assert_eq!(editor.paragraphs(), ["editor edit"]);
    let fresh = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    assert_eq!(fresh.paragraphs(), ["editor edit"]);
    assert_eq!(stored_paragraphs(&srv, &doc).await, ["editor edit"]);
}

#[tokio::test]
async fn upgrades_are_refused_without_access_and_tokens_work_in_the_query() {
    let srv = TestServer::start(&[]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Private").await;
    assert_eq!(refused(&srv, &doc, &Auth::None).await, 401);
    assert_eq!(refused(&srv, &doc, &Auth::Token("not-a-token")).await, 401);
    assert_eq!(
        refused(&srv, &doc, &Auth::Token("token_admin_b")).await,
        404,
        "other tenant"
    );
    assert_eq!(
        refused(&srv, &doc, &Auth::Token("token_user_a")).await,
        404,
        "not shared"
    );
    let b_cookie = Auth::Cookie(srv.session_cookie("admin_b").await);
    assert_eq!(refused(&srv, &doc, &b_cookie).await, 404);
    assert_eq!(
        refused(&srv, "no-such-doc", &Auth::Token("token_admin_a")).await,
        404
    );
    share(&srv, &doc, "user_a", "edit").await;
    let mut a = YClient::synced(&srv, &doc, &Auth::Token("token_user_a")).await;
    a.add_paragraph("shared now").await;
    stored_blocks(&srv, &doc, 1).await;
    let owner = YClient::synced(
        &srv,
        &doc,
        &Auth::Cookie(srv.session_cookie("admin_a").await),
    )
    .await;
    assert_eq!(owner.paragraphs(), ["shared now"]);
}

#[tokio::test]
async fn an_oversized_message_closes_the_connection() {
    let srv = TestServer::start(&["--collab-max-message-bytes", "65536"]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Big").await;
    let mut a = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    a.send_raw(vec![0u8; 100_000]).await;
    let closed = a.closed(WAIT).await.expect("the server closes the socket");
    assert_eq!(closed, Some(1009), "message too big");
    // Malformed frames (an unknown sync step, an update that does not decode) close it too
    // (1003); the room is unharmed.
    for bad in [vec![0, 9, 0], vec![0, 2, 3, 0xff, 0xff, 0xff]] {
        let mut b = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
        b.send_raw(bad).await;
        assert_eq!(b.closed(WAIT).await, Some(Some(1003)));
    }
    let mut c = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let mut d = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    c.add_paragraph("still fine").await;
    assert!(d.wait_until(has("still fine"), WAIT).await);
    assert_eq!(stored_paragraphs(&srv, &doc).await, ["still fine"]);
}

/// Takes 40 s; it runs alongside the other tests.
#[tokio::test]
async fn a_client_idle_for_40_seconds_stays_connected() {
    let srv = TestServer::start(&[]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Idle").await;
    let mut idle = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    // Reading (so pings are answered, as browsers do) but sending nothing for 40 s.
    idle.drain(Duration::from_secs(40)).await;
    let mut other = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    other.add_paragraph("after the pause").await;
    assert!(
        idle.wait_until(has("after the pause"), WAIT).await,
        "still connected"
    );
    idle.add_paragraph("idle speaks").await;
    assert!(other.wait_until(has("idle speaks"), WAIT).await);
}

#[tokio::test]
async fn a_downgrade_drops_later_edits_and_a_revoked_share_closes_the_socket() {
    let srv = TestServer::start(&["--collab-ping-secs", "1"]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Revocable").await;
    share(&srv, &doc, "user_a", "edit").await;
    let mut owner = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let mut user = YClient::synced(&srv, &doc, &Auth::Token("token_user_a")).await;
    let set = |sql: &'static str| {
        let (pool, doc) = (srv.state.pool.clone(), doc.clone());
        async move {
            sqlx::query(sql)
                .bind(doc)
                .execute(&pool)
                .await
                .expect("update")
        }
    };
    set("UPDATE doc_collaborators SET permission = 'view' WHERE doc_id = ?").await;
    // Access is re-checked on every ping (each second here).
    user.drain(Duration::from_millis(2500)).await;
    user.add_paragraph("after downgrade").await;
    owner.add_paragraph("owner").await;
    assert!(user.wait_until(has("owner"), WAIT).await);
    owner.drain(Duration::from_millis(300)).await;
    assert_eq!(owner.paragraphs(), ["owner"]);
    set("DELETE FROM doc_collaborators WHERE doc_id = ?").await;
    assert_eq!(user.closed(Duration::from_secs(5)).await, Some(Some(1008)));
    assert_eq!(refused(&srv, &doc, &Auth::Token("token_user_a")).await, 404);
}

/// A client that stops reading is dropped by the room once its queue is full; the others go on.
#[tokio::test]
async fn a_stuck_reader_is_dropped_and_never_holds_up_the_room() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let srv = TestServer::start(&["--collab-connection-queue", "16"]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Flood").await;
    // A socket with a tiny receive buffer that is never read: a frozen tab.
    let addr = srv
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("addr");
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("rcvbuf");
    let tcp = socket.connect(addr).await.expect("connect");
    let url = format!(
        "{}/ws/docs/{doc}?token=token_admin_a",
        srv.base.replacen("http", "ws", 1)
    );
    let (mut stuck, _) =
        tokio_tungstenite::client_async(url.into_client_request().expect("req"), tcp)
            .await
            .expect("handshake");
    let mut writer = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let mut reader = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    let big = "x".repeat(100_000);
    // Paced by a live reader, which therefore never falls behind; the stuck one does.
    for i in 0..80 {
        writer.add_paragraph(&format!("{i} {big}")).await;
        let n = i + 1;
        let started = std::time::Instant::now();
        assert!(
            reader
                .wait_until(move |c| c.paragraphs().len() == n, WAIT)
                .await,
            "relay {i}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the room was held up"
        );
    }
    // The stuck connection was dropped: its stream ends (after what was already buffered).
    let ended = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(Ok(_)) = stuck.next().await {}
    })
    .await;
    assert!(ended.is_ok(), "the stuck connection was closed");
}
