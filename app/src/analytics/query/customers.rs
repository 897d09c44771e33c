//! Upkeep of the customer tuples that text search indexes (`sales_customers`, migrations 0012
//! and 0018): triggers add a tuple with its first order and queue one that may have lost its
//! last order; [`sweep_stale_customers`] removes the queued tuples no order carries any more.

use sqlx::SqliteConnection;

/// Deletes the queued customer tuples that no order carries any more (their FTS entries go with
/// them, by trigger), then empties the queue; returns how many were deleted.
///
/// Run inside the writer's transaction, so a tuple leaves the search index in the same commit
/// as its last order. With nothing queued (every plain insert) it is one probe of an empty
/// table. Otherwise one pass over the orders of the queued customer ids: there is no index on
/// `sales_orders` by customer (its cost at ingest is why the queue exists), so the pass reads
/// the orders table once whatever the number of queued tuples.
pub async fn sweep_stale_customers(conn: &mut SqliteConnection) -> Result<u64, sqlx::Error> {
    let queued: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sales_customers_stale)")
        .fetch_one(&mut *conn)
        .await?;
    if !queued {
        return Ok(0);
    }
    let deleted = sqlx::query(
        "DELETE FROM sales_customers \
         WHERE id IN (SELECT id FROM sales_customers_stale) \
         AND (tenant_id, customer_id, name, email) NOT IN ( \
             SELECT o.tenant_id, o.customer_id, o.customer_name, o.customer_email \
             FROM sales_orders o \
             WHERE (o.tenant_id, o.customer_id) IN ( \
                 SELECT c.tenant_id, c.customer_id \
                 FROM sales_customers_stale s JOIN sales_customers c ON c.id = s.id))",
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM sales_customers_stale")
        .execute(&mut *conn)
        .await?;
    Ok(deleted)
}
