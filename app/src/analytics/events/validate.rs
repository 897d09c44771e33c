//! Validation of a `POST /api/v1/events` batch: every problem is reported at once, keyed by
//! `events[<index>].<field>`, so a client can fix a whole batch in one round trip.

use crate::error::{AppError, ErrorCode};
use chrono::{DateTime, Datelike, Duration, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// Events per batch: 1 to this.
pub const MAX_BATCH: usize = 100;
/// Largest `properties` object, serialized, in bytes.
pub const MAX_PROPERTIES_BYTES: usize = 8 * 1024;
/// How far ahead of the server clock a timestamp may be (client clock skew).
pub const MAX_FUTURE: Duration = Duration::hours(1);
/// Longest `event_id` / `user_id`.
pub const MAX_ID_LEN: usize = 128;
/// Longest `event_type`.
pub const MAX_TYPE_LEN: usize = 64;
/// Longest Idempotency-Key.
pub const MAX_KEY_LEN: usize = 200;

/// A validated event, ready to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_id: String,
    pub user_id: String,
    pub event_type: String,
    /// The properties object as JSON text.
    pub properties: String,
    /// Normalised UTC RFC 3339 with milliseconds: text order is time order.
    pub timestamp: String,
}

/// Formats a UTC time the way events are stored.
pub fn format_ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Validates a batch body (`{"events": [...]}` or a bare array) for the caller's org.
/// 422 for shape and field problems, 403 when an event names another org.
pub fn parse_batch(
    body: &Value,
    org_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<NewEvent>, AppError> {
    let items = match body {
        Value::Array(items) => items,
        Value::Object(obj) => match obj.get("events") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(AppError::invalid_field(
                    "events",
                    "Send {\"events\": [ … ]}.",
                ))
            }
        },
        _ => {
            return Err(AppError::invalid_field(
                "events",
                "Send {\"events\": [ … ]}.",
            ))
        }
    };
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(AppError::invalid_field(
            "events",
            &format!(
                "A batch holds 1 to {MAX_BATCH} events; this one has {}.",
                items.len()
            ),
        ));
    }
    let foreign: Vec<usize> = (0..items.len())
        .filter(|&i| match items[i].get("org_id") {
            Some(Value::String(o)) => o != org_id,
            _ => false,
        })
        .collect();
    if !foreign.is_empty() {
        let mut err = AppError::forbidden("Events can only be sent to your own organisation.");
        err.details = Some(serde_json::json!({ "indexes": foreign }));
        return Err(err);
    }
    let mut errors = Map::new();
    let mut events = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let mut report = |field: &str, msg: &str| {
            let key = if field.is_empty() {
                format!("events[{i}]")
            } else {
                format!("events[{i}].{field}")
            };
            errors.insert(key, Value::String(msg.to_string()));
        };
        match check_event(item, now) {
            Ok(ev) => events.push(ev),
            Err(problems) => problems.iter().for_each(|(f, m)| report(f, m)),
        }
    }
    if errors.is_empty() {
        return Ok(events);
    }
    let mut err = AppError::new(
        ErrorCode::Validation,
        format!(
            "{} problem(s) in the batch; nothing was stored.",
            errors.len()
        ),
    );
    err.details = Some(Value::Object(errors));
    Err(err)
}

type Problems = Vec<(&'static str, String)>;

fn check_event(item: &Value, now: DateTime<Utc>) -> Result<NewEvent, Problems> {
    let Some(obj) = item.as_object() else {
        return Err(vec![("", "must be an object".to_string())]);
    };
    let mut p: Problems = Vec::new();
    if let Some(o) = obj.get("org_id") {
        if !o.is_string() {
            p.push(("org_id", "must be a string".into()));
        }
    }
    let event_id = match obj.get("event_id") {
        None | Some(Value::Null) => uuid::Uuid::new_v4().to_string(),
        Some(Value::String(s)) if is_token(s, MAX_ID_LEN) => s.clone(),
        Some(_) => {
            p.push((
                "event_id",
                format!("must be 1–{MAX_ID_LEN} printable ASCII characters without spaces"),
            ));
            String::new()
        }
    };
    let user_id = match obj.get("user_id").and_then(Value::as_str).map(str::trim) {
        Some(s) if !s.is_empty() && s.chars().count() <= MAX_ID_LEN => s.to_string(),
        _ => {
            p.push((
                "user_id",
                format!("is required: a non-empty string of at most {MAX_ID_LEN} characters"),
            ));
            String::new()
        }
    };
    let event_type = match obj.get("event_type").and_then(Value::as_str) {
        Some(s) if is_event_type(s) => s.to_string(),
        _ => {
            p.push(("event_type", format!(
                "is required: lowercase letters, digits and _ . : - , starting with a letter, at most {MAX_TYPE_LEN} characters"
            )));
            String::new()
        }
    };
    let timestamp = match obj.get("timestamp").and_then(Value::as_str) {
        None => {
            p.push((
                "timestamp",
                "is required: an RFC 3339 date-time with offset".into(),
            ));
            String::new()
        }
        Some(s) => match check_timestamp(s, now) {
            Ok(t) => t,
            Err(m) => {
                p.push(("timestamp", m));
                String::new()
            }
        },
    };
    let properties = match obj.get("properties") {
        None | Some(Value::Null) => "{}".to_string(),
        Some(v @ Value::Object(_)) => {
            let text = v.to_string();
            if text.len() > MAX_PROPERTIES_BYTES {
                p.push((
                    "properties",
                    format!("is {} bytes; at most {MAX_PROPERTIES_BYTES}", text.len()),
                ));
            }
            text
        }
        Some(_) => {
            p.push(("properties", "must be a JSON object".into()));
            String::new()
        }
    };
    if !p.is_empty() {
        return Err(p);
    }
    Ok(NewEvent {
        event_id,
        user_id,
        event_type,
        properties,
        timestamp,
    })
}

/// Parses an RFC 3339 time (any offset), rejects ones beyond [`MAX_FUTURE`] or before 2000,
/// and returns it normalised to UTC.
pub fn check_timestamp(s: &str, now: DateTime<Utc>) -> Result<String, String> {
    let t = DateTime::parse_from_rfc3339(s)
        .map_err(|_| {
            "must be an RFC 3339 date-time with offset, e.g. 2026-01-02T03:04:05Z".to_string()
        })?
        .with_timezone(&Utc);
    if t > now + MAX_FUTURE {
        return Err("is more than an hour in the future".into());
    }
    if t.year() < 2000 {
        return Err("is before the year 2000".into());
    }
    Ok(format_ts(t))
}

/// `^[a-z][a-z0-9_.:-]*$`, 1–64 characters.
pub fn is_event_type(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z'))
        && s.len() <= MAX_TYPE_LEN
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '.' | ':' | '-'))
}

/// 1..=max printable ASCII characters, no spaces.
fn is_token(s: &str, max: usize) -> bool {
    !s.is_empty() && s.len() <= max && s.chars().all(|c| c.is_ascii_graphic())
}

/// Checks an `Idempotency-Key` header value.
pub fn check_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if is_token(key, MAX_KEY_LEN) {
        Ok(key.to_string())
    } else {
        Err(AppError::new(
            ErrorCode::BadRequest,
            format!("Idempotency-Key must be 1–{MAX_KEY_LEN} printable ASCII characters."),
        ))
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
