//! One simulated editor of the docs benchmark: a yrs document synced over y-websocket frames,
//! typing words into its own paragraph at a steady rate and timing the updates it receives.

use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message as Ws;
use yrs::encoding::read::Cursor;
use yrs::sync::{Message, MessageReader, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{
    Doc, GetString, ReadTxn, Text, Transact, Update, XmlElementPrelim, XmlFragment, XmlTextPrelim,
    XmlTextRef,
};

pub type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// When each update was sent (keyed by its bytes, which the server relays unchanged).
pub type SentAt = Arc<Mutex<HashMap<Vec<u8>, Instant>>>;

/// Connects to `/ws/docs/{doc}` with an API token.
pub async fn connect(base: &str, doc: &str, token: &str) -> Stream {
    let url = format!(
        "{}/ws/docs/{doc}?token={token}",
        base.replacen("http", "ws", 1)
    );
    // Nagle off, as browsers do for WebSockets: small frames go out at once.
    tokio_tungstenite::connect_async_with_config(url, None, true)
        .await
        .expect("websocket connects")
        .0
}

pub fn frame(message: Message) -> Ws {
    Ws::Binary(message.encode_v1().into())
}

/// Applies what a frame carries to `doc`; answers the server's step 1. Returns the updates
/// (not step 2s) it held, and whether a step 2 came.
pub async fn handle(ws: &mut Stream, doc: &Doc, data: &[u8]) -> (Vec<Vec<u8>>, bool) {
    let mut decoder = DecoderV1::new(Cursor::new(data));
    let (mut updates, mut step2) = (Vec::new(), false);
    let messages: Vec<Message> = MessageReader::new(&mut decoder)
        .filter_map(Result::ok)
        .collect();
    for m in messages {
        match m {
            Message::Sync(SyncMessage::SyncStep1(sv)) => {
                let reply = doc.transact().encode_state_as_update_v1(&sv);
                let _ = ws
                    .send(frame(Message::Sync(SyncMessage::SyncStep2(reply))))
                    .await;
            }
            Message::Sync(SyncMessage::SyncStep2(u)) => {
                if let Ok(update) = Update::decode_v1(&u) {
                    let _ = doc.transact_mut().apply_update(update);
                }
                step2 = true;
            }
            Message::Sync(SyncMessage::Update(u)) => updates.push(u),
            _ => {}
        }
    }
    (updates, step2)
}

/// Sends step 1 and reads until step 2 is applied.
pub async fn sync(ws: &mut Stream, doc: &Doc) {
    let sv = doc.transact().state_vector();
    ws.send(frame(Message::Sync(SyncMessage::SyncStep1(sv))))
        .await
        .expect("send step 1");
    while let Some(Ok(msg)) = ws.next().await {
        if let Ws::Binary(data) = msg {
            if handle(ws, doc, &data).await.1 {
                return;
            }
        }
    }
    panic!("socket closed before sync step 2");
}

/// What one editor measured.
pub struct Tally {
    pub latency: Histogram<u64>,
    pub received: u64,
    pub sent: u64,
    /// The document's XML at the end (equal on every editor when they converged).
    pub content: String,
}

/// Runs one editor: `rate` edits a second until `stop`, then reads for `drain` more.
pub async fn editor(
    mut ws: Stream,
    id: usize,
    rate: f64,
    start: Instant,
    stop: Instant,
    drain: Duration,
    sent_at: SentAt,
) -> Tally {
    let doc = Doc::new();
    sync(&mut ws, &doc).await;
    let text: XmlTextRef = {
        let root = doc.get_or_insert_xml_fragment("prosemirror");
        let mut txn = doc.transact_mut();
        let p = root.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
        let t = p.push_back(&mut txn, XmlTextPrelim::new(format!("editor {id}:")));
        let update = txn.encode_update_v1();
        drop(txn);
        let _ = ws
            .send(frame(Message::Sync(SyncMessage::Update(update))))
            .await;
        t
    };
    let mut tally = Tally {
        latency: Histogram::new_with_bounds(1, 60_000_000, 3).expect("hist"),
        received: 0,
        sent: 0,
        content: String::new(),
    };
    // Editors start spread over one interval so the load is steady, not in bursts.
    let every = Duration::from_secs_f64(1.0 / rate);
    let first = start + every.mul_f64((id as f64 * 0.618_034) % 1.0);
    let mut tick = tokio::time::interval_at(first.into(), every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let end = stop + drain;
    loop {
        tokio::select! {
            _ = tick.tick(), if Instant::now() < stop => {
                let update = {
                    let mut txn = doc.transact_mut();
                    let at = text.len(&txn);
                    text.insert(&mut txn, at, &format!(" w{}", tally.sent));
                    txn.encode_update_v1()
                };
                sent_at.lock().unwrap_or_else(|e| e.into_inner()).insert(update.clone(), Instant::now());
                if ws.send(frame(Message::Sync(SyncMessage::Update(update)))).await.is_err() {
                    break;
                }
                tally.sent += 1;
            }
            msg = tokio::time::timeout_at(end.into(), ws.next()) => {
                let Ok(Some(Ok(msg))) = msg else { break };
                let Ws::Binary(data) = msg else { continue };
                let (updates, _) = handle(&mut ws, &doc, &data).await;
                let now = Instant::now();
                for u in updates {
                    let sent = sent_at.lock().unwrap_or_else(|e| e.into_inner()).get(&u).copied();
                    if let Some(sent) = sent.filter(|_| now < stop + drain) {
                        let _ = tally.latency.record((now - sent).as_micros().max(1) as u64);
                        tally.received += 1;
                    }
                    if let Ok(update) = Update::decode_v1(&u) {
                        let _ = doc.transact_mut().apply_update(update);
                    }
                }
            }
        }
    }
    let root = doc.get_or_insert_xml_fragment("prosemirror");
    tally.content = root.get_string(&doc.transact());
    let _ = ws.close(None).await;
    tally
}
