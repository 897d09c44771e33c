//! The filters of an export: the order search's [`OrderFilter`], given as a JSON object with the
//! search's parameter names. Values may be strings (as in a query string), numbers (totals) or
//! arrays (`product_ids`, `status`), which become the comma-separated form.

use super::filter::{OrderFilter, OrderFilterParams};
use crate::error::AppError;
use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite};

/// A validated export filter.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter(OrderFilter);

/// One filter value in the search's text form.
fn as_text(key: &str, v: &Value) -> Result<Option<String>, AppError> {
    let bad = || {
        AppError::invalid_field(
            &format!("filters.{key}"),
            "Must be a string, a number or an array of strings.",
        )
    };
    Ok(match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string).ok_or_else(bad))
                .collect::<Result<Vec<_>, _>>()?
                .join(","),
        ),
        _ => return Err(bad()),
    })
}

impl ExportFilter {
    /// Parses and validates `filters` (null or an object; an error names the bad field).
    pub fn parse(v: &Value) -> Result<Self, AppError> {
        let mut params = serde_json::Map::new();
        match v {
            Value::Null => {}
            Value::Object(map) => {
                for (k, val) in map {
                    if let Some(text) = as_text(k, val)? {
                        params.insert(k.clone(), Value::String(text));
                    }
                }
            }
            _ => return Err(AppError::invalid_field("filters", "Must be an object.")),
        }
        let params: OrderFilterParams = serde_json::from_value(Value::Object(params))
            .map_err(|e| AppError::invalid_field("filters", &e.to_string()))?;
        Ok(ExportFilter(OrderFilter::parse(&params)?))
    }

    /// Appends ` WHERE o.tenant_id = ? AND …` for this filter.
    pub fn push_where(&self, q: &mut QueryBuilder<'_, Sqlite>, tenant_id: &str) {
        self.0.push_where(q, tenant_id);
    }
}
