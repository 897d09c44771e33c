-- Storefront: catalogue, carts, orders, checkout idempotency keys and the order review trail.
-- Money is stored as integer minor units (pence); all arithmetic on it is exact.

CREATE TABLE products (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    sku          TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL,
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
    stock        INTEGER NOT NULL CHECK (stock >= 0),
    image_url    TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (tenant_id, sku)
);
-- Listing is ordered by (name, id) and paged by cursor on that pair.
CREATE INDEX products_listing ON products(tenant_id, name, id);
CREATE INDEX products_by_category ON products(tenant_id, category, name, id);

CREATE TABLE carts (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    -- NULL for an anonymous shopper's cart (kept in their session).
    user_id             TEXT REFERENCES users(id) ON DELETE SET NULL,
    checked_out_order   TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX carts_by_tenant ON carts(tenant_id, id);

CREATE TABLE cart_items (
    cart_id     TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    product_id  TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    added_at    TEXT NOT NULL,
    PRIMARY KEY (cart_id, product_id)
);

-- status: placed | held (high fraud risk, waiting for review) | rejected
CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id),
    cart_id         TEXT NOT NULL,
    status          TEXT NOT NULL,
    currency        TEXT NOT NULL,
    subtotal_cents  INTEGER NOT NULL,
    discount_cents  INTEGER NOT NULL,
    vat_cents       INTEGER NOT NULL,
    total_cents     INTEGER NOT NULL,
    promo_code      TEXT,
    country         TEXT NOT NULL,
    risk_level      TEXT NOT NULL,
    risk_score      REAL NOT NULL,
    risk_reasons    TEXT NOT NULL DEFAULT '[]',
    request_id      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX orders_by_user ON orders(tenant_id, user_id, created_at DESC);
CREATE INDEX orders_by_tenant ON orders(tenant_id, created_at DESC);
CREATE INDEX orders_by_status ON orders(tenant_id, status, created_at DESC);
CREATE UNIQUE INDEX orders_one_per_cart ON orders(cart_id);

-- Lines keep the name and price paid, so later catalogue edits do not rewrite history.
CREATE TABLE order_lines (
    order_id          TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    product_id        TEXT NOT NULL,
    name              TEXT NOT NULL,
    category          TEXT NOT NULL,
    unit_price_cents  INTEGER NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    line_total_cents  INTEGER NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX order_lines_by_product ON order_lines(product_id);

-- One row per Idempotency-Key: the same key and cart replays the order; another cart is a 409.
CREATE TABLE checkout_keys (
    tenant_id    TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    order_id     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);

-- Audit trail of the fraud review queue: who held, approved or rejected an order, and why.
CREATE TABLE order_reviews (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   TEXT NOT NULL,
    order_id    TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    action      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX order_reviews_by_order ON order_reviews(tenant_id, order_id, id);
