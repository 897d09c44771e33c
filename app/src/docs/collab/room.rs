//! One live document: a task that owns the yrs document and its awareness, and the only writer
//! of its stored content.
//!
//! Commands are handled in batches: the updates of a batch are appended to SQLite in one
//! transaction and only then is anything of the batch sent (relayed updates, sync replies), so
//! no client ever sees an edit that a crash could lose. Each connection has a bounded queue;
//! when it is full the connection is dropped, so a slow reader never holds the room up.

use super::hub::{CollabLimits, Rooms};

#[path = "room_store.rs"]
mod room_store;
use super::protocol::{self, Incoming};
use super::store;
use axum::body::Bytes;
use std::collections::{HashMap, HashSet};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use yrs::sync::Awareness;
use yrs::updates::decoder::Decode;
use yrs::{ClientID, Doc, ReadTxn, Transact, Update};

/// Commands queued to a room.
#[derive(Debug)]
pub(crate) enum Command {
    Join {
        conn: u64,
        out: mpsc::Sender<Bytes>,
        reply: oneshot::Sender<()>,
    },
    Messages {
        conn: u64,
        messages: Vec<Incoming>,
    },
    Leave {
        conn: u64,
    },
    /// Replace the content with a revision's (restore): a new edit like any other.
    Replace {
        state: Vec<u8>,
        reply: oneshot::Sender<Result<(), String>>,
    },
    /// Close every connection and stop without writing anything more (document deleted).
    Close {
        reply: oneshot::Sender<()>,
    },
}

struct Conn {
    out: mpsc::Sender<Bytes>,
    /// Awareness client ids this connection announced (removed when it leaves).
    controlled: HashSet<ClientID>,
}

enum Target {
    One(u64),
    All,
    AllBut(u64),
}

pub(crate) struct Room {
    pub doc_id: String,
    pub generation: u64,
    pub pool: sqlx::SqlitePool,
    pub limits: CollabLimits,
    pub rooms: Rooms,
    awareness: Awareness,
    conns: HashMap<u64, Conn>,
    outbox: Vec<(Target, Bytes)>,
    pending: Vec<Vec<u8>>,
    /// The newest stored update row the document contains.
    last_id: i64,
    /// The newest update row covered by the snapshot.
    compacted_id: i64,
    /// First and last edit not yet compacted.
    dirty: Option<(Instant, Instant)>,
    edited_since_revision: bool,
}

impl Room {
    /// Loads the document from its snapshot and later updates.
    pub async fn load(
        doc_id: String,
        generation: u64,
        pool: sqlx::SqlitePool,
        limits: CollabLimits,
        rooms: Rooms,
    ) -> Result<Room, sqlx::Error> {
        let stored = store::load(&pool, &doc_id).await?;
        let doc = Doc::new();
        {
            let mut txn = doc.transact_mut();
            for bytes in stored.snapshot.iter().chain(stored.updates.iter()) {
                match Update::decode_v1(bytes) {
                    Ok(u) => {
                        if let Err(e) = txn.apply_update(u) {
                            tracing::error!(doc = %doc_id, error = %e, "stored update does not apply");
                        }
                    }
                    Err(e) => {
                        tracing::error!(doc = %doc_id, error = %e, "stored update unreadable")
                    }
                }
            }
        }
        let compacted_id = if stored.updates.is_empty() {
            stored.last_id
        } else {
            0
        };
        Ok(Room {
            doc_id,
            generation,
            pool,
            limits,
            rooms,
            awareness: Awareness::new(doc),
            conns: HashMap::new(),
            outbox: Vec::new(),
            pending: Vec::new(),
            last_id: stored.last_id,
            compacted_id,
            dirty: None,
            edited_since_revision: false,
        })
    }

    /// Serves commands until the room empties (or fails) and unloads it.
    pub async fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        loop {
            let deadline = self.dirty.map(|(first, last)| {
                (last + self.limits.compact_idle).min(first + self.limits.compact_max)
            });
            tokio::select! {
                cmd = rx.recv() => {
                    let Some(cmd) = cmd else { break };
                    let mut next = Some(cmd);
                    let mut handled = 0;
                    while let Some(cmd) = next.take() {
                        if !self.handle(cmd).await {
                            return self.stop(&mut rx).await;
                        }
                        handled += 1;
                        if handled < 256 {
                            next = rx.try_recv().ok();
                        }
                    }
                    if !self.flush().await {
                        return self.stop(&mut rx).await;
                    }
                }
                _ = sleep_until(deadline), if deadline.is_some() => self.compact().await,
            }
            if self.conns.is_empty() {
                self.compact().await;
                if self.unload_if_idle(&rx) {
                    break;
                }
            }
        }
        self.stop(&mut rx).await;
    }

    /// Handles one command; false when the room must stop.
    async fn handle(&mut self, cmd: Command) -> bool {
        match cmd {
            Command::Join { conn, out, reply } => {
                let sv = self.awareness.doc().transact().state_vector();
                self.outbox.push((Target::One(conn), protocol::step1(sv)));
                if let Ok(states) = self.awareness.update() {
                    if !states.clients.is_empty() {
                        self.outbox
                            .push((Target::One(conn), protocol::awareness(states)));
                    }
                }
                self.conns.insert(
                    conn,
                    Conn {
                        out,
                        controlled: HashSet::new(),
                    },
                );
                let _ = reply.send(());
            }
            Command::Messages { conn, messages } => {
                if self.conns.contains_key(&conn) {
                    for message in messages {
                        self.on_message(conn, message);
                    }
                }
            }
            Command::Leave { conn } => self.remove(conn),
            Command::Replace { state, reply } => {
                // Earlier edits are stored and sent first, so the restore is ordered after them.
                if !self.flush().await {
                    let _ = reply.send(Err("storage failed".into()));
                    return false;
                }
                let result = self.replace(&state);
                if result.is_ok() && !self.flush().await {
                    let _ = reply.send(Err("storage failed".into()));
                    return false;
                }
                let _ = reply.send(result);
            }
            Command::Close { reply } => {
                self.conns.clear();
                self.leave_hub();
                let _ = reply.send(());
                return false;
            }
        }
        true
    }

    fn on_message(&mut self, conn: u64, message: Incoming) {
        match message {
            Incoming::Step1(sv) => {
                let update = self
                    .awareness
                    .doc()
                    .transact()
                    .encode_state_as_update_v1(&sv);
                self.outbox
                    .push((Target::One(conn), protocol::step2(update)));
            }
            Incoming::Update { raw, update } => {
                if let Err(e) = self.awareness.doc().transact_mut().apply_update(update) {
                    tracing::warn!(doc = %self.doc_id, error = %e, "update refused");
                    return;
                }
                self.outbox
                    .push((Target::AllBut(conn), protocol::update(raw.clone())));
                self.pending.push(raw);
            }
            Incoming::Awareness(update) => match self.awareness.apply_update_summary(update) {
                Ok(Some(summary)) => {
                    if let Some(c) = self.conns.get_mut(&conn) {
                        c.controlled
                            .extend(summary.added.iter().chain(&summary.updated));
                        for id in &summary.removed {
                            c.controlled.remove(id);
                        }
                    }
                    self.broadcast_awareness(summary.all_changes(), Target::All);
                }
                Ok(None) => {}
                Err(e) => tracing::debug!(doc = %self.doc_id, error = %e, "awareness refused"),
            },
            Incoming::QueryAwareness => {
                if let Ok(states) = self.awareness.update() {
                    self.outbox
                        .push((Target::One(conn), protocol::awareness(states)));
                }
            }
        }
    }

    fn broadcast_awareness(&mut self, clients: Vec<ClientID>, target: Target) {
        if clients.is_empty() {
            return;
        }
        if let Ok(update) = self.awareness.update_with_clients(clients) {
            self.outbox.push((target, protocol::awareness(update)));
        }
    }

    /// Drops a connection and its presence; the others hear that it left.
    fn remove(&mut self, conn: u64) {
        let Some(c) = self.conns.remove(&conn) else {
            return;
        };
        let ids: Vec<ClientID> = c.controlled.into_iter().collect();
        for id in &ids {
            self.awareness.remove_state(*id);
        }
        self.broadcast_awareness(ids, Target::All);
    }

    fn replace(&mut self, state: &[u8]) -> Result<(), String> {
        let update = super::restore::replace_content(self.awareness.doc(), state)?;
        if !update.is_empty() {
            self.outbox
                .push((Target::All, protocol::update(update.clone())));
            self.pending.push(update);
        }
        Ok(())
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
