//! Recently opened files, remembered across runs in the user's config folder
//! (`$REMNANT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/remnant`, else the platform's config
//! folder: `~/.config/remnant` on Linux, `~/Library/Application Support/remnant` on
//! macOS, `%APPDATA%\remnant` on Windows).

use std::path::{Path, PathBuf};

const MAX: usize = 10;

pub fn config_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("REMNANT_CONFIG_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CONFIG_HOME") {
        return Some(PathBuf::from(d).join("remnant"));
    }
    dirs::config_dir().map(|d| d.join("remnant"))
}

fn file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("recent.json"))
}

/// The list, newest first; a missing or unreadable list is empty.
pub fn load() -> Vec<PathBuf> {
    file()
        .and_then(|f| std::fs::read(f).ok())
        .and_then(|b| serde_json::from_slice::<Vec<PathBuf>>(&b).ok())
        .unwrap_or_default()
}

/// Why the list could not be saved (never fatal: the app shows it as a notice).
#[derive(Debug, thiserror::Error)]
pub enum RecentError {
    #[error("{}: {source}", dir.display())]
    Folder {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Write(#[from] crate::fsutil::AtomicWriteError),
}

/// Put `path` first and save; failures to save are not fatal (returned for display).
pub fn remember(list: &mut Vec<PathBuf>, path: &Path) -> Result<(), RecentError> {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    list.retain(|p| p != &abs);
    list.insert(0, abs);
    list.truncate(MAX);
    let Some(f) = file() else { return Ok(()) };
    if let Some(d) = f.parent() {
        crate::fsutil::create_private_dir_all(d).map_err(|source| RecentError::Folder {
            dir: d.to_path_buf(),
            source,
        })?;
    }
    let bytes = serde_json::to_vec_pretty(list)?;
    Ok(crate::fsutil::atomic_write(&f, &bytes)?)
}
