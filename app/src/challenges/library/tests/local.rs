//! A test-only executor: runs a plan in a temporary directory with /usr/bin's python3 and
//! node under a wall-clock kill. No isolation; the server's sandbox replaces it for real.

use crate::challenges::model::LimitBreach;
use crate::challenges::run::{RunOutcome, RunPlan};
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Runs `plan` to completion (10 s wall limit) and reports what came back.
pub(super) fn run_local(plan: &RunPlan) -> RunOutcome {
    let dir = std::env::temp_dir().join(format!(
        "atrium-library-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    for (path, content) in &plan.files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, content).expect("write");
    }
    let program = format!("/usr/bin/{}", plan.argv[0]);
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(&plan.argv[1..])
        .current_dir(&dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let mut breach = None;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            breach = Some(LimitBreach::WallTime);
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let outcome = RunOutcome {
        exit_code: status.and_then(|s| s.code()),
        breach,
        stdout: out_reader.join().expect("stdout thread"),
        stderr: err_reader.join().expect("stderr thread"),
        wall_ms: start.elapsed().as_millis() as u64,
        ..Default::default()
    };
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}
