-- Analytics catalogue (brief 001): each tenant's products with their category (for
-- `group_by=category`), current price and stock. Named `sales_*` like the ingested orders; the
-- storefront's `products` table is its own. `stock_version` counts applied stock changes, for
-- the `reject` conflict mode of the stock bulk update.
CREATE TABLE sales_products (
    tenant_id      TEXT NOT NULL,
    product_id     TEXT NOT NULL,
    name           TEXT NOT NULL,
    category       TEXT NOT NULL,
    price_cents    INTEGER NOT NULL CHECK (price_cents >= 0),
    currency       TEXT NOT NULL DEFAULT 'USD',
    stock          INTEGER NOT NULL DEFAULT 0,
    stock_version  INTEGER NOT NULL DEFAULT 0,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, product_id)
) WITHOUT ROWID;
CREATE INDEX sales_products_by_category ON sales_products(tenant_id, category);
