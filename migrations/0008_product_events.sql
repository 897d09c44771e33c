-- Product events (brief 003): one row per (org, event_id). Timestamps are stored normalised as
-- UTC RFC 3339 with milliseconds ("2026-01-02T03:04:05.678Z") so text order is time order.
-- New event types and properties need no migration: `properties` is a JSON object (TEXT).
CREATE TABLE product_events (
    org_id       TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    properties   TEXT NOT NULL DEFAULT '{}',
    timestamp    TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, event_id)
) WITHOUT ROWID;
-- Newest-first listing and keyset paging on (timestamp, event_id), with or without filters.
CREATE INDEX product_events_by_time ON product_events(org_id, timestamp, event_id);
CREATE INDEX product_events_by_type ON product_events(org_id, event_type, timestamp, event_id);
CREATE INDEX product_events_by_user ON product_events(org_id, user_id, timestamp, event_id);

-- One row per batch Idempotency-Key: the same key and body replays the stored response;
-- the same key with another body is a 409.
CREATE TABLE product_event_batches (
    org_id       TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (org_id, key)
);
