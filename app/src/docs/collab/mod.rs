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
pub mod components_toolbar;
#[cfg(feature = "hydrate")]
pub mod editor;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
// The Yjs server: rooms, storage, revisions and export.
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod protocol;
#[cfg(feature = "ssr")]
pub mod restore;
#[cfg(feature = "ssr")]
pub mod revisions;
pub mod revisions_api;
#[cfg(feature = "ssr")]
mod room;
#[cfg(feature = "ssr")]
pub mod store;

/// The XmlFragment y-prosemirror keeps the ProseMirror document in.
pub const FRAGMENT: &str = "prosemirror";
