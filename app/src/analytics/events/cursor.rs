//! Opaque keyset cursors for the newest-first event listing: base64url of the last row's
//! `(timestamp, event_id)`. No offsets, so rows inserted between pages cause no gaps or repeats.

use crate::error::{AppError, ErrorCode};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

/// The position after which (i.e. older than which) the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub timestamp: String,
    pub event_id: String,
}

impl Cursor {
    /// The opaque string handed to clients.
    pub fn encode(&self) -> String {
        let json = serde_json::json!([self.timestamp, self.event_id]).to_string();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads a cursor this API issued; anything else is a 400 naming `cursor`.
    pub fn decode(s: &str) -> Result<Cursor, AppError> {
        let bad = || {
            let mut err =
                AppError::new(ErrorCode::BadRequest, "cursor is not one this API issued.");
            err.details = Some(serde_json::json!({ "cursor": "malformed" }));
            err
        };
        let bytes = URL_SAFE_NO_PAD.decode(s.trim()).map_err(|_| bad())?;
        let (timestamp, event_id): (String, String) =
            serde_json::from_slice(&bytes).map_err(|_| bad())?;
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
        for garbage in ["", "!!!", "bm90IGpzb24", &URL_SAFE_NO_PAD.encode("[1,2]")] {
            let err = Cursor::decode(garbage).expect_err("garbage");
            assert_eq!(err.code, ErrorCode::BadRequest);
        }
    }
}
