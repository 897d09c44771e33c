//! Reads a body line by line with a cap: an over-long line is skipped (and reported), never
//! buffered whole.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// Longest accepted line, in bytes.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// One line of input.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// The line's bytes (without the newline) are in the buffer.
    Complete,
    /// The line was longer than the cap; its bytes were discarded.
    TooLong,
}

/// Reads the next line into `buf` (cleared first). `None` at the end of the input.
pub async fn next_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<Line>> {
    buf.clear();
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let chunk = reader.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(read_any.then_some(if too_long {
                Line::TooLong
            } else {
                Line::Complete
            }));
        }
        read_any = true;
        let (part, done) = match memchr_newline(chunk) {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        if !too_long && buf.len() + part.len() <= max {
            buf.extend_from_slice(part);
        } else {
            too_long = true;
            buf.clear();
        }
        let used = done.unwrap_or(chunk.len());
        reader.consume(used);
        if done.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(if too_long {
                Line::TooLong
            } else {
                Line::Complete
            }));
        }
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_split_and_long_ones_are_skipped() {
        let input = b"ab\r\n0123456789\nlast".to_vec();
        let mut r = tokio::io::BufReader::with_capacity(4, &input[..]);
        let mut buf = Vec::new();
        assert_eq!(
            next_line(&mut r, &mut buf, 5).await.ok(),
            Some(Some(Line::Complete))
        );
        assert_eq!(buf, b"ab");
        assert_eq!(
            next_line(&mut r, &mut buf, 5).await.ok(),
            Some(Some(Line::TooLong))
        );
        assert_eq!(
            next_line(&mut r, &mut buf, 5).await.ok(),
            Some(Some(Line::Complete))
        );
        assert_eq!(buf, b"last");
        assert_eq!(next_line(&mut r, &mut buf, 5).await.ok(), Some(None));
    }
}
