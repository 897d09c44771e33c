//! Files on disk: `<root>/<tenant_id>/<uuid>`. An upload is streamed chunk by chunk into a
//! temporary `.<uuid>.part` beside its final place, hashed on the way, and renamed when complete.
//! Guards remove the temporary file — and the renamed one, until its row is committed — on every
//! way out: a rejection, an error, or the request being dropped when the client disconnects.

use super::content_type::SNIFF_LEN;
use super::model::{too_large_message, EMPTY_FILE_MESSAGE};
use super::state::FilesState;
use crate::error::{AppError, ErrorCode};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncWriteExt, BufWriter};

/// Write buffer: fewer, larger writes than the multipart chunks (often a few KB each).
const WRITE_BUFFER: usize = 256 * 1024;

/// Removes a path when dropped, unless disarmed.
#[derive(Debug)]
struct RemoveOnDrop(Option<PathBuf>);

impl RemoveOnDrop {
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::error!(path = %path.display(), error = %e, "could not remove an unfinished upload")
                }
            }
        }
    }
}

/// The folder of one tenant's files. Tenant ids come from the database, but are checked to be
/// one plain path segment anyway.
pub fn tenant_dir(state: &FilesState, tenant_id: &str) -> Result<PathBuf, AppError> {
    let plain = !tenant_id.is_empty()
        && tenant_id.len() <= 64
        && tenant_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !plain {
        return Err(AppError::internal(format!(
            "tenant id {tenant_id:?} is not a safe folder name"
        )));
    }
    Ok(state.root.join(tenant_id))
}

/// Where a stored file lives. Stored names are UUIDs this module generated; anything else in
/// the database is refused rather than joined onto a path.
pub fn stored_path(
    state: &FilesState,
    tenant_id: &str,
    stored_name: &str,
) -> Result<PathBuf, AppError> {
    let generated = uuid::Uuid::try_parse(stored_name)
        .map(|u| u.simple().to_string() == stored_name)
        .unwrap_or(false);
    if !generated {
        return Err(AppError::internal(format!(
            "stored name {stored_name:?} is not one the server generated"
        )));
    }
    Ok(tenant_dir(state, tenant_id)?.join(stored_name))
}

/// An upload being written.
#[derive(Debug)]
pub struct UploadWriter {
    dir: PathBuf,
    stored_name: String,
    temp: PathBuf,
    guard: RemoveOnDrop,
    out: BufWriter<tokio::fs::File>,
    hasher: Sha256,
    size: u64,
    max_bytes: u64,
    head: Vec<u8>,
}

impl UploadWriter {
    /// Creates the tenant's folder if needed and opens a new temporary file in it.
    pub async fn create(state: &FilesState, tenant_id: &str) -> Result<UploadWriter, AppError> {
        let dir = tenant_dir(state, tenant_id)?;
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| AppError::internal(format!("create {}: {e}", dir.display())))?;
        let stored_name = uuid::Uuid::new_v4().simple().to_string();
        let temp = dir.join(format!(".{stored_name}.part"));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .await
            .map_err(|e| AppError::internal(format!("create {}: {e}", temp.display())))?;
        Ok(UploadWriter {
            dir,
            stored_name,
            guard: RemoveOnDrop(Some(temp.clone())),
            temp,
            out: BufWriter::with_capacity(WRITE_BUFFER, file),
            hasher: Sha256::new(),
            size: 0,
            max_bytes: state.max_bytes,
            head: Vec::with_capacity(SNIFF_LEN),
        })
    }

    /// Appends a chunk. Past the limit it fails with 413 before writing a byte of the chunk;
    /// the caller stops reading there.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), AppError> {
        let size = self.size + chunk.len() as u64;
        if size > self.max_bytes {
            return Err(AppError::new(
                ErrorCode::PayloadTooLarge,
                too_large_message(self.max_bytes),
            ));
        }
        if self.head.len() < SNIFF_LEN {
            let take = (SNIFF_LEN - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.out
            .write_all(chunk)
            .await
            .map_err(|e| AppError::internal(format!("write {}: {e}", self.temp.display())))?;
        self.size = size;
        Ok(())
    }

    /// Flushes, syncs and renames the file to its generated name. An empty file is a 422.
    pub async fn finish(mut self) -> Result<StoredFile, AppError> {
        if self.size == 0 {
            return Err(AppError::invalid_field("file", EMPTY_FILE_MESSAGE));
        }
        let io = |e: std::io::Error| AppError::internal(format!("finish upload: {e}"));
        self.out.flush().await.map_err(io)?;
        self.out.get_mut().sync_all().await.map_err(io)?;
        let path = self.dir.join(&self.stored_name);
        tokio::fs::rename(&self.temp, &path).await.map_err(io)?;
        self.guard.disarm();
        Ok(StoredFile {
            stored_name: self.stored_name.clone(),
            size: self.size,
            sha256: hex::encode(self.hasher.clone().finalize()),
            head: std::mem::take(&mut self.head),
            guard: RemoveOnDrop(Some(path)),
        })
    }
}

/// A complete file under its generated name; removed again when dropped before [`keep`].
///
/// [`keep`]: StoredFile::keep
#[derive(Debug)]
pub struct StoredFile {
    pub stored_name: String,
    pub size: u64,
    pub sha256: String,
    /// The first bytes, for content-type detection.
    pub head: Vec<u8>,
    guard: RemoveOnDrop,
}

impl StoredFile {
    /// The row is committed: the file stays.
    pub fn keep(mut self) {
        self.guard.disarm();
    }
}

/// Removes a stored file; a file that is already gone is fine.
pub async fn remove(path: &Path) -> Result<(), AppError> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!(path = %path.display(), "stored file was already gone");
            Ok(())
        }
        Err(e) => Err(AppError::internal(format!(
            "remove {}: {e}",
            path.display()
        ))),
    }
}

/// Removes `.<uuid>.part` files older than `older_than` under every tenant folder: what a
/// crash or a kill in the middle of an upload left (a live upload's file is younger). Returns
/// how many were removed. Run once at start-up; the folders are small.
pub fn remove_stale_parts(root: &Path, older_than: std::time::Duration) -> usize {
    let Ok(tenants) = std::fs::read_dir(root) else {
        return 0;
    };
    let mut removed = 0;
    for tenant in tenants.filter_map(Result::ok) {
        let Ok(files) = std::fs::read_dir(tenant.path()) else {
            continue;
        };
        for entry in files.filter_map(Result::ok) {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !(name.starts_with('.') && name.ends_with(".part")) {
                continue;
            }
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| modified.elapsed().ok())
                .is_some_and(|age| age >= older_than);
            if stale && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(root: &Path, max_bytes: u64) -> FilesState {
        FilesState {
            root: root.to_path_buf(),
            max_bytes,
        }
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    fn temp_root() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("atrium-files-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[tokio::test]
    async fn a_complete_upload_is_renamed_hashed_and_kept() {
        let root = temp_root();
        let files = state(&root, 1024);
        let mut w = UploadWriter::create(&files, "company_a")
            .await
            .expect("create");
        w.write(b"hello ").await.expect("write");
        w.write(b"world").await.expect("write");
        let stored = w.finish().await.expect("finish");
        assert_eq!(stored.size, 11);
        assert_eq!(
            stored.sha256,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert_eq!(stored.head, b"hello world");
        let name = stored.stored_name.clone();
        stored.keep();
        let dir = root.join("company_a");
        assert_eq!(entries(&dir), vec![name.clone()]);
        assert_eq!(
            std::fs::read(stored_path(&files, "company_a", &name).expect("path")).ok(),
            Some(b"hello world".to_vec())
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[tokio::test]
    async fn over_the_limit_empty_and_dropped_uploads_leave_nothing() {
        let root = temp_root();
        let files = state(&root, 8);
        let dir = root.join("company_a");

        let mut w = UploadWriter::create(&files, "company_a")
            .await
            .expect("create");
        w.write(b"12345678").await.expect("exactly the limit");
        let err = w.write(b"9").await.expect_err("over the limit");
        assert_eq!(err.code, ErrorCode::PayloadTooLarge);
        assert_eq!(err.message, "File is larger than 8 bytes.");
        drop(w);
        assert!(entries(&dir).is_empty());

        let w = UploadWriter::create(&files, "company_a")
            .await
            .expect("create");
        let err = w.finish().await.expect_err("empty");
        assert_eq!(err.code, ErrorCode::Validation);
        assert!(entries(&dir).is_empty());

        // Renamed but never kept (the row was not written): removed too.
        let mut w = UploadWriter::create(&files, "company_a")
            .await
            .expect("create");
        w.write(b"x").await.expect("write");
        drop(w.finish().await.expect("finish"));
        assert!(entries(&dir).is_empty());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn stale_partial_uploads_are_swept_and_nothing_else() {
        let root = temp_root();
        let dir = root.join("company_a");
        std::fs::create_dir_all(&dir).expect("dir");
        for name in [".abc.part", "abc", "notes.part"] {
            std::fs::write(dir.join(name), b"x").expect("write");
        }
        assert_eq!(
            remove_stale_parts(&root, std::time::Duration::from_secs(3600)),
            0
        );
        assert_eq!(remove_stale_parts(&root, std::time::Duration::ZERO), 1);
        assert_eq!(
            entries(&dir),
            vec!["abc".to_string(), "notes.part".to_string()]
        );
        assert_eq!(
            remove_stale_parts(&root.join("missing"), std::time::Duration::ZERO),
            0
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn only_plain_tenant_ids_and_generated_names_make_paths() {
        let files = state(Path::new("/srv/uploads"), 1);
        assert!(tenant_dir(&files, "company_a").is_ok());
        for bad in ["", "..", "a/b", "a\\b", "/etc", "a b"] {
            assert!(tenant_dir(&files, bad).is_err(), "{bad:?}");
        }
        let name = uuid::Uuid::new_v4().simple().to_string();
        assert_eq!(
            stored_path(&files, "company_a", &name).ok(),
            Some(PathBuf::from("/srv/uploads/company_a").join(&name))
        );
        for bad in ["../x", "report.pdf", "", &uuid::Uuid::new_v4().to_string()] {
            assert!(stored_path(&files, "company_a", bad).is_err(), "{bad:?}");
        }
    }
}
