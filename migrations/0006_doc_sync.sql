-- Collaborative documents' content: the Yjs update log, its compacted snapshot, and revisions.
-- Loading a document = its snapshot (if any) + the updates with a larger id, in id order.
CREATE TABLE doc_updates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id      TEXT NOT NULL REFERENCES docs(id) ON DELETE CASCADE,
    data        BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX doc_updates_by_doc ON doc_updates(doc_id, id);

-- One compacted state per document (Yjs update v1 encoding of the whole state); it covers
-- every update with id <= last_update_id.
CREATE TABLE doc_snapshots (
    doc_id          TEXT PRIMARY KEY REFERENCES docs(id) ON DELETE CASCADE,
    data            BLOB NOT NULL,
    last_update_id  INTEGER NOT NULL,
    updated_at      TEXT NOT NULL
);

-- Saved versions: named by a user, or periodic (name NULL).
CREATE TABLE doc_revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id      TEXT NOT NULL REFERENCES docs(id) ON DELETE CASCADE,
    name        TEXT,
    data        BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX doc_revisions_by_doc ON doc_revisions(doc_id, id DESC);
