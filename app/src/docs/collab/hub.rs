//! The live rooms, one per open document, loaded on first use and unloaded when empty.

use super::protocol::Incoming;
use super::room::{Command, Room};
use crate::error::AppError;
use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Limits and timings of the collaborative rooms.
#[derive(Debug, Clone, Copy)]
pub struct CollabLimits {
    /// Largest WebSocket message accepted, in bytes; a bigger one closes the connection.
    pub max_message_bytes: usize,
    /// Frames queued for one connection before it counts as too slow and is dropped.
    pub connection_queue: usize,
    /// WebSocket pings this often; a client silent for three intervals is dropped.
    pub ping_every: Duration,
    /// Compaction runs this long after the last edit...
    pub compact_idle: Duration,
    /// ...and at least this often while edits continue.
    pub compact_max: Duration,
    /// A periodic revision is saved on compaction when the newest is older than this.
    pub revision_every_minutes: i64,
}

impl Default for CollabLimits {
    fn default() -> Self {
        Self {
            max_message_bytes: 8 * 1024 * 1024,
            connection_queue: 1024,
            ping_every: Duration::from_secs(15),
            compact_idle: Duration::from_secs(2),
            compact_max: Duration::from_secs(10),
            revision_every_minutes: 10,
        }
    }
}

/// A room's command queue, with the generation that tells a reloaded room from its predecessor.
#[derive(Debug, Clone)]
pub(crate) struct RoomHandle {
    pub tx: mpsc::Sender<Command>,
    pub generation: u64,
}

pub(crate) type Rooms = Arc<Mutex<HashMap<String, RoomHandle>>>;

/// The rooms of this process.
#[derive(Debug)]
pub struct Hub {
    pool: sqlx::SqlitePool,
    limits: CollabLimits,
    rooms: Rooms,
    next_id: AtomicU64,
}

/// A connection's place in a room: send it parsed messages, read its frames from `outgoing`
/// (closed when the room drops the connection). Leaving happens on drop.
#[derive(Debug)]
pub struct Member {
    conn: u64,
    tx: mpsc::Sender<Command>,
    pub outgoing: mpsc::Receiver<Bytes>,
}

impl Member {
    /// Hands messages to the room; Err when the room has gone (the client should reconnect).
    pub async fn send(&self, messages: Vec<Incoming>) -> Result<(), ()> {
        let conn = self.conn;
        self.tx
            .send(Command::Messages { conn, messages })
            .await
            .map_err(|_| ())
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        let (tx, conn) = (self.tx.clone(), self.conn);
        if let Err(mpsc::error::TrySendError::Full(cmd)) = tx.try_send(Command::Leave { conn }) {
            // A busy room still has to hear it; outside a runtime (shutdown) nothing is left
            // to tell.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = tx.send(cmd).await;
                });
            }
        }
    }
}

const ATTEMPTS: usize = 5;

impl Hub {
    /// A hub with no rooms loaded.
    pub fn new(pool: sqlx::SqlitePool, limits: CollabLimits) -> Self {
        Self {
            pool,
            limits,
            rooms: Arc::new(Mutex::new(HashMap::new())),
            next_id: AtomicU64::new(1),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> CollabLimits {
        self.limits
    }

    /// Documents with a live room (for metrics and tests).
    pub fn loaded(&self) -> usize {
        self.rooms.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn room(&self, doc_id: &str) -> RoomHandle {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(handle) = rooms.get(doc_id) {
            return handle.clone();
        }
        let (tx, rx) = mpsc::channel(4096);
        let generation = self.next_id.fetch_add(1, Ordering::Relaxed);
        let handle = RoomHandle { tx, generation };
        rooms.insert(doc_id.to_string(), handle.clone());
        let (doc_id, pool, limits, rooms) = (
            doc_id.to_string(),
            self.pool.clone(),
            self.limits,
            self.rooms.clone(),
        );
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            match Room::load(doc_id.clone(), generation, pool, limits, rooms.clone()).await {
                Ok(room) => {
                    metrics::histogram!("docs_room_load_seconds")
                        .record(started.elapsed().as_secs_f64());
                    room.run(rx).await
                }
                Err(e) => {
                    tracing::error!(doc = %doc_id, error = %e, "could not load document");
                    let mut rooms = rooms.lock().unwrap_or_else(|e| e.into_inner());
                    if rooms
                        .get(&doc_id)
                        .is_some_and(|h| h.generation == generation)
                    {
                        rooms.remove(&doc_id);
                    }
                }
            }
        });
        handle
    }

    /// Joins `doc_id`'s room (loading it when needed). The room first sends sync step 1 and the
    /// known awareness states to the new connection.
    pub async fn join(&self, doc_id: &str) -> Result<Member, AppError> {
        for _ in 0..ATTEMPTS {
            let handle = self.room(doc_id);
            let conn = self.next_id.fetch_add(1, Ordering::Relaxed);
            let (out, outgoing) = mpsc::channel(self.limits.connection_queue.max(8));
            let (reply, joined) = oneshot::channel();
            let cmd = Command::Join { conn, out, reply };
            if handle.tx.send(cmd).await.is_ok() && joined.await.is_ok() {
                return Ok(Member {
                    conn,
                    tx: handle.tx,
                    outgoing,
                });
            }
        }
        Err(AppError::new(
            crate::error::ErrorCode::Unavailable,
            "The document could not be opened; try again.",
        ))
    }

    /// Replaces the live content with `state` (a whole-document update) as one new edit that is
    /// stored and sent to every connection.
    pub async fn replace(&self, doc_id: &str, state: Vec<u8>) -> Result<(), AppError> {
        for _ in 0..ATTEMPTS {
            let handle = self.room(doc_id);
            let (reply, done) = oneshot::channel();
            let cmd = Command::Replace {
                state: state.clone(),
                reply,
            };
            if handle.tx.send(cmd).await.is_ok() {
                if let Ok(result) = done.await {
                    return result.map_err(AppError::internal);
                }
            }
        }
        Err(AppError::new(
            crate::error::ErrorCode::Unavailable,
            "The document is busy; try again.",
        ))
    }

    /// Closes `doc_id`'s room, if loaded, dropping its connections; nothing more is written.
    pub async fn close(&self, doc_id: &str) {
        let handle = self
            .rooms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(doc_id)
            .cloned();
        if let Some(handle) = handle {
            let (reply, done) = oneshot::channel();
            if handle.tx.send(Command::Close { reply }).await.is_ok() {
                let _ = done.await;
            }
        }
    }
}
