//! The analytics catalogue: products (category, price, stock), webhook price events with anomaly
//! detection, and stock bulk updates with conflict modes (brief 001, endpoints 4 and 6).

pub mod model;
#[cfg(feature = "ssr")]
pub mod prices;
#[cfg(feature = "ssr")]
pub mod products;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod stock;

/// `12345` → `"123.45"`.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}
