//! The order search's keyset cursor: the last row's `(created_at, order_id)` under a version
//! tag, encoded by the shared helpers of the event listing's cursor.

use crate::analytics::events::cursor::{decode_parts, encode_parts};
use crate::error::AppError;
use sqlx::{QueryBuilder, Sqlite};

/// The first part of every order cursor; a new layout gets a new tag.
const VERSION: &str = "o1";

/// The position after which (i.e. older than which) the next page starts, in the order
/// `created_at DESC, order_id DESC`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderCursor {
    pub created_at: String,
    pub order_id: String,
}

impl OrderCursor {
    /// The opaque string handed to clients.
    pub fn encode(&self) -> String {
        encode_parts(&[VERSION, &self.created_at, &self.order_id])
    }

    /// Reads a cursor this API issued; anything else (or another version) is a 422 naming
    /// `cursor`, like the other bad search parameters.
    pub fn decode(s: &str) -> Result<OrderCursor, AppError> {
        let bad = || AppError::invalid_field("cursor", "is not a cursor this API issued");
        let [version, created_at, order_id] = decode_parts::<3>(s).map_err(|_| bad())?;
        if version != VERSION {
            return Err(bad());
        }
        Ok(OrderCursor {
            created_at,
            order_id,
        })
    }

    /// Appends ` AND` the condition "strictly after this cursor in newest-first order" over
    /// `sales_orders o`. Written as a row-value comparison so SQLite can seek the
    /// `(tenant_id, created_at)` index instead of scanning from the newest row.
    pub fn push_after(&self, q: &mut QueryBuilder<'_, Sqlite>) {
        q.push(" AND (o.created_at, o.order_id) < (")
            .push_bind(self.created_at.clone())
            .push(", ")
            .push_bind(self.order_id.clone())
            .push(")");
    }
}

/// The keyset order every order listing uses (newest first, ties by id).
pub const ORDER_BY: &str = " ORDER BY o.created_at DESC, o.order_id DESC";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn round_trips_and_rejects_other_cursors() {
        let c = OrderCursor {
            created_at: "2026-01-02T03:04:05.000Z".into(),
            order_id: "o-\"1\"".into(),
        };
        assert_eq!(OrderCursor::decode(&c.encode()).expect("round trip"), c);
        let event = crate::analytics::events::cursor::Cursor {
            timestamp: "t".into(),
            event_id: "e".into(),
        };
        let future = encode_parts(&["o2", "t", "id"]);
        for bad in ["", "%%", &event.encode(), &future] {
            assert_eq!(
                OrderCursor::decode(bad).expect_err("bad").code,
                ErrorCode::Validation
            );
        }
    }
}
