//! Bulk order ingest (brief 001): streamed NDJSON/CSV, per-row validation, idempotency, batched inserts.
