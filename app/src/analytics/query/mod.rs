//! Order search (streamed NDJSON with a cursor and projection) and exports (CSV / Parquet,
//! resumable), brief 001 endpoints 2 and 5.

#[cfg(feature = "ssr")]
pub mod cursor;
#[cfg(feature = "ssr")]
pub mod customers;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod export_filter;
pub mod export_model;
#[cfg(feature = "ssr")]
pub mod export_sink;
#[cfg(feature = "ssr")]
pub mod export_store;
#[cfg(feature = "ssr")]
mod export_writer;
#[cfg(feature = "ssr")]
pub mod filter;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod search_encode;
#[cfg(feature = "ssr")]
pub mod search_fields;
#[cfg(feature = "ssr")]
pub mod search_fts;
