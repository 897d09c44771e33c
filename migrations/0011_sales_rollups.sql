-- Sales metrics rollups (brief 001, endpoint 3): pre-aggregated per tenant and hour, and per
-- tenant, day and product, recomputed from sales_orders/sales_order_items for the hours marked
-- dirty by ingest. Hours are 'YYYY-MM-DDTHH' and days 'YYYY-MM-DD' (UTC prefixes of created_at,
-- so they compare with it as text). Sketches: HyperLogLog++ of customer ids (JSON of the
-- crate's serde form) and t-digest of order totals (f64 LE), see docs/analytics/metrics.md.
CREATE TABLE sales_rollup_hours (
    tenant_id      TEXT NOT NULL,
    hour           TEXT NOT NULL,
    orders         INTEGER NOT NULL,
    units          INTEGER NOT NULL,
    revenue_cents  INTEGER NOT NULL,
    customers_hll  BLOB NOT NULL,
    totals_digest  BLOB NOT NULL,
    PRIMARY KEY (tenant_id, hour)
) WITHOUT ROWID;

-- Per product: orders containing it, its units, its line revenue (quantity × unit price), the
-- customers who bought it and the totals of the orders containing it.
CREATE TABLE sales_rollup_product_days (
    tenant_id      TEXT NOT NULL,
    day            TEXT NOT NULL,
    product_id     TEXT NOT NULL,
    orders         INTEGER NOT NULL,
    units          INTEGER NOT NULL,
    revenue_cents  INTEGER NOT NULL,
    customers_hll  BLOB NOT NULL,
    totals_digest  BLOB NOT NULL,
    PRIMARY KEY (tenant_id, day, product_id)
) WITHOUT ROWID;

-- Hours whose rollups are stale: written by ingest in the batch's transaction, cleared by the
-- refresh that recomputes them (in the same transaction as the recomputed rows).
CREATE TABLE sales_rollup_dirty (
    tenant_id  TEXT NOT NULL,
    hour       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, hour)
) WITHOUT ROWID;
