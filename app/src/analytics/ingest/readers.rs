//! Decoded body → validated orders, per format: NDJSON line by line, CSV record by record
//! (consecutive rows of one order id grouped). Both feed a [`Sink`] that counts, reports errors
//! and hands full batches to the writer.

use super::csv_rows::{CsvRecords, Header, PendingOrder, Record};
use super::fast::parse_fast;
use super::lines::{next_line, Line, MAX_LINE_BYTES};
use super::model::{IngestReport, RowError, MAX_REPORTED_ERRORS};
use super::row::{parse_order, validate_object, Problem, ValidOrder};
use super::service::{read_error, BatchWriter};
use crate::error::AppError;
use tokio::io::AsyncBufRead;

/// Collects validated orders into batches and failures into the report.
pub struct Sink<'a> {
    pub tenant_id: &'a str,
    pub report: &'a mut IngestReport,
    pub writer: &'a mut BatchWriter,
    batch: Vec<ValidOrder>,
    batch_orders: usize,
}

impl<'a> Sink<'a> {
    /// A sink writing through `writer`.
    pub fn new(
        tenant_id: &'a str,
        report: &'a mut IngestReport,
        writer: &'a mut BatchWriter,
    ) -> Self {
        let batch_orders = writer.batch_orders();
        Self {
            tenant_id,
            report,
            writer,
            batch: Vec::with_capacity(batch_orders),
            batch_orders,
        }
    }

    /// One received row (an order) at `line`: stored later, or reported now.
    async fn accept(
        &mut self,
        line: u64,
        parsed: Result<ValidOrder, Problem>,
    ) -> Result<(), AppError> {
        self.report.rows_received += 1;
        match parsed {
            Ok(order) => {
                self.batch.push(order);
                if self.batch.len() >= self.batch_orders {
                    let next = Vec::with_capacity(self.batch_orders);
                    let full = std::mem::replace(&mut self.batch, next);
                    self.writer.send(full).await?;
                }
            }
            Err((field, reason)) => {
                self.report.rows_failed += 1;
                if self.report.errors.len() < MAX_REPORTED_ERRORS {
                    self.report.errors.push(RowError {
                        line,
                        field,
                        reason,
                    });
                }
            }
        }
        Ok(())
    }

    /// Sends the last, partial batch.
    async fn flush(self) -> Result<(), AppError> {
        if !self.batch.is_empty() {
            self.writer.send(self.batch).await?;
        }
        Ok(())
    }
}

/// NDJSON: one order per non-blank line.
pub async fn read_ndjson<R: AsyncBufRead + Unpin + Send>(
    reader: &mut R,
    mut sink: Sink<'_>,
) -> Result<(), AppError> {
    let mut buf = Vec::new();
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
            Line::Complete => match parse_fast(&buf, sink.tenant_id) {
                Some(order) => Ok(order),
                None => parse_order(&buf, sink.tenant_id),
            },
        };
        sink.accept(line_no, parsed).await?;
    }
    sink.flush().await
}

fn blank(fields: &[String]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

/// CSV: a header row, then item rows; an order is reported at the line of its first row.
pub async fn read_csv<R: AsyncBufRead + Unpin + Send>(
    reader: &mut R,
    mut sink: Sink<'_>,
) -> Result<(), AppError> {
    let mut records = CsvRecords::new(reader);
    let header = loop {
        match records.next().await.map_err(read_error)? {
            None => return Ok(()),
            Some((_, Record::Fields(f))) if blank(&f) => continue,
            Some((_, Record::Fields(f))) => break Header::parse(&f)?,
            Some((_, Record::TooLong)) => {
                return Err(AppError::invalid_field(
                    "header",
                    "The CSV header row is too long.",
                ))
            }
        }
    };
    let mut pending: Option<PendingOrder> = None;
    while let Some((line, record)) = records.next().await.map_err(read_error)? {
        let fields = match record {
            Record::Fields(f) if blank(&f) => continue,
            Record::Fields(f) if header.complete(&f) => f,
            other => {
                if let Some(order) = pending.take() {
                    accept_csv(&mut sink, order).await?;
                }
                let reason = match other {
                    Record::TooLong => format!("is longer than {MAX_LINE_BYTES} bytes"),
                    Record::Fields(_) => "must have a value for every header column".into(),
                };
                sink.accept(line, Err(("line".into(), reason))).await?;
                continue;
            }
        };
        match &mut pending {
            Some(order) if header.order_id(&fields) == Some(order.order_id.as_str()) => {
                order.add_item(&header, &fields)
            }
            _ => {
                let next = PendingOrder::start(&header, line, &fields);
                if let Some(order) = pending.replace(next) {
                    accept_csv(&mut sink, order).await?;
                }
            }
        }
    }
    if let Some(order) = pending.take() {
        accept_csv(&mut sink, order).await?;
    }
    sink.flush().await
}

async fn accept_csv(sink: &mut Sink<'_>, order: PendingOrder) -> Result<(), AppError> {
    let parsed = validate_object(&order.object, sink.tenant_id);
    sink.accept(order.line, parsed).await
}
