//! The live event feed: per-tenant events, kept in memory and streamed over WebSocket.

pub mod api;
#[cfg(feature = "hydrate")]
mod client;
mod components;
#[cfg(feature = "ssr")]
pub mod hub;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod timeline;
