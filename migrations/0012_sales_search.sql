-- Order search (brief 001, endpoint 2). `sales_orders` is WITHOUT ROWID, so an external-content
-- FTS5 table cannot point at it. Instead the distinct (customer_id, name, email) tuples are kept
-- in `sales_customers` (far fewer rows than orders: customers repeat) and indexed by FTS5; a
-- search matches `(o.customer_id, o.customer_name, o.customer_email) IN (…MATCH…)`.
CREATE TABLE sales_customers (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
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
INSERT OR IGNORE INTO sales_customers (tenant_id, customer_id, name, email)
SELECT tenant_id, customer_id, customer_name, customer_email FROM sales_orders;

-- A tuple is added the first time an order carries it (OR IGNORE: already known tuples cost one
-- unique-index probe and fire no FTS write).
CREATE TRIGGER sales_orders_customer_ai AFTER INSERT ON sales_orders BEGIN
    INSERT OR IGNORE INTO sales_customers (tenant_id, customer_id, name, email)
    VALUES (new.tenant_id, new.customer_id, new.customer_name, new.customer_email);
END;

-- Finds the orders still carrying a tuple (below) and serves text matches per customer.
CREATE INDEX sales_orders_by_customer ON sales_orders (tenant_id, customer_id, created_at);

-- An upsert that changes the customer adds the new tuple and drops the old one once no order
-- carries it any more (so erased personal data leaves the index too). The ingest upsert sets
-- every column, hence the WHEN: unchanged customers cost nothing.
CREATE TRIGGER sales_orders_customer_au AFTER UPDATE OF customer_id, customer_name,
    customer_email ON sales_orders
    WHEN old.customer_id IS NOT new.customer_id OR old.customer_name IS NOT new.customer_name
        OR old.customer_email IS NOT new.customer_email
BEGIN
    INSERT OR IGNORE INTO sales_customers (tenant_id, customer_id, name, email)
    VALUES (new.tenant_id, new.customer_id, new.customer_name, new.customer_email);
    DELETE FROM sales_customers
    WHERE tenant_id = old.tenant_id AND customer_id = old.customer_id
      AND name = old.customer_name AND email = old.customer_email
      AND NOT EXISTS (SELECT 1 FROM sales_orders s WHERE s.tenant_id = old.tenant_id
          AND s.customer_id = old.customer_id AND s.customer_name = old.customer_name
          AND s.customer_email = old.customer_email);
END;

CREATE TRIGGER sales_orders_customer_ad AFTER DELETE ON sales_orders BEGIN
    DELETE FROM sales_customers
    WHERE tenant_id = old.tenant_id AND customer_id = old.customer_id
      AND name = old.customer_name AND email = old.customer_email
      AND NOT EXISTS (SELECT 1 FROM sales_orders s WHERE s.tenant_id = old.tenant_id
          AND s.customer_id = old.customer_id AND s.customer_name = old.customer_name
          AND s.customer_email = old.customer_email);
END;
