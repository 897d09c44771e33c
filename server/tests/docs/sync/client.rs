//! A Rust y-websocket client (yrs + `yrs::sync` over tokio-tungstenite) for the protocol tests,
//! and helpers that create and share documents with SQL.

use crate::common::TestServer;
use futures_util::{SinkExt, StreamExt};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message as Ws;
use yrs::encoding::read::Cursor;
use yrs::sync::awareness::AwarenessUpdateEntry;
use yrs::sync::{AwarenessUpdate, Message, MessageReader, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{
    ClientID, Doc, GetString, ReadTxn, Transact, Update, XmlElementPrelim, XmlFragment,
    XmlTextPrelim,
};

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How a test client authenticates the upgrade.
#[derive(Clone)]
pub enum Auth {
    Cookie(String),
    Token(&'static str),
    None,
}

fn request(
    srv: &TestServer,
    doc_id: &str,
    auth: &Auth,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let query = match auth {
        Auth::Token(t) => format!("?token={t}"),
        _ => String::new(),
    };
    let url = format!(
        "{}/ws/docs/{doc_id}{query}",
        srv.base.replacen("http", "ws", 1)
    );
    let mut req = url.into_client_request().expect("ws request");
    if let Auth::Cookie(c) = auth {
        req.headers_mut()
            .insert("cookie", c.parse().expect("cookie"));
    }
    req
}

/// The HTTP status of a refused upgrade (panics when it is accepted).
pub async fn refused(srv: &TestServer, doc_id: &str, auth: &Auth) -> u16 {
    match tokio_tungstenite::connect_async(request(srv, doc_id, auth)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => res.status().as_u16(),
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("the upgrade was accepted"),
    }
}

/// One simulated editor: a yrs document synced over the socket.
pub struct YClient {
    ws: Stream,
    pub doc: Doc,
    queue: VecDeque<Message>,
    /// Awareness states heard, by client id (None: removed).
    pub presence: HashMap<u64, Option<String>>,
    /// Frames of each kind received: sync step 1, step 2, update, awareness.
    pub counts: [usize; 4],
    clock: u32,
}

impl YClient {
    /// Connects (asserting the upgrade succeeded); nothing is sent yet.
    pub async fn connect(srv: &TestServer, doc_id: &str, auth: &Auth) -> YClient {
        let (ws, _) = tokio_tungstenite::connect_async(request(srv, doc_id, auth))
            .await
            .expect("websocket connects");
        YClient {
            ws,
            doc: Doc::new(),
            queue: VecDeque::new(),
            presence: HashMap::new(),
            counts: [0; 4],
            clock: 0,
        }
    }

    /// Connects and completes the sync handshake.
    pub async fn synced(srv: &TestServer, doc_id: &str, auth: &Auth) -> YClient {
        let mut c = YClient::connect(srv, doc_id, auth).await;
        c.sync().await;
        c
    }

    pub fn client_id(&self) -> u64 {
        self.doc.client_id().get()
    }

    pub async fn send(&mut self, message: Message) {
        self.ws
            .send(Ws::Binary(message.encode_v1().into()))
            .await
            .expect("send");
    }

    pub async fn send_raw(&mut self, bytes: Vec<u8>) -> bool {
        self.ws.send(Ws::Binary(bytes.into())).await.is_ok()
    }

    /// The next protocol message within `wait`, handled like a y-websocket client would
    /// (updates applied, step 1 answered, awareness recorded). None on timeout or close.
    pub async fn next(&mut self, wait: Duration) -> Option<Message> {
        let deadline = tokio::time::Instant::now() + wait;
        while self.queue.is_empty() {
            let frame = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .ok()??;
            match frame.ok()? {
                Ws::Binary(data) => {
                    let mut decoder = DecoderV1::new(Cursor::new(&data));
                    for m in MessageReader::new(&mut decoder) {
                        self.queue.push_back(m.expect("server frames decode"));
                    }
                }
                Ws::Close(_) => return None,
                _ => {}
            }
        }
        let message = self.queue.pop_front()?;
        self.handle(&message).await;
        Some(message)
    }

    async fn handle(&mut self, message: &Message) {
        match message {
            Message::Sync(SyncMessage::SyncStep1(sv)) => {
                self.counts[0] += 1;
                let update = self.doc.transact().encode_state_as_update_v1(sv);
                self.send(Message::Sync(SyncMessage::SyncStep2(update)))
                    .await;
            }
            Message::Sync(SyncMessage::SyncStep2(u)) | Message::Sync(SyncMessage::Update(u)) => {
                let step2 = matches!(message, Message::Sync(SyncMessage::SyncStep2(_)));
                self.counts[if step2 { 1 } else { 2 }] += 1;
                let update = Update::decode_v1(u).expect("update decodes");
                self.doc
                    .transact_mut()
                    .apply_update(update)
                    .expect("update applies");
            }
            Message::Awareness(update) => {
                self.counts[3] += 1;
                for (id, entry) in &update.clients {
                    let state = (entry.json.as_ref() != "null").then(|| entry.json.to_string());
                    self.presence.insert(id.get(), state);
                }
            }
            _ => {}
        }
    }

    /// Sends sync step 1 and reads until step 2 arrived (the server's step 1 is answered).
    pub async fn sync(&mut self) {
        let sv = self.doc.transact().state_vector();
        self.send(Message::Sync(SyncMessage::SyncStep1(sv))).await;
        let before = self.counts[1];
        assert!(
            self.wait_until(|c| c.counts[1] > before, Duration::from_secs(10))
                .await,
            "no sync step 2"
        );
    }

    /// Reads until `done` holds; false when `wait` passed (or the socket closed) first.
    pub async fn wait_until(&mut self, done: impl Fn(&YClient) -> bool, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        while !done(self) {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() || self.next(left).await.is_none() {
                return done(self);
            }
        }
        true
    }

    /// Reads everything for `wait` (to prove something does not arrive).
    pub async fn drain(&mut self, wait: Duration) {
        let _ = self.wait_until(|_| false, wait).await;
    }

    /// Appends a paragraph with `text` as one edit, sent as an update; returns the update.
    pub async fn add_paragraph(&mut self, text: &str) -> Vec<u8> {
        let update = {
            let root = self.doc.get_or_insert_xml_fragment("prosemirror");
            let mut txn = self.doc.transact_mut();
            let p = root.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
            p.push_back(&mut txn, XmlTextPrelim::new(text));
            txn.encode_update_v1()
        };
        self.send(Message::Sync(SyncMessage::Update(update.clone())))
            .await;
        update
    }

    /// The paragraphs' text, in document order.
    pub fn paragraphs(&self) -> Vec<String> {
        let root = self.doc.get_or_insert_xml_fragment("prosemirror");
        let txn = self.doc.transact();
        root.children(&txn)
            .filter_map(|n| n.into_xml_element())
            .map(|e| {
                e.get_string(&txn)
                    .replace("<paragraph>", "")
                    .replace("</paragraph>", "")
            })
            .collect()
    }

    /// Announces `json` as this client's awareness state (a new clock each time).
    pub async fn set_presence(&mut self, json: &str) {
        self.clock += 1;
        let entry = AwarenessUpdateEntry {
            clock: self.clock,
            json: Arc::from(json),
        };
        let update = AwarenessUpdate {
            clients: HashMap::from([(ClientID::new(self.client_id()), entry)]),
        };
        self.send(Message::Awareness(update)).await;
    }

    /// Waits for the server to close the socket; the close code when it sent one.
    pub async fn closed(&mut self, wait: Duration) -> Option<Option<u16>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return None,
                Ok(None) | Ok(Some(Err(_))) => return Some(None),
                Ok(Some(Ok(Ws::Close(frame)))) => return Some(frame.map(|f| u16::from(f.code))),
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// Creates a document owned by `owner` in `tenant`; returns its id.
pub async fn create_doc(srv: &TestServer, owner: &str, tenant: &str, title: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let now = chrono::Utc::now().to_rfc3339();
    sqlx::query(
        "INSERT INTO docs (id, tenant_id, owner_id, title, created_at, updated_at) \
         SELECT ?, ?, id, ?, ?, ? FROM users WHERE username = ?",
    )
    .bind(&id)
    .bind(tenant)
    .bind(title)
    .bind(&now)
    .bind(&now)
    .bind(owner)
    .execute(&srv.state.pool)
    .await
    .expect("insert doc");
    id
}

/// Shares `doc` with `user` at `permission` (view, edit, admin).
pub async fn share(srv: &TestServer, doc: &str, user: &str, permission: &str) {
    sqlx::query(
        "INSERT INTO doc_collaborators (doc_id, user_id, permission, granted_at) \
         SELECT ?, id, ?, ? FROM users WHERE username = ?",
    )
    .bind(doc)
    .bind(permission)
    .bind(chrono::Utc::now().to_rfc3339())
    .bind(user)
    .execute(&srv.state.pool)
    .await
    .expect("share");
}

/// Stored update rows and whether a snapshot exists.
pub async fn stored(srv: &TestServer, doc: &str) -> (i64, bool) {
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doc_updates WHERE doc_id = ?")
        .bind(doc)
        .fetch_one(&srv.state.pool)
        .await
        .expect("count");
    let snap: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doc_snapshots WHERE doc_id = ?")
        .bind(doc)
        .fetch_one(&srv.state.pool)
        .await
        .expect("count");
    (rows, snap > 0)
}

/// The stored document's paragraphs (what a fresh load would see).
pub async fn stored_paragraphs(srv: &TestServer, doc: &str) -> Vec<String> {
    let state = app::docs::collab::revisions::current_state(&srv.state.pool, doc)
        .await
        .expect("state");
    let doc = app::docs::collab::restore::doc_from_state(&state).expect("doc");
    let root = doc.get_or_insert_xml_fragment("prosemirror");
    let txn = doc.transact();
    root.children(&txn)
        .filter_map(|n| n.into_xml_element())
        .map(|e| {
            e.get_string(&txn)
                .replace("<paragraph>", "")
                .replace("</paragraph>", "")
        })
        .collect()
}

/// Waits until the stored document has `n` top-level blocks (an edit sent is stored shortly
/// after; a late joiner's sync step 2 then carries it).
pub async fn stored_blocks(srv: &TestServer, doc: &str, n: usize) {
    for _ in 0..200 {
        if stored_paragraphs(srv, doc).await.len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the document never had {n} blocks stored");
}
