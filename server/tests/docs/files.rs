//! File storage: uploads, listing, downloads, deletes, access rules and bad names.
//!
//! Bodies are built by hand (not by an HTTP client's form helper) so each test says exactly how
//! the file name travels: quoted as browsers send it, RFC 8187 `filename*` as curl and reqwest
//! send non-ASCII names, or raw bytes.

mod access;
mod downloads;
mod pages;
mod uploads;

use crate::common::TestServer;
use serde_json::Value;
use std::path::PathBuf;

pub const ADMIN_A: &str = "token_admin_a";
pub const USER_A: &str = "token_user_a";
pub const ADMIN_B: &str = "token_admin_b";

const BOUNDARY: &str = "atrium-test-boundary-7MA4YWxkTrZu0gW";

/// How the file part names its file.
#[derive(Clone, Copy, Debug)]
pub enum Name<'a> {
    /// `filename="…"`, with `"`, CR and LF escaped as browsers do (`%22`, `%0D`, `%0A`).
    Quoted(&'a str),
    /// `filename*=UTF-8''…` (RFC 8187), every byte but unreserved ones percent-encoded.
    Extended(&'a str),
    /// No file name at all.
    Missing,
}

impl Name<'_> {
    fn parameter(self) -> String {
        match self {
            Name::Quoted(name) => format!(
                "; filename=\"{}\"",
                name.replace('"', "%22")
                    .replace('\r', "%0D")
                    .replace('\n', "%0A")
            ),
            Name::Extended(name) => {
                let encoded: String = name
                    .bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                            char::from(b).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect();
                format!("; filename*=UTF-8''{encoded}")
            }
            Name::Missing => String::new(),
        }
    }
}

/// One part of a multipart/form-data body.
pub enum Part<'a> {
    File(Name<'a>, &'a [u8]),
    Text(&'a str, &'a str),
}

/// `(content type, body)` of a multipart/form-data request.
pub fn form(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::File(name, data) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"file\"{}\r\n\
                         Content-Type: application/octet-stream\r\n\r\n",
                        name.parameter()
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(data);
            }
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}")
                        .as_bytes(),
                );
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// `POST /documents` with these parts and a bearer token.
pub async fn post_form(srv: &TestServer, token: &str, parts: &[Part<'_>]) -> reqwest::Response {
    let (content_type, body) = form(parts);
    reqwest::Client::new()
        .post(srv.url("/documents"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload request")
}

/// Uploads `data` as `name` with an access level.
pub async fn upload(
    srv: &TestServer,
    token: &str,
    name: &str,
    access: &str,
    data: &[u8],
) -> reqwest::Response {
    post_form(
        srv,
        token,
        &[
            Part::Text("access_level", access),
            Part::File(Name::Quoted(name), data),
        ],
    )
    .await
}

/// Uploads and returns the metadata (asserts 201).
pub async fn uploaded(
    srv: &TestServer,
    token: &str,
    name: &str,
    access: &str,
    data: &[u8],
) -> Value {
    let res = upload(srv, token, name, access, data).await;
    let status = res.status();
    let body: Value = res.json().await.expect("json");
    assert_eq!(status, 201, "{body}");
    body
}

/// A request with a bearer token.
pub fn with_token(
    srv: &TestServer,
    method: reqwest::Method,
    path: &str,
    token: &str,
) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, srv.url(path))
        .bearer_auth(token)
}

/// `GET /documents` as `token`: the listed file names, in order.
pub async fn listed(srv: &TestServer, token: &str) -> Vec<String> {
    let page: Value = with_token(srv, reqwest::Method::GET, "/documents", token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    page["documents"]
        .as_array()
        .map(|docs| {
            docs.iter()
                .map(|d| d["filename"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `(status, body)` of a response whose body is JSON.
pub async fn status_json(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// A tenant's upload folder.
pub fn tenant_dir(srv: &TestServer, tenant: &str) -> PathBuf {
    srv.state.files.root.join(tenant)
}

/// Every entry in a tenant's upload folder (temporary files included), sorted.
pub fn entries(srv: &TestServer, tenant: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(tenant_dir(srv, tenant))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Rows in the `files` table.
pub async fn file_rows(srv: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM files")
        .fetch_one(&srv.state.pool)
        .await
        .expect("count")
}

/// Hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

/// Some non-trivial bytes.
pub fn sample(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}
