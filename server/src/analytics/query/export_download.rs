//! Byte ranges of a finished export: `Range: bytes=…` (single range), `If-Range` with the ETag,
//! and the `?from=<offset>` continuation token (same as `Range: bytes=<offset>-`).

use axum::http::{header, HeaderMap};

/// What to send of a file of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The whole file (200).
    Whole,
    /// Bytes `start..=end` (206).
    Range { start: u64, end: u64 },
    /// The range lies outside the file (416).
    Unsatisfiable,
}

/// Parses one `bytes=a-b` / `bytes=a-` / `bytes=-n` spec; `None` if it is not one (then the
/// header is ignored, as RFC 9110 allows, and so are multi-range requests).
fn parse_spec(spec: &str, len: u64) -> Option<Part> {
    let spec = spec.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let part = if a.is_empty() {
        let n: u64 = b.parse().ok()?;
        if n == 0 || len == 0 {
            Part::Unsatisfiable
        } else {
            Part::Range {
                start: len.saturating_sub(n),
                end: len - 1,
            }
        }
    } else {
        let start: u64 = a.parse().ok()?;
        let end: u64 = if b.is_empty() {
            u64::MAX
        } else {
            b.parse().ok()?
        };
        if end < start {
            return None;
        }
        if start >= len {
            Part::Unsatisfiable
        } else {
            Part::Range {
                start,
                end: end.min(len - 1),
            }
        }
    };
    Some(part)
}

/// The part to send, from the request's `Range`/`If-Range` headers and `?from=`.
pub fn requested(headers: &HeaderMap, from: Option<u64>, etag: &str, len: u64) -> Part {
    // If-Range names another version (or a date, which we don't issue): send it all.
    if let Some(v) = headers.get(header::IF_RANGE) {
        if v.to_str().ok().map(str::trim) != Some(etag) {
            return Part::Whole;
        }
    }
    if let Some(from) = from {
        return parse_spec(&format!("bytes={from}-"), len).unwrap_or(Part::Unsatisfiable);
    }
    headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| parse_spec(s, len))
        .unwrap_or(Part::Whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(range: &str, if_range: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::RANGE, range.parse().expect("header"));
        if let Some(v) = if_range {
            h.insert(header::IF_RANGE, v.parse().expect("header"));
        }
        h
    }

    #[test]
    fn ranges_parse_like_rfc_9110() {
        let r = |s: &str| requested(&with(s, None), None, "\"e\"", 100);
        assert_eq!(r("bytes=0-9"), Part::Range { start: 0, end: 9 });
        assert_eq!(r("bytes=90-"), Part::Range { start: 90, end: 99 });
        assert_eq!(r("bytes=-10"), Part::Range { start: 90, end: 99 });
        assert_eq!(r("bytes=50-500"), Part::Range { start: 50, end: 99 });
        assert_eq!(r("bytes=100-"), Part::Unsatisfiable);
        assert_eq!(r("bytes=-0"), Part::Unsatisfiable);
        assert_eq!(r("bytes=5-1"), Part::Whole);
        assert_eq!(r("bytes=0-1,5-6"), Part::Whole);
        assert_eq!(r("items=0-1"), Part::Whole);
    }

    #[test]
    fn if_range_and_from() {
        let h = with("bytes=10-", Some("\"old\""));
        assert_eq!(requested(&h, None, "\"e\"", 100), Part::Whole);
        let h = with("bytes=10-", Some("\"e\""));
        assert_eq!(
            requested(&h, None, "\"e\"", 100),
            Part::Range { start: 10, end: 99 }
        );
        let none = HeaderMap::new();
        assert_eq!(
            requested(&none, Some(40), "\"e\"", 100),
            Part::Range { start: 40, end: 99 }
        );
        assert_eq!(
            requested(&none, Some(100), "\"e\"", 100),
            Part::Unsatisfiable
        );
    }
}
