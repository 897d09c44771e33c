//! What a download sends: the stored bytes, the detected type and safe headers.

use super::*;
use crate::common::TestServer;
use reqwest::Method;

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn download(srv: &TestServer, meta: &serde_json::Value) -> reqwest::Response {
    let path = format!("/documents/{}", meta["id"].as_str().unwrap_or_default());
    let res = with_token(srv, Method::GET, &path, ADMIN_A)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), 200);
    res
}

#[tokio::test]
async fn downloads_send_the_stored_bytes_as_an_attachment_with_safe_headers() {
    let srv = TestServer::start(&[]).await;
    let data = sample(200_000);
    let meta = uploaded(&srv, USER_A, "data.bin", "tenant", &data).await;
    let res = download(&srv, &meta).await;
    assert_eq!(header(&res, "content-type"), "application/octet-stream");
    assert_eq!(header(&res, "content-length"), "200000");
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&res, "content-disposition"),
        "attachment; filename=\"data.bin\"; filename*=UTF-8''data.bin"
    );
    assert_eq!(
        header(&res, "content-security-policy"),
        "default-src 'none'; sandbox"
    );
    assert_eq!(header(&res, "cache-control"), "private, no-store");
    assert_eq!(header(&res, "etag"), format!("\"{}\"", sha256_hex(&data)));
    let body = res.bytes().await.expect("bytes");
    assert_eq!(
        sha256_hex(&body),
        meta["sha256"].as_str().unwrap_or_default()
    );
    assert_eq!(body.as_ref(), data.as_slice());
}

#[tokio::test]
async fn the_type_is_detected_from_the_content_not_taken_from_the_client() {
    let srv = TestServer::start(&[]).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let cases: [(&str, &[u8], &str); 5] = [
        ("logo.png", &png, "image/png"),
        ("notes.txt", b"plain words", "text/plain; charset=utf-8"),
        ("report.pdf", b"%PDF-1.7\n%...", "application/pdf"),
        // Claims to be an image, is not: bytes.
        (
            "fake.png",
            b"<script>alert(1)</script>",
            "application/octet-stream",
        ),
        // Would run in the browser: never served as HTML.
        (
            "page.html",
            b"<html><script>alert(1)</script></html>",
            "application/octet-stream",
        ),
    ];
    for (name, data, expected) in cases {
        let meta = uploaded(&srv, USER_A, name, "tenant", data).await;
        assert_eq!(meta["content_type"], expected, "{name}");
        let res = download(&srv, &meta).await;
        assert_eq!(header(&res, "content-type"), expected, "{name}");
        assert!(
            header(&res, "content-disposition").starts_with("attachment;"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn content_disposition_is_safe_for_quotes_line_breaks_and_unicode() {
    let srv = TestServer::start(&[]).await;
    let name = "Résumé \"final\"; v2 — 数据.txt";
    let meta = uploaded(&srv, USER_A, name, "tenant", b"cv").await;
    assert_eq!(meta["filename"], name);
    let res = download(&srv, &meta).await;
    let disposition = header(&res, "content-disposition");
    assert_eq!(
        disposition,
        "attachment; filename=\"R_sum_ _final_; v2 _ __.txt\"; \
         filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%3B%20v2%20%E2%80%94%20%E6%95%B0%E6%8D%AE.txt"
    );
    // One quoted string, printable ASCII only.
    assert_eq!(disposition.matches('"').count(), 2);
    assert!(disposition.bytes().all(|b| (0x20..0x7f).contains(&b)));

    // The same name sent as RFC 8187 comes back identical.
    let res = post_form(&srv, USER_A, &[Part::File(Name::Extended(name), b"cv")]).await;
    let (status, again) = status_json(res).await;
    assert_eq!(status, 201);
    assert_eq!(again["filename"], name);

    // Names with line breaks never get as far as a header: they are refused at upload.
    let res = upload(
        &srv,
        USER_A,
        "a\nContent-Type: text/html.txt",
        "tenant",
        b"x",
    )
    .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn head_requests_describe_the_download_without_the_body() {
    let srv = TestServer::start(&[]).await;
    let meta = uploaded(&srv, USER_A, "a.txt", "tenant", b"twelve bytes").await;
    let path = format!("/documents/{}", meta["id"].as_str().unwrap_or_default());
    let res = with_token(&srv, Method::HEAD, &path, USER_A)
        .send()
        .await
        .expect("head");
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-length"), "12");
    assert!(res.bytes().await.expect("bytes").is_empty());
}
