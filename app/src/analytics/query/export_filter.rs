//! The filters of an export: the order search's parameters, given as a JSON object.

use crate::analytics::events::summary::{lower_bound, upper_bound};
use crate::error::AppError;
use sqlx::{QueryBuilder, Sqlite};

/// Parsed filters; they add `AND …` conditions on `sales_orders o`.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    /// Inclusive lower bound on `created_at`, stored format.
    from: Option<String>,
    /// Exclusive upper bound on `created_at`, stored format.
    to: Option<String>,
}

fn text<'a>(v: &'a serde_json::Value, key: &str) -> Result<Option<&'a str>, AppError> {
    match v.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(AppError::invalid_field(
            &format!("filters.{key}"),
            "Must be a string.",
        )),
    }
}

impl ExportFilter {
    /// Parses `{start_date|from, end_date|to}` (`YYYY-MM-DD`, whole days, or RFC 3339).
    pub fn parse(v: &serde_json::Value) -> Result<Self, AppError> {
        if !(v.is_object() || v.is_null()) {
            return Err(AppError::invalid_field("filters", "Must be an object."));
        }
        let from = text(v, "start_date")?.or(text(v, "from")?);
        let to = text(v, "end_date")?.or(text(v, "to")?);
        Ok(ExportFilter {
            from: from
                .map(|s| lower_bound("filters.start_date", s))
                .transpose()?,
            to: to.map(|s| upper_bound("filters.end_date", s)).transpose()?,
        })
    }

    /// Appends this filter's conditions (each starting with ` AND `).
    pub fn push_conditions(&self, q: &mut QueryBuilder<'_, Sqlite>) {
        if let Some(from) = &self.from {
            q.push(" AND o.created_at >= ").push_bind(from.clone());
        }
        if let Some(to) = &self.to {
            q.push(" AND o.created_at < ").push_bind(to.clone());
        }
    }
}
