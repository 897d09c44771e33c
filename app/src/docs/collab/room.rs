//! One live document: a task that owns the yrs document and its awareness, and the only writer
//! of its stored content.
//!
//! Commands are handled in batches: the updates of a batch are appended to SQLite in one
//! transaction and only then is anything of the batch sent (relayed updates, sync replies), so
//! no client ever sees an edit that a crash could lose. Each connection has a bounded queue;
//! when it is full the connection is dropped, so a slow reader never holds the room up.

use super::hub::{CollabLimits, Rooms};
use super::protocol::{self, Incoming};
use super::store;
use axum::body::Bytes;
use std::collections::{HashMap, HashSet};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use yrs::sync::Awareness;
use yrs::updates::decoder::Decode;
use yrs::{ClientID, Doc, ReadTxn, StateVector, Transact, Update};

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

    /// Stores the batch's updates, then sends its frames. False when storing failed.
    async fn flush(&mut self) -> bool {
        if !self.pending.is_empty() {
            match store::append(&self.pool, &self.doc_id, &self.pending).await {
                Ok(last) => {
                    metrics::counter!("docs_updates_stored_total")
                        .increment(self.pending.len() as u64);
                    self.pending.clear();
                    self.last_id = last;
                    let now = Instant::now();
                    self.dirty = Some((self.dirty.map_or(now, |d| d.0), now));
                    self.edited_since_revision = true;
                }
                Err(e) => {
                    // Nothing of this batch was sent; clients keep their edits and resend them
                    // when they reconnect to a fresh room.
                    tracing::error!(doc = %self.doc_id, error = %e, "could not store updates; closing the room");
                    return false;
                }
            }
        }
        while !self.outbox.is_empty() {
            let outbox = std::mem::take(&mut self.outbox);
            let mut slow = Vec::new();
            for (target, frame) in outbox {
                for (id, conn) in &self.conns {
                    let send = match target {
                        Target::One(c) => c == *id,
                        Target::All => true,
                        Target::AllBut(c) => c != *id,
                    };
                    if send && conn.out.try_send(frame.clone()).is_err() && !slow.contains(id) {
                        slow.push(*id);
                    }
                }
            }
            // A full (or closed) queue: the connection is dropped; its presence removal is sent
            // to the rest on the next round of this loop.
            for id in slow {
                metrics::counter!("docs_slow_connections_dropped_total").increment(1);
                self.remove(id);
            }
        }
        true
    }

    /// Writes the document as one snapshot in place of its stored updates, and a periodic
    /// revision when one is due.
    async fn compact(&mut self) {
        if self.last_id <= self.compacted_id {
            self.dirty = None;
            return;
        }
        let state = self
            .awareness
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        match store::compact(&self.pool, &self.doc_id, &state, self.last_id).await {
            Ok(()) => {
                self.compacted_id = self.last_id;
                self.dirty = None;
            }
            Err(e) => {
                tracing::warn!(doc = %self.doc_id, error = %e, "compaction failed; retrying later");
                self.dirty = Some((Instant::now(), Instant::now()));
                return;
            }
        }
        if self.edited_since_revision {
            let minutes = self.limits.revision_every_minutes;
            match store::revised_within(&self.pool, &self.doc_id, minutes).await {
                Ok(true) => {}
                Ok(false) => {
                    match store::insert_revision(&self.pool, &self.doc_id, None, &state, None).await
                    {
                        Ok(_) => self.edited_since_revision = false,
                        Err(e) => {
                            tracing::warn!(doc = %self.doc_id, error = %e, "periodic revision failed")
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(doc = %self.doc_id, error = %e, "periodic revision check failed")
                }
            }
        }
    }

    /// Removes the room from the hub when nothing is queued; true when it did.
    fn unload_if_idle(&self, rx: &mpsc::Receiver<Command>) -> bool {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        if !rx.is_empty() {
            return false;
        }
        if rooms
            .get(&self.doc_id)
            .is_some_and(|h| h.generation == self.generation)
        {
            rooms.remove(&self.doc_id);
        }
        true
    }

    /// Leaves the hub and turns away whatever was still queued (callers retry on a new room).
    async fn stop(self, rx: &mut mpsc::Receiver<Command>) {
        {
            let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
            if rooms
                .get(&self.doc_id)
                .is_some_and(|h| h.generation == self.generation)
            {
                rooms.remove(&self.doc_id);
            }
        }
        rx.close();
        while rx.try_recv().is_ok() {}
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
