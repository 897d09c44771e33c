//! Storefront: catalogue, carts, checkout, orders, upsell and fraud scoring over HTTP.
