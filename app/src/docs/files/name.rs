//! Original file names: which are accepted (a plain name, never a path) and how a multipart
//! part's name is read. The name is metadata only; files are stored under generated names, so a
//! bad name can never reach the file system — it is still refused, with a message that says why.

/// Longest accepted name, in UTF-8 bytes (the usual file-system limit).
pub const MAX_NAME_BYTES: usize = 255;

/// Why a file name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Missing,
    Empty,
    TooLong,
    ControlCharacter,
    AbsolutePath,
    Traversal,
    Separator,
    NotUtf8,
}

impl NameProblem {
    /// What the client is told (422, `details.filename`).
    pub fn message(self) -> &'static str {
        match self {
            NameProblem::Missing => {
                "The file part has no file name; send it as a file, e.g. curl -F file=@report.pdf."
            }
            NameProblem::Empty => "The file name is empty.",
            NameProblem::TooLong => "The file name is longer than 255 bytes.",
            NameProblem::ControlCharacter => {
                "The file name contains control characters (such as NUL or a line break)."
            }
            NameProblem::AbsolutePath => {
                "The file name is an absolute path; send just the name, such as report.pdf."
            }
            NameProblem::Traversal => {
                "The file name contains a \"..\" path segment; send just the name, such as report.pdf."
            }
            NameProblem::Separator => {
                "The file name contains a path separator (/ or \\); send just the name, such as report.pdf."
            }
            NameProblem::NotUtf8 => "The file name is not valid UTF-8.",
        }
    }
}

/// Accepts a plain file name: not blank, at most 255 bytes, no control or bidi-override
/// characters, not absolute (`/x`, `\x`, `C:…`), no `.`/`..` segment, no `/` or `\`.
pub fn validate_filename(name: &str) -> Result<(), NameProblem> {
    if name.trim().is_empty() {
        return Err(NameProblem::Empty);
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(NameProblem::TooLong);
    }
    if name.chars().any(is_forbidden_char) {
        return Err(NameProblem::ControlCharacter);
    }
    if name.starts_with(['/', '\\']) || has_drive_prefix(name) {
        return Err(NameProblem::AbsolutePath);
    }
    if name
        .split(['/', '\\'])
        .any(|segment| matches!(segment.trim_end(), "." | ".."))
    {
        return Err(NameProblem::Traversal);
    }
    if name.contains(['/', '\\']) {
        return Err(NameProblem::Separator);
    }
    Ok(())
}

/// C0/C1 controls and DEL, plus the bidi controls that make `exe.pdf` display as `fdp.exe`.
fn is_forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `C:`, `c:…`: a Windows drive (absolute, or drive-relative, which is no better).
fn has_drive_prefix(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// The file name of a multipart part from its `Content-Disposition` header value (raw bytes:
/// browsers send UTF-8 unencoded). `filename*` (RFC 8187, as curl and reqwest send non-ASCII
/// names) wins over `filename`; in `filename`, the `%22`, `%0A` and `%0D` escapes browsers use
/// for `"`, LF and CR (HTML's multipart/form-data encoding) are decoded, so such names are seen
/// for what they are. `Ok(None)` when the part has no file name at all.
pub fn form_data_filename(header: &[u8]) -> Result<Option<String>, NameProblem> {
    let params = parameters(header);
    if let Some((_, value)) = params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(b"filename*"))
    {
        return decode_ext_value(value).map(Some);
    }
    match params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(b"filename"))
    {
        None => Ok(None),
        Some((_, value)) => {
            let text = String::from_utf8(value.clone()).map_err(|_| NameProblem::NotUtf8)?;
            Ok(Some(decode_html_escapes(&text)))
        }
    }
}

/// `name=value` pairs after the disposition type; quoted values are unescaped.
fn parameters(header: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = match header.iter().position(|&b| b == b';') {
        Some(p) => p + 1,
        None => return out,
    };
    while i < header.len() {
        while i < header.len() && (header[i] == b' ' || header[i] == b'\t' || header[i] == b';') {
            i += 1;
        }
        let key_start = i;
        while i < header.len() && header[i] != b'=' && header[i] != b';' {
            i += 1;
        }
        let key = trim(&header[key_start..i]).to_vec();
        if i >= header.len() || header[i] == b';' {
            continue;
        }
        i += 1; // '='
        while i < header.len() && (header[i] == b' ' || header[i] == b'\t') {
            i += 1;
        }
        let mut value = Vec::new();
        if i < header.len() && header[i] == b'"' {
            i += 1;
            while i < header.len() && header[i] != b'"' {
                // Only `\"` and `\\` are escapes: old clients send Windows paths with bare
                // backslashes, which must stay visible to the validation.
                if header[i] == b'\\' && matches!(header.get(i + 1), Some(b'"' | b'\\')) {
                    i += 1;
                }
                value.push(header[i]);
                i += 1;
            }
            i += 1; // closing quote
        } else {
            let start = i;
            while i < header.len() && header[i] != b';' {
                i += 1;
            }
            value = trim(&header[start..i]).to_vec();
        }
        if !key.is_empty() {
            out.push((key, value));
        }
    }
    out
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |p| p + 1);
    &bytes[start..end.max(start)]
}

/// RFC 8187 `charset'language'percent-encoded`; UTF-8 and ISO-8859-1 are understood.
fn decode_ext_value(value: &[u8]) -> Result<String, NameProblem> {
    let mut parts = value.splitn(3, |&b| b == b'\'');
    let (Some(charset), Some(_language), Some(encoded)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(NameProblem::NotUtf8);
    };
    let bytes = percent_decode(encoded);
    if charset.eq_ignore_ascii_case(b"utf-8") {
        String::from_utf8(bytes).map_err(|_| NameProblem::NotUtf8)
    } else if charset.eq_ignore_ascii_case(b"iso-8859-1") {
        Ok(bytes.into_iter().map(char::from).collect())
    } else {
        Err(NameProblem::NotUtf8)
    }
}

fn percent_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%' && i + 2 < input.len() {
            if let (Some(h), Some(l)) = (hex_value(input[i + 1]), hex_value(input[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(input[i]);
        i += 1;
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Only `%22`, `%0A` and `%0D` (any case): a literal `%41` in a name stays as typed.
fn decode_html_escapes(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        let escape = rest.get(pos..pos + 3).map(str::to_ascii_uppercase);
        match escape.as_deref() {
            Some("%22") => out.push('"'),
            Some("%0A") => out.push('\n'),
            Some("%0D") => out.push('\r'),
            _ => {
                out.push('%');
                rest = &rest[pos + 1..];
                continue;
            }
        }
        rest = &rest[pos + 3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_accepted() {
        for name in [
            "report.pdf",
            "Quarterly report (final).xlsx",
            "résumé.txt",
            "数据.csv",
            "a..b.txt",
            "...",
            ".env",
            "50% off: \"summer\".txt",
            &"x".repeat(255),
        ] {
            assert_eq!(validate_filename(name), Ok(()), "{name:?}");
        }
    }

    #[test]
    fn paths_and_traversal_are_refused_with_the_reason() {
        let cases = [
            ("../../etc/passwd", NameProblem::Traversal),
            ("..\\..\\win.ini", NameProblem::Traversal),
            ("..", NameProblem::Traversal),
            (".", NameProblem::Traversal),
            ("docs/../x", NameProblem::Traversal),
            ("/etc/passwd", NameProblem::AbsolutePath),
            ("\\\\server\\share\\x", NameProblem::AbsolutePath),
            ("C:\\x", NameProblem::AbsolutePath),
            ("c:x.txt", NameProblem::AbsolutePath),
            ("dir/file.txt", NameProblem::Separator),
            ("dir\\file.txt", NameProblem::Separator),
        ];
        for (name, problem) in cases {
            assert_eq!(validate_filename(name), Err(problem), "{name:?}");
        }
    }

    #[test]
    fn control_characters_empty_and_long_names_are_refused() {
        assert_eq!(
            validate_filename("a\0b"),
            Err(NameProblem::ControlCharacter)
        );
        assert_eq!(
            validate_filename("a\nb.txt"),
            Err(NameProblem::ControlCharacter)
        );
        assert_eq!(
            validate_filename("a\rb.txt"),
            Err(NameProblem::ControlCharacter)
        );
        assert_eq!(
            validate_filename("a\u{7f}b"),
            Err(NameProblem::ControlCharacter)
        );
        assert_eq!(
            validate_filename("a\u{85}b"),
            Err(NameProblem::ControlCharacter)
        );
        assert_eq!(
            validate_filename("invoice\u{202E}fdp.exe"),
            Err(NameProblem::ControlCharacter)
        );
        assert_eq!(validate_filename(""), Err(NameProblem::Empty));
        assert_eq!(validate_filename("   "), Err(NameProblem::Empty));
        assert_eq!(
            validate_filename(&"x".repeat(256)),
            Err(NameProblem::TooLong)
        );
        // 255 bytes is the limit, not 255 characters.
        assert_eq!(
            validate_filename(&"é".repeat(128)),
            Err(NameProblem::TooLong)
        );
    }

    #[test]
    fn every_problem_has_a_message() {
        for p in [
            NameProblem::Missing,
            NameProblem::Empty,
            NameProblem::TooLong,
            NameProblem::ControlCharacter,
            NameProblem::AbsolutePath,
            NameProblem::Traversal,
            NameProblem::Separator,
            NameProblem::NotUtf8,
        ] {
            assert!(p.message().starts_with("The file"), "{p:?}");
        }
    }

    fn name_of(header: &str) -> Result<Option<String>, NameProblem> {
        form_data_filename(header.as_bytes())
    }

    #[test]
    fn quoted_and_bare_filenames_are_read() {
        assert_eq!(
            name_of(r#"form-data; name="file"; filename="report.pdf""#),
            Ok(Some("report.pdf".into()))
        );
        assert_eq!(
            name_of("form-data; name=file; filename=report.pdf"),
            Ok(Some("report.pdf".into()))
        );
        assert_eq!(
            name_of(r#"form-data; filename="a; b.txt"; name="file""#),
            Ok(Some("a; b.txt".into()))
        );
        assert_eq!(
            name_of("form-data; name=\"file\"; filename=\"数据.csv\""),
            Ok(Some("数据.csv".into()))
        );
        assert_eq!(name_of(r#"form-data; name="file""#), Ok(None));
        assert_eq!(
            name_of(r#"form-data; name="file"; filename="""#),
            Ok(Some(String::new()))
        );
    }

    #[test]
    fn backslashes_and_quotes_in_quoted_names_survive() {
        // `\"` and `\\` are escapes; any other backslash is kept, so a Windows path sent
        // unescaped still shows its separators to the validation.
        assert_eq!(
            name_of(r#"form-data; name="file"; filename="say \"hi\".txt""#),
            Ok(Some("say \"hi\".txt".into()))
        );
        assert_eq!(
            name_of(r#"form-data; name="file"; filename="..\\..\\win.ini""#),
            Ok(Some("..\\..\\win.ini".into()))
        );
        assert_eq!(
            name_of(r#"form-data; name="file"; filename="..\..\win.ini""#),
            Ok(Some("..\\..\\win.ini".into()))
        );
    }

    #[test]
    fn browser_escapes_are_decoded_so_line_breaks_are_caught() {
        assert_eq!(
            name_of(r#"form-data; name="file"; filename="a%0Ab%22c%0d.txt""#),
            Ok(Some("a\nb\"c\r.txt".into()))
        );
        assert_eq!(
            name_of(r#"form-data; name="file"; filename="100%41 %.txt""#),
            Ok(Some("100%41 %.txt".into()))
        );
    }

    #[test]
    fn rfc_8187_names_win_and_are_decoded() {
        assert_eq!(
            name_of("form-data; name=\"file\"; filename*=utf-8''r%C3%A9sum%C3%A9.txt; filename=\"resume.txt\""),
            Ok(Some("résumé.txt".into()))
        );
        assert_eq!(
            name_of("form-data; name=\"file\"; filename*=UTF-8''a%00b"),
            Ok(Some("a\0b".into()))
        );
        assert_eq!(
            name_of("form-data; name=\"file\"; filename*=iso-8859-1'en'caf%E9.txt"),
            Ok(Some("café.txt".into()))
        );
        assert_eq!(
            name_of("form-data; name=\"file\"; filename*=utf-8''%FF%FE"),
            Err(NameProblem::NotUtf8)
        );
        assert_eq!(
            name_of("form-data; name=\"file\"; filename*=koi8-r''x"),
            Err(NameProblem::NotUtf8)
        );
    }

    #[test]
    fn raw_bytes_that_are_not_utf8_are_refused() {
        let mut header = b"form-data; name=\"file\"; filename=\"".to_vec();
        header.extend_from_slice(&[0xff, 0xfe]);
        header.push(b'"');
        assert_eq!(form_data_filename(&header), Err(NameProblem::NotUtf8));
    }
}
