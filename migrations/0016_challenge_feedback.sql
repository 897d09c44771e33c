-- Challenges (issue 7): AI feedback. Reviews are cached per tenant by a SHA-256 of the
-- normalised code, language, challenge and the reviewer's version, so a resubmission that only
-- changes comments or whitespace is answered from here. `source` is where the review first came
-- from (rules, model, local_reviewer); `feedback` is the review as JSON.
CREATE TABLE challenge_feedback_cache (
    tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    cache_key     TEXT NOT NULL,
    challenge_id  TEXT NOT NULL,
    language      TEXT NOT NULL,
    source        TEXT NOT NULL,
    model         TEXT,
    feedback      TEXT NOT NULL,
    hits          INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, cache_key)
) WITHOUT ROWID;

-- Regenerations per user and UTC day (the per-user daily quota). Old days are never read again;
-- they stay as a record of use.
CREATE TABLE challenge_feedback_usage (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    day        TEXT NOT NULL,
    used       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id, day)
) WITHOUT ROWID;
