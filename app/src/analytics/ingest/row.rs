//! One NDJSON line → a validated order, or the first problem found (field and reason).

use super::money::price_from_json;
use serde_json::{Map, Value};

/// Statuses an ingested order may have.
pub const STATUSES: [&str; 5] = ["pending", "paid", "shipped", "delivered", "cancelled"];
/// Most items accepted in one order.
pub const MAX_ITEMS: usize = 1000;
/// Longest id or name accepted, in bytes.
pub const MAX_TEXT: usize = 200;

/// One order line item, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidItem {
    pub product_id: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
}

/// An order ready to store; `total_cents` is computed from the items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOrder {
    pub order_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_email: String,
    pub status: &'static str,
    /// RFC 3339 UTC with milliseconds.
    pub created_at: String,
    pub currency: String,
    pub total_cents: i64,
    pub items: Vec<ValidItem>,
}

/// What is wrong with a line: the field (or `line`) and why.
pub type Problem = (String, String);

fn problem(field: &str, reason: impl Into<String>) -> Problem {
    (field.to_string(), reason.into())
}

/// Parses and validates one line for the caller's tenant.
pub fn parse_order(line: &[u8], tenant_id: &str) -> Result<ValidOrder, Problem> {
    let value: Value = serde_json::from_slice(line)
        .map_err(|e| problem("line", format!("is not valid JSON: {e}")))?;
    let Value::Object(obj) = value else {
        return Err(problem("line", "must be a JSON object"));
    };
    validate_object(&obj, tenant_id)
}

/// Validates one order given as a JSON object (an NDJSON line, or rows of a CSV order).
pub fn validate_object(obj: &Map<String, Value>, tenant_id: &str) -> Result<ValidOrder, Problem> {
    if text(obj, "tenant_id")? != tenant_id {
        return Err(problem(
            "tenant_id",
            "must be your own tenant; rows for other tenants are refused",
        ));
    }
    let email = text(obj, "customer_email")?;
    if !email.contains('@') {
        return Err(problem("customer_email", "must be an email address"));
    }
    let status = match obj.get("status").and_then(Value::as_str) {
        Some(s) => STATUSES
            .into_iter()
            .find(|known| *known == s)
            .ok_or_else(|| problem("status", format!("must be one of {}", STATUSES.join(", "))))?,
        None => return Err(problem("status", "is required")),
    };
    let created_at = text(obj, "created_at")?;
    let created_at = chrono::DateTime::parse_from_rfc3339(&created_at)
        .map_err(|_| problem("created_at", "must be an RFC 3339 timestamp"))?
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let currency = text(obj, "currency")?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(problem(
            "currency",
            "must be a 3-letter ISO 4217 code such as EUR",
        ));
    }
    let items = items(obj)?;
    let total_cents = items
        .iter()
        .try_fold(0i64, |sum, i| {
            i.quantity
                .checked_mul(i.unit_price_cents)
                .and_then(|line| sum.checked_add(line))
        })
        .ok_or_else(|| problem("items", "the order total is too large"))?;
    Ok(ValidOrder {
        order_id: text(obj, "order_id")?,
        customer_id: text(obj, "customer_id")?,
        customer_name: text(obj, "customer_name")?,
        customer_email: email,
        status,
        created_at,
        currency,
        total_cents,
        items,
    })
}

/// A required, non-blank string field of at most [`MAX_TEXT`] bytes.
fn text(obj: &Map<String, Value>, field: &str) -> Result<String, Problem> {
    match obj.get(field) {
        Some(Value::String(s)) if s.trim().is_empty() => Err(problem(field, "must not be blank")),
        Some(Value::String(s)) if s.len() > MAX_TEXT => {
            Err(problem(field, format!("must be at most {MAX_TEXT} bytes")))
        }
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(_) => Err(problem(field, "must be a string")),
        None => Err(problem(field, "is required")),
    }
}

fn items(obj: &Map<String, Value>) -> Result<Vec<ValidItem>, Problem> {
    let Some(Value::Array(list)) = obj.get("items") else {
        return Err(problem("items", "must be a non-empty array"));
    };
    if list.is_empty() || list.len() > MAX_ITEMS {
        return Err(problem(
            "items",
            format!("must hold 1 to {MAX_ITEMS} items"),
        ));
    }
    list.iter()
        .enumerate()
        .map(|(n, item)| {
            let field = |name: &str| format!("items[{n}].{name}");
            let Value::Object(item) = item else {
                return Err((format!("items[{n}]"), "must be an object".to_string()));
            };
            let product_id = text(item, "product_id").map_err(|(_, r)| (field("product_id"), r))?;
            let quantity = item
                .get("quantity")
                .and_then(Value::as_i64)
                .filter(|q| (1..=1_000_000).contains(q))
                .ok_or_else(|| {
                    (
                        field("quantity"),
                        "must be an integer from 1 to 1000000".into(),
                    )
                })?;
            let price = item
                .get("unit_price")
                .ok_or_else(|| (field("unit_price"), "is required".to_string()))?;
            let unit_price_cents =
                price_from_json(price).map_err(|r| (field("unit_price"), r.to_string()))?;
            Ok(ValidItem {
                product_id,
                quantity,
                unit_price_cents,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn order() -> Value {
        json!({"order_id": "o-1", "tenant_id": "company_a", "customer_id": "c-1",
               "customer_name": "Ada", "customer_email": "ada@example.com", "status": "paid",
               "created_at": "2026-01-02T03:04:05+01:00", "currency": "EUR",
               "items": [{"product_id": "p-1", "quantity": 2, "unit_price": 12.5},
                         {"product_id": "p-2", "quantity": 1, "unit_price": "0.99"}]})
    }

    fn parse(v: &Value) -> Result<ValidOrder, Problem> {
        parse_order(v.to_string().as_bytes(), "company_a")
    }

    #[test]
    fn a_good_order_gets_its_total_from_the_items_and_a_utc_time() {
        let o = parse(&order()).expect("valid");
        assert_eq!(o.total_cents, 2599);
        assert_eq!(o.created_at, "2026-01-02T02:04:05.000Z");
        assert_eq!(o.items.len(), 2);
    }

    #[test]
    fn problems_name_the_field() {
        let mut v = order();
        v["items"][1]["unit_price"] = json!("1.999");
        assert_eq!(parse(&v).expect_err("bad").0, "items[1].unit_price");
        let mut v = order();
        v["tenant_id"] = json!("company_b");
        assert_eq!(parse(&v).expect_err("bad").0, "tenant_id");
        let mut v = order();
        v["status"] = json!("lost");
        assert_eq!(parse(&v).expect_err("bad").0, "status");
        let mut v = order();
        v["items"][0]["quantity"] = json!(0);
        assert_eq!(parse(&v).expect_err("bad").0, "items[0].quantity");
        let mut v = order();
        v["created_at"] = json!("yesterday");
        assert_eq!(parse(&v).expect_err("bad").0, "created_at");
        assert_eq!(
            parse_order(b"{nope", "company_a").expect_err("bad").0,
            "line"
        );
    }
}
