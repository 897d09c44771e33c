-- Analytics: ingested commerce orders (brief 001). Named `sales_*`: the storefront owns
-- `orders`/`order_lines`. Money is integer minor units; `total_cents` is computed from the items
-- at ingest, never taken from the input. Times are RFC 3339 UTC with milliseconds, so text order
-- is time order.
CREATE TABLE sales_orders (
    tenant_id       TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    customer_name   TEXT NOT NULL,
    customer_email  TEXT NOT NULL,
    status          TEXT NOT NULL
        CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
    created_at      TEXT NOT NULL,
    currency        TEXT NOT NULL,
    total_cents     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, order_id)
) WITHOUT ROWID;
CREATE INDEX sales_orders_by_time ON sales_orders(tenant_id, created_at);
CREATE INDEX sales_orders_by_status_time ON sales_orders(tenant_id, status, created_at);

-- An order's lines, numbered from 0 in input order; re-ingesting an order replaces them all.
CREATE TABLE sales_order_items (
    tenant_id         TEXT NOT NULL,
    order_id          TEXT NOT NULL,
    line_no           INTEGER NOT NULL,
    product_id        TEXT NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents  INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    PRIMARY KEY (tenant_id, order_id, line_no)
) WITHOUT ROWID;
CREATE INDEX sales_order_items_by_product ON sales_order_items(tenant_id, product_id);

-- One row per ingest Idempotency-Key. Claimed (fingerprint and response NULL) before the body is
-- read, so a concurrent request with the same key is refused instead of inserting twice; on
-- success the body's SHA-256 and the response JSON are stored for replays.
CREATE TABLE sales_ingest_keys (
    tenant_id    TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT,
    response     TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
