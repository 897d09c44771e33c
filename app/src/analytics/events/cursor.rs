//! Opaque keyset cursors: base64url (no padding) of a JSON array of the last row's sort key
//! parts. No offsets, so rows inserted between pages cause no gaps or repeats.
//!
//! The event listing's cursor is `[timestamp, event_id]`; other listings (order search) reuse
//! [`encode_parts`] / [`decode_parts`] with a version tag as their first part.

use crate::error::{AppError, ErrorCode};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

/// The opaque string for a keyset position made of `parts`.
pub fn encode_parts(parts: &[&str]) -> String {
    let json = serde_json::to_string(parts).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// Reads a cursor of exactly `N` string parts; anything else is a 400 naming `cursor`.
pub fn decode_parts<const N: usize>(s: &str) -> Result<[String; N], AppError> {
    let bytes = URL_SAFE_NO_PAD.decode(s.trim()).map_err(|_| malformed())?;
    let parts: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| malformed())?;
    parts.try_into().map_err(|_| malformed())
}

/// The error for a cursor this API did not issue.
pub fn malformed() -> AppError {
    let mut err = AppError::new(ErrorCode::BadRequest, "cursor is not one this API issued.");
    err.details = Some(serde_json::json!({ "cursor": "malformed" }));
    err
}

/// The position after which (i.e. older than which) the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub timestamp: String,
    pub event_id: String,
}

impl Cursor {
    /// The opaque string handed to clients.
    pub fn encode(&self) -> String {
        encode_parts(&[&self.timestamp, &self.event_id])
    }

    /// Reads a cursor this API issued; anything else is a 400 naming `cursor`.
    pub fn decode(s: &str) -> Result<Cursor, AppError> {
        let [timestamp, event_id] = decode_parts::<2>(s)?;
        Ok(Cursor {
            timestamp,
            event_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let c = Cursor {
            timestamp: "2026-01-02T03:04:05.000Z".into(),
            event_id: "e-1".into(),
        };
        let s = c.encode();
        assert!(!s.contains('='));
        assert_eq!(Cursor::decode(&s).expect("round trip"), c);
        let three = encode_parts(&["a", "b", "c"]);
        for garbage in [
            "",
            "!!!",
            "bm90IGpzb24",
            &URL_SAFE_NO_PAD.encode("[1,2]"),
            &three,
        ] {
            let err = Cursor::decode(garbage).expect_err("garbage");
            assert_eq!(err.code, ErrorCode::BadRequest);
        }
    }

    #[test]
    fn the_wire_format_is_unchanged() {
        // Cursors handed out before the helpers were shared still decode.
        let old = URL_SAFE_NO_PAD.encode(r#"["2026-01-02T03:04:05.000Z","e-1"]"#);
        assert_eq!(Cursor::decode(&old).expect("old").event_id, "e-1");
    }
}
