-- Analytics: resumable ingest uploads (tus-like). The bytes live in a file under the ingest
-- folder (named by upload_id); the file's length is the upload's offset. `status` guards the
-- completion: 'open' accepts chunks, 'completing' is being ingested, 'done' holds the report
-- that a second complete replays. Rows and files are swept once `expires_at` has passed.
CREATE TABLE sales_ingest_uploads (
    upload_id   TEXT PRIMARY KEY NOT NULL,
    tenant_id   TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('ndjson', 'csv')),
    gzip        INTEGER NOT NULL,
    total_size  INTEGER,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completing', 'done')),
    report      TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sales_ingest_uploads_by_expiry ON sales_ingest_uploads(expires_at);

-- Ingest speed: (tenant_id, status, created_at) cost a random-order index insert per order and
-- no query needs it: search and metrics range over (tenant_id, created_at) and filter status.
DROP INDEX IF EXISTS sales_orders_by_status_time;
