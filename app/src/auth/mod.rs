//! Tenants, users, memberships and sign-in: sessions, API tokens and JWTs.

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod limiter;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod principal;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod tokens;

use crate::error::AppError;
use leptos::prelude::*;
use model::SessionInfo;

/// The signed-in user for this page load, loaded once and shared through context.
#[derive(Clone, Copy)]
pub struct SessionResource(pub Resource<Result<Option<SessionInfo>, AppError>>);

/// Loads the session (blocking SSR, so redirects and the shell render with it).
pub fn provide_session() {
    let resource = Resource::new_blocking(|| (), |_| api::current_session());
    provide_context(SessionResource(resource));
}

/// Reloads the whole page at `path`: after sign-in, sign-out or a tenant switch every piece of
/// state on the page belongs to someone else, so nothing is kept.
pub fn reload_at(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
}
