//! NIfTI-1 and NIfTI-2 reading and writing (.nii and .nii.gz, either byte order).
//!
//! Remnant parses headers itself rather than through a general NIfTI library so that
//! it can (a) refuse absurd or inconsistent headers before allocating anything,
//! (b) decompress straight into the final voxel buffer without intermediate copies,
//! and (c) keep the stored qform/sform fields to write label maps on the CT's exact grid.

pub mod header;
mod read;
mod write;

pub use header::{DataType, NiftiHeader, SpatialFields};
pub use read::{
    MaskSelect, read_ct, read_ct_bytes, read_header, read_labels, read_labels_bytes, read_mask,
    read_mask_bytes,
};
pub use write::{NiftiScalar, write_volume};

use std::path::{Path, PathBuf};

/// What is wrong with a NIfTI file (or why reading it stopped).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NiftiError {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("not a NIfTI file: {0}")]
    NotNifti(String),
    #[error("the file is truncated: {0}")]
    Truncated(String),
    #[error("the file is corrupt: {0}")]
    Corrupt(String),
    #[error("invalid NIfTI header: {0}")]
    BadHeader(String),
    #[error("invalid geometry: {0}")]
    BadGeometry(String),
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("invalid voxel value: {0}")]
    BadValue(String),
    #[error("cancelled")]
    Cancelled,
}

/// A NIfTI error with the file it concerns: displays as "PATH: problem".
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {error}", path.display())]
pub struct FileError {
    pub path: PathBuf,
    #[source]
    pub error: NiftiError,
}

impl FileError {
    pub fn new(path: &Path, error: NiftiError) -> Self {
        FileError {
            path: path.to_path_buf(),
            error,
        }
    }
}
