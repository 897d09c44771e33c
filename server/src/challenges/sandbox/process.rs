//! Spawning the sandbox's top process and watching it: `waitpid` on a blocking thread reaps it,
//! a pidfd lets the parent kill it with no pid-reuse race, and the output pipes are read up
//! to a cap, never further.

use super::verdict::Ended;
use command_fds::{CommandFdExt, FdMapping};
use rustix::process::{
    pidfd_open, pidfd_send_signal, waitpid, Pid, PidfdFlags, Signal, WaitOptions,
};
use std::ffi::OsString;
use std::fs::File;
use std::os::fd::OwnedFd;
use std::process::{Command, Stdio};
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
    let (program, args) = argv.split_first().ok_or("empty command")?;
    let started = Instant::now();
    let mappings = fds
        .into_iter()
        .map(|(parent_fd, child_fd)| FdMapping {
            parent_fd,
            child_fd,
        })
        .collect();
    let mut child = Command::new(program)
        .fd_mappings(mappings)
        .map_err(|e| format!("fd mappings: {e}"))?
        .args(args)
        .stdin(Stdio::from(stdin))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn {}: {e}", program.to_string_lossy()))?;
    // From here on the child must be reaped on every path, or it stays a zombie.
    let opened = Pid::from_raw(child.id() as i32)
        .ok_or_else(|| "spawn: no pid".to_string())
        .and_then(|pid| {
            let fd = pidfd_open(pid, PidfdFlags::empty()).map_err(|e| format!("pidfd: {e}"))?;
            Ok((pid, Arc::new(Pidfd(fd))))
        });
    let (pid, pidfd) = match opened {
        Ok(p) => p,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
    };
    let out = child
        .stdout
        .take()
        .map(|p| reader(OwnedFd::from(p), cap, pidfd.clone()));
    let err = child
        .stderr
        .take()
        .map(|p| reader(OwnedFd::from(p), cap, pidfd.clone()));
    drop(child);

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
