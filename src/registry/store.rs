//! Reading and writing registry rows.

use super::RegistryError;
use super::fields::{FIELDS, Kind};
use super::row::{Row, Value};
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, TransactionBehavior, params_from_iter};
use std::path::{Path, PathBuf};

/// One row as stored, with its record id.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub record_id: i64,
    pub row: Row,
}

/// An open registry.
pub struct Registry {
    conn: Connection,
    path: PathBuf,
}

fn to_sql(v: Option<&Value>) -> Sql {
    match v {
        None => Sql::Null,
        Some(Value::Int(i)) => Sql::Integer(*i),
        Some(Value::Real(x)) => Sql::Real(*x),
        Some(Value::Text(t)) => Sql::Text(t.clone()),
    }
}

fn from_sql(kind: Kind, v: ValueRef<'_>) -> Option<Value> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) if kind == Kind::Real => Some(Value::Real(i as f64)),
        ValueRef::Integer(i) => Some(Value::Int(i)),
        ValueRef::Real(x) => Some(Value::Real(x)),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            Some(Value::Text(String::from_utf8_lossy(t).into_owned()))
        }
    }
}

/// INSERT ... ON CONFLICT(case_path) DO UPDATE: the row of that file, and no other.
fn upsert_sql() -> String {
    let names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
    let values: Vec<String> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, f)| match f.name {
            "recorded_at" => "strftime('%Y-%m-%d %H:%M:%S', 'now')".to_owned(),
            _ => format!("?{}", i + 1),
        })
        .collect();
    let updates: Vec<String> = names
        .iter()
        .filter(|n| **n != "case_path")
        .map(|n| format!("{n} = excluded.{n}"))
        .collect();
    format!(
        "INSERT INTO cases ({}) VALUES ({}) ON CONFLICT(case_path) DO UPDATE SET {}",
        names.join(", "),
        values.join(", "),
        updates.join(", ")
    )
}

impl Registry {
    /// Open the registry at `path`, creating it if missing.
    pub fn open(path: &Path) -> Result<Registry, RegistryError> {
        Ok(Registry {
            conn: super::schema::open(path, true)?,
            path: path.to_path_buf(),
        })
    }

    /// Open an existing registry (a missing file is an error).
    pub fn open_existing(path: &Path) -> Result<Registry, RegistryError> {
        Ok(Registry {
            conn: super::schema::open(path, false)?,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> RegistryError + '_ {
        move |source| RegistryError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Record the case or report file at `case`: its row is read while this process
    /// holds the registry's write lock, so the row written matches the file now even
    /// when two processes save the same case. Returns the record id. Nothing is
    /// written when the file is not a case or report.
    pub fn record_file(&mut self, case: &Path) -> Result<i64, RegistryError> {
        let conn = &mut self.conn;
        let path = self.path.clone();
        super::schema::retry_busy(|| write_row(conn, &path, case))
    }

    /// Every row, by record id.
    pub fn list(&self) -> Result<Vec<Entry>, RegistryError> {
        super::schema::retry_busy(|| self.read_rows())
    }
}

/// One `BEGIN IMMEDIATE` transaction: the row of `case`, read now, upserted.
fn write_row(conn: &mut Connection, path: &Path, case: &Path) -> Result<i64, RegistryError> {
    let path = path.to_path_buf();
    let err = move |source| RegistryError::Sqlite {
        path: path.clone(),
        source,
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&err)?;
    let row = Row::from_file(case)?;
    let params: Vec<Sql> = FIELDS.iter().map(|f| to_sql(row.get(f.name))).collect();
    tx.execute(&upsert_sql(), params_from_iter(params))
        .map_err(&err)?;
    let id: i64 = tx
        .query_row(
            "SELECT record_id FROM cases WHERE case_path = ?1",
            [to_sql(row.get("case_path"))],
            |r| r.get(0),
        )
        .map_err(&err)?;
    tx.commit().map_err(&err)?;
    Ok(id)
}

impl Registry {
    fn read_rows(&self) -> Result<Vec<Entry>, RegistryError> {
        let names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        let sql = format!(
            "SELECT record_id, {} FROM cases ORDER BY record_id",
            names.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.sql())?;
        let rows = stmt
            .query_map([], |r| {
                let mut row = Row::default();
                for (i, f) in FIELDS.iter().enumerate() {
                    if let Some(v) = from_sql(f.kind, r.get_ref(i + 1)?) {
                        row.0.insert(f.name, v);
                    }
                }
                Ok(Entry {
                    record_id: r.get(0)?,
                    row,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.sql())
    }
}
