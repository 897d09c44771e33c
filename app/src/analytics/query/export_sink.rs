//! What an export writes: rows as CSV (optionally one gzip member per page) or Parquet columns.

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

/// One exported order.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRow {
    pub order_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_email: String,
    pub status: String,
    pub created_at: String,
    pub currency: String,
    pub total_cents: i64,
    pub items_count: i64,
}

/// The exported columns, in file order.
pub const COLUMNS: [&str; 9] = [
    "order_id",
    "customer_id",
    "customer_name",
    "customer_email",
    "status",
    "created_at",
    "currency",
    "total",
    "items_count",
];

/// Minor units as a decimal with two fraction digits (`1250` → `12.50`).
pub fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
fn csv_field(out: &mut Vec<u8>, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        out.extend_from_slice(s.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// The CSV header line.
pub fn csv_header(out: &mut Vec<u8>) {
    out.extend_from_slice(COLUMNS.join(",").as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// One row as a CSV line.
pub fn csv_line(out: &mut Vec<u8>, r: &ExportRow) {
    for (i, s) in [
        &r.order_id,
        &r.customer_id,
        &r.customer_name,
        &r.customer_email,
        &r.status,
        &r.created_at,
        &r.currency,
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            out.push(b',');
        }
        csv_field(out, s);
    }
    out.extend_from_slice(format!(",{},{}\r\n", decimal(r.total_cents), r.items_count).as_bytes());
}

/// A page's CSV bytes as they go to the file: as-is, or as one complete gzip member (so a
/// resumed export appends members and never rewrites what is on disk).
pub async fn csv_segment(raw: Vec<u8>, gzip: bool) -> std::io::Result<Vec<u8>> {
    if !gzip {
        return Ok(raw);
    }
    let mut enc = async_compression::tokio::write::GzipEncoder::new(Vec::new());
    enc.write_all(&raw).await?;
    enc.shutdown().await?;
    Ok(enc.into_inner())
}

const SCHEMA: &str = "message orders {
  REQUIRED BYTE_ARRAY order_id (UTF8);
  REQUIRED BYTE_ARRAY customer_id (UTF8);
  REQUIRED BYTE_ARRAY customer_name (UTF8);
  REQUIRED BYTE_ARRAY customer_email (UTF8);
  REQUIRED BYTE_ARRAY status (UTF8);
  REQUIRED INT64 created_at (TIMESTAMP(MILLIS,true));
  REQUIRED BYTE_ARRAY currency (UTF8);
  REQUIRED INT64 total (DECIMAL(18,2));
  REQUIRED INT32 items_count;
}";

/// One row group's values, column by column.
#[derive(Debug, Default)]
pub struct ParquetColumns {
    text: [Vec<ByteArray>; 6],
    created_at: Vec<i64>,
    total: Vec<i64>,
    items: Vec<i32>,
}

impl ParquetColumns {
    /// Rows buffered.
    pub fn len(&self) -> usize {
        self.total.len()
    }

    /// True when nothing is buffered.
    pub fn is_empty(&self) -> bool {
        self.total.is_empty()
    }

    /// Adds a row (`created_at` becomes epoch milliseconds).
    pub fn push(&mut self, r: ExportRow) -> Result<(), ParquetError> {
        let ms = chrono::DateTime::parse_from_rfc3339(&r.created_at)
            .map_err(|e| ParquetError::General(format!("created_at {}: {e}", r.created_at)))?
            .timestamp_millis();
        let texts = [
            r.order_id,
            r.customer_id,
            r.customer_name,
            r.customer_email,
            r.status,
            r.currency,
        ];
        for (col, s) in self.text.iter_mut().zip(texts) {
            col.push(ByteArray::from(s.into_bytes()));
        }
        self.created_at.push(ms);
        self.total.push(r.total_cents);
        self.items
            .push(i32::try_from(r.items_count).unwrap_or(i32::MAX));
        Ok(())
    }
}

/// A Parquet file being written, one row group per [`ParquetSink::write_group`].
pub struct ParquetSink {
    writer: SerializedFileWriter<std::fs::File>,
}

impl ParquetSink {
    /// Starts the file (Snappy-compressed columns).
    pub fn new(file: std::fs::File) -> Result<Self, ParquetError> {
        let schema = Arc::new(parse_message_type(SCHEMA)?);
        let mut props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by("atrium export".to_string());
        // (Nearly) one value per row: a dictionary would grow to the row group's size in memory
        // before the writer falls back to plain encoding anyway.
        for column in ["order_id", "customer_name", "customer_email"] {
            props = props.set_column_dictionary_enabled(ColumnPath::from(column), false);
        }
        let props = props.build();
        Ok(ParquetSink {
            writer: SerializedFileWriter::new(file, schema, Arc::new(props))?,
        })
    }

    /// Writes the buffered rows as one row group; returns the bytes written so far.
    pub fn write_group(&mut self, cols: &ParquetColumns) -> Result<u64, ParquetError> {
        let mut rg = self.writer.next_row_group()?;
        let mut i = 0;
        while let Some(mut col) = rg.next_column()? {
            match i {
                0..=4 => col
                    .typed::<ByteArrayType>()
                    .write_batch(&cols.text[i], None, None)?,
                5 => col
                    .typed::<Int64Type>()
                    .write_batch(&cols.created_at, None, None)?,
                6 => col
                    .typed::<ByteArrayType>()
                    .write_batch(&cols.text[5], None, None)?,
                7 => col
                    .typed::<Int64Type>()
                    .write_batch(&cols.total, None, None)?,
                _ => col
                    .typed::<Int32Type>()
                    .write_batch(&cols.items, None, None)?,
            };
            col.close()?;
            i += 1;
        }
        rg.close()?;
        Ok(self.writer.bytes_written() as u64)
    }

    /// Writes the footer; returns the file's length.
    pub fn close(mut self) -> Result<u64, ParquetError> {
        self.writer.finish()?;
        let len = self.writer.bytes_written() as u64;
        self.writer.inner().sync_all()?;
        Ok(len)
    }
}
