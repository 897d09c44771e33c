//! Bulk order ingest (brief 001): streamed NDJSON (optionally gzip), per-row validation,
//! idempotency keys, batched upserts into `sales_orders` / `sales_order_items`.

#[cfg(feature = "ssr")]
pub mod idempotency;
#[cfg(feature = "ssr")]
pub mod lines;
pub mod model;
#[cfg(feature = "ssr")]
pub mod money;
#[cfg(feature = "ssr")]
pub mod row;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
