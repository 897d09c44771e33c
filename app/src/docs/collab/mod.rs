//! Collaborative rich-text documents: rooms speaking the y-websocket protocol over yrs,
//! durable updates and snapshots, revisions, sharing and export.

#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
