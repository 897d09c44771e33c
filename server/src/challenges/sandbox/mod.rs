//! The code runner's sandbox: every run in its own Linux namespaces (no network, its own pid
//! namespace, read-only system, private /tmp and working dir) as an unprivileged uid, under
//! CPU, wall, memory, process, file-size and output limits. See docs/challenges/sandbox.md.

pub mod command;
pub mod config;
pub mod process;
pub mod seccomp;
pub mod verdict;
pub mod workdir;

use app::challenges::run::{CodeRunner, RunOutcome, RunPlan};
use std::io::{Seek, Write};
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use verdict::Observed;
use workdir::{UidPool, WorkDir};

/// The limits and placement of runs (built from `config::SandboxConfig`).
#[derive(Clone, Debug)]
pub struct SandboxSettings {
    pub cpu_secs: u64,
    pub wall: Duration,
    pub memory_mb: u64,
    /// Extra address space for node beyond `memory_mb` (V8's reservations).
    pub node_reserve_mb: u64,
    pub processes: u64,
    pub file_size_bytes: u64,
    /// Bytes kept per stream; more stops the run.
    pub output_bytes: usize,
    /// First uid of the pool (when the server runs as root).
    pub uid: u32,
    pub uid_slots: u32,
    pub work_root: PathBuf,
    pub bwrap: PathBuf,
}

/// Runs plans under bubblewrap; cheap to clone.
#[derive(Clone, Debug)]
pub struct BwrapSandbox {
    settings: SandboxSettings,
    uids: UidPool,
    /// Only root can switch to another uid; otherwise runs keep the server's own uid.
    as_root: bool,
    /// The seccomp filters, compiled once; a failure here fails every run (closed, not open).
    seccomp: Arc<Result<seccomp::Programs, String>>,
}

impl BwrapSandbox {
    /// A sandbox with these settings. Nothing is checked until the first run.
    pub fn new(settings: SandboxSettings) -> Self {
        let as_root = rustix::process::geteuid().is_root();
        BwrapSandbox {
            uids: UidPool::new(settings.uid, settings.uid_slots),
            settings,
            as_root,
            seccomp: Arc::new(seccomp::build()),
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &SandboxSettings {
        &self.settings
    }

    /// Runs one plan to completion; a failure of the sandbox itself lands in `sandbox_error`.
    pub async fn execute(&self, plan: RunPlan) -> RunOutcome {
        match self.try_execute(plan).await {
            Ok(outcome) => outcome,
            Err(e) => {
                tracing::warn!(error = %e, "sandbox failure");
                RunOutcome {
                    sandbox_error: Some(e),
                    ..RunOutcome::default()
                }
            }
        }
    }

    async fn try_execute(&self, plan: RunPlan) -> Result<RunOutcome, String> {
        let s = &self.settings;
        if !s.bwrap.is_file() {
            return Err(format!("bubblewrap not found at {}", s.bwrap.display()));
        }
        let lease = self.as_root.then(|| self.uids.lease());
        let uid = lease.as_ref().map(|l| l.uid);
        let mut dir = WorkDir::create(&s.work_root, &plan.files, uid)?;
        let programs = self.seccomp.as_ref().as_ref().map_err(Clone::clone)?;
        let mut fds = seccomp_fds(programs)?;
        let seccomp: Vec<i32> = fds.iter().map(|(_, child)| *child).collect();
        let staged = dir.take_staged();
        let mut files = Vec::with_capacity(staged.files.len());
        for ((name, file), child_fd) in staged.files.into_iter().zip(FIRST_FD + fds.len() as i32..)
        {
            fds.push((OwnedFd::from(file), child_fd));
            files.push((name, child_fd));
        }
        let inputs = command::Inputs {
            metadir: dir.meta(),
            seccomp_fds: &seccomp,
            dirs: &staged.dirs,
            files: &files,
        };
        let argv = command::build(s, &plan.argv, &inputs, uid)?;
        let stdin = stdin_file(&s.work_root, &plan.stdin)?;
        let f = process::run(&argv, stdin, fds, s.wall, s.output_bytes).await?;
        let rusage = read_rusage(&dir.meta().join(command::RUSAGE_FILE));
        drop(dir);
        // GNU time writes its report whenever the program ends; without one (and without our
        // kill) the wrappers failed before the program ran: bwrap's or setpriv's error.
        let Some((cpu_ms, peak_memory_kb)) =
            rusage.or((f.wall_killed || f.output_cut).then_some((0, 0)))
        else {
            let why = String::from_utf8_lossy(&f.stderr);
            return Err(format!(
                "sandbox did not start: {}",
                why.chars().take(500).collect::<String>()
            ));
        };
        drop(lease);
        let (exit_code, breach) = verdict::classify(&Observed {
            ended: f.ended,
            wall_killed: f.wall_killed,
            output_cut: f.output_cut,
            cpu_ms,
            cpu_limit_ms: s.cpu_secs * 1000,
            stderr: &f.stderr,
        });
        Ok(RunOutcome {
            exit_code,
            breach,
            stdout: f.stdout,
            stderr: f.stderr,
            wall_ms: f.wall.as_millis() as u64,
            cpu_ms,
            peak_memory_kb,
            sandbox_error: None,
        })
    }
}

/// CPU ms and peak RSS KB from GNU time's last line (`user sys maxrss`), if it wrote one (not
/// when the run was killed first). Written inside the sandbox, so a run could only misstate its
/// own figures.
fn read_rusage(path: &std::path::Path) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut fields = text.lines().last()?.split_whitespace();
    let mut secs = || fields.next()?.parse::<f64>().ok();
    let cpu = secs()? + secs()?;
    let peak = fields.next()?.parse().ok()?;
    Some(((cpu * 1000.0).round() as u64, peak))
}

/// The child's first fd number after stdin, stdout and stderr.
const FIRST_FD: i32 = 3;

/// Each filter in a pipe of its own, already written and closed for writing, paired with the fd
/// number it gets in the child (3, 4, …; the plan's files follow): bwrap reads a filter to EOF from the fd named on its
/// command line. A fresh pipe per run, because reading consumes it; a few KB fit the pipe's
/// buffer, so the write never blocks. The read ends stay close-on-exec in the server (no other
/// spawn can inherit them) and are placed at their numbers only in the sandbox's child.
fn seccomp_fds(programs: &[Vec<u8>]) -> Result<Vec<(OwnedFd, i32)>, String> {
    let mut fds = Vec::with_capacity(programs.len());
    for (program, child_fd) in programs.iter().zip(FIRST_FD..) {
        let (reader, mut writer) = std::io::pipe().map_err(|e| format!("seccomp pipe: {e}"))?;
        writer
            .write_all(program)
            .map_err(|e| format!("seccomp pipe: {e}"))?;
        drop(writer);
        fds.push((OwnedFd::from(reader), child_fd));
    }
    Ok(fds)
}

/// An unnamed temporary file holding `bytes`, positioned at the start.
fn stdin_file(root: &std::path::Path, bytes: &[u8]) -> Result<std::fs::File, String> {
    let mut file = tempfile::tempfile_in(root).map_err(|e| format!("stdin file: {e}"))?;
    file.write_all(bytes)
        .and_then(|_| file.rewind())
        .map_err(|e| format!("stdin file: {e}"))?;
    Ok(file)
}

impl CodeRunner for BwrapSandbox {
    fn run(&self, plan: RunPlan) -> futures_util::future::BoxFuture<'static, RunOutcome> {
        let this = self.clone();
        Box::pin(async move { this.execute(plan).await })
    }
}
