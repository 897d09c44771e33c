-- Collaborative documents: metadata and sharing. The Yjs content lives in 0006's tables.
CREATE TABLE docs (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    owner_id    TEXT NOT NULL REFERENCES users(id),
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX docs_by_tenant ON docs(tenant_id, updated_at DESC);

-- One row per user a document is shared with; the owner is not listed (always admin).
CREATE TABLE doc_collaborators (
    doc_id      TEXT NOT NULL REFERENCES docs(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    permission  TEXT NOT NULL CHECK (permission IN ('view', 'edit', 'admin')),
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (doc_id, user_id)
);
CREATE INDEX doc_collaborators_by_user ON doc_collaborators(user_id);
