//! Reading and writing reports as JSON with a versioned schema.
//!
//! The file is one JSON object whose `schema_version` field says which
//! layout the rest follows (see `REPORT_SCHEMA.md`). Older layouts are
//! migrated on load; newer ones are refused. Saving always writes the current
//! layout, atomically.

use std::fs;
use std::io::Read;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::error::ReportError;
mod migrate;
use super::model::Report;

/// Schema version written by this build, and the newest it reads.
pub const SCHEMA_VERSION: u32 = 2;

/// Report files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Serialize)]
struct FileOut<'a> {
    schema_version: u32,
    #[serde(flatten)]
    report: &'a Report,
}

impl Report {
    /// The report as pretty-printed JSON in the current schema.
    pub fn to_json(&self) -> Result<String, ReportError> {
        let file = FileOut {
            schema_version: SCHEMA_VERSION,
            report: self,
        };
        serde_json::to_string_pretty(&file).map_err(|e| ReportError::Encode(e.to_string()))
    }

    /// Reads a report from JSON of any supported schema version.
    pub fn from_json(bytes: &[u8]) -> Result<Report, ReportError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ReportError::Json {
                what: "empty file",
                detail: "there is no JSON in it".to_owned(),
            });
        }
        let value: Value = serde_json::from_slice(bytes).map_err(json_error)?;
        let Value::Object(object) = value else {
            return Err(ReportError::Json {
                what: "invalid report data",
                detail: format!("expected a JSON object, found {}", kind(&value)),
            });
        };
        match schema_version(&object)? {
            1 => migrate::from_v1(object),
            v if v == u64::from(SCHEMA_VERSION) => {
                check_known_fields(&object, &current_fields()?)?;
                // Parse the text again (not the tree) so that errors carry
                // line and column.
                serde_json::from_slice(bytes).map_err(json_error)
            }
            found => Err(ReportError::NewerVersion {
                found,
                supported: SCHEMA_VERSION,
            }),
        }
    }

    /// Reads the report file at `path`.
    pub fn load(path: &Path) -> Result<Report, ReportError> {
        let read_err = |source| ReportError::Read {
            path: path.to_path_buf(),
            source,
        };
        let file = fs::File::open(path).map_err(read_err)?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        let in_file = |inner| ReportError::InFile {
            path: path.to_path_buf(),
            inner: Box::new(inner),
        };
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(in_file(ReportError::Json {
                what: "file too large",
                detail: format!("a report file is at most {MAX_FILE_BYTES} bytes"),
            }));
        }
        Report::from_json(&bytes).map_err(in_file)
    }

    /// Writes the report to `path` in the current schema, replacing any
    /// previous file only once the new one is complete on disk.
    pub fn save(&self, path: &Path) -> Result<(), ReportError> {
        self.save_checked(path, None).map(|_| ())
    }

    /// [`Report::save`] over a file this program opened or saved before (`last`):
    /// refused, leaving the file as it is, when another program changed it since.
    /// Returns the stamp of the saved file, for the next save.
    pub fn save_checked(
        &self,
        path: &Path,
        last: Option<&crate::fsutil::FileStamp>,
    ) -> Result<crate::fsutil::FileStamp, ReportError> {
        let mut json = self.to_json()?;
        json.push('\n');
        Ok(crate::fsutil::atomic_write_checked(
            path,
            last,
            json.as_bytes(),
        )?)
    }

    /// SHA-256 (hex) of the report's JSON: identifies the exact data a PDF
    /// was made from.
    pub fn fingerprint(&self) -> Result<String, ReportError> {
        let digest = Sha256::digest(self.to_json()?.as_bytes());
        Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// The `schema_version` of a report object.
fn schema_version(object: &Map<String, Value>) -> Result<u64, ReportError> {
    match object.get("schema_version") {
        None => Err(ReportError::MissingVersion),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if v >= 1 => Ok(v),
            _ => Err(ReportError::BadVersion(n.to_string())),
        },
        Some(other) => Err(ReportError::BadVersion(other.to_string())),
    }
}

/// Top-level field names of the current schema, `schema_version` included.
pub(super) fn current_fields() -> Result<Vec<String>, ReportError> {
    let json = Report::default().to_json()?;
    let value: Value =
        serde_json::from_str(&json).map_err(|e| ReportError::Encode(e.to_string()))?;
    Ok(value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default())
}

/// Refuses top-level fields outside `known`, so misspelt ones are not lost.
pub(super) fn check_known_fields(
    object: &Map<String, Value>,
    known: &[String],
) -> Result<(), ReportError> {
    match object.keys().find(|k| !known.contains(k)) {
        None => Ok(()),
        Some(unknown) => Err(ReportError::Json {
            what: "invalid report data",
            detail: format!(
                "unknown field `{unknown}` at the top level, expected one of {}",
                known.join(", ")
            ),
        }),
    }
}

pub(super) fn json_error(e: serde_json::Error) -> ReportError {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "truncated JSON",
        Category::Syntax | Category::Io => "corrupt JSON",
        Category::Data => "invalid report data",
    };
    ReportError::Json {
        what,
        detail: e.to_string(),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pci::LesionSize;

    fn err(text: &str) -> String {
        Report::from_json(text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn default_round_trip_starts_with_version() {
        let report = Report::default();
        let json = report.to_json().unwrap();
        assert!(json.starts_with("{\n  \"schema_version\": 2,"), "{json}");
        assert_eq!(Report::from_json(json.as_bytes()).unwrap(), report);
    }

    #[test]
    fn version_checks() {
        assert_eq!(
            err(r#"{"schema_version": 3}"#),
            "written by a newer Remnant: schema version 3, this build reads up to 2"
        );
        assert!(err(r#"{"surgeon": "X"}"#).contains("schema_version field is missing"));
        assert!(err(r#"{"schema_version": "2"}"#).contains("invalid schema_version \"2\""));
        assert!(err(r#"{"schema_version": 0}"#).contains("invalid schema_version 0"));
        assert!(err(r#"{"schema_version": -1}"#).contains("invalid schema_version -1"));
        assert!(err(r#"{"schema_version": 2.5}"#).contains("invalid schema_version 2.5"));
        assert!(err("[2]").contains("expected a JSON object, found an array"));
        assert!(err("  \n").starts_with("empty file"));
    }

    #[test]
    fn corrupt_and_invalid_json_name_the_place() {
        let truncated = err("{\n  \"schema_version\": 2,\n  \"surgeon\": \"A");
        assert!(truncated.starts_with("truncated JSON"), "{truncated}");
        assert!(truncated.contains("line 3"), "{truncated}");
        let garbled = err("{\"schema_version\": 2,, }");
        assert!(garbled.starts_with("corrupt JSON"), "{garbled}");
        assert!(garbled.contains("line 1 column"), "{garbled}");
        let bad_type = err("{\"schema_version\": 2,\n \"cc_score\": 7}");
        assert!(bad_type.contains("CC score must be 0-3"), "{bad_type}");
        assert!(bad_type.contains("line 2"), "{bad_type}");
        let typo = err(r#"{"schema_version": 2, "surgoen": "A"}"#);
        assert!(typo.contains("unknown field `surgoen`"), "{typo}");
        let nested = err(r#"{"schema_version": 2, "hipec": {"drugg": "x"}}"#);
        assert!(nested.contains("unknown field `drugg`"), "{nested}");
        let ascites = err(r#"{"schema_version": 2, "ascites": {"status": "none", "ml": 5}}"#);
        assert!(ascites.contains("unknown field `ml`"), "{ascites}");
        let ascites =
            err(r#"{"schema_version": 2, "ascites": {"status": "none", "volume_ml": 5}}"#);
        assert!(ascites.contains("only allowed with status"), "{ascites}");
        let ascites = err(r#"{"schema_version": 2, "ascites": {"status": "some"}}"#);
        assert!(ascites.contains("unknown variant `some`"), "{ascites}");
        let binary = Report::from_json(&[0x7b, 0xff, 0xfe])
            .unwrap_err()
            .to_string();
        assert!(binary.contains("line 1"), "{binary}");
    }

    #[test]
    fn missing_fields_take_defaults() {
        let report = Report::from_json(br#"{"schema_version": 2, "surgeon": "Dr A"}"#).unwrap();
        assert_eq!(report.surgeon.as_deref(), Some("Dr A"));
        assert_eq!(report.pci, crate::pci::Pci::new());
    }

    #[test]
    fn fingerprint_changes_with_content() {
        let mut report = Report::default();
        let a = report.fingerprint().unwrap();
        assert_eq!(a.len(), 64);
        report.pci.set(3, LesionSize::Ls0).unwrap();
        assert_ne!(a, report.fingerprint().unwrap());
    }

    #[test]
    fn non_finite_numbers_load_back_as_missing() {
        let mut report = Report::default();
        report.small_bowel.length_resected_cm = Some(f64::NAN);
        let back = Report::from_json(report.to_json().unwrap().as_bytes()).unwrap();
        assert_eq!(back.small_bowel.length_resected_cm, None);
    }
}
