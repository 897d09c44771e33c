//! The download's `Content-Disposition`: always an attachment, with an ASCII-only `filename`
//! for old clients and the exact name in `filename*` (RFC 6266 / RFC 8187).

/// `attachment; filename="<ascii-safe>"; filename*=UTF-8''<percent-encoded>`.
///
/// Whatever the name holds (quotes, backslashes, line breaks, `;`, non-ASCII), the result is
/// printable ASCII, cannot end the quoted string early and cannot start a new header.
pub fn attachment(filename: &str) -> String {
    format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(filename),
        percent_encode(filename)
    )
}

/// Printable ASCII kept, except `"`, `\` and `%` (which some browsers decode); every other
/// character becomes `_`. A name with nothing left becomes `download`.
fn ascii_fallback(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| match c {
            '"' | '\\' | '%' => '_',
            c if c == ' ' || c.is_ascii_graphic() => c,
            _ => '_',
        })
        .collect();
    if safe.chars().all(|c| c == '_' || c == ' ' || c == '.') {
        "download".to_string()
    } else {
        safe
    }
}

/// RFC 8187 `attr-char`s as they are, every other byte of the UTF-8 as `%XX`.
fn percent_encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for &b in name.as_bytes() {
        let attr_char = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            );
        if attr_char {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass_through() {
        assert_eq!(
            attachment("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
        );
    }

    #[test]
    fn quotes_backslashes_and_line_breaks_cannot_escape_the_header() {
        let header = attachment("a\"b\\c\r\nSet-Cookie: x=1;.txt");
        assert_eq!(
            header,
            "attachment; filename=\"a_b_c__Set-Cookie: x=1;.txt\"; \
             filename*=UTF-8''a%22b%5Cc%0D%0ASet-Cookie%3A%20x%3D1%3B.txt"
        );
        assert!(header.bytes().all(|b| (0x20..0x7f).contains(&b)));
        assert_eq!(header.matches('"').count(), 2);
    }

    #[test]
    fn unicode_is_percent_encoded_and_replaced_in_the_fallback() {
        assert_eq!(
            attachment("résumé 2024.pdf"),
            "attachment; filename=\"r_sum_ 2024.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202024.pdf"
        );
        assert_eq!(
            attachment("数据.csv"),
            "attachment; filename=\"__.csv\"; filename*=UTF-8''%E6%95%B0%E6%8D%AE.csv"
        );
    }

    #[test]
    fn names_with_nothing_ascii_fall_back_to_download() {
        assert_eq!(
            attachment("数据"),
            "attachment; filename=\"download\"; filename*=UTF-8''%E6%95%B0%E6%8D%AE"
        );
        assert!(attachment("").starts_with("attachment; filename=\"download\""));
    }

    #[test]
    fn percent_signs_are_not_left_for_browsers_to_decode() {
        assert_eq!(
            attachment("100%41.txt"),
            "attachment; filename=\"100_41.txt\"; filename*=UTF-8''100%2541.txt"
        );
    }
}
