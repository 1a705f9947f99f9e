//! `remnant registry add | list | export`: the case registry (`registry.sqlite` in the
//! config folder) from the command line.

use super::CliError;
use crate::registry::{Entry, Registry, RegistryError, redcap};
use std::path::{Path, PathBuf};

/// `remnant registry ...`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Actions:\n  \
    remnant registry add CASE.json [MORE.json ...]   record (or update) each case or report\n  \
    remnant registry list [--json]                   every row: a table, or JSON\n  \
    remnant registry export --redcap R.csv --dictionary D.csv [--since DATE]\n                                                   \
    the REDCap import CSV and its data dictionary; --since YYYY-MM-DD: rows recorded since that day (UTC)\n\n\
    The registry is registry.sqlite in the config folder (REMNANT_CONFIG_DIR, else the platform's).")]
pub struct RegistryArgs {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Record case or report files (a line per file once it is committed)
    Add {
        /// Case (.json saved by Remnant) or report files
        #[arg(required = true, value_name = "CASE.json")]
        files: Vec<PathBuf>,
    },
    /// List the registry's rows
    List {
        /// Every column of every row as JSON
        #[arg(long)]
        json: bool,
    },
    /// Write the REDCap import CSV and its data dictionary
    Export {
        /// The import CSV (record_id first; checkbox fields as name___code)
        #[arg(long, value_name = "R.csv")]
        redcap: PathBuf,
        /// The data dictionary CSV naming every column
        #[arg(long, value_name = "D.csv")]
        dictionary: PathBuf,
        /// Only rows recorded on or after this day (YYYY-MM-DD, UTC)
        #[arg(long, value_name = "DATE", value_parser = since)]
        since: Option<String>,
    },
}

fn since(s: &str) -> Result<String, String> {
    redcap::iso_date(s).ok_or_else(|| "is not a date (YYYY-MM-DD)".to_owned())
}

fn registry_path() -> Result<PathBuf, RegistryError> {
    crate::registry::default_path().ok_or(RegistryError::NoFolder)
}

/// Every row; a registry not made yet has none.
fn entries(path: &Path) -> Result<Vec<Entry>, RegistryError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    Registry::open_existing(path)?.list()
}

pub fn run(a: RegistryArgs) -> Result<(), CliError> {
    let path = registry_path()?;
    match a.action {
        Action::Add { files } => {
            let mut reg = Registry::open(&path)?;
            for f in files {
                let id = reg.record_file(&f)?;
                println!("recorded {} as record {id}", f.display());
            }
            Ok(())
        }
        Action::List { json } => list(&entries(&path)?, json, &path),
        Action::Export {
            redcap,
            dictionary,
            since,
        } => export(&entries(&path)?, &redcap, &dictionary, since.as_deref()),
    }
}

fn list(entries: &[Entry], json: bool, path: &Path) -> Result<(), CliError> {
    if json {
        let rows: Vec<serde_json::Value> = entries.iter().map(entry_json).collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if entries.is_empty() {
        println!("no cases in the registry ({})", path.display());
        return Ok(());
    }
    println!(
        "{:>6}  {:<14} {:<24} {:<10}  {:>3}  {:>2}  {:>6}  file",
        "record", "patient ID", "name", "operation", "PCI", "CC", "FLR %"
    );
    for e in entries {
        let r = &e.row;
        let cut = |s: String, n: usize| s.chars().take(n).collect::<String>();
        println!(
            "{:>6}  {:<14} {:<24} {:<10}  {:>3}  {:>2}  {:>6}  {}",
            e.record_id,
            cut(r.text("patient_id"), 14),
            cut(r.text("patient_name"), 24),
            cut(r.text("operation_date"), 10),
            r.text("pci"),
            r.text("cc_score"),
            r.text("flr_percent"),
            r.text("case_path")
        );
    }
    Ok(())
}

/// One row as a JSON object: `record_id` and every column that has a value.
fn entry_json(e: &Entry) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    m.insert("record_id".into(), e.record_id.into());
    for (k, v) in &e.row.0 {
        let v = match v {
            crate::registry::Value::Int(i) => (*i).into(),
            crate::registry::Value::Real(x) => serde_json::Number::from_f64(*x)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            crate::registry::Value::Text(t) => t.clone().into(),
        };
        m.insert((*k).into(), v);
    }
    serde_json::Value::Object(m)
}

fn export(
    entries: &[Entry],
    csv: &Path,
    dictionary: &Path,
    since: Option<&str>,
) -> Result<(), CliError> {
    let out = redcap::export(entries, since);
    for w in &out.warnings {
        eprintln!("remnant: warning: {w}");
    }
    crate::fsutil::atomic_write(dictionary, out.dictionary.as_bytes())?;
    crate::fsutil::atomic_write(csv, out.csv.as_bytes())?;
    println!(
        "wrote {} record{} to {} and the data dictionary to {}",
        out.records,
        if out.records == 1 { "" } else { "s" },
        csv.display(),
        dictionary.display()
    );
    Ok(())
}
