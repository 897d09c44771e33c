//! Shared UI: the app shell, theme switch, toasts, error pages and small page parts.

pub mod client_only;
pub mod errors;
pub mod layout;
pub mod placeholder;
pub mod subnav;
pub mod theme;
pub mod toast;
