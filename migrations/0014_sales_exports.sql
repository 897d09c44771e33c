-- Analytics: export jobs (brief 001, endpoint 5). One row per requested export; the background
-- writer checkpoints here after every keyset page: rows written, the last (created_at, order_id)
-- written, and the file's byte length at that point. A restarted server truncates the file back
-- to `bytes_written` and continues after the key (CSV; Parquet restarts from scratch).
CREATE TABLE sales_exports (
    tenant_id        TEXT NOT NULL,
    export_id        TEXT NOT NULL,
    format           TEXT NOT NULL CHECK (format IN ('csv', 'parquet')),
    gzip             INTEGER NOT NULL DEFAULT 0,
    -- The request's `filters` object, as JSON (re-parsed on resume).
    filters          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    rows_written     INTEGER NOT NULL DEFAULT 0,
    bytes_written    INTEGER NOT NULL DEFAULT 0,
    last_created_at  TEXT,
    last_order_id    TEXT,
    -- Times the job was (re)started after an interruption.
    resumes          INTEGER NOT NULL DEFAULT 0,
    sha256           TEXT,
    error            TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    finished_at      TEXT,
    PRIMARY KEY (tenant_id, export_id)
) WITHOUT ROWID;
-- Start-up looks for interrupted jobs.
CREATE INDEX sales_exports_running ON sales_exports(status) WHERE status = 'running';
