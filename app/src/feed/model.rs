//! Wasm-safe types of the live feed: events, the WebSocket messages, and the message rules.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Longest message accepted, in characters (Unicode scalar values).
pub const MAX_MESSAGE_CHARS: usize = 2_000;

/// One event of a tenant's feed. `offset` counts up from 1 per tenant (and per server epoch).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedEvent {
    pub id: uuid::Uuid,
    pub tenant_id: String,
    pub message: String,
    /// RFC 3339, UTC, millisecond precision (`2025-01-20T10:30:00.000Z`). Kept as text: the
    /// server formats it once, and the browser never needs a date library to show it.
    pub timestamp: String,
    pub offset: u64,
}

/// Why the server sent a whole snapshot instead of only what the client missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotReason {
    /// A first connection (no offset sent).
    Initial,
    /// The offset sent is older than the buffer keeps.
    TooOld,
    /// The server restarted since the offset was seen (offsets began again).
    EpochChanged,
    /// The connection fell behind the live stream and its gap is no longer buffered.
    Lagged,
}

/// What the server sends on `/ws/feed`, as JSON text frames tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FeedServerMessage {
    /// Replace everything shown with these (the newest events, oldest first).
    Snapshot {
        tenant_id: String,
        epoch: String,
        head: u64,
        reason: SnapshotReason,
        events: Vec<FeedEvent>,
    },
    /// Exactly the events after the client's offset, oldest first; nothing is repeated.
    Resume {
        tenant_id: String,
        epoch: String,
        head: u64,
        events: Vec<FeedEvent>,
    },
    /// A new event, as it happens.
    Event { event: FeedEvent },
    /// The connection fell behind by `missed` events; a `resume` or `snapshot` follows.
    Lagged { missed: u64 },
}

/// `POST /events` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewFeedEvent {
    pub message: String,
}

/// `GET /events` answer: a page of buffered events, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventList {
    pub tenant_id: String,
    pub epoch: String,
    /// The last offset given out (0 before the first event).
    pub head: u64,
    /// The oldest offset still buffered.
    pub oldest: u64,
    /// Events after `after` were already dropped from the buffer.
    pub truncated: bool,
    /// Newer events exist after this page.
    pub has_more: bool,
    /// Older events are still buffered before this page.
    pub has_older: bool,
    pub events: Vec<FeedEvent>,
}

/// A feed the Feed page can show: the user's own tenant, or an open demo tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedSource {
    pub tenant_id: String,
    pub name: String,
    /// True for the signed-in user's own tenant (reached with the session, not simple auth).
    pub own: bool,
}

/// The state of the page's connection, as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionStatus {
    /// Opening the first connection.
    Connecting,
    /// Connected; events arrive as they happen.
    Live,
    /// The connection dropped; trying again (and catching up on return).
    Reconnecting,
    /// The browser is offline; the feed resumes when it is back.
    Offline,
}

impl ConnectionStatus {
    /// Short label for the status pill.
    pub fn label(self) -> &'static str {
        match self {
            ConnectionStatus::Connecting => "Connecting…",
            ConnectionStatus::Live => "Live",
            ConnectionStatus::Reconnecting => "Reconnecting…",
            ConnectionStatus::Offline => "Offline",
        }
    }

    /// Stable value for styling and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionStatus::Connecting => "connecting",
            ConnectionStatus::Live => "live",
            ConnectionStatus::Reconnecting => "reconnecting",
            ConnectionStatus::Offline => "offline",
        }
    }
}

/// Checks a message: not blank, at most [`MAX_MESSAGE_CHARS`] characters. Returns it trimmed.
pub fn validate_message(message: &str) -> Result<String, AppError> {
    let trimmed = message.trim();
    if trimmed.is_empty() {
        return Err(AppError::invalid_field(
            "message",
            "Write a message before sending.",
        ));
    }
    let chars = trimmed.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(AppError::invalid_field(
            "message",
            &format!("Messages are at most {MAX_MESSAGE_CHARS} characters; this one has {chars}."),
        ));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_messages_are_refused() {
        for blank in ["", "   ", "\n\t"] {
            let err = validate_message(blank).expect_err("blank");
            assert_eq!(err.status(), 422);
        }
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        let at_limit = "é".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(validate_message(&at_limit).ok(), Some(at_limit.clone()));
        let over = "a".repeat(MAX_MESSAGE_CHARS + 1);
        let err = validate_message(&over).expect_err("too long");
        assert!(err.message.contains("2001"), "{}", err.message);
    }

    #[test]
    fn messages_are_trimmed() {
        assert_eq!(validate_message("  hi \n").ok().as_deref(), Some("hi"));
    }

    #[test]
    fn server_messages_are_tagged_by_type() {
        let json =
            serde_json::to_value(FeedServerMessage::Lagged { missed: 3 }).unwrap_or_default();
        assert_eq!(json, serde_json::json!({"type": "lagged", "missed": 3}));
    }
}
