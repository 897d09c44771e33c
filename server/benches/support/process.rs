//! Shared by the load benches: the release `atrium` in its own process on a temp database with
//! the demo data, and what /proc says about it. Included with `#[path]` (not a bench itself).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The running server; killed and reaped when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// The database URL (benches that check stored rows read it directly).
    #[allow(dead_code)]
    pub db: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Seeds the demo data into a fresh database, adds `extra_tenants`, starts the release server
/// with `env` (logging at `warn`) and waits until `/readyz` answers.
pub async fn start(extra_tenants: &[String], env: &[(&str, String)]) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("bench.db").display());
    let exe = env!("CARGO_BIN_EXE_atrium");
    let status = Command::new(exe)
        .args(["seed-demo"])
        .env("ATRIUM_DATABASE_URL", &db)
        .env("ATRIUM_LOG", "warn")
        .status()
        .expect("seed");
    assert!(status.success(), "seed-demo failed");
    if !extra_tenants.is_empty() {
        let pool = sqlx::SqlitePool::connect(&db).await.expect("db");
        for t in extra_tenants {
            sqlx::query("INSERT OR IGNORE INTO tenants (id, name) VALUES (?, ?)")
                .bind(t)
                .bind(t)
                .execute(&pool)
                .await
                .expect("tenant");
        }
        pool.close().await;
    }
    let port = free_port();
    let mut cmd = Command::new(exe);
    cmd.env("ATRIUM_ADDR", format!("127.0.0.1:{port}"))
        .env("ATRIUM_DATABASE_URL", &db)
        .env("ATRIUM_SITE_ROOT", dir.path())
        .env("ATRIUM_LOG", "warn");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let child = cmd
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start atrium");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        db,
        _dir: dir,
    };
    let client = reqwest::Client::new();
    for _ in 0..600 {
        let ready = client.get(format!("{}/readyz", server.base)).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not become ready");
}

/// A field of /proc/<pid>/status in bytes (VmRSS, VmHWM).
pub fn proc_status_bytes(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 1024
}

/// CPU seconds (user + system) a process has used.
pub fn proc_cpu_seconds(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let fields: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
            let ticks =
                fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

/// A numeric bench setting from the environment, or `default`.
#[allow(dead_code)]
pub fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
