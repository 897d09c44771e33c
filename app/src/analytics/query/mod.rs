//! Order search (streamed NDJSON with a cursor and projection) and exports (CSV / Parquet,
//! resumable), brief 001 endpoints 2 and 5.
