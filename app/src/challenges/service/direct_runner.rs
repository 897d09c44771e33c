//! Tests only: runs a plan directly (no sandbox) in a temporary folder with a wall-clock
//! timeout, using the host's `/usr/bin/python3`, `/usr/bin/node` and `/usr/bin/sqlite3`.

use crate::challenges::model::LimitBreach;
use crate::challenges::run::{CodeRunner, RunOutcome, RunPlan};
use std::io::{Read, Write};
use std::path::{Component, Path};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A runner without isolation, for tests on a trusted machine.
#[derive(Debug, Clone)]
pub struct DirectRunner {
    pub timeout: Duration,
}

impl Default for DirectRunner {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
        }
    }
}

fn program(name: &str) -> String {
    match name {
        "python3" | "python" => "/usr/bin/python3".into(),
        "node" => "/usr/bin/node".into(),
        "sqlite3" => "/usr/bin/sqlite3".into(),
        other => other.into(),
    }
}

fn run_blocking(plan: RunPlan, timeout: Duration) -> RunOutcome {
    let fail = |e: String| RunOutcome {
        sandbox_error: Some(e),
        ..RunOutcome::default()
    };
    let dir = std::env::temp_dir().join(format!("atrium-run-{}", uuid::Uuid::new_v4()));
    let result = (|| -> Result<RunOutcome, String> {
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        for (rel, data) in &plan.files {
            let rel = Path::new(rel);
            if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
                return Err(format!("bad path {}", rel.display()));
            }
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(&path, data).map_err(|e| e.to_string())?;
        }
        let (first, rest) = plan.argv.split_first().ok_or("empty argv")?;
        let started = Instant::now();
        let mut child = Command::new(program(first))
            .args(rest)
            .current_dir(&dir)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let input = plan.stdin.clone();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let mut out = child.stdout.take().ok_or("no stdout")?;
        let mut err = child.stderr.take().ok_or("no stderr")?;
        let out_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = out.read_to_end(&mut buf);
            buf
        });
        let err_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = err.read_to_end(&mut buf);
            buf
        });
        let mut breach = None;
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            if started.elapsed() > timeout {
                let _ = child.kill();
                breach = Some(LimitBreach::WallTime);
                break child.wait().map_err(|e| e.to_string())?;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let _ = writer.join();
        Ok(RunOutcome {
            exit_code: status.code(),
            breach,
            stdout: out_reader.join().unwrap_or_default(),
            stderr: err_reader.join().unwrap_or_default(),
            wall_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            cpu_ms: 0,
            peak_memory_kb: 0,
            sandbox_error: None,
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result.unwrap_or_else(fail)
}

impl CodeRunner for DirectRunner {
    fn run(&self, plan: RunPlan) -> futures::future::BoxFuture<'static, RunOutcome> {
        let timeout = self.timeout;
        Box::pin(async move {
            tokio::task::spawn_blocking(move || run_blocking(plan, timeout))
                .await
                .unwrap_or_else(|e| RunOutcome {
                    sandbox_error: Some(e.to_string()),
                    ..RunOutcome::default()
                })
        })
    }
}
