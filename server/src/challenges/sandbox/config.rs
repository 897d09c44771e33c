//! Sandbox limits and placement, read at start-up from flags or `ATRIUM_SANDBOX_*`.

use super::{BwrapSandbox, SandboxSettings};
use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

/// Limits of one sandboxed run (see docs/challenges/sandbox.md for why these numbers).
#[derive(Args, Clone, Debug)]
pub struct SandboxConfig {
    /// Sandbox: CPU seconds per run (RLIMIT_CPU; SIGXCPU, then SIGKILL a second later).
    #[arg(long, env = "ATRIUM_SANDBOX_CPU_SECS", default_value_t = 5)]
    pub sandbox_cpu_secs: u64,

    /// Sandbox: wall-clock milliseconds per run before the parent kills it.
    #[arg(long, env = "ATRIUM_SANDBOX_WALL_MS", default_value_t = 10_000)]
    pub sandbox_wall_ms: u64,

    /// Sandbox: memory per run in MB (address space for python3/sqlite3; V8 heap for node).
    #[arg(long, env = "ATRIUM_SANDBOX_MEMORY_MB", default_value_t = 128)]
    pub sandbox_memory_mb: u64,

    /// Sandbox: extra address space in MB granted to node, whose V8 reserves ~700 MB of virtual
    /// memory at start; its heap stays capped at the memory limit by --max-old-space-size.
    #[arg(long, env = "ATRIUM_SANDBOX_NODE_RESERVE_MB", default_value_t = 1536)]
    pub sandbox_node_reserve_mb: u64,

    /// Sandbox: processes and threads per run's uid (RLIMIT_NPROC).
    #[arg(long, env = "ATRIUM_SANDBOX_PROCESSES", default_value_t = 60)]
    pub sandbox_processes: u64,

    /// Sandbox: largest file a run may write, in KB (RLIMIT_FSIZE).
    #[arg(long, env = "ATRIUM_SANDBOX_FILE_SIZE_KB", default_value_t = 1024)]
    pub sandbox_file_size_kb: u64,

    /// Sandbox: bytes kept per stream (stdout, stderr); a run writing more is stopped.
    #[arg(long, env = "ATRIUM_SANDBOX_OUTPUT_BYTES", default_value_t = 65_536)]
    pub sandbox_output_bytes: usize,

    /// Sandbox: unprivileged uid of the first run slot, from a range no account uses (gid is
    /// always 65534, nogroup). Not 65534 itself: runs sharing one uid share its process limit.
    #[arg(long, env = "ATRIUM_SANDBOX_UID", default_value_t = 200_000)]
    pub sandbox_uid: u32,

    /// Sandbox: consecutive uids from ATRIUM_SANDBOX_UID handed round-robin to concurrent runs,
    /// so each run's process limit is its own; keep it at least twice the worker pool size.
    #[arg(long, env = "ATRIUM_SANDBOX_UID_SLOTS", default_value_t = 8)]
    pub sandbox_uid_slots: u32,

    /// Sandbox: folder for the runs' report dirs and staged files [default: $TMPDIR/atrium-sandbox].
    #[arg(long, env = "ATRIUM_SANDBOX_WORK_ROOT")]
    pub sandbox_work_root: Option<PathBuf>,

    /// Sandbox: the bubblewrap binary.
    #[arg(long, env = "ATRIUM_SANDBOX_BWRAP", default_value = "/usr/bin/bwrap")]
    pub sandbox_bwrap: PathBuf,
}

impl SandboxConfig {
    /// The settings these flags describe.
    pub fn settings(&self) -> SandboxSettings {
        SandboxSettings {
            cpu_secs: self.sandbox_cpu_secs.max(1),
            wall: Duration::from_millis(self.sandbox_wall_ms.max(100)),
            memory_mb: self.sandbox_memory_mb.max(16),
            node_reserve_mb: self.sandbox_node_reserve_mb,
            processes: self.sandbox_processes.max(1),
            file_size_bytes: self.sandbox_file_size_kb.max(1) * 1024,
            output_bytes: self.sandbox_output_bytes.max(1024),
            uid: self.sandbox_uid,
            uid_slots: self.sandbox_uid_slots.max(1),
            work_root: self
                .sandbox_work_root
                .clone()
                .unwrap_or_else(|| std::env::temp_dir().join("atrium-sandbox")),
            bwrap: self.sandbox_bwrap.clone(),
        }
    }

    /// The sandbox these flags describe.
    pub fn build(&self) -> BwrapSandbox {
        BwrapSandbox::new(self.settings())
    }
}
