//! The ingest pipeline: body bytes (hashed as they stream) → optional gzip decoding → capped
//! lines → validated orders → batched upserts; with Idempotency-Key claim, replay and conflict.

use super::idempotency::{self, Claim};
use super::lines::{next_line, Line, MAX_LINE_BYTES};
use super::model::{IngestFormat, IngestReport, RowError, MAX_REPORTED_ERRORS};
use super::row::{parse_order, ValidOrder};
use super::store::{write_batch, BATCH_ORDERS};
use crate::error::{AppError, ErrorCode};
use async_compression::tokio::bufread::GzipDecoder;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use std::time::Instant;
use tokio::io::{AsyncBufRead, AsyncRead, BufReader};
use tokio::task::JoinHandle;
use tokio_util::io::InspectReader;

/// Read buffer for the body and the decoded stream.
const READ_BUFFER: usize = 64 * 1024;

/// The report, and whether it is a replay of an earlier request with the same key.
#[derive(Debug)]
pub struct Outcome {
    pub report: IngestReport,
    pub replayed: bool,
}

/// How to decode a body: its layout and whether it is gzip'd.
#[derive(Debug, Clone, Copy, Default)]
pub struct Decode {
    pub format: IngestFormat,
    pub gzip: bool,
}

/// Ingests a body for the tenant (see [`idempotency`] for the key's semantics), recording the
/// ingest metrics.
pub async fn ingest<R: AsyncRead + Unpin + Send>(
    pool: &SqlitePool,
    tenant_id: &str,
    key: Option<&str>,
    decode: Decode,
    body: R,
) -> Result<Outcome, AppError> {
    let started = Instant::now();
    let outcome = ingest_inner(pool, tenant_id, key, decode, body, started).await;
    super::telemetry::record(&outcome, started.elapsed());
    outcome
}

async fn ingest_inner<R: AsyncRead + Unpin + Send>(
    pool: &SqlitePool,
    tenant_id: &str,
    key: Option<&str>,
    decode: Decode,
    body: R,
    started: Instant,
) -> Result<Outcome, AppError> {
    let Some(key) = key else {
        let (report, _) = run(pool, tenant_id, decode, body, started).await?;
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
        Claim::Claimed => match run(pool, tenant_id, decode, body, started).await {
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
    decode: Decode,
    body: R,
    started: Instant,
) -> Result<(IngestReport, String), AppError> {
    if decode.format == IngestFormat::Csv {
        return Err(AppError::new(
            ErrorCode::UnsupportedMediaType,
            "CSV ingest is not available yet.",
        ));
    }
    let gzip = decode.gzip;
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

/// Validates line by line; full batches are written by a [`BatchWriter`] while the next fills.
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
    let mut writer = BatchWriter {
        pool: pool.clone(),
        tenant_id: tenant_id.to_string(),
        in_flight: None,
        written: 0,
    };
    let read = read_lines(tenant_id, reader, &mut report, &mut writer).await;
    // Always wait for the batch in flight: nothing is written after the response.
    let written = writer.finish().await;
    read?;
    report.rows_inserted = written?;
    Ok(report)
}

async fn read_lines<R: AsyncBufRead + Unpin + Send>(
    tenant_id: &str,
    reader: &mut R,
    report: &mut IngestReport,
    writer: &mut BatchWriter,
) -> Result<(), AppError> {
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
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ORDERS));
                    writer.send(full).await?;
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
        writer.send(batch).await?;
    }
    Ok(())
}

/// Writes one batch at a time in a background task, so parsing continues meanwhile.
struct BatchWriter {
    pool: SqlitePool,
    tenant_id: String,
    in_flight: Option<JoinHandle<Result<u64, AppError>>>,
    written: u64,
}

impl BatchWriter {
    /// Waits for the previous batch, then starts writing this one.
    async fn send(&mut self, batch: Vec<ValidOrder>) -> Result<(), AppError> {
        self.wait().await?;
        let (pool, tenant_id) = (self.pool.clone(), self.tenant_id.clone());
        self.in_flight = Some(tokio::spawn(async move {
            write_batch(&pool, &tenant_id, &batch).await?;
            Ok(batch.len() as u64)
        }));
        Ok(())
    }

    async fn wait(&mut self) -> Result<(), AppError> {
        if let Some(task) = self.in_flight.take() {
            self.written += task.await.map_err(AppError::internal)??;
        }
        Ok(())
    }

    /// Waits for the last batch; the number of orders written.
    async fn finish(mut self) -> Result<u64, AppError> {
        self.wait().await?;
        Ok(self.written)
    }
}

fn read_error(e: std::io::Error) -> AppError {
    AppError::new(
        ErrorCode::BadRequest,
        format!("The request body could not be read: {e}."),
    )
}
