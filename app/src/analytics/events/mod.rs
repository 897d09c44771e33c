//! Product events (brief 003): batch ingest with idempotency, filtered cursor listing, daily summary.

pub mod model;

#[cfg(feature = "ssr")]
pub mod cursor;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod summary;
#[cfg(feature = "ssr")]
pub mod validate;
