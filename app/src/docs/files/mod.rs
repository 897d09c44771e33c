//! Tenant file storage: uploads streamed to `uploads/<tenant>/`, metadata in SQLite, and
//! access by role (tenant-wide or private files; only admins delete).

pub mod pages;
#[cfg(feature = "ssr")]
pub mod state;
