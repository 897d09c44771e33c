-- Coding challenges (issue 7): per-tenant challenges (built-in library tasks and authored ones),
-- challenge roles, submissions (id = job id), progress and autosaved drafts.

-- `spec` is the TaskSpec as JSON (server-only: it holds solutions and hidden tests); the other
-- columns are copies of it for filtering and sorting. `tags` is `,tag,tag,` in lower case so a
-- tag filter is `LIKE '%,tag,%'`. Search is LIKE on title/summary/tags (no FTS: ~21 rows/tenant).
CREATE TABLE challenges (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug               TEXT NOT NULL,
    builtin            INTEGER NOT NULL DEFAULT 0,
    spec               TEXT NOT NULL,
    spec_hash          TEXT NOT NULL,
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL,
    category           TEXT NOT NULL,
    difficulty         TEXT NOT NULL,
    difficulty_rank    INTEGER NOT NULL,
    level              INTEGER NOT NULL,
    tags               TEXT NOT NULL,
    languages          TEXT NOT NULL,
    estimated_minutes  INTEGER NOT NULL,
    is_public          INTEGER NOT NULL DEFAULT 1,
    created_by         TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    deleted_at         TEXT,
    UNIQUE (tenant_id, slug)
);
CREATE INDEX challenges_by_difficulty ON challenges(tenant_id, difficulty_rank, level);
CREATE INDEX challenges_by_category ON challenges(tenant_id, category);
CREATE INDEX challenges_by_creator ON challenges(tenant_id, created_by);

-- A user's role in the challenges area of one tenant; no row = student. Tenant admins are
-- challenge admins whatever this says.
CREATE TABLE challenge_roles (
    tenant_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('student', 'instructor', 'admin')),
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES memberships(tenant_id, user_id) ON DELETE CASCADE
);

CREATE TABLE challenge_submissions (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    challenge_id     TEXT NOT NULL REFERENCES challenges(id),
    language         TEXT NOT NULL,
    mode             TEXT NOT NULL,
    code             TEXT NOT NULL,
    status           TEXT NOT NULL,
    results          TEXT NOT NULL DEFAULT '[]',
    score            REAL,
    execution_ms     INTEGER,
    peak_memory_kb   INTEGER,
    breach           TEXT,
    error            TEXT,
    -- EXPLAIN QUERY PLAN of a SQL run's last query, shown on the page.
    query_plan       TEXT,
    feedback         TEXT,
    feedback_status  TEXT,
    created_at       TEXT NOT NULL,
    finished_at      TEXT
);
CREATE INDEX challenge_submissions_by_user
    ON challenge_submissions(tenant_id, user_id, challenge_id, created_at);
CREATE INDEX challenge_submissions_by_challenge ON challenge_submissions(challenge_id);
CREATE INDEX challenge_submissions_unfinished ON challenge_submissions(status)
    WHERE status IN ('PENDING', 'RUNNING');

CREATE TABLE challenge_progress (
    tenant_id           TEXT NOT NULL,
    user_id             TEXT NOT NULL,
    challenge_id        TEXT NOT NULL REFERENCES challenges(id),
    status              TEXT NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    best_score          REAL,
    best_submission_id  TEXT,
    first_attempted_at  TEXT,
    completed_at        TEXT,
    PRIMARY KEY (user_id, challenge_id)
);
CREATE INDEX challenge_progress_by_tenant ON challenge_progress(tenant_id, status);

CREATE TABLE challenge_drafts (
    tenant_id     TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    challenge_id  TEXT NOT NULL REFERENCES challenges(id),
    language      TEXT NOT NULL,
    code          TEXT NOT NULL,
    saved_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, challenge_id, language)
);
