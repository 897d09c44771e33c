//! Sales metrics (brief 001, endpoint 3): exact and approximate (sketch) aggregation, and the
//! rollups that ingest keeps current.

#[cfg(feature = "ssr")]
pub mod accumulate;
#[cfg(feature = "ssr")]
pub mod approx;
#[cfg(feature = "ssr")]
pub mod exact;
pub mod model;
#[cfg(feature = "ssr")]
pub mod params;
#[cfg(feature = "ssr")]
pub mod rollups;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sketch;
