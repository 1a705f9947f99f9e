//! The errors of the DICOM import. Each names the problem for a person; the
//! command line and the UI show them as text (`to_string()`), and a folder
//! scan lists a file it skipped with its error's text as the reason.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum DicomError {
    /// The user asked to stop (the Cancel button, or the task's flag).
    #[error("cancelled")]
    Cancelled,
    /// A folder or file could not be read or listed.
    #[error("{0}")]
    Io(String),
    /// A file that is not a usable image, as "category: detail" (a scan
    /// skips it with this reason).
    #[error("{0}")]
    Unusable(String),
    /// Value lengths that do not fit the file: truncated or overwritten.
    #[error("{0}")]
    Damaged(String),
    /// A third-party parser or codec panicked on the file.
    #[error("{what}: internal decoder error{}", if detail.is_empty() { String::new() } else { format!(" {detail}") })]
    DecoderPanic { what: String, detail: String },
    /// Pixel data that cannot be decoded or converted to values.
    #[error("{0}")]
    Pixels(String),
    /// One image of a series failed: where ("path" or "path frame N") and why.
    #[error("{place}: {source}")]
    InFile {
        place: String,
        source: Box<DicomError>,
    },
    /// The images cannot be stacked into one volume (geometry, sizes,
    /// positions, missing slices).
    #[error("{0}")]
    Stack(String),
    /// No series, several series without a choice, or not the one asked for.
    #[error("{0}")]
    Series(String),
    /// More voxels than the import allows or memory holds.
    #[error("{0}")]
    TooLarge(String),
}

impl DicomError {
    /// Whether this is (or wraps) a cancellation.
    pub fn is_cancelled(&self) -> bool {
        match self {
            DicomError::Cancelled => true,
            DicomError::InFile { source, .. } => source.is_cancelled(),
            _ => false,
        }
    }
}
