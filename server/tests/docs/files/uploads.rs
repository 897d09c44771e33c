//! What an upload must be, and that every refusal leaves nothing behind.

use super::*;
use crate::common::{error_code, TestServer};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn files_are_stored_under_generated_names_in_the_tenant_folder() {
    let srv = TestServer::start(&[]).await;
    let data = sample(300_000);
    let meta = uploaded(&srv, USER_A, "Quarterly report.pdf", "tenant", &data).await;
    let stored = entries(&srv, "company_a");
    assert_eq!(stored.len(), 1, "{stored:?}");
    let name = &stored[0];
    assert_eq!(name.len(), 32, "a simple-form UUID: {name}");
    assert!(name.bytes().all(|b| b.is_ascii_hexdigit()), "{name}");
    assert_ne!(name, meta["id"].as_str().unwrap_or_default());
    let on_disk = std::fs::read(tenant_dir(&srv, "company_a").join(name)).expect("stored file");
    assert_eq!(on_disk, data);
    assert_eq!(meta["sha256"], sha256_hex(&data));

    let (id, stored_name, size, sha): (String, String, i64, String) =
        sqlx::query_as("SELECT id, stored_name, size, sha256 FROM files")
            .fetch_one(&srv.state.pool)
            .await
            .expect("row");
    assert_eq!(id, meta["id"].as_str().unwrap_or_default());
    assert_eq!(&stored_name, name);
    assert_eq!(size, 300_000);
    assert_eq!(sha, sha256_hex(&data));
}

#[tokio::test]
async fn axums_2_mb_default_does_not_apply_the_configured_limit_does() {
    // 3 MB: over axum's default body limit, well under the 25 MB default here.
    let srv = TestServer::start(&[]).await;
    let data = sample(3 * 1024 * 1024);
    let meta = uploaded(&srv, ADMIN_A, "big.bin", "tenant", &data).await;
    assert_eq!(meta["size"], 3 * 1024 * 1024);
    assert_eq!(meta["sha256"], sha256_hex(&data));
}

#[tokio::test]
async fn the_access_level_defaults_to_tenant_and_anything_else_is_422() {
    let srv = TestServer::start(&[]).await;
    let res = post_form(&srv, USER_A, &[Part::File(Name::Quoted("a.txt"), b"a")]).await;
    let (status, body) = status_json(res).await;
    assert_eq!(status, 201);
    assert_eq!(body["access_level"], "tenant");

    // Before the file and after it: refused either way, and the streamed file is removed.
    for access_first in [true, false] {
        let file = Part::File(Name::Quoted("b.txt"), b"b");
        let access = Part::Text("access_level", "public");
        let parts = if access_first {
            [access, file]
        } else {
            [file, access]
        };
        let res = post_form(&srv, USER_A, &parts).await;
        let (status, body) = status_json(res).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], "validation");
        assert_eq!(
            body["error"]["details"]["access_level"],
            "access_level must be \"tenant\" or \"private\"."
        );
    }
    let too_long = "x".repeat(100);
    let res = post_form(
        &srv,
        USER_A,
        &[
            Part::File(Name::Quoted("c.txt"), b"c"),
            Part::Text("access_level", &too_long),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(file_rows(&srv).await, 1);
    assert_eq!(entries(&srv, "company_a").len(), 1);
}

#[tokio::test]
async fn path_traversal_and_bad_names_are_422_and_leave_nothing() {
    let srv = TestServer::start(&[]).await;
    let long = "a".repeat(296) + ".txt";
    let cases: [(&str, &str); 9] = [
        ("../../etc/passwd", "\"..\" path segment"),
        ("..\\..\\win.ini", "\"..\" path segment"),
        ("/etc/passwd", "absolute path"),
        ("C:\\x", "absolute path"),
        ("a\0b", "control characters"),
        ("evil\r\nname.txt", "control characters"),
        (&long, "longer than 255 bytes"),
        ("", "is empty"),
        ("reports/q1.pdf", "path separator"),
    ];
    for (name, reason) in cases {
        // As browsers send names, and as RFC 8187 `filename*` (the only way to send a NUL).
        let mut encodings = vec![Name::Extended(name)];
        if !name.contains('\0') {
            encodings.push(Name::Quoted(name));
        }
        for encoding in encodings {
            let res = post_form(
                &srv,
                USER_A,
                &[
                    Part::Text("access_level", "tenant"),
                    Part::File(encoding, b"not to be stored"),
                ],
            )
            .await;
            let (status, body) = status_json(res).await;
            assert_eq!(status, 422, "{encoding:?}: {body}");
            assert_eq!(body["error"]["code"], "validation", "{encoding:?}");
            let message = body["error"]["details"]["filename"]
                .as_str()
                .unwrap_or_default();
            assert!(message.contains(reason), "{encoding:?}: {message}");
            assert_eq!(body["error"]["message"], message);
            assert!(
                entries(&srv, "company_a").is_empty(),
                "{encoding:?} left a file"
            );
        }
    }
    // A file part without any file name is refused too.
    let res = post_form(&srv, USER_A, &[Part::File(Name::Missing, b"x")]).await;
    let (status, body) = status_json(res).await;
    assert_eq!(status, 422);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("no file name"));

    assert_eq!(file_rows(&srv).await, 0);
    assert!(entries(&srv, "company_a").is_empty());
    // Nothing was written anywhere else under the upload root either.
    let root_entries: Vec<_> = std::fs::read_dir(&srv.state.files.root)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        root_entries.iter().all(|n| n == "company_a"),
        "{root_entries:?}"
    );
}

#[tokio::test]
async fn empty_files_and_requests_without_a_file_are_422() {
    let srv = TestServer::start(&[]).await;
    let res = upload(&srv, USER_A, "empty.txt", "tenant", b"").await;
    let (status, body) = status_json(res).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "validation");
    assert_eq!(body["error"]["message"], "The file is empty.");

    let res = post_form(&srv, USER_A, &[Part::Text("access_level", "tenant")]).await;
    let (status, body) = status_json(res).await;
    assert_eq!(status, 422);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("named \"file\""));

    let res = post_form(
        &srv,
        USER_A,
        &[
            Part::File(Name::Quoted("one.txt"), b"1"),
            Part::File(Name::Quoted("two.txt"), b"2"),
        ],
    )
    .await;
    let (status, body) = status_json(res).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["message"], "Send one file per request.");

    assert_eq!(file_rows(&srv).await, 0);
    assert!(entries(&srv, "company_a").is_empty());
}

#[tokio::test]
async fn files_over_the_limit_are_413_and_leave_nothing() {
    let srv = TestServer::start(&["--upload-max-bytes", "65536"]).await;
    // Exactly the limit is fine.
    let meta = uploaded(&srv, USER_A, "exact.bin", "tenant", &sample(65_536)).await;
    assert_eq!(meta["size"], 65_536);

    // One byte over: refused as the stream passes the limit.
    let res = upload(&srv, USER_A, "over.bin", "tenant", &sample(65_537)).await;
    let (status, body) = status_json(res).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert_eq!(body["error"]["message"], "File is larger than 64 KB.");
    assert_eq!(file_rows(&srv).await, 1);
    assert_eq!(entries(&srv, "company_a").len(), 1);
}

/// Sends a raw HTTP/1.1 request head and `body`, then reads the whole response.
async fn raw_exchange(srv: &TestServer, head: &str, body: &[u8]) -> String {
    let addr = srv.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head");
    // The server may answer and close before taking all of it; that is the point.
    let _ = stream.write_all(body).await;
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response)).await;
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading_and_a_chunked_one_midway() {
    let srv = TestServer::start(&["--upload-max-bytes", "65536"]).await;
    let addr = srv.base.trim_start_matches("http://").to_string();
    let (content_type, _) = form(&[]);

    // 10 MB announced, nothing sent: the answer comes at once.
    let head = format!(
        "POST /documents HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {USER_A}\r\n\
         Content-Type: {content_type}\r\nContent-Length: 10485760\r\nConnection: close\r\n\r\n"
    );
    let response = raw_exchange(&srv, &head, b"").await;
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("\"payload_too_large\""), "{response}");
    assert!(
        response.contains("File is larger than 64 KB."),
        "{response}"
    );

    // Chunked, so no length to check up front: refused once the file passes 64 KB.
    let (_, body) = form(&[Part::File(Name::Quoted("stream.bin"), &sample(300_000))]);
    let mut chunked = Vec::new();
    for piece in body.chunks(16 * 1024) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let head = format!(
        "POST /documents HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {USER_A}\r\n\
         Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let response = raw_exchange(&srv, &head, &chunked).await;
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(
        response.contains("File is larger than 64 KB."),
        "{response}"
    );

    assert_eq!(file_rows(&srv).await, 0);
    assert!(entries(&srv, "company_a").is_empty());
}

#[tokio::test]
async fn a_client_that_goes_away_midway_leaves_nothing() {
    let srv = TestServer::start(&[]).await;
    let addr = srv.base.trim_start_matches("http://").to_string();
    let (content_type, body) = form(&[Part::File(Name::Quoted("half.bin"), &sample(400_000))]);
    let head = format!(
        "POST /documents HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {USER_A}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head");
    stream
        .write_all(&body[..200_000])
        .await
        .expect("half the body");
    // Wait until the upload is being written, then hang up.
    let mut partial = Vec::new();
    for _ in 0..100 {
        partial = entries(&srv, "company_a");
        if !partial.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(partial.len(), 1, "{partial:?}");
    assert!(partial[0].ends_with(".part"), "{partial:?}");
    drop(stream);
    let mut left = partial;
    for _ in 0..250 {
        left = entries(&srv, "company_a");
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(file_rows(&srv).await, 0);
}

#[tokio::test]
async fn anything_but_multipart_form_data_is_415() {
    let srv = TestServer::start(&[]).await;
    let http = reqwest::Client::new();
    let requests = [
        http.post(srv.url("/documents"))
            .json(&serde_json::json!({"filename": "a.txt", "content": "aGk="})),
        http.post(srv.url("/documents"))
            .header("content-type", "text/plain")
            .body("hello"),
        http.post(srv.url("/documents"))
            .header("content-type", "multipart/mixed; boundary=x")
            .body("--x--\r\n"),
        http.post(srv.url("/documents")).body("no content type"),
    ];
    for req in requests {
        let res = req.bearer_auth(USER_A).send().await.expect("post");
        let request_id = res
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let (status, body) = status_json(res).await;
        assert_eq!(status, 415, "{body}");
        assert_eq!(body["error"]["code"], "unsupported_media_type");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("multipart/form-data"),
            "{body}"
        );
        assert_eq!(body["error"]["request_id"], request_id.as_str());
    }
    // A multipart body whose boundary is missing is malformed: 400.
    let res = http
        .post(srv.url("/documents"))
        .bearer_auth(USER_A)
        .header("content-type", "multipart/form-data")
        .body("x")
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 400);
    assert_eq!(error_code(res).await, "bad_request");
    assert_eq!(file_rows(&srv).await, 0);
    assert!(entries(&srv, "company_a").is_empty());
}
