//! The registry's SQLite file: created private (0600), checked before use (an SQLite
//! header, Remnant's application id, a schema version this build reads), put in WAL
//! mode with full syncs.

use super::RegistryError;
use super::fields::FIELDS;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// The layout of the `cases` table (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 1;

/// `PRAGMA application_id` of a Remnant registry ("RMNR").
pub const APPLICATION_ID: i64 = 0x524D_4E52;

/// How long a write waits for another process's write to finish.
const BUSY: Duration = Duration::from_secs(10);

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> RegistryError + '_ {
    move |source| RegistryError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuse a file that is not empty and does not start with SQLite's header.
fn check_header(path: &Path) -> Result<(), RegistryError> {
    let read = |source| RegistryError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut head = Vec::with_capacity(16);
    std::fs::File::open(path)
        .map_err(read)?
        .take(16)
        .read_to_end(&mut head)
        .map_err(read)?;
    if head.is_empty() || head == b"SQLite format 3\0" {
        return Ok(());
    }
    Err(RegistryError::NotSqlite {
        path: path.to_path_buf(),
    })
}

/// Create the registry file (and its folder), readable by the user only; an existing
/// file (another process was first) is fine.
fn create_private(path: &Path) -> Result<(), RegistryError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::fsutil::create_private_dir_all(dir).map_err(|source| RegistryError::Folder {
            dir: dir.to_path_buf(),
            source,
        })?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(RegistryError::Create {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The CREATE TABLE statement of the current schema.
pub fn create_table_sql() -> String {
    let cols: Vec<String> = FIELDS
        .iter()
        .map(|f| match f.name {
            "case_path" => "case_path TEXT NOT NULL UNIQUE".to_owned(),
            n => format!("{n} {}", f.kind.sql()),
        })
        .collect();
    format!(
        "CREATE TABLE cases (record_id INTEGER PRIMARY KEY, {})",
        cols.join(", ")
    )
}

/// Open the registry at `path`, creating it when `create` (else a missing file is an
/// error). Anything that is not a registry this build reads is refused untouched.
pub fn open(path: &Path, create: bool) -> Result<Connection, RegistryError> {
    match std::fs::metadata(path) {
        Ok(_) => check_header(path)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => create_private(path)?,
        Err(source) => {
            return Err(RegistryError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    retry_busy(|| connect(path))
}

/// Is this SQLite's "busy" or "locked" (another connection holds a lock)?
fn is_busy(e: &RegistryError) -> bool {
    matches!(
        e,
        RegistryError::Sqlite {
            source: rusqlite::Error::SqliteFailure(f, _),
            ..
        } if matches!(
            f.code,
            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
        )
    )
}

/// Run `f` again while it fails because another process holds a lock SQLite does not
/// wait for itself (two connections upgrading their locks at once, e.g. while a new
/// registry is put in WAL mode), for up to about [`BUSY`].
pub(super) fn retry_busy<T>(
    mut f: impl FnMut() -> Result<T, RegistryError>,
) -> Result<T, RegistryError> {
    let start = std::time::Instant::now();
    loop {
        match f() {
            Err(e) if is_busy(&e) && start.elapsed() < BUSY => {
                std::thread::sleep(Duration::from_millis(20));
            }
            r => return r,
        }
    }
}

/// Connect, check, switch to WAL and make a new file a registry.
fn connect(path: &Path) -> Result<Connection, RegistryError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(sql_err(path))?;
    conn.busy_timeout(BUSY).map_err(sql_err(path))?;
    check_version(&conn, path)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(sql_err(path))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(RegistryError::Sqlite {
            path: path.to_path_buf(),
            source: rusqlite::Error::InvalidQuery,
        });
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql_err(path))?;
    init(&mut conn, path)?;
    Ok(conn)
}

/// Versions and ids read from the file.
fn ids(conn: &Connection, path: &Path) -> Result<(i64, i64, i64), RegistryError> {
    let err = sql_err(path);
    let map = |e: rusqlite::Error| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            RegistryError::NotSqlite {
                path: path.to_path_buf(),
            }
        }
        e => err(e),
    };
    // one read transaction: another process making the registry commits all three or
    // none of them in between
    let tx = conn.unchecked_transaction().map_err(&map)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(&map)?;
    let app: i64 = tx
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(&map)?;
    let tables: i64 = tx
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(&map)?;
    tx.commit().map_err(&map)?;
    Ok((version, app, tables))
}

/// Refuse a newer schema, or a database that is someone else's.
fn check_version(conn: &Connection, path: &Path) -> Result<(), RegistryError> {
    let (version, app, tables) = ids(conn, path)?;
    let path = path.to_path_buf();
    if version == 0 && tables == 0 && app == 0 {
        return Ok(()); // new, empty: `init` makes it a registry
    }
    if app != APPLICATION_ID {
        return Err(RegistryError::NotRegistry { path });
    }
    if version > SCHEMA_VERSION {
        return Err(RegistryError::Newer {
            path,
            found: version,
        });
    }
    Ok(())
}

/// Make an empty database a registry (once, whichever process comes first).
fn init(conn: &mut Connection, path: &Path) -> Result<(), RegistryError> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql_err(path))?;
    if version != 0 {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql_err(path))?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql_err(path))?;
    if version == 0 {
        tx.execute_batch(&format!(
            "{};\nPRAGMA application_id = {APPLICATION_ID};\nPRAGMA user_version = {SCHEMA_VERSION};",
            create_table_sql()
        ))
        .map_err(sql_err(path))?;
    }
    tx.commit().map_err(sql_err(path))
}
