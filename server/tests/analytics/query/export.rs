//! Exports: CSV / gzip / Parquet content, resumable downloads, resume after a restart, auth.

use crate::common::{error_code, TestServer};
use reqwest::header::{CONTENT_RANGE, ETAG, IF_RANGE, RANGE};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;

const EXPORT: &str = "/api/v1/tenants/company_a/reports/export";

/// Order `i` of the fixture: two orders per minute (ties broken by order_id), 1–3 items each.
fn fixture(i: usize) -> (String, String, String, i64, usize) {
    let at = format!("2026-03-{:02}T10:{:02}:00.000Z", 1 + i / 20, (i % 20) / 2);
    let name = if i.is_multiple_of(7) {
        "Ada \"The\" Lovelace, Jr".to_string()
    } else {
        format!("Customer {i}")
    };
    (
        format!("o-{i:03}"),
        at,
        name,
        1000 + i as i64 * 37,
        i % 3 + 1,
    )
}

/// Inserts `n` fixture orders for `tenant` straight into the tables.
async fn seed(srv: &TestServer, tenant: &str, n: usize) {
    for i in 0..n {
        let (id, at, name, total, items) = fixture(i);
        sqlx::query(
            "INSERT INTO sales_orders (tenant_id, order_id, customer_id, customer_name, \
             customer_email, status, created_at, currency, total_cents) \
             VALUES (?, ?, ?, ?, ?, 'paid', ?, 'EUR', ?)",
        )
        .bind(tenant)
        .bind(&id)
        .bind(format!("c-{i}"))
        .bind(&name)
        .bind(format!("c{i}@example.com"))
        .bind(&at)
        .bind(total)
        .execute(&srv.state.pool)
        .await
        .expect("order");
        for line in 0..items {
            sqlx::query("INSERT INTO sales_order_items VALUES (?, ?, ?, 'p-1', 1, 100)")
                .bind(tenant)
                .bind(&id)
                .bind(line as i64)
                .execute(&srv.state.pool)
                .await
                .expect("item");
        }
    }
}

fn csv_line(i: usize) -> String {
    let (id, at, name, total, items) = fixture(i);
    let name = if name.contains(',') {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name
    };
    format!(
        "{id},c-{i},{name},c{i}@example.com,paid,{at},EUR,{}.{:02},{items}\r\n",
        total / 100,
        total % 100
    )
}

const HEADER: &str = "order_id,customer_id,customer_name,customer_email,status,created_at,currency,total,items_count\r\n";

async fn start_export(srv: &TestServer, body: Value) -> String {
    let res = reqwest::Client::new()
        .post(srv.url(EXPORT))
        .bearer_auth("token_user_a")
        .json(&body)
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 202);
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["status"], "running");
    v["export_id"].as_str().expect("id").to_string()
}

async fn status(srv: &TestServer, id: &str) -> Value {
    let url = srv.url(&format!("/api/v1/tenants/company_a/reports/exports/{id}"));
    let res = reqwest::Client::new()
        .get(url)
        .bearer_auth("token_user_a")
        .send()
        .await
        .expect("status");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

/// Polls the status until `done(status)` holds (or fails the test after 60 s).
async fn wait_for(srv: &TestServer, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..3000 {
        let s = status(srv, id).await;
        assert_ne!(s["status"], "failed", "{s}");
        if done(&s) {
            return s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("export {id} never reached the expected state");
}

async fn finished(srv: &TestServer, id: &str) -> Value {
    wait_for(srv, id, |s| s["status"] == "done").await
}

fn download(srv: &TestServer, id: &str) -> reqwest::RequestBuilder {
    let url = srv.url(&format!(
        "/api/v1/tenants/company_a/reports/exports/{id}/download"
    ));
    reqwest::Client::new().get(url).bearer_auth("token_user_a")
}

async fn bytes(req: reqwest::RequestBuilder, expect: u16) -> Vec<u8> {
    let res = req.send().await.expect("download");
    assert_eq!(res.status(), expect);
    res.bytes().await.expect("body").to_vec()
}

fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

async fn export_bytes(srv: &TestServer, body: Value) -> (Vec<u8>, Value) {
    let id = start_export(srv, body).await;
    let s = finished(srv, &id).await;
    let b = bytes(download(srv, &id), 200).await;
    assert_eq!(sha(&b), s["sha256"].as_str().expect("sha"));
    assert_eq!(b.len() as i64, s["bytes_written"].as_i64().expect("bytes"));
    (b, s)
}

#[tokio::test]
async fn csv_holds_the_filtered_orders_in_time_order_and_gzip_decodes_to_the_same() {
    let srv = TestServer::start(&["--export-page-rows", "4"]).await;
    seed(&srv, "company_a", 60).await;
    seed(&srv, "company_b", 10).await;
    let filters = json!({"start_date": "2026-03-02", "end_date": "2026-03-02"});
    let (csv, s) = export_bytes(&srv, json!({"format": "csv", "filters": filters})).await;
    let expected: String = std::iter::once(HEADER.to_string())
        .chain((20..40).map(csv_line))
        .collect();
    assert_eq!(String::from_utf8(csv.clone()).expect("utf8"), expected);
    assert_eq!(s["rows_written"], 20);
    // The search's filters, with JSON numbers and arrays as well as strings.
    let filters = json!({"min_total": 15, "end_date": "2026-03-01", "product_ids": ["p-1"],
                         "status": ["paid", "shipped"]});
    let (some, _) = export_bytes(&srv, json!({"format": "csv", "filters": filters})).await;
    let expected: String = std::iter::once(HEADER.to_string())
        .chain((14..20).map(csv_line))
        .collect();
    assert_eq!(String::from_utf8(some).expect("utf8"), expected);
    let none = json!({"format": "csv", "filters": {"status": "cancelled"}});
    assert_eq!(export_bytes(&srv, none).await.0, HEADER.as_bytes());
    let filters = json!({"start_date": "2026-03-02", "end_date": "2026-03-02"});
    let (gz, _) = export_bytes(
        &srv,
        json!({"format": "csv", "gzip": true, "filters": filters}),
    )
    .await;
    let mut dec = async_compression::tokio::bufread::GzipDecoder::new(&gz[..]);
    dec.multiple_members(true);
    let mut plain = Vec::new();
    dec.read_to_end(&mut plain).await.expect("gunzip");
    assert_eq!(plain, csv);
    // Bad requests: gzip with Parquet, an unknown format, a bad date.
    for body in [
        json!({"format": "parquet", "gzip": true}),
        json!({"format": "xml"}),
        json!({"format": "csv", "filters": {"start_date": "yesterday"}}),
    ] {
        let res = reqwest::Client::new()
            .post(srv.url(EXPORT))
            .bearer_auth("token_user_a")
            .json(&body)
            .send()
            .await
            .expect("export");
        assert!(
            [400, 422].contains(&res.status().as_u16()),
            "{body}: {}",
            res.status()
        );
    }
}

#[tokio::test]
async fn parquet_reads_back_with_the_rows_and_values() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;
    let srv =
        TestServer::start(&["--export-page-rows", "7", "--export-row-group-rows", "10"]).await;
    seed(&srv, "company_a", 45).await;
    let (b, s) = export_bytes(&srv, json!({"format": "parquet"})).await;
    assert_eq!(s["rows_written"], 45);
    let mut file = tempfile::tempfile().expect("temp file");
    std::io::Write::write_all(&mut file, &b).expect("write");
    let reader = SerializedFileReader::new(file).expect("parquet");
    assert_eq!(reader.metadata().file_metadata().num_rows(), 45);
    assert!(reader.metadata().num_row_groups() >= 4);
    let rows: Vec<_> = reader
        .get_row_iter(None)
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("row");
    for (i, row) in rows.iter().enumerate() {
        let (id, at, name, total, items) = fixture(i);
        assert_eq!(row.get_string(0).expect("id"), &id);
        assert_eq!(row.get_string(2).expect("name"), &name);
        let ms = chrono::DateTime::parse_from_rfc3339(&at)
            .expect("at")
            .timestamp_millis();
        assert_eq!(row.get_timestamp_millis(5).expect("at"), ms);
        assert_eq!(row.get_string(6).expect("currency"), "EUR");
        assert_eq!(
            row.get_decimal(7).expect("total").data(),
            total.to_be_bytes()
        );
        assert_eq!(row.get_int(8).expect("items"), items as i32);
    }
}

#[tokio::test]
async fn downloads_resume_with_ranges_and_refuse_bad_ones() {
    let srv = TestServer::start(&[]).await;
    seed(&srv, "company_a", 50).await;
    let id = start_export(&srv, json!({"format": "csv", "gzip": true})).await;
    let s = finished(&srv, &id).await;
    let whole = bytes(download(&srv, &id), 200).await;
    let etag = format!("\"{}\"", s["sha256"].as_str().expect("sha"));
    let head = download(&srv, &id).send().await.expect("download");
    assert_eq!(head.headers()["accept-ranges"], "bytes");
    assert_eq!(head.headers()[ETAG], etag.as_str());
    let mid = whole.len() / 2;
    // Interrupted after `mid` bytes: continue with Range + If-Range, or with ?from=.
    let mut resumed = bytes(
        download(&srv, &id).header(RANGE, format!("bytes=0-{}", mid - 1)),
        206,
    )
    .await;
    assert_eq!(resumed.len(), mid);
    let res = download(&srv, &id)
        .header(RANGE, format!("bytes={mid}-"))
        .header(IF_RANGE, &etag)
        .send()
        .await
        .expect("range");
    assert_eq!(res.status(), 206);
    assert_eq!(
        res.headers()[CONTENT_RANGE],
        format!("bytes {mid}-{}/{}", whole.len() - 1, whole.len()).as_str()
    );
    resumed.extend_from_slice(&res.bytes().await.expect("rest"));
    assert_eq!(sha(&resumed), sha(&whole));
    let url = srv.url(&format!(
        "/api/v1/tenants/company_a/reports/exports/{id}/download?from={mid}"
    ));
    let tail = bytes(
        reqwest::Client::new().get(url).bearer_auth("token_user_a"),
        206,
    )
    .await;
    assert_eq!(&tail[..], &whole[mid..]);
    // A changed file (other ETag) is sent whole; a range past the end is 416.
    let all = bytes(
        download(&srv, &id)
            .header(RANGE, "bytes=10-")
            .header(IF_RANGE, "\"other\""),
        200,
    )
    .await;
    assert_eq!(all, whole);
    let res = download(&srv, &id)
        .header(RANGE, format!("bytes={}-", whole.len()))
        .send()
        .await
        .expect("416");
    assert_eq!(res.status(), 416);
    assert_eq!(
        res.headers()[CONTENT_RANGE],
        format!("bytes */{}", whole.len()).as_str()
    );
}

#[tokio::test]
async fn an_export_interrupted_by_a_restart_resumes_to_the_same_bytes() {
    let dir = tempfile::tempdir().expect("dir");
    let exports = dir.path().display().to_string();
    let flags = [
        "--export-dir",
        &exports,
        "--export-page-rows",
        "3",
        "--export-page-pause-ms",
        "40",
    ];
    let srv = TestServer::start(&flags).await;
    seed(&srv, "company_a", 60).await;
    let gz = start_export(&srv, json!({"format": "csv", "gzip": true})).await;
    let pq = start_export(&srv, json!({"format": "parquet"})).await;
    wait_for(&srv, &gz, |s| s["rows_written"].as_i64() >= Some(9)).await;
    let res = download(&srv, &gz).send().await.expect("early download");
    assert_eq!(res.status(), 409);
    let srv = srv.restart(&flags).await;
    let s = finished(&srv, &gz).await;
    assert!(s["resumes"].as_i64() >= Some(1), "{s}");
    assert_eq!(s["rows_written"], 60);
    let p = finished(&srv, &pq).await;
    assert_eq!(p["rows_written"], 60);
    let again = start_export(&srv, json!({"format": "csv", "gzip": true})).await;
    let fresh = finished(&srv, &again).await;
    assert_eq!(fresh["resumes"], 0);
    assert_eq!(s["sha256"], fresh["sha256"]);
    let again = start_export(&srv, json!({"format": "parquet"})).await;
    assert_eq!(finished(&srv, &again).await["sha256"], p["sha256"]);
}

#[tokio::test]
async fn another_tenant_gets_404_and_no_credentials_401() {
    let srv = TestServer::start(&[]).await;
    seed(&srv, "company_a", 3).await;
    let id = start_export(&srv, json!({"format": "csv"})).await;
    finished(&srv, &id).await;
    let status = format!("/api/v1/tenants/company_a/reports/exports/{id}");
    let dl = format!("{status}/download");
    let c = reqwest::Client::new();
    let res = c
        .post(srv.url(EXPORT))
        .bearer_auth("token_admin_b")
        .json(&json!({"format": "csv"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 404);
    for path in [&status, &dl] {
        let res = c
            .get(srv.url(path))
            .bearer_auth("token_admin_b")
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), 404);
        let own = path.replace("company_a", "company_b");
        let res = c
            .get(srv.url(&own))
            .bearer_auth("token_admin_b")
            .send()
            .await
            .expect("get");
        assert_eq!(error_code(res).await, "not_found");
        assert_eq!(
            c.get(srv.url(path)).send().await.expect("get").status(),
            401
        );
    }
    let res = c
        .post(srv.url(EXPORT))
        .json(&json!({"format": "csv"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 401);
}
