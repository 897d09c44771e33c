//! The fast path for one NDJSON line: typed deserialisation with borrowed strings (no
//! `serde_json::Value` tree). It accepts exactly the rows [`super::row::parse_order`] accepts;
//! anything it cannot vouch for returns None and the caller takes the slow path, which names
//! the problem field.

use super::money::{parse_minor_units, price_from_json};
use super::row::{ValidItem, ValidOrder, MAX_ITEMS, MAX_TEXT, STATUSES};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Deserialize)]
struct RawOrder<'a> {
    #[serde(borrow)]
    order_id: Cow<'a, str>,
    #[serde(borrow)]
    tenant_id: Cow<'a, str>,
    #[serde(borrow)]
    customer_id: Cow<'a, str>,
    #[serde(borrow)]
    customer_name: Cow<'a, str>,
    #[serde(borrow)]
    customer_email: Cow<'a, str>,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(borrow)]
    currency: Cow<'a, str>,
    #[serde(borrow)]
    items: Vec<RawItem<'a>>,
}

#[derive(Deserialize)]
struct RawItem<'a> {
    #[serde(borrow)]
    product_id: Cow<'a, str>,
    quantity: i64,
    unit_price: Price,
}

/// A price in minor units, or None when it is not a valid price.
struct Price(Option<i64>);

impl<'de> Deserialize<'de> for Price {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Price;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a price")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Price, E> {
                Ok(Price(parse_minor_units(s.trim()).ok()))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Price, E> {
                Ok(Price(price_from_json(&serde_json::Value::from(n)).ok()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Price, E> {
                Ok(Price(None))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Price, E> {
                Ok(Price(price_from_json(&serde_json::Value::from(n)).ok()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The same rule as the slow path's `text`: non-blank, at most [`MAX_TEXT`] bytes, trimmed.
fn text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && s.len() <= MAX_TEXT).then(|| t.to_string())
}

/// The validated order, or None when the slow path must decide (and explain).
pub fn parse_fast(line: &[u8], tenant_id: &str) -> Option<ValidOrder> {
    let raw: RawOrder = serde_json::from_slice(line).ok()?;
    if text(&raw.tenant_id)? != tenant_id {
        return None;
    }
    let customer_email = text(&raw.customer_email)?;
    if !customer_email.contains('@') {
        return None;
    }
    let status = STATUSES.into_iter().find(|known| *known == raw.status)?;
    let created_at = utc_millis(&text(&raw.created_at)?)?;
    let currency = text(&raw.currency)?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    if raw.items.is_empty() || raw.items.len() > MAX_ITEMS {
        return None;
    }
    let mut items = Vec::with_capacity(raw.items.len());
    let mut total_cents: i64 = 0;
    for item in &raw.items {
        let unit_price_cents = item.unit_price.0?;
        if !(1..=1_000_000).contains(&item.quantity) {
            return None;
        }
        total_cents = total_cents.checked_add(item.quantity.checked_mul(unit_price_cents)?)?;
        items.push(ValidItem {
            product_id: text(&item.product_id)?,
            quantity: item.quantity,
            unit_price_cents,
        });
    }
    Some(ValidOrder {
        order_id: text(&raw.order_id)?,
        customer_id: text(&raw.customer_id)?,
        customer_name: text(&raw.customer_name)?,
        customer_email,
        status,
        created_at,
        currency,
        total_cents,
        items,
    })
}

/// RFC 3339 → UTC with milliseconds; `YYYY-MM-DDTHH:MM:SSZ` (the common form) without chrono's
/// formatting machinery once chrono has validated it.
fn utc_millis(s: &str) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(s).ok()?;
    if s.len() == 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T' {
        let mut out = String::with_capacity(24);
        out.push_str(&s[..19]);
        out.push_str(".000Z");
        return Some(out);
    }
    Some(
        t.with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    )
}

#[cfg(test)]
mod tests {
    use super::super::row::parse_order;
    use super::*;
    use serde_json::{json, Value};

    fn order() -> Value {
        json!({"order_id": " o-1 ", "tenant_id": "company_a", "customer_id": "c-1",
               "customer_name": "Ada \"the\" first", "customer_email": "ada@example.com",
               "status": "paid", "created_at": "2026-01-02T03:04:05Z", "currency": "EUR",
               "items": [{"product_id": "p-1", "quantity": 2, "unit_price": 12.5},
                         {"product_id": "p-2", "quantity": 1, "unit_price": "0.99"},
                         {"product_id": "p-3", "quantity": 1, "unit_price": 7}]})
    }

    /// Whatever the fast path accepts, the slow path accepts identically; what it refuses, the
    /// slow path decides.
    #[test]
    fn the_fast_path_agrees_with_the_slow_one() {
        let variants: Vec<(&str, Value)> = vec![
            ("created_at", json!("2026-01-02T03:04:05.123+02:00")),
            ("created_at", json!("2026-01-02T03:04:05z")),
            ("created_at", json!("2026-02-30T03:04:05Z")),
            ("status", json!(" paid")),
            ("status", json!(null)),
            ("tenant_id", json!("company_b")),
            ("tenant_id", json!(" company_a ")),
            ("currency", json!("eur")),
            ("customer_email", json!("nobody")),
            ("order_id", json!("   ")),
            ("order_id", json!(7)),
            ("items", json!([])),
            (
                "items",
                json!([{"product_id": "p", "quantity": 2.0, "unit_price": 1}]),
            ),
            (
                "items",
                json!([{"product_id": "p", "quantity": 1, "unit_price": -1}]),
            ),
            (
                "items",
                json!([{"product_id": "p", "quantity": 1, "unit_price": 1.005}]),
            ),
            (
                "items",
                json!([{"product_id": "p", "quantity": 1, "unit_price": " 3.10 "}]),
            ),
            (
                "items",
                json!([{"product_id": "p", "quantity": 1000000, "unit_price": 1e14}]),
            ),
            ("customer_name", json!("x".repeat(201))),
        ];
        let mut cases = vec![order().to_string()];
        for (field, value) in variants {
            let mut v = order();
            v[field] = value;
            cases.push(v.to_string());
        }
        cases.push(r#"{"order_id":"a","order_id":"b"}"#.to_string());
        cases.push("[1]".to_string());
        let mut fast = 0;
        for case in &cases {
            let slow = parse_order(case.as_bytes(), "company_a");
            if let Some(o) = parse_fast(case.as_bytes(), "company_a") {
                fast += 1;
                assert_eq!(Ok(o), slow, "{case}");
            }
        }
        assert!(fast >= 3, "the fast path took the good rows");
    }
}
