//! CSV ingest: a header row, then one row per order item with the order's columns repeated;
//! consecutive rows with one `order_id` form one order. Records are read incrementally with
//! `csv-core` (the `csv` crate's streaming parser: quoted commas and newlines work) straight from
//! the async body; each order is validated by the same rules as an NDJSON line.

use super::lines::MAX_LINE_BYTES;
use super::row::MAX_ITEMS;
use crate::error::AppError;
use serde_json::{Map, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// The columns, as `gen-dataset --format csv` writes them (any order; extra columns ignored).
pub const COLUMNS: [&str; 11] = [
    "order_id",
    "tenant_id",
    "customer_id",
    "customer_name",
    "customer_email",
    "status",
    "created_at",
    "currency",
    "product_id",
    "quantity",
    "unit_price",
];
const ORDER_COLUMNS: usize = 8;
/// Most fields accepted in one record.
const MAX_FIELDS: usize = 64;

/// One record: its fields, or that it was too long.
#[derive(Debug, PartialEq, Eq)]
pub enum Record {
    Fields(Vec<String>),
    TooLong,
}

/// Streams CSV records out of an async reader.
pub struct CsvRecords<R> {
    reader: R,
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl<R: AsyncBufRead + Unpin> CsvRecords<R> {
    /// Records of `reader`.
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            core: csv_core::Reader::new(),
            out: vec![0; 4096],
            ends: vec![0; 16],
        }
    }

    /// The next record and its line (the record number, counting the header: it differs from
    /// the text line only after a quoted field with a newline); None at the end.
    pub async fn next(&mut self) -> std::io::Result<Option<(u64, Record)>> {
        let line = self.core.line();
        let (mut outlen, mut endlen, mut too_long) = (0, 0, false);
        loop {
            let input = self.reader.fill_buf().await?;
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[outlen..], &mut self.ends[endlen..]);
            self.reader.consume(nin);
            outlen += nout;
            endlen += nend;
            use csv_core::ReadRecordResult as R;
            match res {
                R::InputEmpty => {}
                R::OutputFull if self.out.len() >= MAX_LINE_BYTES => {
                    too_long = true;
                    outlen = 0;
                }
                R::OutputFull => self.out.resize(self.out.len() * 2, 0),
                R::OutputEndsFull if self.ends.len() >= MAX_FIELDS => {
                    too_long = true;
                    endlen = 0;
                }
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::Record if too_long => return Ok(Some((line, Record::TooLong))),
                R::Record => {
                    let mut start = 0;
                    let fields = self.ends[..endlen]
                        .iter()
                        .map(|&end| {
                            let f = String::from_utf8_lossy(&self.out[start..end]).into_owned();
                            start = end;
                            f
                        })
                        .collect();
                    return Ok(Some((line, Record::Fields(fields))));
                }
                R::End => return Ok(None),
            }
        }
    }
}

/// Where each known column is in the records, from the header.
#[derive(Debug)]
pub struct Header([usize; 11]);

impl Header {
    /// Reads the header row; 422 naming the missing column.
    pub fn parse(fields: &[String]) -> Result<Self, AppError> {
        let mut at = [0; 11];
        for (slot, name) in at.iter_mut().zip(COLUMNS) {
            *slot = fields
                .iter()
                .position(|f| f.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    AppError::invalid_field(name, "is missing from the CSV header row")
                })?;
        }
        Ok(Self(at))
    }

    fn get<'a>(&self, fields: &'a [String], column: usize) -> Option<&'a str> {
        fields.get(self.0[column]).map(String::as_str)
    }

    /// The record's order id (None when the record is short).
    pub fn order_id<'a>(&self, fields: &'a [String]) -> Option<&'a str> {
        self.get(fields, 0)
    }

    /// Whether the record has every known column.
    pub fn complete(&self, fields: &[String]) -> bool {
        self.0.iter().all(|&i| i < fields.len())
    }
}

/// An order being assembled from consecutive rows, as the JSON object an NDJSON line would be.
#[derive(Debug)]
pub struct PendingOrder {
    /// The line of its first row.
    pub line: u64,
    pub order_id: String,
    pub object: Map<String, Value>,
}

impl PendingOrder {
    /// Starts an order from its first row (the caller checked the row is complete).
    pub fn start(header: &Header, line: u64, fields: &[String]) -> Self {
        let mut object = Map::new();
        for (column, name) in COLUMNS.iter().enumerate().take(ORDER_COLUMNS) {
            let value = header.get(fields, column).unwrap_or_default();
            object.insert((*name).to_string(), Value::String(value.to_string()));
        }
        object.insert("items".into(), Value::Array(Vec::new()));
        let mut order = Self {
            line,
            order_id: header.order_id(fields).unwrap_or_default().to_string(),
            object,
        };
        order.add_item(header, fields);
        order
    }

    /// Adds a row's item.
    pub fn add_item(&mut self, header: &Header, fields: &[String]) {
        let text = |column: usize| header.get(fields, column).unwrap_or_default().trim();
        // A whole number becomes a JSON integer (as in NDJSON); anything else stays text and is
        // refused by the quantity rule.
        let quantity = match text(9).parse::<i64>() {
            Ok(q) => Value::from(q),
            Err(_) => Value::String(text(9).to_string()),
        };
        let mut item = Map::new();
        item.insert("product_id".into(), Value::String(text(8).to_string()));
        item.insert("quantity".into(), quantity);
        item.insert("unit_price".into(), Value::String(text(10).to_string()));
        if let Some(Value::Array(items)) = self.object.get_mut("items") {
            // Past the cap the order is refused anyway; do not keep growing it.
            if items.len() <= MAX_ITEMS {
                items.push(Value::Object(item));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn records_stream_with_quotes_and_newlines() {
        let input = b"a,b\n\"x, \"\"y\"\"\",\"multi\nline\"\r\n1,2".to_vec();
        let mut r = CsvRecords::new(tokio::io::BufReader::with_capacity(3, &input[..]));
        let mut got = Vec::new();
        while let Some(rec) = r.next().await.expect("read") {
            got.push(rec);
        }
        let fields = |v: &[&str]| Record::Fields(v.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            got,
            vec![
                (1, fields(&["a", "b"])),
                (2, fields(&["x, \"y\"", "multi\nline"])),
                // csv-core counts record ends, not newlines inside quotes.
                (3, fields(&["1", "2"])),
            ]
        );
    }

    #[test]
    fn the_header_maps_columns_in_any_order() {
        let mut names: Vec<String> = COLUMNS.iter().rev().map(|s| s.to_string()).collect();
        let header = Header::parse(&names).expect("header");
        let row: Vec<String> = (0..11).map(|i| i.to_string()).collect();
        assert_eq!(header.order_id(&row), Some("10"));
        names.pop();
        assert!(Header::parse(&names).is_err());
    }
}
