-- Order search (brief 001, endpoint 2). `sales_orders` is WITHOUT ROWID, so an external-content
-- FTS5 table cannot point at it. Instead the distinct (customer_id, name, email) tuples are kept
-- in `sales_customers` (far fewer rows than orders: customers repeat) and indexed by FTS5; a
-- search matches `(o.customer_id, o.customer_name, o.customer_email) IN (…MATCH…)`.
-- `orders` counts the orders carrying the tuple, so the tuple (and its personal data) leaves the
-- index with its last order, without an extra index on `sales_orders` (measured: that index
-- cost more at ingest than the counting; docs/analytics/query.md).
CREATE TABLE sales_customers (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    orders       INTEGER NOT NULL,
    UNIQUE (tenant_id, customer_id, name, email)
);

CREATE VIRTUAL TABLE sales_customers_fts USING fts5(
    name, email,
    content = 'sales_customers', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER sales_customers_ai AFTER INSERT ON sales_customers BEGIN
    INSERT INTO sales_customers_fts (rowid, name, email) VALUES (new.id, new.name, new.email);
END;
CREATE TRIGGER sales_customers_ad AFTER DELETE ON sales_customers BEGIN
    INSERT INTO sales_customers_fts (sales_customers_fts, rowid, name, email)
    VALUES ('delete', old.id, old.name, old.email);
END;

-- Orders ingested before this migration.
INSERT INTO sales_customers (tenant_id, customer_id, name, email, orders)
SELECT tenant_id, customer_id, customer_name, customer_email, count(*)
FROM sales_orders GROUP BY tenant_id, customer_id, customer_name, customer_email;

-- A new tuple is indexed once; a known one only has its count bumped (no FTS write). An ingest
-- upsert that hits an existing order runs the UPDATE trigger below, not this one.
CREATE TRIGGER sales_orders_customer_ai AFTER INSERT ON sales_orders BEGIN
    INSERT INTO sales_customers (tenant_id, customer_id, name, email, orders)
    VALUES (new.tenant_id, new.customer_id, new.customer_name, new.customer_email, 1)
    ON CONFLICT (tenant_id, customer_id, name, email) DO UPDATE SET orders = orders + 1;
END;

-- The ingest upsert sets every column, hence the WHEN: unchanged customers cost nothing.
CREATE TRIGGER sales_orders_customer_au AFTER UPDATE OF customer_id, customer_name,
    customer_email ON sales_orders
    WHEN old.customer_id IS NOT new.customer_id OR old.customer_name IS NOT new.customer_name
        OR old.customer_email IS NOT new.customer_email
BEGIN
    INSERT INTO sales_customers (tenant_id, customer_id, name, email, orders)
    VALUES (new.tenant_id, new.customer_id, new.customer_name, new.customer_email, 1)
    ON CONFLICT (tenant_id, customer_id, name, email) DO UPDATE SET orders = orders + 1;
    UPDATE sales_customers SET orders = orders - 1
    WHERE tenant_id = old.tenant_id AND customer_id = old.customer_id
      AND name = old.customer_name AND email = old.customer_email;
    DELETE FROM sales_customers
    WHERE tenant_id = old.tenant_id AND customer_id = old.customer_id
      AND name = old.customer_name AND email = old.customer_email AND orders <= 0;
END;

CREATE TRIGGER sales_orders_customer_ad AFTER DELETE ON sales_orders BEGIN
    UPDATE sales_customers SET orders = orders - 1
    WHERE tenant_id = old.tenant_id AND customer_id = old.customer_id
      AND name = old.customer_name AND email = old.customer_email;
    DELETE FROM sales_customers
    WHERE tenant_id = old.tenant_id AND customer_id = old.customer_id
      AND name = old.customer_name AND email = old.customer_email AND orders <= 0;
END;
