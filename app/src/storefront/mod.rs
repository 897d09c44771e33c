//! The Storefront area: catalogue, cart, checkout, orders, AI upsell and fraud scoring.

pub mod fraud;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod upsell;
