use super::*;
use serde_json::json;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

fn good() -> Value {
    json!({"event_id": "e1", "user_id": "u1", "event_type": "page_view",
           "timestamp": "2026-03-01T10:00:00+02:00", "properties": {"path": "/"}})
}

#[test]
fn a_good_event_is_normalised_to_utc() {
    let evs = parse_batch(&json!({ "events": [good()] }), "t", now()).expect("valid");
    assert_eq!(evs[0].timestamp, "2026-03-01T08:00:00.000Z");
    assert_eq!(evs[0].properties, r#"{"path":"/"}"#);
    let bare = parse_batch(&json!([good()]), "t", now()).expect("bare array");
    assert_eq!(bare.len(), 1);
}

#[test]
fn batch_size_is_one_to_a_hundred() {
    let err = parse_batch(&json!({ "events": [] }), "t", now()).expect_err("empty");
    assert_eq!(err.code, ErrorCode::Validation);
    let many: Vec<Value> = (0..101).map(|_| good()).collect();
    let err = parse_batch(&json!({ "events": many }), "t", now()).expect_err("101");
    assert_eq!(err.code, ErrorCode::Validation);
    let hundred: Vec<Value> = (0..100).map(|_| good()).collect();
    assert!(parse_batch(&json!({ "events": hundred }), "t", now()).is_ok());
}

#[test]
fn every_problem_is_reported_by_index_and_field() {
    let mut bad = good();
    bad["event_type"] = json!("Page View");
    bad["timestamp"] = json!("yesterday");
    let mut future = good();
    future["timestamp"] = json!("2026-03-01T14:00:00Z");
    let mut props = good();
    props["properties"] = json!([1, 2]);
    props["user_id"] = json!(" ");
    let body = json!({ "events": [good(), bad, future, props, 5] });
    let err = parse_batch(&body, "t", now()).expect_err("invalid");
    let d = err.details.expect("details");
    for key in [
        "events[1].event_type",
        "events[1].timestamp",
        "events[2].timestamp",
        "events[3].properties",
        "events[3].user_id",
        "events[4]",
    ] {
        assert!(d.get(key).is_some(), "{key} missing in {d}");
    }
    assert!(d.get("events[0].event_type").is_none());
}

#[test]
fn oversized_properties_are_rejected() {
    let mut ev = good();
    ev["properties"] = json!({ "blob": "x".repeat(MAX_PROPERTIES_BYTES) });
    let err = parse_batch(&json!([ev]), "t", now()).expect_err("too big");
    assert!(err
        .details
        .expect("details")
        .get("events[0].properties")
        .is_some());
}

#[test]
fn another_org_is_forbidden() {
    let mut ev = good();
    ev["org_id"] = json!("other");
    let err = parse_batch(&json!([good(), ev]), "t", now()).expect_err("foreign");
    assert_eq!(err.code, ErrorCode::Forbidden);
    let mut own = good();
    own["org_id"] = json!("t");
    assert!(parse_batch(&json!([own]), "t", now()).is_ok());
}

#[test]
fn missing_event_ids_are_generated_and_types_checked() {
    let mut ev = good();
    ev.as_object_mut().expect("obj").remove("event_id");
    let evs = parse_batch(&json!([ev]), "t", now()).expect("valid");
    assert_eq!(evs[0].event_id.len(), 36);
    assert!(is_event_type("checkout.completed"));
    assert!(!is_event_type("1st"));
    assert!(!is_event_type(""));
    assert!(check_key("abc-123").is_ok());
    assert!(check_key("has space").is_err());
}
