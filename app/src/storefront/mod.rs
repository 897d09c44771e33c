//! The Storefront area: catalogue, cart, checkout, orders, AI upsell and fraud scoring.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cart;
#[cfg(feature = "ssr")]
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod checkout;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod fraud;
pub mod input;
pub mod model;
#[cfg(feature = "ssr")]
pub mod orders;
pub mod pages;
pub mod pricing;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod upsell;
