//! Product events (brief 003): batch ingest with idempotency, filtered cursor listing, daily summary.
