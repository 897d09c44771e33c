//! Spawning the sandbox's top process and watching it: `waitpid` on a blocking thread reaps it,
//! a pidfd lets the parent kill it with no pid-reuse race, and the output pipes are read up
//! to a cap, never further.

use super::verdict::Ended;
use nix::spawn::{posix_spawn, PosixSpawnAttr, PosixSpawnFileActions, PosixSpawnFlags};
use nix::sys::signal::{SigSet, Signal as NixSignal};
use rustix::io::fcntl_dupfd_cloexec;
use rustix::process::{
    kill_process, pidfd_open, pidfd_send_signal, waitpid, Pid, PidfdFlags, Signal, WaitOptions,
};
use std::ffi::{CString, OsString};
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::net::unix::pipe;

/// How the run ended as seen from outside.
#[derive(Debug)]
pub struct Finished {
    pub ended: Ended,
    pub wall_killed: bool,
    pub output_cut: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub wall: Duration,
}

/// A pidfd of our child: signals sent through it can never reach a recycled pid, even once the
/// child is reaped.
#[derive(Debug)]
struct Pidfd(OwnedFd);

impl Pidfd {
    fn kill(&self) {
        let _ = pidfd_send_signal(&self.0, Signal::KILL);
    }
}

/// Runs `argv` with `stdin` and `fds` (each placed at its number in the child only), kills it
/// at `wall` or when a stream passes `cap` bytes.
pub async fn run(
    argv: &[OsString],
    stdin: File,
    fds: Vec<(OwnedFd, i32)>,
    wall: Duration,
    cap: usize,
) -> Result<Finished, String> {
    let started = Instant::now();
    let (out_rx, out_tx) = std::io::pipe().map_err(|e| format!("stdout pipe: {e}"))?;
    let (err_rx, err_tx) = std::io::pipe().map_err(|e| format!("stderr pipe: {e}"))?;
    let mut mappings = vec![
        (OwnedFd::from(stdin), 0),
        (OwnedFd::from(out_tx), 1),
        (OwnedFd::from(err_tx), 2),
    ];
    mappings.extend(fds);
    // The pipes' write ends close in the parent here, once the child holds its copies.
    let pid = spawn(argv, mappings)?;
    // From here on the child must be reaped on every path, or it stays a zombie.
    let pidfd = match pidfd_open(pid, PidfdFlags::empty()) {
        Ok(fd) => Arc::new(Pidfd(fd)),
        Err(e) => {
            let _ = kill_process(pid, Signal::KILL);
            let _ = waitpid(Some(pid), WaitOptions::empty());
            return Err(format!("pidfd: {e}"));
        }
    };
    let out = Some(reader(OwnedFd::from(out_rx), cap, pidfd.clone()));
    let err = Some(reader(OwnedFd::from(err_rx), cap, pidfd.clone()));

    // waitpid blocks a pool thread for at most the wall limit: the parent kills at the limit.
    let mut waiter = tokio::task::spawn_blocking(move || reap(pid));
    let mut wall_killed = false;
    let reaped = match tokio::time::timeout(wall, &mut waiter).await {
        Ok(r) => r,
        Err(_) => {
            wall_killed = true;
            pidfd.kill();
            waiter.await
        }
    };
    let ended = reaped.map_err(|e| format!("waiter: {e}"))??;
    let wall_elapsed = started.elapsed();
    let (stdout, cut_out) = collect(out).await;
    let (stderr, cut_err) = collect(err).await;
    Ok(Finished {
        ended,
        wall_killed,
        output_cut: cut_out || cut_err,
        stdout,
        stderr,
        wall: wall_elapsed,
    })
}

/// Starts `argv` with each fd of `mappings` at its number in the child (stdio included) and
/// nothing else inherited, through `posix_spawn` rather than `std::process::Command`: a `Command`
/// with extra fds needs a `pre_exec` hook, with which std forks the whole server (page tables
/// copied: measured ~10 ms at 500 MB resident, ~30-40 ms at 1.5 GB) instead of a vfork-like
/// spawn whose cost does not grow with the server. The fds stay close-on-exec in the server, so
/// no other process spawned at the same moment inherits them; `posix_spawn`'s dup2 places them
/// in this child only.
fn spawn(argv: &[OsString], mappings: Vec<(OwnedFd, i32)>) -> Result<Pid, String> {
    let program = argv.first().ok_or("empty command")?;
    let args = argv
        .iter()
        .map(|a| CString::new(a.as_bytes()).map_err(|_| format!("NUL in argument {a:?}")))
        .collect::<Result<Vec<_>, _>>()?;
    // Sources above every target number, so placing one fd never overwrites another's source.
    let above = mappings.iter().map(|(_, to)| *to).max().unwrap_or(2) + 1;
    let mut actions = PosixSpawnFileActions::init().map_err(|e| format!("spawn actions: {e}"))?;
    let mut sources = Vec::with_capacity(mappings.len());
    for (fd, to) in &mappings {
        let high = fcntl_dupfd_cloexec(fd, above).map_err(|e| format!("dup fd: {e}"))?;
        actions
            .add_dup2(high.as_raw_fd(), *to)
            .map_err(|e| format!("spawn actions: {e}"))?;
        sources.push(high);
    }
    // As std does: the server ignores SIGPIPE (Rust's runtime), which exec would pass on.
    let mut attr = PosixSpawnAttr::init().map_err(|e| format!("spawn attr: {e}"))?;
    let mut sigpipe = SigSet::empty();
    sigpipe.add(NixSignal::SIGPIPE);
    attr.set_sigdefault(&sigpipe)
        .and_then(|_| attr.set_sigmask(&SigSet::empty()))
        .and_then(|_| {
            attr.set_flags(
                PosixSpawnFlags::POSIX_SPAWN_SETSIGDEF | PosixSpawnFlags::POSIX_SPAWN_SETSIGMASK,
            )
        })
        .map_err(|e| format!("spawn attr: {e}"))?;
    // No environment: the wrappers need none and bwrap sets the program's (`--setenv`).
    let env: [CString; 0] = [];
    let pid = posix_spawn(program.as_os_str(), &actions, &attr, &args, &env)
        .map_err(|e| format!("spawn {}: {e}", program.to_string_lossy()))?;
    Pid::from_raw(pid.as_raw()).ok_or_else(|| "spawn: no pid".to_string())
}

type Reader = tokio::task::JoinHandle<(Vec<u8>, bool)>;

/// Reads a pipe into at most `cap` bytes; on more, kills the run and reports the cut.
fn reader(fd: OwnedFd, cap: usize, pidfd: Arc<Pidfd>) -> Reader {
    tokio::spawn(async move {
        let Ok(mut rx) = pipe::Receiver::from_owned_fd(fd) else {
            return (Vec::new(), false);
        };
        let mut buf = Vec::with_capacity(cap.min(8192));
        let mut chunk = [0u8; 8192];
        loop {
            match rx.read(&mut chunk).await {
                Ok(0) | Err(_) => return (buf, false),
                Ok(n) => {
                    let room = cap - buf.len();
                    if n > room {
                        buf.extend_from_slice(&chunk[..room]);
                        pidfd.kill();
                        return (buf, true);
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
            }
        }
    })
}

/// A reader's result; the pipes close when the sandbox's pid namespace is gone, so this waits
/// at most briefly (a second, in case something outside still held a write end).
async fn collect(reader: Option<Reader>) -> (Vec<u8>, bool) {
    let Some(handle) = reader else {
        return (Vec::new(), false);
    };
    let abort = handle.abort_handle();
    match tokio::time::timeout(Duration::from_secs(1), handle).await {
        Ok(Ok(result)) => result,
        _ => {
            abort.abort();
            (Vec::new(), false)
        }
    }
}

/// Reaps the exited child (immediate: its pidfd said it exited).
fn reap(pid: Pid) -> Result<Ended, String> {
    match waitpid(Some(pid), WaitOptions::empty()) {
        Ok(Some((_, status))) => match (status.exit_status(), status.terminating_signal()) {
            (Some(code), _) => Ok(Ended::Code(code)),
            (None, Some(sig)) => Ok(Ended::Signal(sig)),
            _ => Err(format!("waitpid: unexpected status {status:?}")),
        },
        Ok(None) => Err("waitpid: no status".into()),
        Err(e) => Err(format!("waitpid: {e}")),
    }
}
