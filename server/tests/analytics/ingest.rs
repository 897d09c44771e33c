//! Order ingest: streaming, validation, idempotency, tenant isolation.
