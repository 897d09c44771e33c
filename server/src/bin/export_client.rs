//! `export-client`: requests an export, waits for it, downloads it with a simulated interruption
//! and a `Range` resume, and checks the file's SHA-256 against the server's.
//!
//! ```text
//! export-client --url http://127.0.0.1:3000 --token token_admin_a --tenant company_a \
//!     --format csv --gzip --filters '{"start_date":"2026-01-01"}' --out orders.csv.gz \
//!     --interrupt-after 100000
//! ```

use clap::Parser;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::time::Duration;

/// Export, download with a resume, verify.
#[derive(Parser, Debug)]
#[command(name = "export-client", about)]
struct Args {
    /// Server base URL.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    url: String,
    /// Bearer token (an API token or JWT).
    #[arg(long, env = "ATRIUM_TOKEN")]
    token: String,
    /// The caller's tenant.
    #[arg(long)]
    tenant: String,
    /// `csv` or `parquet`.
    #[arg(long, default_value = "csv")]
    format: String,
    /// gzip the CSV.
    #[arg(long)]
    gzip: bool,
    /// The filters, as a JSON object (the order search's parameter names).
    #[arg(long, default_value = "{}")]
    filters: String,
    /// Where to save the file.
    #[arg(long)]
    out: std::path::PathBuf,
    /// Drop the first download after this many bytes, then resume it with `Range`.
    #[arg(long)]
    interrupt_after: Option<u64>,
    /// Download this export instead of requesting a new one.
    #[arg(long)]
    export_id: Option<String>,
}

type Error = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args).await {
        eprintln!("export-client: {e}");
        std::process::exit(1);
    }
}

async fn run(a: &Args) -> Result<(), Error> {
    let http = reqwest::Client::new();
    let base = format!(
        "{}/api/v1/tenants/{}/reports",
        a.url.trim_end_matches('/'),
        a.tenant
    );
    let id = match &a.export_id {
        Some(id) => id.clone(),
        None => {
            let filters: Value = serde_json::from_str(&a.filters)?;
            let body = json!({"format": a.format, "gzip": a.gzip, "filters": filters});
            let res = http
                .post(format!("{base}/export"))
                .bearer_auth(&a.token)
                .json(&body)
                .send()
                .await?;
            let v: Value = checked(res).await?.json().await?;
            v["export_id"]
                .as_str()
                .ok_or("no export_id in the answer")?
                .to_string()
        }
    };
    println!("export {id}: waiting");
    let status = loop {
        let res = http
            .get(format!("{base}/exports/{id}"))
            .bearer_auth(&a.token)
            .send()
            .await?;
        let s: Value = checked(res).await?.json().await?;
        match s["status"].as_str() {
            Some("done") => break s,
            Some("failed") => return Err(format!("export failed: {}", s["error"]).into()),
            _ => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    };
    let sha = status["sha256"].as_str().ok_or("no sha256")?.to_string();
    println!(
        "export {id}: done, {} rows, {} bytes",
        status["rows_written"], status["bytes_written"]
    );
    let url = format!("{base}/exports/{id}/download");
    let etag = format!("\"{sha}\"");
    let mut file = std::fs::File::create(&a.out)?;
    let mut have = 0u64;
    // First attempt: stop after `interrupt_after` bytes, as if the connection dropped.
    let mut res = checked(http.get(&url).bearer_auth(&a.token).send().await?).await?;
    while let Some(chunk) = res.chunk().await? {
        let keep = match a.interrupt_after {
            Some(n) => (n.saturating_sub(have) as usize).min(chunk.len()),
            None => chunk.len(),
        };
        file.write_all(&chunk[..keep])?;
        have += keep as u64;
        if keep < chunk.len() || a.interrupt_after.is_some_and(|n| have >= n) {
            println!("interrupted after {have} bytes; resuming with Range: bytes={have}-");
            drop(res);
            let res = http
                .get(&url)
                .bearer_auth(&a.token)
                .header("Range", format!("bytes={have}-"))
                .header("If-Range", &etag)
                .send()
                .await?;
            let mut res = checked(res).await?;
            if res.status().as_u16() == 200 {
                // The file changed: start over.
                file = std::fs::File::create(&a.out)?;
                have = 0;
            }
            while let Some(chunk) = res.chunk().await? {
                file.write_all(&chunk)?;
                have += chunk.len() as u64;
            }
            break;
        }
    }
    file.sync_all()?;
    let got = hex::encode(Sha256::digest(std::fs::read(&a.out)?));
    if got != sha {
        return Err(format!("SHA-256 mismatch: server {sha}, file {got}").into());
    }
    println!(
        "saved {} ({have} bytes), SHA-256 {got} matches",
        a.out.display()
    );
    Ok(())
}

/// The response if it is a success, else its error body as the error.
async fn checked(res: reqwest::Response) -> Result<reqwest::Response, Error> {
    if res.status().is_success() {
        Ok(res)
    } else {
        Err(format!("{} {}", res.status(), res.text().await.unwrap_or_default()).into())
    }
}
