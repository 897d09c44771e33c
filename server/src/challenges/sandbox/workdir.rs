//! Each run's host-side state (its report dir, removed afterwards; the plan's files as unnamed
//! temp files for bwrap to copy into the run's /work tmpfs) and the pool of uids that keeps
//! concurrent runs' process limits apart.

use super::command::RUSAGE_FILE;
use std::collections::BTreeMap;
use std::fs;
use std::io::{Seek, Write};
use std::os::unix::fs::{chown, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const NOGROUP: u32 = 65534;

/// A fresh run directory, deleted on drop. Its `meta/` (bound at `/.atrium`) holds one file, the
/// in-sandbox rusage report, created here and owned by the run's uid; the dir itself stays the
/// server's (read-only to the run), so the only host disk a run can write is that one file,
/// under the file-size limit. The program's `/work` is a size-limited tmpfs inside the sandbox.
#[derive(Debug)]
pub struct WorkDir {
    path: PathBuf,
    meta: PathBuf,
    /// The plan's files: where each goes under /work and its contents.
    staged: Staged,
}

/// The plan's files ready for bwrap: the subdirectories to create (parents first) and each
/// file's path relative to /work with an unnamed temp file holding its contents.
#[derive(Debug, Default)]
pub struct Staged {
    pub dirs: Vec<String>,
    pub files: Vec<(String, fs::File)>,
}

impl WorkDir {
    /// Creates `root/<random>/meta` and stages `files`; the report file is owned by `uid` when
    /// given (the parent runs as root).
    pub fn create(
        root: &Path,
        files: &[(String, Vec<u8>)],
        uid: Option<u32>,
    ) -> Result<Self, String> {
        fs::create_dir_all(root).map_err(|e| format!("work root {}: {e}", root.display()))?;
        // Traversable, not listable: runs cannot find each other's dirs by name.
        let _ = fs::set_permissions(root, fs::Permissions::from_mode(0o711));
        let staged = stage(root, files)?;
        let path = root.join(uuid::Uuid::new_v4().simple().to_string());
        fs::create_dir(&path).map_err(|e| format!("run dir: {e}"))?;
        let dir = WorkDir {
            meta: path.join("meta"),
            path,
            staged,
        };
        fs::create_dir(&dir.meta).map_err(|e| format!("run dir: {e}"))?;
        fs::set_permissions(&dir.meta, fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("run dir mode: {e}"))?;
        let report = dir.meta.join(RUSAGE_FILE);
        fs::write(&report, b"").map_err(|e| format!("report file: {e}"))?;
        fs::set_permissions(&report, fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("report file mode: {e}"))?;
        if let Some(uid) = uid {
            chown(&report, Some(uid), Some(NOGROUP)).map_err(|e| format!("chown: {e}"))?;
        }
        Ok(dir)
    }

    /// The dir for reports about the run on the host.
    pub fn meta(&self) -> &Path {
        &self.meta
    }

    /// Hands over the staged plan files (once; later calls get none).
    pub fn take_staged(&mut self) -> Staged {
        std::mem::take(&mut self.staged)
    }
}

/// The plan's files as unnamed temp files in `root` (the last of duplicate names wins) and the
/// dirs they need, or why a name is not acceptable.
fn stage(root: &Path, files: &[(String, Vec<u8>)]) -> Result<Staged, String> {
    let mut by_name: BTreeMap<&Path, &[u8]> = BTreeMap::new();
    for (name, contents) in files {
        let rel = safe_relative(name).ok_or_else(|| format!("bad file name in plan: {name:?}"))?;
        by_name.insert(rel, contents);
    }
    let mut staged = Staged::default();
    for (rel, contents) in by_name {
        for dir in rel
            .ancestors()
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            let dir = dir.to_string_lossy().into_owned();
            if !dir.is_empty() && !staged.dirs.contains(&dir) {
                staged.dirs.push(dir);
            }
        }
        let mut file = tempfile::tempfile_in(root).map_err(|e| format!("plan file: {e}"))?;
        file.write_all(contents)
            .and_then(|_| file.rewind())
            .map_err(|e| format!("plan file: {e}"))?;
        let name = rel
            .to_str()
            .ok_or_else(|| format!("bad file name in plan: {rel:?}"))?;
        staged.files.push((name.to_string(), file));
    }
    Ok(staged)
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if let Err(e) = fs::remove_dir_all(&self.path) {
            tracing::warn!(path = %self.path.display(), error = %e, "could not remove a sandbox work dir");
        }
    }
}

/// `name` as a plain relative path (no root, no `..`, not empty), or `None`.
fn safe_relative(name: &str) -> Option<&Path> {
    let path = Path::new(name);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && path.components().next().is_some()).then_some(path)
}

/// Consecutive uids handed out one per running run; when all are busy, runs share the first.
#[derive(Debug, Clone)]
pub struct UidPool {
    base: u32,
    busy: Arc<Mutex<Vec<bool>>>,
    next: Arc<AtomicUsize>,
}

/// A uid held for one run; returned to the pool on drop.
#[derive(Debug)]
pub struct UidLease {
    pub uid: u32,
    slot: Option<usize>,
    busy: Arc<Mutex<Vec<bool>>>,
}

impl UidPool {
    /// `slots` uids starting at `base`.
    pub fn new(base: u32, slots: u32) -> Self {
        UidPool {
            base,
            busy: Arc::new(Mutex::new(vec![false; slots.max(1) as usize])),
            next: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// A free uid, or the first one when none is free.
    pub fn lease(&self) -> UidLease {
        let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        // Round-robin from the last lease: the kernel releases a finished run's process count
        // lazily, so an at-once reuse of the same uid can briefly see fork fail (EAGAIN).
        let n = busy.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        let slot = (0..n).map(|k| (start + k) % n).find(|&i| !busy[i]);
        if let Some(i) = slot {
            busy[i] = true;
        }
        UidLease {
            uid: self.base + slot.unwrap_or(0) as u32,
            slot,
            busy: self.busy.clone(),
        }
    }
}

impl Drop for UidLease {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(b) = busy.get_mut(i) {
                *b = false;
            }
        }
    }
}
