//! One writer per case: while a Remnant process has a case open (or an autosave
//! folder in use) it holds a lock file beside it naming its process id, host and
//! start time (`remnant.lock/1`, see docs/file-formats.md). A second process finds
//! the lock held and says by whom (the app then offers the case read-only); a lock
//! left by a process that was killed is taken over.
//!
//! Held means: the lock file is locked by the operating system for another open
//! file (`File::try_lock`, released by the kernel when a process dies), or it names
//! a process that is still running on this host, or one on another host (which
//! cannot be checked). A lock naming a process that is gone is stale.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Format tag written in every lock file.
pub const LOCK_FORMAT: &str = "remnant.lock/1";

/// The process named in a lock file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Holder {
    #[serde(default)]
    pub format: String,
    pub pid: u32,
    /// The machine's host name ("" when unknown).
    #[serde(default)]
    pub host: String,
    /// When it took the lock, seconds since the Unix epoch.
    #[serde(default)]
    pub since: u64,
    /// The program and its version, e.g. `remnant 0.1.0`.
    #[serde(default)]
    pub program: String,
}

impl Holder {
    /// This process, now.
    pub fn me() -> Holder {
        Holder {
            format: LOCK_FORMAT.into(),
            pid: std::process::id(),
            host: host_name(),
            since: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            program: format!("remnant {}", crate::build_info::VERSION_NUMBER),
        }
    }

    /// "process 1234 on host, since 2026-12-07T09:50:00Z".
    pub fn describe(&self) -> String {
        let mut s = format!("process {}", self.pid);
        if !self.host.is_empty() {
            s.push_str(&format!(" on {}", self.host));
        }
        if self.since > 0 {
            s.push_str(&format!(
                ", since {}",
                crate::trainee::log::iso_utc(self.since as i64)
            ));
        }
        s
    }

    /// Still running, as far as this host can tell (another host: assumed running).
    fn is_running(&self) -> bool {
        let here = host_name();
        if !self.host.is_empty() && !here.is_empty() && self.host != here {
            return true;
        }
        self.pid != std::process::id() && pid_alive(self.pid)
    }
}

/// Why a lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "{} is open in another Remnant ({}): open it read-only, or close it there first",
        target.display(),
        holder.as_deref().map_or_else(|| "its lock file cannot be read".to_string(), Holder::describe)
    )]
    Held {
        target: PathBuf,
        lock: PathBuf,
        holder: Option<Box<Holder>>,
    },
    #[error("cannot lock {} ({}): {source}", target.display(), lock.display())]
    Io {
        target: PathBuf,
        lock: PathBuf,
        source: io::Error,
    },
}

/// The lock file of a case: `NAME.json` -> `NAME.json.lock` beside it.
pub fn lock_path_for(case: &Path) -> PathBuf {
    let mut name = case.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    case.with_file_name(name)
}

/// A lock this process holds; released (the file removed) when dropped.
#[derive(Debug)]
pub struct Lock {
    target: PathBuf,
    path: PathBuf,
    file: Option<File>,
}

impl Lock {
    /// Take the lock of the case `target` (its lock file: [`lock_path_for`]).
    pub fn case(target: &Path) -> Result<Lock, LockError> {
        Lock::acquire(target, &lock_path_for(target))
    }

    /// Take the lock file `lock` guarding `target` (named in errors).
    pub fn acquire(target: &Path, lock: &Path) -> Result<Lock, LockError> {
        let io_err = |source| LockError::Io {
            target: target.to_path_buf(),
            lock: lock.to_path_buf(),
            source,
        };
        for _ in 0..8 {
            let mut file = open_lock_file(lock).map_err(io_err)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(held(target, lock, read_holder(&mut file)));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io_err(e)),
            }
            if !same_file(&file, lock) {
                continue; // released and removed meanwhile: take the new file
            }
            let holder = read_holder(&mut file);
            if let Some(h) = holder.as_ref().filter(|h| h.is_running()) {
                return Err(held(target, lock, Some(h.clone())));
            }
            write_holder(&mut file, &Holder::me()).map_err(io_err)?;
            return Ok(Lock {
                target: target.to_path_buf(),
                path: lock.to_path_buf(),
                file: Some(file),
            });
        }
        Err(io_err(io::Error::other(
            "the lock file kept changing while it was taken",
        )))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the lock guards (a case file, an autosave folder).
    pub fn target(&self) -> &Path {
        &self.target
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // remove while still locked, so no one takes a file about to vanish
        if let Some(f) = self.file.take() {
            let _ = std::fs::remove_file(&self.path);
            drop(f);
        }
    }
}

/// Who holds the lock of `target` now (None: free, stale, or no lock file).
pub fn holder_of(target: &Path, lock: &Path) -> Option<Holder> {
    match Lock::acquire(target, lock) {
        Err(LockError::Held { holder, .. }) => Some(holder.map_or_else(
            || Holder {
                format: String::new(),
                pid: 0,
                host: String::new(),
                since: 0,
                program: String::new(),
            },
            |h| *h,
        )),
        _ => None,
    }
}

fn held(target: &Path, lock: &Path, holder: Option<Holder>) -> LockError {
    LockError::Held {
        target: target.to_path_buf(),
        lock: lock.to_path_buf(),
        holder: holder.map(Box::new),
    }
}

fn open_lock_file(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, crate::fsutil::PRIVATE_FILE_MODE);
    o.open(path)
}

/// The file at `path` is still the one open as `file` (it was not removed and made again).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = Vec::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(4096).read_to_end(&mut text).ok()?;
    serde_json::from_slice(&text).ok()
}

fn write_holder(file: &mut File, h: &Holder) -> io::Result<()> {
    let mut text = serde_json::to_vec(h).map_err(io::Error::other)?;
    text.push(b'\n');
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(&text)?;
    file.sync_data()
}

/// This machine's name ("" when it cannot be read).
pub fn host_name() -> String {
    let from_file = std::fs::read_to_string("/proc/sys/kernel/hostname").ok();
    from_file
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Is process `pid` running on this machine? (A zombie, killed but not yet reaped,
/// is not.)
#[cfg(unix)]
pub fn pid_alive(pid: u32) -> bool {
    let Ok(p) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if p <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(p, 0) };
    let exists = r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
    if !exists {
        return false;
    }
    // Linux: a zombie is dead for our purpose
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .is_none_or(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => true,
    }
}

/// Other platforms: only the operating system's file lock tells.
#[cfg(not(unix))]
pub fn pid_alive(_pid: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_lock(path: &Path, pid: u32) {
        let h = Holder {
            pid,
            ..Holder::me()
        };
        std::fs::write(path, serde_json::to_vec(&h).unwrap()).unwrap();
    }

    #[test]
    fn a_lock_is_exclusive_and_released_when_dropped() {
        let d = tempfile::tempdir().unwrap();
        let case = d.path().join("c.json");
        let a = Lock::case(&case).unwrap();
        assert_eq!(a.path(), d.path().join("c.json.lock"));
        let text = std::fs::read_to_string(a.path()).unwrap();
        let h: Holder = serde_json::from_str(&text).unwrap();
        assert_eq!(h.pid, std::process::id());
        assert_eq!(h.format, LOCK_FORMAT);
        // a second open of the same lock (as another process would) is refused
        let e = Lock::case(&case).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("c.json is open in another Remnant")
                && msg.contains(&format!("process {}", std::process::id())),
            "{msg}"
        );
        drop(a);
        assert!(!d.path().join("c.json.lock").exists());
        let _b = Lock::case(&case).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_live_pid_holds_and_a_dead_pid_is_taken_over() {
        let d = tempfile::tempdir().unwrap();
        let case = d.path().join("c.json");
        let lock = lock_path_for(&case);
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        write_lock(&lock, child.id());
        let e = Lock::case(&case).unwrap_err();
        match &e {
            LockError::Held { holder, .. } => assert_eq!(holder.as_ref().unwrap().pid, child.id()),
            other => panic!("{other}"),
        }
        assert!(e.to_string().contains(&format!("process {}", child.id())));
        assert_eq!(holder_of(&case, &lock).unwrap().pid, child.id());
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!pid_alive(child.id()));
        let l = Lock::case(&case).unwrap();
        let h: Holder = serde_json::from_slice(&std::fs::read(l.path()).unwrap()).unwrap();
        assert_eq!(h.pid, std::process::id(), "the stale lock is taken over");
    }

    #[test]
    fn an_unreadable_lock_file_is_taken_over() {
        let d = tempfile::tempdir().unwrap();
        let case = d.path().join("c.json");
        std::fs::write(lock_path_for(&case), b"garbage").unwrap();
        let l = Lock::case(&case).unwrap();
        assert!(std::fs::read_to_string(l.path()).unwrap().contains("pid"));
    }
}
