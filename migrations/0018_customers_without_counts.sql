-- Ingest speed (issue 6): the per-order upsert that counted each customer tuple's orders
-- (migration 0012) wrote a `sales_customers` row for every order, about a third of the single
-- writer's time in a bulk load. A known tuple now costs one index probe and no write; a tuple
-- that may have lost its last order (the order was deleted, or re-ingested with another
-- customer) is queued in `sales_customers_stale`, and `sweep_stale_customers` (run in the same
-- transaction by every ingest batch, docs/analytics/search.md) deletes the queued tuples no
-- order carries any more, with their FTS entries. Search results do not depend on it: a match
-- is on the order's own tuple.
DROP TRIGGER IF EXISTS sales_orders_customer_ai;
DROP TRIGGER IF EXISTS sales_orders_customer_au;
DROP TRIGGER IF EXISTS sales_orders_customer_ad;
ALTER TABLE sales_customers DROP COLUMN orders;

-- `sales_customers.id`s to check; emptied by each sweep. (The triggers use `ON CONFLICT DO
-- NOTHING`, not `INSERT OR IGNORE`: inside a trigger, an OR clause is overridden by the outer
-- statement's.)
CREATE TABLE sales_customers_stale (
    id  INTEGER PRIMARY KEY
);

CREATE TRIGGER sales_orders_customer_ai AFTER INSERT ON sales_orders BEGIN
    INSERT INTO sales_customers (tenant_id, customer_id, name, email)
    VALUES (new.tenant_id, new.customer_id, new.customer_name, new.customer_email)
    ON CONFLICT (tenant_id, customer_id, name, email) DO NOTHING;
END;

-- The ingest upsert sets every column, hence the WHEN: unchanged customers cost nothing.
CREATE TRIGGER sales_orders_customer_au AFTER UPDATE OF customer_id, customer_name,
    customer_email ON sales_orders
    WHEN old.customer_id IS NOT new.customer_id OR old.customer_name IS NOT new.customer_name
        OR old.customer_email IS NOT new.customer_email
BEGIN
    INSERT INTO sales_customers (tenant_id, customer_id, name, email)
    VALUES (new.tenant_id, new.customer_id, new.customer_name, new.customer_email)
    ON CONFLICT (tenant_id, customer_id, name, email) DO NOTHING;
    INSERT INTO sales_customers_stale (id)
    SELECT id FROM sales_customers
    WHERE tenant_id = old.tenant_id AND customer_id = old.customer_id
      AND name = old.customer_name AND email = old.customer_email
    ON CONFLICT (id) DO NOTHING;
END;

CREATE TRIGGER sales_orders_customer_ad AFTER DELETE ON sales_orders BEGIN
    INSERT INTO sales_customers_stale (id)
    SELECT id FROM sales_customers
    WHERE tenant_id = old.tenant_id AND customer_id = old.customer_id
      AND name = old.customer_name AND email = old.customer_email
    ON CONFLICT (id) DO NOTHING;
END;
