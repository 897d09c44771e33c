//! Ingest metrics: rows by result, requests, processing time and the last request's rate.

use super::service::Outcome;
use crate::error::AppError;
use std::time::Duration;

/// Records one finished ingest request (replays count as requests, not as rows).
pub fn record(outcome: &Result<Outcome, AppError>, took: Duration) {
    let result = match outcome {
        Ok(o) if o.replayed => "replayed",
        Ok(_) => "ok",
        Err(_) => "error",
    };
    metrics::counter!("ingest_requests_total", "result" => result).increment(1);
    metrics::histogram!("ingest_processing_seconds").record(took.as_secs_f64());
    let Ok(outcome) = outcome else { return };
    if outcome.replayed {
        return;
    }
    let r = &outcome.report;
    metrics::counter!("ingest_rows_total", "result" => "inserted").increment(r.rows_inserted);
    metrics::counter!("ingest_rows_total", "result" => "failed").increment(r.rows_failed);
    let secs = took.as_secs_f64();
    if secs > 0.0 && r.rows_received > 0 {
        metrics::gauge!("ingest_rows_per_second").set(r.rows_received as f64 / secs);
    }
}
