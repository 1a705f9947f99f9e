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

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub enum NiftiError {
    Io(String),
    NotNifti(String),
    Truncated(String),
    Corrupt(String),
    BadHeader(String),
    BadGeometry(String),
    Unsupported(String),
    TooLarge(String),
    BadValue(String),
    Cancelled,
}

impl fmt::Display for NiftiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NiftiError::Io(m) => write!(f, "cannot read the file: {m}"),
            NiftiError::NotNifti(m) => write!(f, "not a NIfTI file: {m}"),
            NiftiError::Truncated(m) => write!(f, "the file is truncated: {m}"),
            NiftiError::Corrupt(m) => write!(f, "the file is corrupt: {m}"),
            NiftiError::BadHeader(m) => write!(f, "invalid NIfTI header: {m}"),
            NiftiError::BadGeometry(m) => write!(f, "invalid geometry: {m}"),
            NiftiError::Unsupported(m) => write!(f, "unsupported: {m}"),
            NiftiError::TooLarge(m) => write!(f, "too large: {m}"),
            NiftiError::BadValue(m) => write!(f, "invalid voxel value: {m}"),
            NiftiError::Cancelled => write!(f, "cancelled"),
        }
    }
}

/// A NIfTI error with the file it concerns: displays as "PATH: problem".
#[derive(Debug, Clone, PartialEq)]
pub struct FileError {
    pub path: PathBuf,
    pub error: NiftiError,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for FileError {}

impl FileError {
    pub fn new(path: &Path, error: NiftiError) -> Self {
        FileError {
            path: path.to_path_buf(),
            error,
        }
    }
}
