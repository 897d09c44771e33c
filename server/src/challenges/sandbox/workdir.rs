//! Each run's private working dir (owned by the run's uid, removed afterwards) and the pool of
//! uids that keeps concurrent runs' process limits apart.

use std::fs;
use std::os::unix::fs::{chown, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const NOGROUP: u32 = 65534;

/// A fresh run directory, deleted on drop: `work/` holds the plan's files (the program's
/// working dir), `meta/` receives the in-sandbox rusage report.
#[derive(Debug)]
pub struct WorkDir {
    path: PathBuf,
    work: PathBuf,
    meta: PathBuf,
}

impl WorkDir {
    /// Creates `root/<random>` with `files`, owned by `uid` when given (the parent runs as root).
    pub fn create(
        root: &Path,
        files: &[(String, Vec<u8>)],
        uid: Option<u32>,
    ) -> Result<Self, String> {
        fs::create_dir_all(root).map_err(|e| format!("work root {}: {e}", root.display()))?;
        // Traversable, not listable: runs cannot find each other's dirs by name.
        let _ = fs::set_permissions(root, fs::Permissions::from_mode(0o711));
        let path = root.join(uuid::Uuid::new_v4().simple().to_string());
        fs::create_dir(&path).map_err(|e| format!("run dir: {e}"))?;
        let dir = WorkDir {
            work: path.join("work"),
            meta: path.join("meta"),
            path,
        };
        for sub in [&dir.work, &dir.meta] {
            fs::create_dir(sub).map_err(|e| format!("run dir: {e}"))?;
            fs::set_permissions(sub, fs::Permissions::from_mode(0o700))
                .map_err(|e| format!("run dir mode: {e}"))?;
            dir.own(sub, uid)?;
        }
        for (name, contents) in files {
            let rel =
                safe_relative(name).ok_or_else(|| format!("bad file name in plan: {name:?}"))?;
            let target = dir.work.join(rel);
            let mut made = dir.work.clone();
            if let Some(parent) = rel.parent() {
                for part in parent.components() {
                    made.push(part);
                    if !made.is_dir() {
                        fs::create_dir(&made).map_err(|e| format!("plan dir: {e}"))?;
                        dir.own(&made, uid)?;
                    }
                }
            }
            fs::write(&target, contents).map_err(|e| format!("plan file: {e}"))?;
            dir.own(&target, uid)?;
        }
        Ok(dir)
    }

    /// The program's working dir on the host.
    pub fn work(&self) -> &Path {
        &self.work
    }

    /// The dir for reports about the run on the host.
    pub fn meta(&self) -> &Path {
        &self.meta
    }

    fn own(&self, path: &Path, uid: Option<u32>) -> Result<(), String> {
        match uid {
            Some(uid) => chown(path, Some(uid), Some(NOGROUP)).map_err(|e| format!("chown: {e}")),
            None => Ok(()),
        }
    }
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
