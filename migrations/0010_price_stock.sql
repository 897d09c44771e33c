-- Analytics catalogue (brief 001): webhook price events with anomaly flags, price history, and the
-- stock change log of the bulk update. Times are RFC 3339 UTC with milliseconds.

-- Every accepted price event, once per (tenant, event_id). `old_price_cents` is the product's price
-- just before the event; `change_pct` the signed change against it.
CREATE TABLE sales_price_events (
    tenant_id        TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    product_id       TEXT NOT NULL,
    price_cents      INTEGER NOT NULL CHECK (price_cents >= 0),
    currency         TEXT NOT NULL,
    old_price_cents  INTEGER NOT NULL,
    change_pct       REAL NOT NULL,
    observed_at      TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
) WITHOUT ROWID;

-- A product's prices over time (one row per event; the generator loads it directly too).
CREATE TABLE sales_price_history (
    tenant_id    TEXT NOT NULL,
    product_id   TEXT NOT NULL,
    observed_at  TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    price_cents  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, product_id, observed_at, event_id)
) WITHOUT ROWID;

-- One row per webhook idempotency key (the Idempotency-Key header, else the event_id). Written
-- in the same transaction as the event, so a retry sees either nothing or the finished answer.
CREATE TABLE sales_price_event_keys (
    tenant_id    TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;

-- Price events whose change reached the anomaly threshold. `id` is monotonic: it orders the
-- newest-first listing (the cursor) and is the SSE `id:` a reconnecting client resumes from.
CREATE TABLE sales_price_anomalies (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    product_id       TEXT NOT NULL,
    old_price_cents  INTEGER NOT NULL,
    new_price_cents  INTEGER NOT NULL,
    change_pct       REAL NOT NULL,
    observed_at      TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    review_status    TEXT NOT NULL DEFAULT 'pending'
        CHECK (review_status IN ('pending', 'confirmed', 'dismissed'))
);
CREATE INDEX sales_price_anomalies_by_tenant ON sales_price_anomalies(tenant_id, id);
CREATE INDEX sales_price_anomalies_by_product ON sales_price_anomalies(tenant_id, product_id, id);

-- One row per applied stock change (bulk update or product upsert), with the result.
CREATE TABLE sales_stock_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      TEXT NOT NULL,
    product_id     TEXT NOT NULL,
    source         TEXT NOT NULL,
    delta          INTEGER NOT NULL,
    stock_after    INTEGER NOT NULL,
    version_after  INTEGER NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX sales_stock_events_by_product ON sales_stock_events(tenant_id, product_id, id);
