//! Turning what the parent observed about a finished run into an exit code and a limit breach.
//! A plain function of plain data, so every mapping is unit-tested without running anything.

use app::challenges::model::LimitBreach;

/// Linux signal numbers (x86-64 and aarch64 agree on these).
pub const SIGTRAP: i32 = 5;
pub const SIGABRT: i32 = 6;
pub const SIGKILL: i32 = 9;
pub const SIGSEGV: i32 = 11;
pub const SIGXCPU: i32 = 24;
pub const SIGXFSZ: i32 = 25;

/// How the sandbox's top process ended, as `wait4` reported it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Exited with this code. bubblewrap's reaper turns a signal death of the program into
    /// 128 + signal, the shell convention.
    Code(i32),
    /// Died of this signal itself (the parent's SIGKILL).
    Signal(i32),
}

/// Everything the verdict depends on.
#[derive(Clone, Copy, Debug)]
pub struct Observed<'a> {
    pub ended: Ended,
    /// The parent killed the run at the wall-clock limit.
    pub wall_killed: bool,
    /// The parent stopped the run because a stream went past the output cap.
    pub output_cut: bool,
    /// CPU time of the whole run (rusage of the reaped tree).
    pub cpu_ms: u64,
    /// The CPU limit in milliseconds.
    pub cpu_limit_ms: u64,
    /// What the run wrote to stderr (capped).
    pub stderr: &'a [u8],
}

/// The user-visible result: the exit code when the program exited by itself, and the breach.
pub fn classify(o: &Observed<'_>) -> (Option<i32>, Option<LimitBreach>) {
    let signal = match o.ended {
        Ended::Signal(s) => Some(s),
        Ended::Code(c) if (129..=128 + 64).contains(&c) => Some(c - 128),
        Ended::Code(_) => None,
    };
    let exit_code = match o.ended {
        Ended::Code(c) if signal.is_none() => Some(c),
        _ => None,
    };
    let stderr = String::from_utf8_lossy(o.stderr);
    let breach = if mentions_fork_failure(&stderr) {
        Some(LimitBreach::Processes)
    } else if o.output_cut {
        Some(LimitBreach::Output)
    } else if o.wall_killed {
        Some(LimitBreach::WallTime)
    } else if let Some(sig) = signal {
        Some(by_signal(sig, o, &stderr))
    } else if mentions_memory_failure(&stderr) {
        Some(LimitBreach::Memory)
    } else if mentions_file_too_large(&stderr) {
        Some(LimitBreach::FileSize)
    } else {
        None
    };
    (exit_code, breach)
}

fn by_signal(sig: i32, o: &Observed<'_>, stderr: &str) -> LimitBreach {
    // Within 5% of the CPU limit counts as having reached it (the hard limit's SIGKILL).
    let cpu_spent = o.cpu_ms.saturating_mul(100) >= o.cpu_limit_ms.saturating_mul(95);
    match sig {
        SIGXCPU => LimitBreach::CpuTime,
        SIGKILL if cpu_spent => LimitBreach::CpuTime,
        SIGXFSZ => LimitBreach::FileSize,
        // V8 aborts when its heap cap is hit.
        SIGABRT | SIGSEGV | SIGTRAP if mentions_memory_failure(stderr) => LimitBreach::Memory,
        _ => LimitBreach::Killed,
    }
}

/// Python's MemoryError as the uncaught exception, or V8/Node out of heap or buffer memory.
fn mentions_memory_failure(stderr: &str) -> bool {
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
    let python = last.is_some_and(|l| l == "MemoryError" || l.starts_with("MemoryError:"));
    python
        || stderr.contains("JavaScript heap out of memory")
        || stderr.contains("Array buffer allocation failed")
        || stderr.contains("Cannot allocate memory")
        || stderr.contains("out of memory")
}

/// EFBIG: Python ignores SIGXFSZ, so the write fails with errno 27 instead of a signal. ENOSPC:
/// /work or /tmp (size-limited tmpfs) is full, the run's disk quota.
fn mentions_file_too_large(stderr: &str) -> bool {
    stderr.contains("[Errno 27] File too large")
        || stderr.contains("EFBIG")
        || stderr.contains("[Errno 28] No space left on device")
        || stderr.contains("ENOSPC")
}

/// EAGAIN from fork/clone or thread creation under RLIMIT_NPROC.
fn mentions_fork_failure(stderr: &str) -> bool {
    stderr.contains("BlockingIOError: [Errno 11] Resource temporarily unavailable")
        || stderr.contains("fork: Resource temporarily unavailable")
        || stderr.contains("fork: retry: Resource temporarily unavailable")
        || stderr.contains("spawn EAGAIN")
        || stderr.contains("can't start new thread")
}
