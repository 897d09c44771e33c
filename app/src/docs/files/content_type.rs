//! The type a stored file is served as: decided by the server from the content's first bytes
//! and the name's extension, never from what the client claimed. Binary formats must prove
//! themselves by their signature; text types need text; anything a browser could run (HTML,
//! SVG, JavaScript) or that is not recognised is `application/octet-stream`.

/// How many leading bytes the detection looks at.
pub const SNIFF_LEN: usize = 512;

const OCTET_STREAM: &str = "application/octet-stream";

/// The content type for a file called `filename` whose content starts with `head`.
pub fn detect(filename: &str, head: &[u8]) -> &'static str {
    let ext = extension(filename);
    if let Some(by_signature) = signature(head, ext.as_deref()) {
        return by_signature;
    }
    let Some(ext) = ext else {
        return OCTET_STREAM;
    };
    let text = match ext.as_str() {
        "txt" | "log" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "json" => "application/json",
        _ => return OCTET_STREAM,
    };
    if looks_like_text(head) {
        text
    } else {
        OCTET_STREAM
    }
}

/// The lower-cased extension, if the name has one.
fn extension(filename: &str) -> Option<String> {
    let (stem, ext) = filename.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Formats recognised by their magic numbers; containers (ZIP, OLE) are told apart by the
/// extension only when the signature matches.
fn signature(head: &[u8], ext: Option<&str>) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if head.starts_with(b"\xff\xd8\xff") {
        return Some("image/jpeg");
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some("image/gif");
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    if head.starts_with(b"\x1f\x8b") {
        return Some("application/gzip");
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Some(match ext {
            Some("m4a") => "audio/mp4",
            Some("mov") => "video/quicktime",
            _ => "video/mp4",
        });
    }
    if head.starts_with(b"ID3") {
        return Some("audio/mpeg");
    }
    if head.starts_with(b"PK\x03\x04") {
        return Some(match ext {
            Some("docx") => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Some("pptx") => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Some("odt") => "application/vnd.oasis.opendocument.text",
            Some("ods") => "application/vnd.oasis.opendocument.spreadsheet",
            Some("odp") => "application/vnd.oasis.opendocument.presentation",
            _ => "application/zip",
        });
    }
    if head.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Some(match ext {
            Some("doc") => "application/msword",
            Some("xls") => "application/vnd.ms-excel",
            Some("ppt") => "application/vnd.ms-powerpoint",
            _ => OCTET_STREAM,
        });
    }
    None
}

/// UTF-8 (a sequence cut at the end of `head` is fine) without NUL bytes.
fn looks_like_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_decide_binary_types() {
        assert_eq!(detect("a.pdf", b"%PDF-1.7\n..."), "application/pdf");
        assert_eq!(detect("a.png", b"\x89PNG\r\n\x1a\n\0\0"), "image/png");
        assert_eq!(detect("photo", b"\xff\xd8\xff\xe0"), "image/jpeg");
        assert_eq!(detect("a.gif", b"GIF89a..."), "image/gif");
        assert_eq!(detect("a.webp", b"RIFF\0\0\0\0WEBPVP8 "), "image/webp");
        // A PNG is a PNG whatever it is called.
        assert_eq!(detect("notes.txt", b"\x89PNG\r\n\x1a\n"), "image/png");
    }

    #[test]
    fn a_claimed_extension_without_the_signature_is_not_trusted() {
        assert_eq!(
            detect("fake.png", b"<script>alert(1)</script>"),
            OCTET_STREAM
        );
        assert_eq!(detect("fake.pdf", b"hello"), OCTET_STREAM);
    }

    #[test]
    fn containers_are_told_apart_by_extension() {
        let zip = b"PK\x03\x04\x14\0";
        assert_eq!(
            detect("Report.DOCX", zip),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert_eq!(detect("archive.zip", zip), "application/zip");
        assert_eq!(detect("archive", zip), "application/zip");
        let ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
        assert_eq!(detect("old.xls", ole), "application/vnd.ms-excel");
        assert_eq!(detect("old.bin", ole), OCTET_STREAM);
    }

    #[test]
    fn text_types_need_text() {
        assert_eq!(detect("notes.txt", b"hello"), "text/plain; charset=utf-8");
        assert_eq!(
            detect("data.csv", "a,b\nü,ß".as_bytes()),
            "text/csv; charset=utf-8"
        );
        assert_eq!(detect("x.json", b"{}"), "application/json");
        assert_eq!(detect("notes.txt", b"a\0b"), OCTET_STREAM);
        assert_eq!(detect("notes.txt", b"\xff\xfe"), OCTET_STREAM);
        // A multi-byte character cut off by the sniff window is still text.
        assert_eq!(
            detect("notes.txt", &"ü".as_bytes()[..1]),
            "text/plain; charset=utf-8"
        );
    }

    #[test]
    fn active_content_and_unknown_types_download_as_bytes() {
        for name in [
            "page.html",
            "page.htm",
            "image.svg",
            "app.js",
            "x.xml",
            "noext",
            ".txt",
        ] {
            assert_eq!(
                detect(name, b"<html><script>alert(1)</script>"),
                OCTET_STREAM,
                "{name}"
            );
        }
    }
}
