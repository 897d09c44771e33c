//! Order search parameters and SQL: one query (orders, merged with their items in one ordered
//! join when `items` is projected) whose rows `search_encode` turns into body chunks as they are
//! fetched, so memory stays flat whatever `limit` is.

use super::cursor::{OrderCursor, ORDER_BY};
use super::filter::{OrderFilter, OrderFilterParams};
use super::search_fields::Projection;
use crate::error::AppError;
use serde::Deserialize;
use sqlx::{QueryBuilder, Sqlite};

/// Orders returned when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 100;
/// Most orders one request may ask for.
pub const MAX_LIMIT: usize = 100_000;
/// Chunks in flight between the query and the response body (each about 64 KiB).
pub const CHANNEL_CHUNKS: usize = 8;

/// Search options besides the filter, as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Comma-separated columns: order_id, customer_id, customer_name, customer_email, status,
    /// created_at, currency, total (decimal string), total_cents, items. Default: all.
    pub fields: Option<String>,
    /// Orders to return, 1–100000 (default 100).
    pub limit: Option<String>,
    /// `next_cursor` of the previous response.
    pub cursor: Option<String>,
    /// `ndjson` (default: one order per line, then `{"next_cursor":…}`) or `json`
    /// (`{"items":[…],"next_cursor":…}`).
    pub format: Option<String>,
}

/// How the response body is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ndjson,
    Json,
}

impl Format {
    /// The response's Content-Type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Ndjson => "application/x-ndjson",
            Format::Json => "application/json",
        }
    }
}

/// A validated search.
#[derive(Debug, Clone)]
pub struct Search {
    pub filter: OrderFilter,
    pub projection: Projection,
    pub limit: usize,
    pub cursor: Option<OrderCursor>,
    pub format: Format,
}

impl Search {
    /// Validates every parameter; the first bad one is a 422 naming it.
    pub fn parse(filter: &OrderFilterParams, p: &SearchParams) -> Result<Search, AppError> {
        let filter = OrderFilter::parse(filter)?;
        let projection = Projection::parse(p.fields.as_deref())?;
        let limit = match p.limit.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_LIMIT,
            Some(s) => s
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| AppError::invalid_field("limit", "must be 1 to 100000"))?,
        };
        let cursor = match p.cursor.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(OrderCursor::decode(s)?),
        };
        let format = match p.format.as_deref().map(str::trim) {
            None | Some("") | Some("ndjson") => Format::Ndjson,
            Some("json") => Format::Json,
            Some(_) => return Err(AppError::invalid_field("format", "must be ndjson or json")),
        };
        Ok(Search {
            filter,
            projection,
            limit,
            cursor,
            format,
        })
    }

    /// The one query: rows newest first; with items, one row per item (a `LEFT JOIN`, so an
    /// order without items still appears once) and no SQL `LIMIT` (the encoder stops reading).
    pub fn sql(&self, tenant_id: &str) -> QueryBuilder<'static, Sqlite> {
        let mut q = QueryBuilder::new("");
        self.push_sql(&mut q, tenant_id);
        q
    }

    /// [`Search::sql`] appended to `q` (e.g. after `EXPLAIN QUERY PLAN `).
    pub fn push_sql(&self, q: &mut QueryBuilder<'static, Sqlite>, tenant_id: &str) {
        let items = self.projection.wants_items();
        q.push(
            "SELECT o.order_id, o.customer_id, o.customer_name, o.customer_email, o.status, \
             o.created_at, o.currency, o.total_cents",
        );
        if items {
            // Nested loop in time order, each order's items by primary key: no sort, no buffer.
            q.push(
                ", i.product_id, i.quantity, i.unit_price_cents FROM sales_orders o \
                 LEFT JOIN sales_order_items i ON i.tenant_id = o.tenant_id \
                 AND i.order_id = o.order_id",
            );
        } else {
            q.push(" FROM sales_orders o");
        }
        self.filter.push_where(q, tenant_id);
        if let Some(c) = &self.cursor {
            c.push_after(q);
        }
        q.push(ORDER_BY);
        if items {
            q.push(", i.line_no");
        } else {
            q.push(" LIMIT ").push_bind((self.limit + 1) as i64);
        }
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
