//! The ingest pipeline: body bytes (hashed as they stream) → optional gzip decoding → capped
//! lines → validated orders → batched upserts; with Idempotency-Key claim, replay and conflict.

use super::idempotency::{self, Claim};
use super::lines::{next_line, Line, MAX_LINE_BYTES};
use super::model::{IngestReport, RowError, MAX_REPORTED_ERRORS};
use super::row::parse_order;
use super::store::{write_batch, BATCH_ORDERS};
use crate::error::{AppError, ErrorCode};
use async_compression::tokio::bufread::GzipDecoder;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use std::time::Instant;
use tokio::io::{AsyncBufRead, AsyncRead, BufReader};
use tokio_util::io::InspectReader;

/// Read buffer for the body and the decoded stream.
const READ_BUFFER: usize = 64 * 1024;

/// The report, and whether it is a replay of an earlier request with the same key.
#[derive(Debug)]
pub struct Outcome {
    pub report: IngestReport,
    pub replayed: bool,
}

/// Ingests an NDJSON body for the tenant (see [`idempotency`] for the key's semantics).
pub async fn ingest<R: AsyncRead + Unpin + Send>(
    pool: &SqlitePool,
    tenant_id: &str,
    key: Option<&str>,
    gzip: bool,
    body: R,
) -> Result<Outcome, AppError> {
    let started = Instant::now();
    let Some(key) = key else {
        let (report, _) = run(pool, tenant_id, gzip, body, started).await?;
        return Ok(Outcome {
            report,
            replayed: false,
        });
    };
    match idempotency::claim(pool, tenant_id, key).await? {
        Claim::InProgress => Err(idempotency::in_progress()),
        Claim::Done {
            fingerprint,
            report,
        } => {
            let mut hasher = Sha256::new();
            let mut reader = InspectReader::new(body, |b: &[u8]| hasher.update(b));
            tokio::io::copy(&mut reader, &mut tokio::io::sink())
                .await
                .map_err(read_error)?;
            drop(reader);
            if hex::encode(hasher.finalize()) != fingerprint {
                return Err(idempotency::mismatch());
            }
            Ok(Outcome {
                report,
                replayed: true,
            })
        }
        Claim::Claimed => match run(pool, tenant_id, gzip, body, started).await {
            Ok((mut report, fingerprint)) => {
                report.idempotency_key = Some(key.to_string());
                idempotency::finish(pool, tenant_id, key, &fingerprint, &report).await?;
                Ok(Outcome {
                    report,
                    replayed: false,
                })
            }
            Err(e) => {
                idempotency::release(pool, tenant_id, key).await?;
                Err(e)
            }
        },
    }
}

/// Streams the body through the pipeline; returns the report and the raw body's SHA-256.
async fn run<R: AsyncRead + Unpin + Send>(
    pool: &SqlitePool,
    tenant_id: &str,
    gzip: bool,
    body: R,
    started: Instant,
) -> Result<(IngestReport, String), AppError> {
    let mut hasher = Sha256::new();
    let raw = InspectReader::new(body, |b: &[u8]| hasher.update(b));
    let raw = BufReader::with_capacity(READ_BUFFER, raw);
    let mut report = if gzip {
        let mut decoder = GzipDecoder::new(raw);
        decoder.multiple_members(true);
        let mut lines = BufReader::with_capacity(READ_BUFFER, decoder);
        let report = ingest_lines(pool, tenant_id, &mut lines).await?;
        // Bytes after the last gzip member still belong to the body's fingerprint.
        let mut rest = lines.into_inner().into_inner();
        tokio::io::copy(&mut rest, &mut tokio::io::sink())
            .await
            .map_err(read_error)?;
        report
    } else {
        let mut lines = raw;
        ingest_lines(pool, tenant_id, &mut lines).await?
    };
    report.processing_time_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok((report, hex::encode(hasher.finalize())))
}

/// Validates line by line and writes full batches as they fill.
async fn ingest_lines<R: AsyncBufRead + Unpin + Send>(
    pool: &SqlitePool,
    tenant_id: &str,
    reader: &mut R,
) -> Result<IngestReport, AppError> {
    let mut report = IngestReport {
        rows_received: 0,
        rows_inserted: 0,
        rows_failed: 0,
        errors: Vec::new(),
        processing_time_ms: 0,
        idempotency_key: None,
    };
    let mut buf = Vec::new();
    let mut batch = Vec::with_capacity(BATCH_ORDERS);
    let mut line_no: u64 = 0;
    while let Some(line) = next_line(reader, &mut buf, MAX_LINE_BYTES)
        .await
        .map_err(read_error)?
    {
        line_no += 1;
        let parsed = match line {
            Line::TooLong => Err((
                "line".to_string(),
                format!("is longer than {MAX_LINE_BYTES} bytes"),
            )),
            Line::Complete if buf.iter().all(u8::is_ascii_whitespace) => continue,
            Line::Complete => parse_order(&buf, tenant_id),
        };
        report.rows_received += 1;
        match parsed {
            Ok(order) => {
                batch.push(order);
                if batch.len() >= BATCH_ORDERS {
                    write_batch(pool, tenant_id, &batch).await?;
                    report.rows_inserted += batch.len() as u64;
                    batch.clear();
                }
            }
            Err((field, reason)) => {
                report.rows_failed += 1;
                if report.errors.len() < MAX_REPORTED_ERRORS {
                    report.errors.push(RowError {
                        line: line_no,
                        field,
                        reason,
                    });
                }
            }
        }
    }
    if !batch.is_empty() {
        write_batch(pool, tenant_id, &batch).await?;
        report.rows_inserted += batch.len() as u64;
    }
    Ok(report)
}

fn read_error(e: std::io::Error) -> AppError {
    AppError::new(
        ErrorCode::BadRequest,
        format!("The request body could not be read: {e}."),
    )
}
