//! Product events API: batches, idempotency, filters, cursor paging, summary, tenant isolation.
