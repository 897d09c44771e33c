//! The command line of one run: `prlimit` (resource limits) → `setpriv` (unprivileged uid,
//! no capabilities) → `bwrap` (fresh namespaces, seccomp filters, read-only system, private
//! size-limited /tmp and /work).

use super::SandboxSettings;
use std::ffi::OsString;
use std::path::Path;

/// Where the run's private working dir appears inside the sandbox.
pub const SANDBOX_WORKDIR: &str = "/work";
/// Where the run's report dir appears inside the sandbox.
const SANDBOX_METADIR: &str = "/.atrium";
/// GNU time's report: user and system CPU seconds, peak RSS in KB.
pub const RUSAGE_FILE: &str = "rusage";
const TIME: &str = "/usr/bin/time";
const TIMEOUT: &str = "/usr/bin/timeout";
const PRLIMIT: &str = "/usr/bin/prlimit";
const SETPRIV: &str = "/usr/bin/setpriv";
/// Size of the private /tmp (a tmpfs, so it counts against RAM).
const TMP_BYTES: u64 = 16 * 1024 * 1024;
/// Size of /work (a tmpfs too): the disk quota of a run, gone with its mount namespace.
const WORK_BYTES: u64 = 16 * 1024 * 1024;
const OPEN_FILES: u64 = 256;

/// The programs a plan may run, by the name grading uses, mapped to Debian's binaries.
pub fn program_path(name: &str) -> Option<&'static str> {
    match name {
        "python3" => Some("/usr/bin/python3"),
        "node" => Some("/usr/bin/node"),
        "sqlite3" => Some("/usr/bin/sqlite3"),
        _ => None,
    }
}

/// What a run's bwrap sets up besides the fixed system view; the fds are the child's numbers.
#[derive(Debug)]
pub struct Inputs<'a> {
    /// Host dir bound at /.atrium for GNU time's report.
    pub metadir: &'a Path,
    /// bwrap loads a seccomp filter from each.
    pub seccomp_fds: &'a [i32],
    /// Dirs to create under /work, parents first.
    pub dirs: &'a [String],
    /// Files to copy into /work: path relative to /work, fd holding the contents.
    pub files: &'a [(String, i32)],
}

/// The full argv (program first) for `plan_argv` run by `uid`, or why not.
pub fn build(
    s: &SandboxSettings,
    plan_argv: &[String],
    inputs: &Inputs<'_>,
    uid: Option<u32>,
) -> Result<Vec<OsString>, String> {
    let name = plan_argv.first().ok_or("empty argv")?;
    let program = program_path(name).ok_or_else(|| format!("program not allowed: {name}"))?;
    let is_node = name == "node";
    let mut address_space = s.memory_mb * 1024 * 1024;
    if is_node {
        address_space += s.node_reserve_mb * 1024 * 1024;
    }
    let mut out: Vec<OsString> = vec![
        PRLIMIT.into(),
        format!("--as={address_space}").into(),
        // Soft limit: SIGXCPU; hard limit a second later: SIGKILL.
        format!("--cpu={}:{}", s.cpu_secs, s.cpu_secs + 1).into(),
        format!("--nproc={}", s.processes).into(),
        format!("--fsize={}", s.file_size_bytes).into(),
        format!("--nofile={OPEN_FILES}").into(),
        "--core=0".into(),
        "--".into(),
    ];
    if let Some(uid) = uid {
        for arg in [
            SETPRIV.to_string(),
            format!("--reuid={uid}"),
            "--regid=65534".into(),
            "--clear-groups".into(),
            "--inh-caps=-all".into(),
            "--bounding-set=-all".into(),
            "--no-new-privs".into(),
            "--".into(),
        ] {
            out.push(arg.into());
        }
    }
    out.push(s.bwrap.clone().into_os_string());
    for fd in inputs.seccomp_fds {
        out.push("--add-seccomp-fd".into());
        out.push(fd.to_string().into());
    }
    for arg in [
        "--unshare-all",
        // --unshare-all only tries the user namespace; --disable-userns needs it for sure. No
        // nested user namespaces, so no capabilities in one of the program's own.
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--ro-bind",
        "/usr",
        "/usr",
        "--symlink",
        "usr/bin",
        "/bin",
        "--symlink",
        "usr/sbin",
        "/sbin",
        "--symlink",
        "usr/lib",
        "/lib",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--ro-bind",
        "/etc/alternatives",
        "/etc/alternatives",
        "--ro-bind",
        "/etc/ld.so.cache",
        "/etc/ld.so.cache",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
    ] {
        out.push(arg.into());
    }
    out.push(TMP_BYTES.to_string().into());
    out.push("--tmpfs".into());
    out.push("/tmp".into());
    out.push("--size".into());
    out.push(WORK_BYTES.to_string().into());
    out.push("--tmpfs".into());
    out.push(SANDBOX_WORKDIR.into());
    for dir in inputs.dirs {
        out.push("--dir".into());
        out.push(format!("{SANDBOX_WORKDIR}/{dir}").into());
    }
    for (name, fd) in inputs.files {
        out.push("--file".into());
        out.push(fd.to_string().into());
        out.push(format!("{SANDBOX_WORKDIR}/{name}").into());
    }
    out.push("--bind".into());
    out.push(inputs.metadir.as_os_str().to_owned());
    for arg in [
        SANDBOX_METADIR,
        // The root tmpfs (holding the mount points above) read-only too: only /work, /tmp and
        // the report file are writable.
        "--remount-ro",
        "/",
        "--chdir",
        SANDBOX_WORKDIR,
        "--clearenv",
        "--setenv",
        "PATH",
        "/usr/bin:/bin",
        "--setenv",
        "HOME",
        SANDBOX_WORKDIR,
        "--setenv",
        "LANG",
        "C.UTF-8",
        "--setenv",
        "PYTHONDONTWRITEBYTECODE",
        "1",
        "--",
        // A second wall clock inside, a little later than the parent's, so a run ends even if
        // the server died and cannot kill it.
        TIMEOUT,
        "--signal=KILL",
        &format!("{}", s.wall.as_secs() + 2),
        // bubblewrap's pid-1 reaper reports the exit code without being reaped itself, so the
        // rusage of the program would be lost outside: GNU time reaps it inside and reports.
        TIME,
        "--quiet",
        "--output",
        &format!("{SANDBOX_METADIR}/{RUSAGE_FILE}"),
        "--format",
        "%U %S %M",
        "--",
        program,
    ] {
        out.push(arg.into());
    }
    if is_node {
        out.push(format!("--max-old-space-size={}", s.memory_mb).into());
    }
    out.extend(plan_argv[1..].iter().map(OsString::from));
    Ok(out)
}
