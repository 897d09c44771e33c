//! Turns the search query's rows, as they arrive, into the response body: NDJSON lines or a
//! JSON array, ending with the next cursor. Holds at most one order and one chunk.

use super::cursor::OrderCursor;
use super::search::{Format, Search};
use super::search_fields::{ItemRow, OrderRow, Projected};
use crate::error::AppError;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// A chunk is handed out once it holds this many bytes.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// The body writer for one search.
pub struct Encoder<'a> {
    search: &'a Search,
    buf: Vec<u8>,
    written: usize,
    current: Option<OrderRow>,
    last: Option<OrderCursor>,
    more: bool,
    handed_out: bool,
}

impl<'a> Encoder<'a> {
    /// Starts the body (the JSON form's opening).
    pub fn new(search: &'a Search) -> Self {
        let mut buf = Vec::with_capacity(CHUNK_BYTES + 4096);
        if search.format == Format::Json {
            buf.extend_from_slice(b"{\"items\":[");
        }
        Encoder {
            search,
            buf,
            written: 0,
            current: None,
            last: None,
            more: false,
            handed_out: false,
        }
    }

    /// Takes one row; `Ok(false)` once `limit` orders are written and another one began (the
    /// caller stops reading: there is a next page).
    pub fn push_row(&mut self, row: &SqliteRow) -> Result<bool, AppError> {
        let order_id: String = row.try_get(0)?;
        if self.current.as_ref().is_none_or(|c| c.order_id != order_id) {
            self.complete_current()?;
            if self.written == self.search.limit {
                self.more = true;
                return Ok(false);
            }
            self.current = Some(OrderRow {
                order_id,
                customer_id: row.try_get(1)?,
                customer_name: row.try_get(2)?,
                customer_email: row.try_get(3)?,
                status: row.try_get(4)?,
                created_at: row.try_get(5)?,
                currency: row.try_get(6)?,
                total_cents: row.try_get(7)?,
                items: Vec::new(),
            });
        }
        if self.search.projection.wants_items() {
            let product_id: Option<String> = row.try_get(8)?;
            if let (Some(product_id), Some(order)) = (product_id, self.current.as_mut()) {
                order.items.push(ItemRow {
                    product_id,
                    quantity: row.try_get(9)?,
                    unit_price_cents: row.try_get(10)?,
                });
            }
        }
        Ok(true)
    }

    /// A chunk to send now, if the buffer is full — or holds the very first order, so the client
    /// sees data as soon as the database yields it.
    pub fn take_chunk(&mut self) -> Option<Vec<u8>> {
        let first = !self.handed_out && self.written > 0;
        if self.buf.len() >= CHUNK_BYTES || first {
            self.handed_out = true;
            Some(std::mem::replace(
                &mut self.buf,
                Vec::with_capacity(CHUNK_BYTES + 4096),
            ))
        } else {
            None
        }
    }

    /// Writes the pending order and the ending (`next_cursor`); returns the last chunk.
    pub fn finish(mut self) -> Result<Vec<u8>, AppError> {
        self.complete_current()?;
        let next = if self.more {
            self.last.as_ref().map(OrderCursor::encode)
        } else {
            None
        };
        let next = serde_json::to_string(&next).map_err(AppError::internal)?;
        let tail = match self.search.format {
            Format::Ndjson => format!("{{\"next_cursor\":{next}}}\n"),
            Format::Json => format!("],\"next_cursor\":{next}}}"),
        };
        self.buf.extend_from_slice(tail.as_bytes());
        Ok(self.buf)
    }

    fn complete_current(&mut self) -> Result<(), AppError> {
        let Some(order) = self.current.take() else {
            return Ok(());
        };
        if self.search.format == Format::Json && self.written > 0 {
            self.buf.push(b',');
        }
        serde_json::to_writer(&mut self.buf, &Projected(&order, &self.search.projection))
            .map_err(AppError::internal)?;
        if self.search.format == Format::Ndjson {
            self.buf.push(b'\n');
        }
        self.written += 1;
        self.last = Some(OrderCursor {
            created_at: order.created_at,
            order_id: order.order_id,
        });
        Ok(())
    }
}
