//! The search's column projection (`fields=`) and how one order is written in it.

use crate::error::AppError;
use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};

/// A column a client may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    OrderId,
    CustomerId,
    CustomerName,
    CustomerEmail,
    Status,
    CreatedAt,
    Currency,
    Total,
    TotalCents,
    Items,
}

/// Every field, in the default output order.
pub const ALL: [(&str, Field); 10] = [
    ("order_id", Field::OrderId),
    ("customer_id", Field::CustomerId),
    ("customer_name", Field::CustomerName),
    ("customer_email", Field::CustomerEmail),
    ("status", Field::Status),
    ("created_at", Field::CreatedAt),
    ("currency", Field::Currency),
    ("total", Field::Total),
    ("total_cents", Field::TotalCents),
    ("items", Field::Items),
];

/// The chosen fields, in the order asked for (duplicates dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection(pub Vec<(&'static str, Field)>);

impl Projection {
    /// `None` or a blank value selects every field; an unknown name is a 422 naming `fields`.
    pub fn parse(fields: Option<&str>) -> Result<Projection, AppError> {
        let Some(list) = fields.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(Projection(ALL.to_vec()));
        };
        let mut out: Vec<(&'static str, Field)> = Vec::new();
        for name in list.split(',').map(str::trim) {
            let Some(&known) = ALL.iter().find(|(n, _)| *n == name) else {
                let names: Vec<&str> = ALL.iter().map(|(n, _)| *n).collect();
                return Err(AppError::invalid_field(
                    "fields",
                    &format!("unknown field {name:?}; known: {}", names.join(", ")),
                ));
            };
            if !out.contains(&known) {
                out.push(known);
            }
        }
        Ok(Projection(out))
    }

    /// Whether items must be read.
    pub fn wants_items(&self) -> bool {
        self.0.iter().any(|(_, f)| *f == Field::Items)
    }
}

/// One line item as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    pub product_id: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
}

/// One order as stored, with its items if they were read.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderRow {
    pub order_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_email: String,
    pub status: String,
    pub created_at: String,
    pub currency: String,
    pub total_cents: i64,
    #[sqlx(skip)]
    pub items: Vec<ItemRow>,
}

/// Minor units as an exact decimal string: 1250 → `"12.50"`.
pub fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// An order serialised with a projection, fields in the projection's order.
pub struct Projected<'a>(pub &'a OrderRow, pub &'a Projection);

impl Serialize for Projected<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let o = self.0;
        let mut map = s.serialize_map(Some(self.1 .0.len()))?;
        for (name, field) in &self.1 .0 {
            match field {
                Field::OrderId => map.serialize_entry(name, &o.order_id)?,
                Field::CustomerId => map.serialize_entry(name, &o.customer_id)?,
                Field::CustomerName => map.serialize_entry(name, &o.customer_name)?,
                Field::CustomerEmail => map.serialize_entry(name, &o.customer_email)?,
                Field::Status => map.serialize_entry(name, &o.status)?,
                Field::CreatedAt => map.serialize_entry(name, &o.created_at)?,
                Field::Currency => map.serialize_entry(name, &o.currency)?,
                Field::Total => map.serialize_entry(name, &decimal(o.total_cents))?,
                Field::TotalCents => map.serialize_entry(name, &o.total_cents)?,
                Field::Items => map.serialize_entry(name, &o.items)?,
            }
        }
        map.end()
    }
}

impl Serialize for ItemRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Item", 3)?;
        st.serialize_field("product_id", &self.product_id)?;
        st.serialize_field("quantity", &self.quantity)?;
        st.serialize_field("unit_price", &decimal(self.unit_price_cents))?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projections_keep_the_asked_order_and_reject_unknown_fields() {
        let p = Projection::parse(Some("total, order_id,total")).expect("ok");
        assert_eq!(
            p.0,
            vec![("total", Field::Total), ("order_id", Field::OrderId)]
        );
        assert!(!p.wants_items());
        assert_eq!(Projection::parse(None).expect("all").0.len(), 10);
        assert!(Projection::parse(Some("order_id,secret")).is_err());
        let o = OrderRow {
            order_id: "o1".into(),
            customer_id: "c".into(),
            customer_name: "n".into(),
            customer_email: "e".into(),
            status: "paid".into(),
            created_at: "t".into(),
            currency: "EUR".into(),
            total_cents: 1205,
            items: vec![ItemRow {
                product_id: "p-1".into(),
                quantity: 2,
                unit_price_cents: 5,
            }],
        };
        let p = Projection::parse(Some("total,items,order_id")).expect("ok");
        let json = serde_json::to_string(&Projected(&o, &p)).expect("json");
        assert_eq!(
            json,
            r#"{"total":"12.05","items":[{"product_id":"p-1","quantity":2,"unit_price":"0.05"}],"order_id":"o1"}"#
        );
        assert_eq!(decimal(-7), "-0.07");
    }
}
