//! The in-memory feed: per tenant, a bounded ring buffer of events with increasing offsets and a
//! broadcast channel to the tenant's live connections.
//!
//! Tenants never share a buffer, a channel or a counter, so one tenant's traffic cannot be seen
//! in another's stream, not even as gaps in offsets or as timing. Appending, broadcasting and
//! subscribing happen under the tenant's lock, so a subscriber's starting batch and its live
//! stream meet exactly: nothing is missed and nothing is repeated.

use super::model::{FeedEvent, FeedServerMessage, SnapshotReason};
use axum::extract::ws::Utf8Bytes;
use chrono::{SecondsFormat, Utc};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::broadcast;

/// Sizes of the feed's buffers.
#[derive(Debug, Clone, Copy)]
pub struct FeedLimits {
    /// Events kept per tenant for resuming and listing.
    pub buffer: usize,
    /// Events sent in a snapshot (the newest ones).
    pub snapshot: usize,
    /// Live events queued per connection before it counts as lagging.
    pub connection_queue: usize,
}

impl Default for FeedLimits {
    fn default() -> Self {
        Self {
            buffer: 1_000,
            snapshot: 100,
            connection_queue: 256,
        }
    }
}

/// An event with its live `event` frame serialised once for every connection.
#[derive(Debug)]
pub struct Published {
    pub event: FeedEvent,
    pub frame: Utf8Bytes,
}

/// How a new subscription starts.
#[derive(Debug)]
pub struct Subscription {
    /// The first message to send: a snapshot or the missed events.
    pub start: FeedServerMessage,
    /// The offset of the last event in `start` (or the head when it is empty).
    pub last_offset: u64,
    /// Live events after `start`.
    pub live: broadcast::Receiver<Arc<Published>>,
}

/// A page of events from the buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPage {
    pub events: Vec<FeedEvent>,
    /// The last offset given out (0 before the first event).
    pub head: u64,
    /// The oldest offset still buffered (head + 1 when empty).
    pub oldest: u64,
    /// True when events after `after` were already dropped from the buffer.
    pub truncated: bool,
    /// Newer events exist after this page.
    pub has_more: bool,
    /// Older events are still buffered before this page.
    pub has_older: bool,
}

/// Where a listing starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFrom {
    /// The newest events.
    Newest,
    /// The events after this offset (paging forward, resuming).
    After(u64),
    /// The newest events before this offset (paging back through history).
    Before(u64),
}

struct Ring {
    head: u64,
    events: VecDeque<Arc<Published>>,
}

impl Ring {
    /// The oldest offset still buffered (head + 1 when empty).
    fn oldest(&self) -> u64 {
        self.events
            .front()
            .map_or(self.head + 1, |p| p.event.offset)
    }
}

struct TenantFeed {
    ring: Mutex<Ring>,
    tx: broadcast::Sender<Arc<Published>>,
}

/// All tenants' feeds. Cheap to share behind an `Arc`.
pub struct FeedHub {
    epoch: String,
    limits: FeedLimits,
    tenants: RwLock<HashMap<String, Arc<TenantFeed>>>,
}

impl std::fmt::Debug for FeedHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedHub")
            .field("epoch", &self.epoch)
            .field("limits", &self.limits)
            .finish()
    }
}

impl FeedHub {
    /// A hub with a fresh epoch: offsets of an earlier process are recognised as stale.
    pub fn new(limits: FeedLimits) -> Self {
        Self {
            epoch: uuid::Uuid::new_v4().simple().to_string(),
            limits: FeedLimits {
                buffer: limits.buffer.max(1),
                snapshot: limits.snapshot.max(1),
                connection_queue: limits.connection_queue.max(1),
            },
            tenants: RwLock::new(HashMap::new()),
        }
    }

    /// This process's epoch.
    pub fn epoch(&self) -> &str {
        &self.epoch
    }

    fn feed(&self, tenant: &str) -> Arc<TenantFeed> {
        if let Some(feed) = read(&self.tenants).get(tenant) {
            return feed.clone();
        }
        let mut tenants = self.tenants.write().unwrap_or_else(|e| e.into_inner());
        tenants
            .entry(tenant.to_string())
            .or_insert_with(|| {
                let (tx, _) = broadcast::channel(self.limits.connection_queue);
                Arc::new(TenantFeed {
                    ring: Mutex::new(Ring {
                        head: 0,
                        events: VecDeque::new(),
                    }),
                    tx,
                })
            })
            .clone()
    }

    /// Stores a (validated) message as the tenant's next event and sends it to its connections.
    pub fn publish(&self, tenant: &str, message: String) -> FeedEvent {
        let feed = self.feed(tenant);
        let mut ring = lock(&feed.ring);
        ring.head += 1;
        let event = FeedEvent {
            id: uuid::Uuid::new_v4(),
            tenant_id: tenant.to_string(),
            message,
            timestamp: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            offset: ring.head,
        };
        let frame = serde_json::to_string(&FeedServerMessage::Event {
            event: event.clone(),
        })
        .unwrap_or_default();
        let published = Arc::new(Published {
            event: event.clone(),
            frame: frame.into(),
        });
        if ring.events.len() == self.limits.buffer {
            ring.events.pop_front();
        }
        ring.events.push_back(published.clone());
        // No live connection is fine: the event stays in the buffer.
        let _ = feed.tx.send(published);
        event
    }

    /// Starts a subscription. With `resume = Some((epoch, offset))` the client gets exactly the
    /// events after `offset` when they are still buffered and the epoch matches, else a snapshot.
    pub fn subscribe(
        &self,
        tenant: &str,
        resume: Option<(&str, u64)>,
        lagged: bool,
    ) -> Subscription {
        let feed = self.feed(tenant);
        let ring = lock(&feed.ring);
        let live = feed.tx.subscribe();
        let oldest = ring.oldest();
        let tenant_id = tenant.to_string();
        let epoch = self.epoch.clone();
        let head = ring.head;
        let reason = match resume {
            None => SnapshotReason::Initial,
            Some((e, _)) if e != self.epoch => SnapshotReason::EpochChanged,
            Some((_, after)) if after > head => SnapshotReason::EpochChanged,
            Some((_, after)) if after + 1 < oldest => {
                if lagged {
                    SnapshotReason::Lagged
                } else {
                    SnapshotReason::TooOld
                }
            }
            Some((_, after)) => {
                let events = events_after(&ring, after, usize::MAX);
                return Subscription {
                    start: FeedServerMessage::Resume {
                        tenant_id,
                        epoch,
                        head,
                        events,
                    },
                    last_offset: head,
                    live,
                };
            }
        };
        let skip = ring.events.len().saturating_sub(self.limits.snapshot);
        let events = ring
            .events
            .iter()
            .skip(skip)
            .map(|p| p.event.clone())
            .collect();
        Subscription {
            start: FeedServerMessage::Snapshot {
                tenant_id,
                epoch,
                head,
                reason,
                events,
            },
            last_offset: head,
            live,
        }
    }

    /// A page of buffered events, oldest first (see [`ListFrom`]).
    pub fn list(&self, tenant: &str, from: ListFrom, limit: usize) -> EventPage {
        let feed = self.feed(tenant);
        let ring = lock(&feed.ring);
        let oldest = ring.oldest();
        let limit = limit.max(1);
        let newest_before = |end: u64| {
            // Offsets are consecutive: the events before `end` are a prefix of the ring.
            let count = usize::try_from(end.saturating_sub(oldest)).unwrap_or(usize::MAX);
            let upto = count.min(ring.events.len());
            let events = ring
                .events
                .iter()
                .take(upto)
                .skip(upto.saturating_sub(limit));
            events.map(|p| p.event.clone()).collect::<Vec<_>>()
        };
        let (events, truncated) = match from {
            ListFrom::After(after) => (
                events_after(&ring, after, limit),
                after + 1 < oldest && after < ring.head,
            ),
            ListFrom::Before(before) => (newest_before(before), false),
            ListFrom::Newest => (newest_before(ring.head + 1), false),
        };
        let after = match from {
            ListFrom::After(after) => after,
            _ => ring.head,
        };
        let last = events.last().map_or(after, |e| e.offset);
        EventPage {
            has_more: last < ring.head,
            has_older: events.first().is_some_and(|e| e.offset > oldest),
            events,
            head: ring.head,
            oldest,
            truncated,
        }
    }

    /// Live connections of a tenant (for metrics and tests).
    pub fn connections(&self, tenant: &str) -> usize {
        read(&self.tenants)
            .get(tenant)
            .map_or(0, |f| f.tx.receiver_count())
    }
}

fn events_after(ring: &Ring, after: u64, limit: usize) -> Vec<FeedEvent> {
    // Offsets in the ring are consecutive, so the start is found by arithmetic.
    let skip = usize::try_from((after + 1).saturating_sub(ring.oldest())).unwrap_or(usize::MAX);
    ring.events
        .iter()
        .skip(skip)
        .take(limit)
        .map(|p| p.event.clone())
        .collect()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
#[path = "hub_tests.rs"]
mod tests;
