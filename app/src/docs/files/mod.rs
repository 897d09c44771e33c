//! Tenant file storage: uploads streamed to `uploads/<tenant>/`, metadata in SQLite, and
//! access by role (tenant-wide or private files; only admins delete).

pub mod api;
#[cfg(feature = "ssr")]
pub mod content_type;
#[cfg(feature = "ssr")]
pub mod disposition;
pub mod model;
pub mod name;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "hydrate")]
mod upload;
mod upload_panel;
