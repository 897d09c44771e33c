use super::*;
use tokio::sync::broadcast::error::TryRecvError;

fn hub(buffer: usize, queue: usize) -> FeedHub {
    FeedHub::new(FeedLimits {
        buffer,
        snapshot: 3,
        connection_queue: queue,
    })
}

fn offsets(msg: &FeedServerMessage) -> Vec<u64> {
    match msg {
        FeedServerMessage::Snapshot { events, .. } | FeedServerMessage::Resume { events, .. } => {
            events.iter().map(|e| e.offset).collect()
        }
        other => panic!("not a batch: {other:?}"),
    }
}

#[test]
fn offsets_count_up_per_tenant_independently() {
    let hub = hub(10, 8);
    assert_eq!(hub.publish("a", "1".into()).offset, 1);
    assert_eq!(hub.publish("a", "2".into()).offset, 2);
    assert_eq!(hub.publish("b", "1".into()).offset, 1);
    assert_eq!(hub.list("a", ListFrom::Newest, 10).head, 2);
    assert_eq!(hub.list("b", ListFrom::Newest, 10).head, 1);
}

#[test]
fn live_events_reach_only_their_tenant() {
    let hub = hub(10, 8);
    let mut a = hub.subscribe("a", None, false).live;
    let mut b = hub.subscribe("b", None, false).live;
    hub.publish("a", "for a".into());
    assert_eq!(
        a.try_recv().map(|p| p.event.message.clone()).ok(),
        Some("for a".into())
    );
    assert!(matches!(b.try_recv(), Err(TryRecvError::Empty)));
}

#[test]
fn resume_gives_exactly_the_missed_events_then_live_ones() {
    let hub = hub(10, 8);
    for i in 1..=5 {
        hub.publish("a", format!("m{i}"));
    }
    let epoch = hub.epoch().to_string();
    let mut sub = hub.subscribe("a", Some((&epoch, 2)), false);
    assert!(matches!(sub.start, FeedServerMessage::Resume { .. }));
    assert_eq!(offsets(&sub.start), vec![3, 4, 5]);
    assert_eq!(sub.last_offset, 5);
    hub.publish("a", "m6".into());
    assert_eq!(sub.live.try_recv().map(|p| p.event.offset).ok(), Some(6));
    assert!(matches!(sub.live.try_recv(), Err(TryRecvError::Empty)));
}

#[test]
fn resume_at_the_head_sends_nothing_old() {
    let hub = hub(10, 8);
    hub.publish("a", "m1".into());
    let epoch = hub.epoch().to_string();
    let sub = hub.subscribe("a", Some((&epoch, 1)), false);
    assert_eq!(offsets(&sub.start), Vec::<u64>::new());
}

#[test]
fn too_old_or_foreign_offsets_get_a_snapshot_of_the_newest() {
    let hub = hub(4, 8);
    for i in 1..=10 {
        hub.publish("a", format!("m{i}"));
    }
    let epoch = hub.epoch().to_string();
    let sub = hub.subscribe("a", Some((&epoch, 2)), false);
    match &sub.start {
        FeedServerMessage::Snapshot { reason, head, .. } => {
            assert_eq!(*reason, SnapshotReason::TooOld);
            assert_eq!(*head, 10);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        offsets(&sub.start),
        vec![8, 9, 10],
        "snapshot holds the newest 3"
    );
    let sub = hub.subscribe("a", Some(("another-epoch", 9)), false);
    assert!(matches!(
        sub.start,
        FeedServerMessage::Snapshot {
            reason: SnapshotReason::EpochChanged,
            ..
        }
    ));
    let sub = hub.subscribe("a", Some((&epoch, 5)), true);
    assert!(matches!(
        sub.start,
        FeedServerMessage::Snapshot {
            reason: SnapshotReason::Lagged,
            ..
        }
    ));
}

#[test]
fn a_slow_subscriber_lags_without_blocking_the_publisher() {
    let hub = hub(100, 2);
    let mut slow = hub.subscribe("a", None, false).live;
    for i in 1..=5 {
        hub.publish("a", format!("m{i}"));
    }
    assert!(matches!(slow.try_recv(), Err(TryRecvError::Lagged(3))));
}

#[test]
fn listing_pages_forward_and_reports_truncation() {
    let hub = hub(5, 8);
    for i in 1..=8 {
        hub.publish("a", format!("m{i}"));
    }
    let newest = hub.list("a", ListFrom::Newest, 2);
    assert_eq!(
        newest.events.iter().map(|e| e.offset).collect::<Vec<_>>(),
        vec![7, 8]
    );
    assert!(!newest.has_more);
    let page = hub.list("a", ListFrom::After(1), 2);
    assert!(page.truncated, "offsets 2 and 3 were dropped");
    assert_eq!(
        page.events.iter().map(|e| e.offset).collect::<Vec<_>>(),
        vec![4, 5]
    );
    assert!(page.has_more);
    let rest = hub.list("a", ListFrom::After(5), 10);
    assert_eq!(rest.events.len(), 3);
    assert!(!rest.truncated && !rest.has_more);
    assert_eq!(rest.oldest, 4);
}

#[test]
fn listing_pages_back_through_what_is_buffered() {
    let hub = hub(5, 8);
    for i in 1..=8 {
        hub.publish("a", format!("m{i}"));
    }
    let ids = |p: &EventPage| p.events.iter().map(|e| e.offset).collect::<Vec<_>>();
    let newest = hub.list("a", ListFrom::Newest, 2);
    assert_eq!(ids(&newest), vec![7, 8]);
    assert!(newest.has_older);
    let older = hub.list("a", ListFrom::Before(7), 2);
    assert_eq!(ids(&older), vec![5, 6]);
    assert!(older.has_older);
    let oldest = hub.list("a", ListFrom::Before(5), 10);
    assert_eq!(ids(&oldest), vec![4], "offsets 1..=3 left the buffer");
    assert!(!oldest.has_older);
    assert!(hub.list("a", ListFrom::Before(4), 10).events.is_empty());
    assert_eq!(ids(&hub.list("a", ListFrom::Before(100), 1)), vec![8]);
}

#[test]
fn the_live_frame_is_the_event_message() {
    let hub = hub(5, 8);
    let mut live = hub.subscribe("a", None, false).live;
    hub.publish("a", "hello".into());
    let published = live.try_recv().expect("event");
    let parsed: FeedServerMessage =
        serde_json::from_str(published.frame.as_str()).expect("frame is JSON");
    assert_eq!(
        parsed,
        FeedServerMessage::Event {
            event: published.event.clone()
        }
    );
}
