-- Fraud scoring (brief Task 3): every scored transaction with its assessment, per tenant.
-- `timestamp` and `created_at` are UTC RFC 3339 with milliseconds ("2025-01-20T10:30:00.000Z"),
-- fixed width, so text order is time order and the window queries can use the index.

CREATE TABLE fraud_transactions (
    tenant_id          TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    amount             REAL NOT NULL CHECK (amount > 0),
    location           TEXT NOT NULL,
    timestamp          TEXT NOT NULL,
    merchant_category  TEXT NOT NULL,
    -- low | medium | high
    risk               TEXT NOT NULL,
    score              REAL NOT NULL,
    anomaly_score      REAL NOT NULL,
    -- JSON array of {code, message}.
    reasons            TEXT NOT NULL DEFAULT '[]',
    -- The storefront order this was scored for; NULL for API submissions.
    order_id           TEXT,
    created_at         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- A user's transactions near in time, in other countries: the index alone answers it.
CREATE INDEX fraud_transactions_by_user ON fraud_transactions(tenant_id, user_id, timestamp, location);
-- GET /transactions/flagged: newest medium/high first.
CREATE INDEX fraud_transactions_by_risk ON fraud_transactions(tenant_id, risk, created_at);

-- Count and sum of each user's amounts, kept by a trigger in the same statement as the insert,
-- so the "10 × the user's average" rule reads one row instead of the user's whole history.
CREATE TABLE fraud_user_totals (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    count      INTEGER NOT NULL,
    total      REAL NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

CREATE TRIGGER fraud_user_totals_after_insert AFTER INSERT ON fraud_transactions
BEGIN
    INSERT OR IGNORE INTO fraud_user_totals (tenant_id, user_id, count, total)
        VALUES (NEW.tenant_id, NEW.user_id, 0, 0);
    UPDATE fraud_user_totals SET count = count + 1, total = total + NEW.amount
        WHERE tenant_id = NEW.tenant_id AND user_id = NEW.user_id;
END;
