//! The bubblewrap sandbox, driven directly: every limit is contained and reported as what it
//! was, the system is invisible or read-only, and runs cannot see each other or the network.
//! Needs bwrap, prlimit, setpriv and GNU time (scripts/setup.sh) and root (to drop to a uid).

use app::challenges::model::LimitBreach;
use app::challenges::run::{CodeRunner, RunOutcome, RunPlan};
use server::challenges::sandbox::verdict::{classify, Ended, Observed};
use server::challenges::sandbox::{BwrapSandbox, SandboxSettings};
use std::sync::OnceLock;
use std::time::Duration;

const OUTPUT_CAP: usize = 64 * 1024;

/// Uids 70000.. are unused here; each sandbox below has its own range so that the process
/// limit (per uid) of one test never starves another running at the same time.
pub(super) fn settings(uid: u32) -> SandboxSettings {
    SandboxSettings {
        cpu_secs: 1,
        // Generous: the machine is shared and slow; the wall-time test uses its own limit.
        wall: Duration::from_secs(20),
        memory_mb: 128,
        node_reserve_mb: 768,
        processes: 60,
        file_size_bytes: 1024 * 1024,
        output_bytes: OUTPUT_CAP,
        uid,
        uid_slots: 32,
        work_root: std::env::temp_dir().join("atrium-sandbox-tests"),
        bwrap: "/usr/bin/bwrap".into(),
    }
}

fn sandbox() -> &'static BwrapSandbox {
    static SANDBOX: OnceLock<BwrapSandbox> = OnceLock::new();
    SANDBOX.get_or_init(|| BwrapSandbox::new(settings(70_000)))
}

pub(super) fn plan(program: &str, file: &str, code: &str) -> RunPlan {
    RunPlan {
        files: vec![(file.to_string(), code.as_bytes().to_vec())],
        argv: vec![program.to_string(), file.to_string()],
        stdin: Vec::new(),
    }
}

async fn python(code: &str) -> RunOutcome {
    sandbox().run(plan("python3", "main.py", code)).await
}

pub(super) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn python_node_and_sqlite3_return_stdout_and_exit_code() {
    let mut p = plan(
        "python3",
        "pkg/main.py",
        "import os, sys\nprint(input().upper(), os.getuid() != 0, os.getpid() < 10)\nsys.exit(3)",
    );
    p.stdin = b"hello\n".to_vec();
    let out = sandbox().run(p).await;
    assert_eq!(out.sandbox_error, None);
    assert_eq!(
        text(&out.stdout),
        "HELLO True True\n",
        "{}",
        text(&out.stderr)
    );
    assert_eq!((out.exit_code, out.breach), (Some(3), None));

    let out = sandbox()
        .run(plan(
            "node",
            "main.js",
            "console.log([1,2,3].map(x => x * 2).join(','))",
        ))
        .await;
    assert_eq!(text(&out.stdout), "2,4,6\n", "{}", text(&out.stderr));
    assert_eq!((out.exit_code, out.breach), (Some(0), None));

    let mut p = plan("sqlite3", "db.sqlite", "");
    p.files.clear();
    p.stdin = b"CREATE TABLE t(x); INSERT INTO t VALUES (20),(22); SELECT sum(x) FROM t;".to_vec();
    let out = sandbox().run(p).await;
    assert_eq!(text(&out.stdout), "42\n", "{}", text(&out.stderr));
    assert_eq!((out.exit_code, out.breach), (Some(0), None));
}

#[tokio::test]
async fn an_infinite_loop_is_stopped_at_the_cpu_limit() {
    let out = python("while True:\n    pass").await;
    assert_eq!(out.breach, Some(LimitBreach::CpuTime), "{out:?}");
    assert_eq!(out.exit_code, None);
    // The rusage covers the user's process, not just the sandbox's wrappers (a few ms); a
    // loaded machine has reported 830 ms for the 1 s limit.
    assert!(out.cpu_ms >= 500, "cpu_ms {}", out.cpu_ms);
}

#[tokio::test]
async fn sleeping_forever_is_stopped_at_the_wall_limit() {
    let mut s = settings(70_100);
    s.wall = Duration::from_secs(2);
    let out = BwrapSandbox::new(s)
        .run(plan("python3", "main.py", "import time\ntime.sleep(3600)"))
        .await;
    assert_eq!(out.breach, Some(LimitBreach::WallTime), "{out:?}");
    assert!(
        (2000..10_000).contains(&out.wall_ms),
        "wall_ms {}",
        out.wall_ms
    );
}

#[tokio::test]
async fn a_fork_bomb_is_contained_and_reported() {
    let uid = 70_200;
    let bomb = BwrapSandbox::new(settings(uid));
    let out = bomb
        .run(plan(
            "python3",
            "main.py",
            "import os\nwhile True:\n    os.fork()",
        ))
        .await;
    assert_eq!(out.breach, Some(LimitBreach::Processes), "{out:?}");
    // Nothing of it survives the run (the pid namespace's teardown finishes within moments),
    // and the same uid can run again.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while processes_of(uid) > 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(processes_of(uid), 0);
    let again = bomb.run(plan("python3", "main.py", "print('fine')")).await;
    assert_eq!(text(&again.stdout), "fine\n", "{again:?}");
}

/// Live processes owned by `uid` on the host.
fn processes_of(uid: u32) -> usize {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    dir.flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("status")).ok())
        .filter(|status| {
            status
                .lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .is_some_and(|u| u == uid.to_string())
        })
        .count()
}

#[tokio::test]
async fn allocating_2_gb_is_a_memory_breach() {
    let out = python("x = bytearray(2 * 1024 ** 3)").await;
    assert_eq!(out.breach, Some(LimitBreach::Memory), "{out:?}");
    let js = "const a = []; while (true) a.push(new Array(1e6).fill(1.5));";
    let out = sandbox().run(plan("node", "main.js", js)).await;
    assert_eq!(
        out.breach,
        Some(LimitBreach::Memory),
        "{}",
        text(&out.stderr)
    );
    let out = sandbox()
        .run(plan("node", "main.js", "Buffer.alloc(2 * 1024 ** 3 - 1)"))
        .await;
    assert_eq!(
        out.breach,
        Some(LimitBreach::Memory),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn peak_memory_covers_the_users_process() {
    let out = python("b = bytearray(60 * 1024 * 1024)\nb[::4096] = b'1' * len(b[::4096])").await;
    assert_eq!(out.exit_code, Some(0), "{}", text(&out.stderr));
    assert!(out.peak_memory_kb >= 60_000, "peak {}", out.peak_memory_kb);
}

#[tokio::test]
async fn huge_output_is_cut_at_the_cap_without_growing_the_parent() {
    let before = rss_kb();
    // 2 GB of output if nobody stopped it.
    let out = python("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)").await;
    assert_eq!(out.breach, Some(LimitBreach::Output), "{out:?}");
    assert_eq!(out.stdout.len(), OUTPUT_CAP);
    let grown = rss_kb().saturating_sub(before);
    assert!(grown < 200 * 1024, "parent grew by {grown} KB");
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn writing_past_the_file_size_limit_is_reported() {
    let out = python("open('big', 'wb').write(bytes(2 * 1024 * 1024))").await;
    assert_eq!(out.breach, Some(LimitBreach::FileSize), "{out:?}");
}

#[tokio::test]
async fn the_network_is_unreachable_even_on_loopback() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let code = format!(
        "import socket\nfor addr in [('1.1.1.1', 80), ('127.0.0.1', {port})]:\n    try:\n        socket.create_connection(addr, timeout=2)\n        print('connected', addr)\n    except OSError as e:\n        print('blocked', addr[0])"
    );
    let out = python(&code).await;
    assert_eq!(
        text(&out.stdout),
        "blocked 1.1.1.1\nblocked 127.0.0.1\n",
        "{}",
        text(&out.stderr)
    );
    let accepted = tokio::time::timeout(Duration::from_millis(200), listener.accept()).await;
    assert!(accepted.is_err(), "the host listener saw a connection");
}

#[tokio::test]
async fn files_outside_the_sandbox_are_invisible_and_the_system_is_read_only() {
    let secret = tempfile::NamedTempFile::new_in(env!("CARGO_MANIFEST_DIR")).expect("temp");
    std::fs::write(secret.path(), "secret").expect("write");
    let code = format!(
        r#"
import os
for path in [{:?}, '/etc/shadow', '/root', '/etc/passwd']:
    print(path.split('/')[-1] if 'tmp' not in path else 'secret', os.path.exists(path))
for path in ['/usr/evil', '/etc/evil', '/evil', '/bin/evil']:
    try:
        open(path, 'w').write('x')
        print('wrote', path)
    except OSError as e:
        print('refused', e.errno)
open('/tmp/ok', 'w').write('x')
open('/work/ok', 'w').write('x')
print('own dirs writable')
"#,
        secret.path().display().to_string()
    );
    let out = python(&code).await;
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("True"), "{stdout}");
    assert!(!stdout.contains("wrote"), "{stdout}");
    assert_eq!(stdout.matches("refused").count(), 4, "{stdout}");
    assert!(
        stdout.ends_with("own dirs writable\n"),
        "{stdout}{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn runs_do_not_see_each_others_files() {
    let first =
        python("open('left.txt','w').write('x')\nopen('/tmp/left.txt','w').write('x')").await;
    assert_eq!(first.exit_code, Some(0), "{}", text(&first.stderr));
    let second = python(
        "import os\nprint(os.listdir('.'), os.listdir('/tmp'), os.path.exists('/work/left.txt'))",
    )
    .await;
    assert_eq!(text(&second.stdout), "['main.py'] [] False\n");
}

#[tokio::test]
async fn sandbox_failures_are_not_blamed_on_the_code() {
    let mut s = settings(70_300);
    s.bwrap = "/nonexistent/bwrap".into();
    let out = BwrapSandbox::new(s)
        .run(plan("python3", "main.py", "print(1)"))
        .await;
    assert!(out.sandbox_error.is_some(), "{out:?}");
    assert_eq!((out.exit_code, out.breach), (None, None));
    let out = sandbox().run(plan("bash", "main.sh", "echo hi")).await;
    assert!(out.sandbox_error.is_some_and(|e| e.contains("not allowed")));
    let mut p = plan("python3", "main.py", "print(1)");
    p.files.push(("../escape.py".into(), b"x".to_vec()));
    assert!(sandbox().run(p).await.sandbox_error.is_some());
}

#[test]
fn verdicts_map_what_was_observed() {
    let seen = |ended, stderr: &'static str| Observed {
        ended,
        wall_killed: false,
        output_cut: false,
        cpu_ms: 100,
        cpu_limit_ms: 5000,
        stderr: stderr.as_bytes(),
    };
    use Ended::{Code, Signal};
    use LimitBreach::*;
    assert_eq!(classify(&seen(Code(0), "")), (Some(0), None));
    assert_eq!(classify(&seen(Code(2), "Traceback")), (Some(2), None));
    assert_eq!(classify(&seen(Code(128 + 24), "")), (None, Some(CpuTime)));
    let killed_at_hard_limit = Observed {
        cpu_ms: 5990,
        ..seen(Code(128 + 9), "")
    };
    assert_eq!(classify(&killed_at_hard_limit), (None, Some(CpuTime)));
    assert_eq!(classify(&seen(Code(128 + 9), "")), (None, Some(Killed)));
    assert_eq!(classify(&seen(Code(128 + 25), "")), (None, Some(FileSize)));
    assert_eq!(classify(&seen(Code(128 + 11), "")), (None, Some(Killed)));
    let py_mem = "Traceback (most recent call last):\n  ...\nMemoryError\n";
    assert_eq!(classify(&seen(Code(1), py_mem)), (Some(1), Some(Memory)));
    let caught = "MemoryError\nbut handled, then failed otherwise\n";
    assert_eq!(classify(&seen(Code(1), caught)), (Some(1), None));
    let v8 = "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory";
    assert_eq!(classify(&seen(Code(128 + 6), v8)), (None, Some(Memory)));
    let efbig = "OSError: [Errno 27] File too large";
    assert_eq!(classify(&seen(Code(1), efbig)), (Some(1), Some(FileSize)));
    let full = "OSError: [Errno 28] No space left on device";
    assert_eq!(classify(&seen(Code(1), full)), (Some(1), Some(FileSize)));
    let fork = "BlockingIOError: [Errno 11] Resource temporarily unavailable";
    assert_eq!(classify(&seen(Code(1), fork)), (Some(1), Some(Processes)));
    let wall = Observed {
        wall_killed: true,
        ..seen(Signal(9), "")
    };
    assert_eq!(classify(&wall), (None, Some(WallTime)));
    let cut = Observed {
        output_cut: true,
        ..seen(Signal(9), "")
    };
    assert_eq!(classify(&cut), (None, Some(Output)));
}

#[tokio::test]
async fn concurrent_runs_do_not_starve_each_other() {
    let sb = BwrapSandbox::new(settings(70_400));
    let workers = (0..4).map(|_| {
        let sb = sb.clone();
        tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for _ in 0..25 {
                outcomes.push(sb.run(plan("python3", "main.py", "print('hi')")).await);
            }
            outcomes
        })
    });
    for worker in workers.collect::<Vec<_>>() {
        for out in worker.await.expect("worker") {
            assert_eq!(out.sandbox_error, None);
            assert_eq!(text(&out.stdout), "hi\n");
        }
    }
}
