//! Storefront: catalogue, carts, checkout, orders, upsell and fraud scoring over HTTP.
mod checkout;
mod client;
mod concurrency;
mod edges;
mod fraud;
mod openapi;
mod public_shop;
mod upsell;
