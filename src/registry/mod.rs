//! The case registry: one row per saved case or report (patient, dates, scan, PCI and
//! its 13 region scores, CC, procedures, HIPEC, the operation's course, liver figures,
//! complications and outcome, file paths and a content hash) in an embedded SQLite
//! database in the config folder (`registry.sqlite`, see `recent::config_dir`).
//!
//! Saving a case (app, `remnant session`) updates its row; `remnant registry` adds,
//! lists and exports rows (REDCap import CSV and data dictionary, [`redcap`]).
//!
//! Safety: the database is in WAL mode with `synchronous = FULL`, every write is one
//! `BEGIN IMMEDIATE` transaction on one row (two processes never overwrite each
//! other's rows, and a row is read from its file while the write lock is held, so the
//! last write always matches the file), and a write that returned is on disk (a
//! kill -9 loses nothing acknowledged). The file is created readable by the user only
//! (0600 on unix). A file that is not a Remnant registry, or one from a newer schema,
//! is refused and left untouched.

pub mod fields;
pub mod query;
pub mod redcap;
mod row;
mod schema;
mod store;

pub use fields::{FIELDS, Field, Kind};
pub use row::{Row, Value};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use store::{Entry, Registry};

use std::path::{Path, PathBuf};

/// The registry's file name in the config folder.
pub const FILE_NAME: &str = "registry.sqlite";

/// The registry in the config folder (`None` without a config folder).
pub fn default_path() -> Option<PathBuf> {
    crate::recent::config_dir().map(|d| d.join(FILE_NAME))
}

/// Why the registry could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("no config folder for the registry: set REMNANT_CONFIG_DIR (or HOME, XDG_CONFIG_HOME)")]
    NoFolder,
    #[error("cannot create the registry folder {}: {source}", dir.display())]
    Folder {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the registry {}: {source}", path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the registry {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a Remnant registry (not an SQLite database); it was left as it is", path.display())]
    NotSqlite { path: PathBuf },
    #[error("{}: an SQLite database that is not a Remnant registry; it was left as it is", path.display())]
    NotRegistry { path: PathBuf },
    #[error("{}: written by a newer Remnant: registry schema {found}, this build reads up to {SCHEMA_VERSION}; it was left as it is", path.display())]
    Newer { path: PathBuf, found: i64 },
    #[error("registry {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{}: {source}", path.display())]
    CaseRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a Remnant case or report: {message}", path.display())]
    NotACase { path: PathBuf, message: String },
    #[error("{}: {message}", path.display())]
    Export { path: PathBuf, message: String },
}

/// Record the case or report file `case` in the registry at `registry` (created when
/// missing); its record id.
pub fn record(registry: &Path, case: &Path) -> Result<i64, RegistryError> {
    Registry::open(registry)?.record_file(case)
}
