//! The Challenges area: a library of graded coding tasks, an in-browser editor, a sandboxed
//! runner (in `server/`), submissions, AI feedback and progress.

pub mod api;
pub mod editor;
#[cfg(feature = "ssr")]
pub mod feedback;
#[cfg(feature = "ssr")]
pub mod library;
pub mod model;
pub mod pages;
pub mod playground;
pub mod run;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
pub mod views;
