//! The sandbox's seccomp filter and disk quota, through the real sandbox: denied kernel
//! interfaces fail with EPERM as an ordinary error the program can report, while threads and
//! fork keep working (clone3 falls back to clone); /work is a size-limited tmpfs and the host
//! report dir takes no new files.

use super::sandbox::{plan, settings, text};
use app::challenges::run::CodeRunner;

/// Each denied call through libc (ctypes), printed as its errno name or `ok`.
const PROBE: &str = r#"
import ctypes, errno, os, threading
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def name(r):
    return 'ok' if r != -1 else errno.errorcode[ctypes.get_errno()]
print('ptrace', name(libc.ptrace(0, 0, None, None)))              # PTRACE_TRACEME
print('unshare', name(libc.unshare(0x10000000)))                  # CLONE_NEWUSER
r = libc.syscall(56, 0x10000000 | 0x40000000 | 17, 0, 0, 0, 0)    # clone(NEWUSER|NEWNET|SIGCHLD)
if r == 0:
    os._exit(0)
print('clone', name(r))
print('mount', name(libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)))
print('io_uring', name(libc.syscall(425, 1, None)))               # io_uring_setup
print('keyctl', name(libc.syscall(250, 0, -3, 0)))                # KEYCTL_GET_KEYRING_ID
print('personality', name(libc.personality(0x0040000)))           # ADDR_NO_RANDOMIZE
print('query', 'ok' if libc.personality(0xffffffff) == 0 else 'changed')
t = threading.Thread(target=lambda: None)
t.start()
t.join()
pid = os.fork()
if pid == 0:
    os._exit(7)
print('thread ok, fork', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"#;

#[tokio::test]
async fn denied_syscalls_fail_with_eperm_and_the_run_is_reported_normally() {
    let sandbox = server::challenges::sandbox::BwrapSandbox::new(settings(70_500));
    let out = sandbox.run(plan("python3", "main.py", PROBE)).await;
    assert_eq!(out.sandbox_error, None);
    assert_eq!(
        text(&out.stdout),
        "ptrace EPERM\nunshare EPERM\nclone EPERM\nmount EPERM\nio_uring EPERM\nkeyctl EPERM\n\
         personality EPERM\nquery ok\nthread ok, fork 7\n",
        "{}",
        text(&out.stderr)
    );
    assert_eq!((out.exit_code, out.breach), (Some(0), None));
}

#[test]
fn the_filters_build_once_for_the_sandbox() {
    let programs = server::challenges::sandbox::seccomp::build().expect("filters build");
    if cfg!(target_arch = "x86_64") {
        assert_eq!(programs.len(), 2);
    }
}

#[tokio::test]
async fn filling_work_hits_its_quota_and_the_host_dir_takes_no_files() {
    let sandbox = server::challenges::sandbox::BwrapSandbox::new(settings(70_600));
    let code = r#"
import os
try:
    open('/.atrium/extra', 'w')
    print('host dir writable')
except OSError as e:
    print('host dir refused', e.errno)
written = 0
try:
    for i in range(40):
        with open(f'f{i}', 'wb') as f:
            f.write(bytes(1024 * 1024 - 1))
        written += 1
finally:
    print(written < 17, flush=True)
"#;
    let out = sandbox.run(plan("python3", "main.py", code)).await;
    assert_eq!(out.sandbox_error, None);
    assert_eq!(
        text(&out.stdout),
        "host dir refused 13\nTrue\n",
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("[Errno 28]"), "{out:?}");
    assert_eq!(
        (out.exit_code, out.breach),
        (Some(1), Some(app::challenges::model::LimitBreach::FileSize))
    );
}

/// The seccomp pipes and the plan's files reach bwrap as fds placed by `posix_spawn`; none of
/// them (nor any other fd the server opened) is still open in the program. Fds the test process
/// itself inherited without close-on-exec (cargo's jobserver, the shell's) pass through any
/// spawn, so they are expected too.
#[tokio::test]
async fn the_program_holds_only_stdio_and_its_report_file() {
    let sandbox = server::challenges::sandbox::BwrapSandbox::new(settings(70_700));
    let code = "import os, sys\nprint(sorted(int(f) for f in os.listdir('/proc/self/fd')))\n\
                print(os.readlink('/proc/self/fd/3'), sys.stdin.read())\n";
    let mut run = plan("python3", "main.py", code);
    run.stdin = b"from stdin".to_vec();
    let out = sandbox.run(run).await;
    assert_eq!(out.sandbox_error, None);
    // 3 is GNU time's report (opened before it starts the program), 4 listdir's own.
    let mut expected = vec![0, 1, 2, 3, 4];
    expected.extend(inherited_fds());
    expected.sort_unstable();
    expected.dedup();
    assert_eq!(
        text(&out.stdout),
        format!("{expected:?}\n/.atrium/rusage from stdin\n"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!((out.exit_code, out.breach), (Some(0), None));
}

/// This process's fds above stderr without close-on-exec: any child inherits them.
fn inherited_fds() -> Vec<i32> {
    let dir = std::fs::read_dir("/proc/self/fdinfo").expect("fdinfo");
    dir.filter_map(|e| {
        let fd: i32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).ok()?;
        let flags = info.lines().find_map(|l| l.strip_prefix("flags:"))?;
        let flags = u32::from_str_radix(flags.trim(), 8).ok()?;
        (fd > 2 && flags & libc::O_CLOEXEC as u32 == 0).then_some(fd)
    })
    .collect()
}
