//! Bulk order ingest (brief 001): streamed NDJSON (optionally gzip), per-row validation,
//! idempotency keys, batched upserts into `sales_orders` / `sales_order_items`; resumable
//! uploads and a bounded ingest queue.

#[cfg(feature = "ssr")]
pub mod csv_rows;
#[cfg(feature = "ssr")]
pub mod fast;
#[cfg(feature = "ssr")]
pub mod idempotency;
#[cfg(feature = "ssr")]
pub mod lines;
pub mod model;
#[cfg(feature = "ssr")]
pub mod money;
#[cfg(feature = "ssr")]
pub mod queue;
#[cfg(feature = "ssr")]
pub mod readers;
#[cfg(feature = "ssr")]
pub mod row;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod telemetry;
#[cfg(feature = "ssr")]
pub mod uploads;
