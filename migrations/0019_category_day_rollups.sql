-- Per category and day rollups (issue 6). Approx `group_by=category` used to merge the
-- product-day rows of a category's products, which counted an order with two products of one
-- category twice (in orders and in the percentiles) and read a row per product and day. These
-- rows count each order once per category, like exact does, and are recomputed with the
-- product-day rows of the same day (the category of an item is its product's at refresh time;
-- an unknown product is 'uncategorised').
CREATE TABLE sales_rollup_category_days (
    tenant_id      TEXT NOT NULL,
    day            TEXT NOT NULL,
    category       TEXT NOT NULL,
    orders         INTEGER NOT NULL,
    units          INTEGER NOT NULL,
    revenue_cents  INTEGER NOT NULL,
    customers      BLOB NOT NULL,
    totals_digest  BLOB NOT NULL,
    PRIMARY KEY (tenant_id, day, category)
) WITHOUT ROWID;

-- The days a product was sold in, for the invalidation below (one probe per product instead
-- of a scan of the tenant's product-day rows).
CREATE INDEX sales_rollup_product_days_by_product
    ON sales_rollup_product_days (tenant_id, product_id, day);

-- Invalidation: a product that gets a category, changes it, or is removed moves its sales
-- between categories, so every day it was sold in is marked dirty (its first hour: the
-- refresher recomputes a dirty hour's whole day of product and category rows). The catalogue
-- upsert sets every column, hence the WHEN on update.
CREATE TRIGGER sales_products_category_ai AFTER INSERT ON sales_products BEGIN
    INSERT INTO sales_rollup_dirty (tenant_id, hour)
    SELECT tenant_id, day || 'T00' FROM sales_rollup_product_days
    WHERE tenant_id = new.tenant_id AND product_id = new.product_id
    ON CONFLICT (tenant_id, hour) DO NOTHING;
END;

CREATE TRIGGER sales_products_category_au AFTER UPDATE OF category ON sales_products
    WHEN old.category IS NOT new.category BEGIN
    INSERT INTO sales_rollup_dirty (tenant_id, hour)
    SELECT tenant_id, day || 'T00' FROM sales_rollup_product_days
    WHERE tenant_id = new.tenant_id AND product_id = new.product_id
    ON CONFLICT (tenant_id, hour) DO NOTHING;
END;

CREATE TRIGGER sales_products_category_ad AFTER DELETE ON sales_products BEGIN
    INSERT INTO sales_rollup_dirty (tenant_id, hour)
    SELECT tenant_id, day || 'T00' FROM sales_rollup_product_days
    WHERE tenant_id = old.tenant_id AND product_id = old.product_id
    ON CONFLICT (tenant_id, hour) DO NOTHING;
END;

-- Existing data: every day with sales is recomputed once by the background refresher. (`WHERE
-- true`: SQLite needs a WHERE before an upsert's ON CONFLICT after a SELECT.)
INSERT INTO sales_rollup_dirty (tenant_id, hour)
SELECT DISTINCT tenant_id, day || 'T00' FROM sales_rollup_product_days WHERE true
ON CONFLICT (tenant_id, hour) DO NOTHING;
