//! Wasm-safe types of the storefront: products, carts, orders and their totals.
//!
//! Money is always integer minor units (pence) in `*_cents` fields; the browser only formats it.

use serde::{Deserialize, Serialize};

/// The storefront's currency (prices, totals and VAT are in pence of it).
pub const CURRENCY: &str = "GBP";

/// Most products one listing page returns.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Most units of one product a cart may hold.
pub const MAX_QUANTITY: i64 = 99;

/// A product of the tenant's catalogue.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub price_cents: i64,
    pub stock: i64,
    pub image_url: String,
}

/// One page of the catalogue, with the cursor of the next page when there is one.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub products: Vec<Product>,
    pub next_cursor: Option<String>,
    pub categories: Vec<String>,
}

/// What a listing asks for.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductQuery {
    pub category: Option<String>,
    pub search: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// One line of a cart, priced at the catalogue's current price.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: String,
    pub name: String,
    pub category: String,
    pub image_url: String,
    pub unit_price_cents: i64,
    pub quantity: i64,
    pub line_total_cents: i64,
    /// Units in stock now (the page warns when the cart wants more).
    pub stock: i64,
}

/// Subtotal, promo discount, VAT on the discounted amount, and total; all in pence.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
}

/// A cart with its lines and totals (no promo code applied).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    pub id: String,
    pub lines: Vec<CartLine>,
    pub item_count: i64,
    pub totals: Totals,
    pub currency: String,
}

/// An order's status: `placed`, `held` for fraud review, or `rejected` by a reviewer.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Placed,
    Held,
    Rejected,
}

impl OrderStatus {
    /// The stored and serialized name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Held => "held",
            OrderStatus::Rejected => "rejected",
        }
    }

    /// Parses a stored name; unknown names read as `held` so nothing ships by mistake.
    pub fn parse(s: &str) -> Self {
        match s {
            "placed" => OrderStatus::Placed,
            "rejected" => OrderStatus::Rejected,
            _ => OrderStatus::Held,
        }
    }
}

/// One line of an order at the price paid.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    pub product_id: String,
    pub name: String,
    pub category: String,
    pub unit_price_cents: i64,
    pub quantity: i64,
    pub line_total_cents: i64,
}

/// A stored order.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub user_id: String,
    pub username: String,
    pub status: OrderStatus,
    pub currency: String,
    pub totals: Totals,
    pub promo_code: Option<String>,
    pub country: String,
    pub risk_level: String,
    pub risk_score: f64,
    pub risk_reasons: Vec<String>,
    pub created_at: String,
    pub lines: Vec<OrderLine>,
}

/// Where the next page of orders starts: the last order's `(created_at, id)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCursor {
    pub created_at: String,
    pub id: String,
}

/// One page of orders, newest first, with the cursor of the next page when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderPage {
    pub orders: Vec<Order>,
    pub next: Option<OrderCursor>,
}

/// Orders per page in the order lists.
pub const ORDER_PAGE_SIZE: u32 = 25;

/// A suggested extra product shown before the order is confirmed.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub product_id: String,
    pub name: String,
    pub price_cents: i64,
    pub image_url: String,
    pub reason: String,
    /// 0.0 – 1.0
    pub confidence: f64,
}

/// What the upsell step returned, and which recommender produced it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpsellOutcome {
    /// `model` (the configured OpenAI-compatible endpoint), `local` (the built-in
    /// recommender) or `off` (UPSELL_ENABLED is not true).
    pub source: String,
    /// A label for people, e.g. "Suggested by the built-in recommender (local, no AI model)".
    pub label: String,
    pub suggestions: Vec<Suggestion>,
    /// Why the model's answer was not used, when it was not (timeout, invalid JSON, …).
    pub fallback_reason: Option<String>,
}

/// The checkout page's review: cart, totals with the promo applied, and suggestions.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckoutPreview {
    pub cart: Cart,
    pub promo_code: Option<String>,
    pub totals: Totals,
    pub upsell: UpsellOutcome,
}

/// One entry of an order's audit trail.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewEntry {
    pub action: String,
    pub actor: String,
    pub note: String,
    pub created_at: String,
}

/// A reviewer's decision on a held order.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

/// Formats pence as money for people: `£1,234.50`.
pub fn format_money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let pounds = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in pounds.chars().enumerate() {
        if i > 0 && (pounds.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}£{grouped}.{:02}", abs % 100)
}

/// Formats pence as a plain decimal for APIs: `1234.50`.
pub fn decimal_string(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_and_padded() {
        assert_eq!(format_money(0), "£0.00");
        assert_eq!(format_money(5), "£0.05");
        assert_eq!(format_money(123_456_789), "£1,234,567.89");
        assert_eq!(format_money(-1050), "-£10.50");
        assert_eq!(decimal_string(129_900), "1299.00");
    }
}
