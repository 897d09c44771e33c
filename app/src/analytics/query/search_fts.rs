//! Customer text search (`q`): user words become a safe FTS5 query over the distinct
//! `(customer_id, name, email)` tuples that `migrations/0012_sales_search.sql` keeps in
//! `sales_customers` / `sales_customers_fts` by triggers on `sales_orders`.

use crate::error::AppError;
use sqlx::{QueryBuilder, Sqlite};

/// Longest `q` accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words in one `q`.
pub const MAX_TERMS: usize = 16;

/// Builds the MATCH expression: every word a quoted FTS5 string (inner `"` doubled, so no
/// operator or column syntax gets through), all required, the last one a prefix
/// (`"ali" "smi"*`). Words with no letter or digit are dropped (the tokenizer would ignore them).
pub fn match_expression(q: &str) -> Result<String, AppError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid_field(
            "q",
            "must be at most 200 characters",
        ));
    }
    let terms: Vec<&str> = q
        .split_whitespace()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .collect();
    if terms.is_empty() {
        return Err(AppError::invalid_field(
            "q",
            "must contain a letter or digit",
        ));
    }
    if terms.len() > MAX_TERMS {
        return Err(AppError::invalid_field("q", "must have at most 16 words"));
    }
    let quoted: Vec<String> = terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    Ok(format!("{}*", quoted.join(" ")))
}

/// Appends ` AND` "the order's own customer tuple matches": old tuples stay indexed while any
/// order still has them, so the match is on the tuple, never just the customer id.
/// `CROSS JOIN` fixes the loop order: FTS first, then each hit's row by primary key (otherwise
/// SQLite walks every customer of the tenant and probes the FTS index once per customer).
pub fn push_text_match(q: &mut QueryBuilder<'_, Sqlite>, tenant_id: &str, expr: &str) {
    q.push(
        " AND (o.customer_id, o.customer_name, o.customer_email) IN (SELECT c.customer_id, \
         c.name, c.email FROM sales_customers_fts f CROSS JOIN sales_customers c ON c.id = f.rowid \
         WHERE sales_customers_fts MATCH ",
    )
    .push_bind(expr.to_string())
    .push(" AND c.tenant_id = ")
    .push_bind(tenant_id.to_string())
    .push(")");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_and_the_last_is_a_prefix() {
        assert_eq!(match_expression("ali").expect("ok"), "\"ali\"*");
        assert_eq!(
            match_expression("  Alice  smi ").expect("ok"),
            "\"Alice\" \"smi\"*"
        );
        assert_eq!(
            match_expression("a\"b OR NEAR(x) -- @").expect("ok"),
            "\"a\"\"b\" \"OR\" \"NEAR(x)\"*"
        );
        assert_eq!(
            match_expression("bob@example.com").expect("ok"),
            "\"bob@example.com\"*"
        );
        for bad in ["@@ --", &"x".repeat(201), &"w ".repeat(17)] {
            assert!(match_expression(bad).is_err(), "{bad}");
        }
    }
}
