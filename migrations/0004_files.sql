-- Tenant file storage: one row per stored file. The content lives on disk at
-- `<upload root>/<tenant_id>/<stored_name>`; `filename` is the original name, metadata only.
CREATE TABLE files (
    -- Upload order: listings are newest first by it (timestamps can tie; this cannot).
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    filename      TEXT NOT NULL CHECK (length(CAST(filename AS BLOB)) BETWEEN 1 AND 255),
    -- A UUID the server generated (never derived from the original name).
    stored_name   TEXT NOT NULL UNIQUE,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    access_level  TEXT NOT NULL CHECK (access_level IN ('tenant', 'private')),
    uploaded_by   TEXT NOT NULL REFERENCES users(id),
    upload_date   TEXT NOT NULL
);
-- Listing: a tenant's files newest first, and the keyset cursor on `seq`.
CREATE INDEX files_by_tenant ON files(tenant_id, seq);
