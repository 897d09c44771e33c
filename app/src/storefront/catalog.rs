//! Catalogue SQL: listing with category, search and keyset pagination; one product; admin edits.
//! Every query names the tenant.

use super::input::{NewProduct, ProductPatch};
use super::model::{Product, ProductPage, ProductQuery, MAX_PAGE_SIZE};
use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sqlx::SqlitePool;

const COLUMNS: &str = "id, sku, name, description, category, price_cents, stock, image_url";

type ProductRow = (String, String, String, String, String, i64, i64, String);

fn product(
    (id, sku, name, description, category, price_cents, stock, image_url): ProductRow,
) -> Product {
    Product {
        id,
        sku,
        name,
        description,
        category,
        price_cents,
        stock,
        image_url,
    }
}

/// The cursor is the last row's sort key (name, id), base64url-encoded JSON: opaque to
/// clients, stable under inserts (a new row lands before or after it, never repeats a row).
fn encode_cursor(name: &str, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::json!([name, id]).to_string())
}

fn decode_cursor(cursor: &str) -> Result<(String, String), AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<(String, String)>(&bytes).ok())
        .ok_or_else(|| AppError::invalid_field("cursor", "cursor is not one this API issued."))
}

/// `%` and `_` typed by the shopper match themselves.
fn like_pattern(search: &str) -> String {
    let escaped = search
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// One page of the tenant's catalogue, ordered by name.
pub async fn list(
    pool: &SqlitePool,
    tenant: &str,
    q: &ProductQuery,
) -> Result<ProductPage, AppError> {
    let limit = q.limit.unwrap_or(24);
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(AppError::invalid_field(
            "limit",
            &format!("limit must be between 1 and {MAX_PAGE_SIZE}."),
        ));
    }
    let after = q
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(decode_cursor)
        .transpose()?;
    let category = q
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if search.is_some_and(|s| s.chars().count() > 100) {
        return Err(AppError::invalid_field(
            "search",
            "search must be at most 100 characters.",
        ));
    }

    let mut sql = format!("SELECT {COLUMNS} FROM products WHERE tenant_id = ?");
    if category.is_some() {
        sql.push_str(" AND category = ?");
    }
    if search.is_some() {
        sql.push_str(" AND (name LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE '\\')");
    }
    if after.is_some() {
        sql.push_str(" AND (name, id) > (?, ?)");
    }
    sql.push_str(" ORDER BY name, id LIMIT ?");

    let mut query = sqlx::query_as::<_, ProductRow>(&sql).bind(tenant);
    if let Some(c) = category {
        query = query.bind(c);
    }
    if let Some(s) = search {
        let pattern = like_pattern(s);
        query = query
            .bind(pattern.clone())
            .bind(pattern.clone())
            .bind(pattern);
    }
    if let Some((name, id)) = &after {
        query = query.bind(name).bind(id);
    }
    let mut rows: Vec<Product> = query
        .bind(i64::from(limit) + 1)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(product)
        .collect();
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|p| encode_cursor(&p.name, &p.id))
    } else {
        None
    };
    Ok(ProductPage {
        products: rows,
        next_cursor,
        categories: categories(pool, tenant).await?,
    })
}

/// The tenant's categories, alphabetical.
pub async fn categories(pool: &SqlitePool, tenant: &str) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT category FROM products WHERE tenant_id = ? ORDER BY category",
    )
    .bind(tenant)
    .fetch_all(pool)
    .await?)
}

/// One product of the tenant; another tenant's id is "not found".
pub async fn get(pool: &SqlitePool, tenant: &str, id: &str) -> Result<Product, AppError> {
    sqlx::query_as::<_, ProductRow>(&format!(
        "SELECT {COLUMNS} FROM products WHERE tenant_id = ? AND id = ?"
    ))
    .bind(tenant)
    .bind(id)
    .fetch_optional(pool)
    .await?
    .map(product)
    .ok_or_else(|| AppError::not_found("Product"))
}

/// Adds a product (admins only; the caller checks). A repeated SKU is a 409.
pub async fn create(
    pool: &SqlitePool,
    tenant: &str,
    input: &NewProduct,
) -> Result<Product, AppError> {
    let p = input.validated()?;
    let id = uuid::Uuid::new_v4().to_string();
    let now = crate::auth::service::now_rfc3339();
    sqlx::query(
        "INSERT INTO products (id, tenant_id, sku, name, description, category, price_cents, stock, image_url, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(tenant)
    .bind(&p.sku)
    .bind(&p.name)
    .bind(&p.description)
    .bind(&p.category)
    .bind(p.price_cents)
    .bind(p.stock)
    .bind(&p.image_url)
    .bind(&now)
    .bind(&now)
    .execute(pool)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            AppError::new(crate::error::ErrorCode::Conflict, format!("SKU {} is already in the catalogue.", p.sku))
        }
        _ => AppError::from(e),
    })?;
    get(pool, tenant, &id).await
}

/// Changes the fields present in `patch` (admins only; the caller checks).
pub async fn update(
    pool: &SqlitePool,
    tenant: &str,
    id: &str,
    patch: &ProductPatch,
) -> Result<Product, AppError> {
    let p = patch.validated()?;
    let done = sqlx::query(
        "UPDATE products SET name = COALESCE(?, name), description = COALESCE(?, description), \
         category = COALESCE(?, category), price_cents = COALESCE(?, price_cents), \
         stock = COALESCE(?, stock), image_url = COALESCE(?, image_url), updated_at = ? \
         WHERE tenant_id = ? AND id = ?",
    )
    .bind(&p.name)
    .bind(&p.description)
    .bind(&p.category)
    .bind(p.price_cents)
    .bind(p.stock)
    .bind(&p.image_url)
    .bind(crate::auth::service::now_rfc3339())
    .bind(tenant)
    .bind(id)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("Product"));
    }
    get(pool, tenant, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_a_named_error() {
        let c = encode_cursor("Desk lamp", "id-1");
        assert_eq!(
            decode_cursor(&c).expect("round trip"),
            ("Desk lamp".into(), "id-1".into())
        );
        let err = decode_cursor("not-a-cursor").expect_err("garbage");
        assert_eq!(err.status(), 422);
    }

    #[test]
    fn like_wildcards_typed_by_the_shopper_are_literal() {
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
    }
}
