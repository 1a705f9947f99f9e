//! Errors of the report module.

use std::io;
use std::path::PathBuf;

use crate::fsutil::AtomicWriteError;

/// Why a report could not be loaded, saved or rendered.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("could not read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Write(#[from] AtomicWriteError),
    /// Another error, about the contents of the file at `path`.
    #[error("{}: {inner}", path.display())]
    InFile {
        path: PathBuf,
        #[source]
        inner: Box<ReportError>,
    },
    /// The file is not valid JSON or does not fit the schema; `detail`
    /// carries serde_json's message with its line and column when known.
    #[error("{what}: {detail}")]
    Json { what: &'static str, detail: String },
    #[error("not a Remnant report: the schema_version field is missing")]
    MissingVersion,
    #[error("invalid schema_version {0}: expected a whole number from 1")]
    BadVersion(String),
    #[error(
        "written by a newer Remnant: schema version {found}, this build reads up to {supported}"
    )]
    NewerVersion { found: u64, supported: u32 },
    #[error("could not migrate a schema version {from} report: {reason}")]
    Migration { from: u32, reason: String },
    #[error("could not encode the report as JSON: {0}")]
    Encode(String),
    #[error("could not build the PDF: {0}")]
    Pdf(String),
}

impl ReportError {
    /// The error itself, without the file it was found in.
    pub fn root(&self) -> &ReportError {
        match self {
            Self::InFile { inner, .. } => inner.root(),
            other => other,
        }
    }
}
