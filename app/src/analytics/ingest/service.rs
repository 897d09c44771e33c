//! The ingest pipeline: body bytes (hashed as they stream) → optional gzip decoding → capped
//! NDJSON lines or CSV records → validated orders → batched upserts; with Idempotency-Key claim, replay and conflict.

use super::idempotency::{self, Claim};
use super::model::{IngestFormat, IngestReport};
use super::readers::{read_csv, read_ndjson, Sink};
use super::row::ValidOrder;
use super::store::{write_batch, WriteGate};
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
    gate: &WriteGate,
    tenant_id: &str,
    key: Option<&str>,
    decode: Decode,
    body: R,
) -> Result<Outcome, AppError> {
    let started = Instant::now();
    let outcome = ingest_inner(pool, gate, tenant_id, key, decode, body, started).await;
    super::telemetry::record(&outcome, started.elapsed());
    outcome
}

async fn ingest_inner<R: AsyncRead + Unpin + Send>(
    pool: &SqlitePool,
    gate: &WriteGate,
    tenant_id: &str,
    key: Option<&str>,
    decode: Decode,
    body: R,
    started: Instant,
) -> Result<Outcome, AppError> {
    let Some(key) = key else {
        let (report, _) = run(pool, gate, tenant_id, decode, body, started).await?;
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
        Claim::Claimed => match run(pool, gate, tenant_id, decode, body, started).await {
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
    gate: &WriteGate,
    tenant_id: &str,
    decode: Decode,
    body: R,
    started: Instant,
) -> Result<(IngestReport, String), AppError> {
    let gzip = decode.gzip;
    let mut hasher = Sha256::new();
    let raw = InspectReader::new(body, |b: &[u8]| hasher.update(b));
    let raw = BufReader::with_capacity(READ_BUFFER, raw);
    let mut report = if gzip {
        let mut decoder = GzipDecoder::new(raw);
        decoder.multiple_members(true);
        let mut lines = BufReader::with_capacity(READ_BUFFER, decoder);
        let report = ingest_lines(pool, gate, tenant_id, decode.format, &mut lines).await?;
        // Bytes after the last gzip member still belong to the body's fingerprint.
        let mut rest = lines.into_inner().into_inner();
        tokio::io::copy(&mut rest, &mut tokio::io::sink())
            .await
            .map_err(read_error)?;
        report
    } else {
        let mut lines = raw;
        ingest_lines(pool, gate, tenant_id, decode.format, &mut lines).await?
    };
    report.processing_time_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok((report, hex::encode(hasher.finalize())))
}

/// Validates row by row; full batches are written by a [`BatchWriter`] while the next fills.
async fn ingest_lines<R: AsyncBufRead + Unpin + Send>(
    pool: &SqlitePool,
    gate: &WriteGate,
    tenant_id: &str,
    format: IngestFormat,
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
        gate: gate.clone(),
        tenant_id: tenant_id.to_string(),
        in_flight: None,
        written: 0,
    };
    let sink = Sink::new(tenant_id, &mut report, &mut writer);
    let read = match format {
        IngestFormat::Ndjson => read_ndjson(reader, sink).await,
        IngestFormat::Csv => read_csv(reader, sink).await,
    };
    // Always wait for the batch in flight: nothing is written after the response.
    let written = writer.finish().await;
    read?;
    report.rows_inserted = written?;
    Ok(report)
}

/// Writes one batch at a time in a background task, so parsing continues meanwhile.
pub struct BatchWriter {
    pool: SqlitePool,
    gate: WriteGate,
    tenant_id: String,
    in_flight: Option<JoinHandle<Result<u64, AppError>>>,
    written: u64,
}

impl BatchWriter {
    /// Orders per batch transaction.
    pub fn batch_orders(&self) -> usize {
        self.gate.batch_orders()
    }

    /// Waits for the previous batch, then starts writing this one.
    pub async fn send(&mut self, batch: Vec<ValidOrder>) -> Result<(), AppError> {
        self.wait().await?;
        let (pool, gate) = (self.pool.clone(), self.gate.clone());
        let tenant_id = self.tenant_id.clone();
        self.in_flight = Some(tokio::spawn(async move {
            write_batch(&pool, &gate, &tenant_id, &batch).await?;
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

/// 400 for a body that could not be read or decoded.
pub fn read_error(e: std::io::Error) -> AppError {
    AppError::new(
        ErrorCode::BadRequest,
        format!("The request body could not be read: {e}."),
    )
}
