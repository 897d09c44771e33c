//! What the Feed page shows, as plain data: server messages in, a deduplicated list out.
//! Shared by the browser client and unit tests.

use super::model::{FeedEvent, FeedServerMessage};

/// Events kept on the page; older ones drop off the bottom.
pub const SHOWN_EVENTS: usize = 1_000;

/// One event on the page. `fresh` events arrived live (they get the highlight).
#[derive(Debug, Clone, PartialEq)]
pub struct ShownEvent {
    pub event: FeedEvent,
    pub fresh: bool,
}

/// The page's list (newest first) and where the stream stands, for resuming.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    pub events: Vec<ShownEvent>,
    /// Epoch and last offset seen: sent back on reconnect to get exactly what was missed.
    pub cursor: Option<(String, u64)>,
    /// The server said nothing older than the bottom event is buffered.
    pub no_older: bool,
}

impl Timeline {
    /// Applies one server message; returns how many new events it added to the top.
    pub fn apply(&mut self, message: FeedServerMessage) -> usize {
        match message {
            FeedServerMessage::Snapshot {
                epoch,
                head,
                events,
                ..
            } => {
                self.events = events
                    .into_iter()
                    .rev()
                    .take(SHOWN_EVENTS)
                    .map(|event| ShownEvent {
                        event,
                        fresh: false,
                    })
                    .collect();
                self.cursor = Some((epoch, head));
                self.no_older = false;
                0
            }
            FeedServerMessage::Resume {
                epoch,
                head,
                events,
                ..
            } => {
                let added = self.add(events);
                let last = self.last_offset().max(head);
                self.cursor = Some((epoch, last));
                added
            }
            FeedServerMessage::Event { event } => self.add(vec![event]),
            FeedServerMessage::Lagged { .. } => 0,
        }
    }

    /// The offset of the oldest event shown, when there may be older ones to load.
    pub fn older_than(&self) -> Option<u64> {
        let bottom = self.events.last()?.event.offset;
        (bottom > 1 && !self.no_older).then_some(bottom)
    }

    /// True when the server no longer keeps the events older than the bottom one.
    pub fn older_dropped(&self) -> bool {
        self.no_older && self.events.last().is_some_and(|e| e.event.offset > 1)
    }

    /// Adds a page of older events (oldest first) below the list.
    pub fn append_older(&mut self, events: Vec<FeedEvent>, more: bool) {
        let bottom = self.events.last().map_or(u64::MAX, |e| e.event.offset);
        let older = events.into_iter().rev().filter(|e| e.offset < bottom);
        self.events.extend(older.map(|event| ShownEvent {
            event,
            fresh: false,
        }));
        self.no_older = !more;
    }

    fn last_offset(&self) -> u64 {
        self.cursor.as_ref().map_or(0, |(_, offset)| *offset)
    }

    /// Adds events oldest first, skipping any already seen.
    fn add(&mut self, events: Vec<FeedEvent>) -> usize {
        let mut added = 0;
        for event in events {
            let last = self.last_offset();
            if self.cursor.is_some() && event.offset <= last {
                continue;
            }
            if let Some((_, offset)) = self.cursor.as_mut() {
                *offset = event.offset;
            }
            self.events.insert(0, ShownEvent { event, fresh: true });
            added += 1;
        }
        if self.events.len() > SHOWN_EVENTS {
            self.events.truncate(SHOWN_EVENTS);
            self.no_older = false;
        }
        added
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::model::SnapshotReason;

    fn event(offset: u64) -> FeedEvent {
        FeedEvent {
            id: uuid::Uuid::new_v4(),
            tenant_id: "t".into(),
            message: format!("m{offset}"),
            timestamp: "2025-01-20T10:30:00.000Z".into(),
            offset,
        }
    }

    fn snapshot(epoch: &str, offsets: &[u64]) -> FeedServerMessage {
        FeedServerMessage::Snapshot {
            tenant_id: "t".into(),
            epoch: epoch.into(),
            head: offsets.last().copied().unwrap_or(0),
            reason: SnapshotReason::Initial,
            events: offsets.iter().map(|o| event(*o)).collect(),
        }
    }

    fn shown(t: &Timeline) -> Vec<u64> {
        t.events.iter().map(|e| e.event.offset).collect()
    }

    #[test]
    fn snapshot_replaces_and_lists_newest_first() {
        let mut t = Timeline::default();
        t.apply(snapshot("e1", &[1, 2, 3]));
        assert_eq!(shown(&t), vec![3, 2, 1]);
        assert!(t.events.iter().all(|e| !e.fresh));
        t.apply(snapshot("e2", &[7]));
        assert_eq!(shown(&t), vec![7]);
        assert_eq!(t.cursor, Some(("e2".into(), 7)));
    }

    #[test]
    fn live_and_resumed_events_are_added_once() {
        let mut t = Timeline::default();
        t.apply(snapshot("e", &[1, 2]));
        assert_eq!(t.apply(FeedServerMessage::Event { event: event(3) }), 1);
        // A resume that overlaps what was already seen adds only the new ones.
        let resumed = FeedServerMessage::Resume {
            tenant_id: "t".into(),
            epoch: "e".into(),
            head: 5,
            events: vec![event(3), event(4), event(5)],
        };
        assert_eq!(t.apply(resumed), 2);
        assert_eq!(t.apply(FeedServerMessage::Event { event: event(5) }), 0);
        assert_eq!(shown(&t), vec![5, 4, 3, 2, 1]);
        assert!(t.events[0].fresh);
        assert_eq!(t.cursor, Some(("e".into(), 5)));
    }

    #[test]
    fn older_pages_go_below_without_repeats() {
        let mut t = Timeline::default();
        t.apply(snapshot("e", &[5, 6]));
        assert_eq!(t.older_than(), Some(5));
        t.append_older(vec![event(3), event(4), event(5)], true);
        assert_eq!(shown(&t), vec![6, 5, 4, 3]);
        assert_eq!(t.older_than(), Some(3));
        t.append_older(vec![event(2)], false);
        assert_eq!(t.older_than(), None, "the server has nothing older");
        assert!(
            t.older_dropped(),
            "offset 1 was never shown, so it was dropped"
        );
        let mut from_start = Timeline::default();
        from_start.apply(snapshot("e", &[1, 2]));
        assert_eq!(from_start.older_than(), None, "offset 1 is the first event");
    }

    #[test]
    fn the_list_is_capped() {
        let mut t = Timeline::default();
        t.apply(snapshot("e", &[]));
        for o in 1..=(SHOWN_EVENTS as u64 + 10) {
            t.apply(FeedServerMessage::Event { event: event(o) });
        }
        assert_eq!(t.events.len(), SHOWN_EVENTS);
        assert_eq!(t.events[0].event.offset, SHOWN_EVENTS as u64 + 10);
    }
}
