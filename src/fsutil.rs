//! Crash-safe file replacement.
//!
//! [`atomic_write`] writes a temporary file in the target's directory, syncs
//! it to disk, renames it over the target and syncs the directory. Readers
//! therefore see either the old file or the complete new one, and on any
//! failure the previous file is left as it was and the temporary file is
//! removed.
//!
//! Every file written here is created readable and writable by the user only (0600 on
//! unix: cases, layers, autosaves and reports hold patient data); a file replaced
//! keeps its own permissions. [`create_private_dir_all`] makes folders 0700.
//!
//! [`FileStamp`] records what a file held when Remnant last opened or saved it;
//! [`atomic_write_checked`] and [`check_unchanged`] refuse to overwrite a file that
//! another program changed since, leaving it as it is.

use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

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

/// What a file held when Remnant last opened or saved it: its length, modification
/// time and SHA-256. Compared before overwriting it, to notice another program's
/// changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
    pub sha256: [u8; 32],
}

/// Step name of the error [`check_unchanged`] gives.
pub const CHANGED_STEP: &str =
    "another program changed the file since Remnant last opened or saved it";

impl FileStamp {
    /// The stamp of a file's contents already read into memory.
    pub fn from_bytes(bytes: &[u8], modified: Option<SystemTime>) -> FileStamp {
        FileStamp {
            len: bytes.len() as u64,
            modified,
            sha256: Sha256::digest(bytes).into(),
        }
    }

    /// The stamp of the file at `path` now; `Ok(None)` when there is no file.
    pub fn of(path: &Path) -> io::Result<Option<FileStamp>> {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let meta = file.metadata()?;
        let mut hash = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut len = 0u64;
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hash.update(&buf[..n]);
            len += n as u64;
        }
        Ok(Some(FileStamp {
            len,
            modified: meta.modified().ok(),
            sha256: hash.finalize().into(),
        }))
    }
}

/// Refuse (with the file, what changed and what to do) when the file at `path` no
/// longer holds what `last` recorded. Nothing to compare (`last` None: Remnant has
/// not opened or saved this file, e.g. "Save as" over a file the user chose) and a
/// file that is gone are fine: nothing would be lost by writing.
pub fn check_unchanged(path: &Path, last: Option<&FileStamp>) -> Result<(), AtomicWriteError> {
    let Some(last) = last else { return Ok(()) };
    let fail = |source: io::Error| AtomicWriteError {
        path: path.to_path_buf(),
        step: CHANGED_STEP,
        source,
    };
    let now = match FileStamp::of(path) {
        Ok(Some(now)) => now,
        Ok(None) => return Ok(()),
        Err(e) => {
            return Err(fail(io::Error::new(
                e.kind(),
                format!("it cannot be read to check: {e}"),
            )));
        }
    };
    if now.sha256 == last.sha256 {
        return Ok(());
    }
    let what = if now.len != last.len {
        format!("it had {} bytes, now {}", last.len, now.len)
    } else {
        "same size, different contents".to_string()
    };
    Err(fail(io::Error::other(format!(
        "{what}; it was left as it is. Save under another name, or reopen it to see the changes"
    ))))
}

/// [`atomic_write`] that first refuses (see [`check_unchanged`]) when another program
/// changed the file since `last`; returns the stamp of what it wrote.
pub fn atomic_write_checked(
    path: &Path,
    last: Option<&FileStamp>,
    bytes: &[u8],
) -> Result<FileStamp, AtomicWriteError> {
    check_unchanged(path, last)?;
    atomic_write(path, bytes)?;
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok();
    Ok(FileStamp::from_bytes(bytes, modified))
}

/// Mode of the files Remnant creates (unix): readable and writable by the user only.
pub const PRIVATE_FILE_MODE: u32 = 0o600;
/// Mode of the folders Remnant creates for patient data (unix): the user only.
pub const PRIVATE_DIR_MODE: u32 = 0o700;

/// Options that create a new file readable by the user only (0600 on unix).
pub fn private_create_new() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, PRIVATE_FILE_MODE);
    o
}

/// `create_dir_all` whose new folders are the user's only (0700 on unix); folders
/// already there keep their permissions.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, PRIVATE_DIR_MODE);
    b.create(dir)
}

/// Creates a new, uniquely named temporary file in `dir` (0600 on unix).
fn create_temp(dir: &Path, base: &str) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut last_err = None;
    for _ in 0..16 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{base}.{}.{n}.tmp", std::process::id()));
        match private_create_new().open(&tmp) {
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
    fn checked_write_refuses_a_file_changed_by_another_program() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.json");
        let stamp = atomic_write_checked(&path, None, b"mine").unwrap();
        assert_eq!(FileStamp::of(&path).unwrap().unwrap().sha256, stamp.sha256);
        // our own saves chain: each returns the stamp for the next
        let stamp = atomic_write_checked(&path, Some(&stamp), b"mine, again").unwrap();
        // another program rewrites it (same length, other contents)
        fs::write(&path, b"theirs, too").unwrap();
        let err = atomic_write_checked(&path, Some(&stamp), b"would be lost").unwrap_err();
        assert_eq!(err.step, CHANGED_STEP);
        let msg = err.to_string();
        assert!(
            msg.contains("case.json") && msg.contains("same size"),
            "{msg}"
        );
        assert_eq!(fs::read(&path).unwrap(), b"theirs, too");
        // a different length says so
        fs::write(&path, b"theirs").unwrap();
        let msg = check_unchanged(&path, Some(&stamp))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("it had 11 bytes, now 6"), "{msg}");
        // touched but identical contents, or deleted: nothing would be lost
        fs::write(&path, b"mine, again").unwrap();
        assert!(check_unchanged(&path, Some(&stamp)).is_ok());
        fs::remove_file(&path).unwrap();
        assert!(check_unchanged(&path, Some(&stamp)).is_ok());
        assert_eq!(FileStamp::of(&path).unwrap(), None);
        assert_eq!(entries(dir.path()), Vec::<String>::new());
    }

    /// A new file is the user's only; a file replaced keeps the mode it had.
    #[cfg(unix)]
    #[test]
    fn new_files_are_private_and_replaced_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.json");
        atomic_write(&path, b"one").unwrap();
        assert_eq!(mode(&path), 0o600);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(mode(&path), 0o640);
        let nested = dir.path().join("a").join("b");
        create_private_dir_all(&nested).unwrap();
        assert_eq!(mode(&nested), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
    }

    #[test]
    fn path_without_file_name_is_an_error() {
        let err = atomic_write(Path::new("/"), b"x").unwrap_err();
        assert_eq!(err.step, "checking the file name");
    }
}
