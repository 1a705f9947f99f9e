//! Crash-safe file replacement.
//!
//! [`atomic_write`] writes a temporary file in the target's directory, syncs
//! it to disk, renames it over the target and syncs the directory. Readers
//! therefore see either the old file or the complete new one, and on any
//! failure the previous file is left as it was and the temporary file is
//! removed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A failed [`atomic_write`]: which file, at which step, and why.
#[derive(Debug, thiserror::Error)]
#[error("could not save {}: {step}: {source}", path.display())]
pub struct AtomicWriteError {
    /// The file that was to be written.
    pub path: PathBuf,
    /// What was being done, e.g. "creating a temporary file".
    pub step: &'static str,
    #[source]
    pub source: io::Error,
}

/// Replaces the contents of `path` with `bytes`, atomically.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), AtomicWriteError> {
    atomic_write_with(path, |file| file.write_all(bytes))
}

/// Like [`atomic_write`], with the contents produced by `fill`.
pub fn atomic_write_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), AtomicWriteError> {
    let fail = |step: &'static str| {
        move |source: io::Error| AtomicWriteError {
            path: path.to_path_buf(),
            step,
            source,
        }
    };
    let file_name = path.file_name().ok_or_else(|| {
        fail("checking the file name")(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not name a file",
        ))
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (tmp_path, mut file) = create_temp(dir, &file_name.to_string_lossy())
        .map_err(fail("creating a temporary file"))?;

    let result = (|| {
        if let Ok(meta) = fs::metadata(path) {
            // Keep the permissions of the file being replaced.
            file.set_permissions(meta.permissions())
                .map_err(fail("copying permissions"))?;
        }
        fill(&mut file).map_err(fail("writing"))?;
        file.sync_all().map_err(fail("syncing to disk"))?;
        drop(file);
        fs::rename(&tmp_path, path).map_err(fail("replacing the file"))
    })();
    if let Err(err) = result {
        // Best effort: the original error is the one worth reporting.
        let _ = fs::remove_file(&tmp_path);
        return Err(err);
    }
    sync_dir(dir).map_err(fail("syncing the directory"))
}

/// Creates a new, uniquely named temporary file in `dir`.
fn create_temp(dir: &Path, base: &str) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut last_err = None;
    for _ in 0..16 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{base}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Directories cannot be opened for syncing on this platform; the rename
    // itself is durable once the file system commits it.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn creates_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        atomic_write(&path, b"one").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        atomic_write(&path, b"two, longer").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two, longer");
        assert_eq!(entries(dir.path()), ["r.json"]);
    }

    #[test]
    fn failing_fill_keeps_old_file_and_removes_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        fs::write(&path, b"previous").unwrap();
        let err = atomic_write_with(&path, |f| {
            f.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.step, "writing");
        assert!(err.to_string().contains("r.json"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"previous");
        assert_eq!(entries(dir.path()), ["r.json"]);
    }

    #[test]
    fn failing_rename_keeps_target_and_removes_temp() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty directory cannot be replaced by a file.
        let path = dir.path().join("taken");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), b"keep").unwrap();
        let err = atomic_write(&path, b"new").unwrap_err();
        assert_eq!(err.step, "replacing the file");
        assert_eq!(fs::read(path.join("inside")).unwrap(), b"keep");
        assert_eq!(entries(dir.path()), ["taken"]);
    }

    #[test]
    fn path_without_file_name_is_an_error() {
        let err = atomic_write(Path::new("/"), b"x").unwrap_err();
        assert_eq!(err.step, "checking the file name");
    }
}
