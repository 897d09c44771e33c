//! Sales metrics (brief 001, endpoint 3): exact and approximate (sketch) aggregation, and the
//! rollups that ingest keeps current.

pub mod model;
#[cfg(feature = "ssr")]
pub mod rollups;
