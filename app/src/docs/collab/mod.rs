//! Collaborative rich-text documents: rooms speaking the y-websocket protocol over yrs,
//! durable updates and snapshots, revisions, sharing and export.

#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
pub mod components;
pub mod components_editor;
pub mod components_revisions;
pub mod components_share;
pub mod components_state;
#[cfg(feature = "hydrate")]
pub mod editor;
pub mod model;
pub mod pages;
pub mod revisions_api;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
