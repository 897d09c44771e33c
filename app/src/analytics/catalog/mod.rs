//! The analytics catalogue: products (category, price, stock), webhook price events with anomaly
//! detection, and stock bulk updates with conflict modes (brief 001, endpoints 4 and 6).

pub mod model;
