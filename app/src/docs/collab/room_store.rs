//! The room's storage side: a batch is stored before any of its frames is sent; compaction
//! into a snapshot (with periodic revisions); leaving the hub when the room empties.

use super::{Command, Room, Target};
use crate::docs::collab::store;
use tokio::sync::mpsc;
use tokio::time::Instant;
use yrs::{ReadTxn, StateVector, Transact};

impl Room {
    /// Stores the batch's updates, then sends its frames. False when storing failed.
    pub(super) async fn flush(&mut self) -> bool {
        if !self.pending.is_empty() {
            let started = std::time::Instant::now();
            let stored = store::append(&self.pool, &self.doc_id, &self.pending).await;
            metrics::histogram!("docs_store_append_seconds")
                .record(started.elapsed().as_secs_f64());
            match stored {
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
    pub(super) async fn compact(&mut self) {
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
    pub(super) fn unload_if_idle(&self, rx: &mpsc::Receiver<Command>) -> bool {
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

    /// Removes this room (not a successor) from the hub's map.
    pub(super) fn leave_hub(&self) {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        if rooms
            .get(&self.doc_id)
            .is_some_and(|h| h.generation == self.generation)
        {
            rooms.remove(&self.doc_id);
        }
    }

    /// Leaves the hub and turns away whatever was still queued (callers retry on a new room).
    pub(super) async fn stop(self, rx: &mut mpsc::Receiver<Command>) {
        self.leave_hub();
        rx.close();
        while rx.try_recv().is_ok() {}
    }
}
