//! DICOM Segmentation (SEG) to and from the hospital's systems, and the report as
//! a DICOM Encapsulated PDF (`document`).
//!
//! ```text
//! let done = write_seg(path, &labels, study.dicom_refs.as_ref())?;   // export the layers
//! let got = import_seg(path, &ct_geometry, study.dicom_refs.as_ref())?; // a SEG made elsewhere
//! ```
//!
//! Export (`write`): one BINARY Segmentation (SOP class `uids::SEGMENTATION_STORAGE`,
//! explicit VR little endian) with one segment per non-empty layer (whole liver,
//! planned resection, tumour) plus the future liver remnant derived from them;
//! frames only on the slices where a segment has voxels (as highdicom does). On a
//! scan loaded from DICOM it joins the source study (Study Instance UID), shares its
//! Frame of Reference and references every source image (per-frame Derivation Image
//! Sequence and the Referenced Series Sequence); a NIfTI scan gets new UIDs
//! (`2.25.` + a random 128-bit number, PS3.5 B.2) and a warning saying so.
//!
//! Import (`read` + `resample`): segments are mapped to layers by their codes, or
//! by their label when the codes are not recognised (`codes`); each frame is placed
//! by its own position, orientation and spacing, and every scan voxel takes the
//! value of the nearest SEG pixel (nearest neighbour) when the grids differ.
//! A SEG on another Frame of Reference, or one that does not overlap the scan, is
//! refused with the reason.

mod codes;
mod dates;
mod document;
mod import;
mod read;
mod resample;
mod sr;
mod uid;
mod write;

#[cfg(test)]
mod tests;

pub use codes::{Code, SegmentKind};
pub use document::{
    DocumentWritten, build_pdf_document, document_concept, document_title, write_pdf_document,
};
pub use import::{SegImport, SegmentUse, import_seg};
pub use read::{SegFile, SegFrame, SegSegment, read_seg};
pub use sr::{Ratios, SrSource, SrWritten, build_sr, write_sr};
pub use uid::new_uid;
pub use write::{
    Written, WrittenSegment, build_seg, build_seg_segments, write_seg, write_seg_segments,
};

use std::path::PathBuf;
use thiserror::Error;

/// Why a SEG could not be written or imported; each names the problem for a person.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SegError {
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}: not a readable DICOM file: {message}")]
    NotDicom { path: PathBuf, message: String },
    #[error("{path}: not a DICOM Segmentation (SOP class {sop_class})")]
    NotSegmentation { path: PathBuf, sop_class: String },
    #[error("{path}: {message}")]
    Unsupported { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Malformed { path: PathBuf, message: String },
    /// The scan's grid cannot be described as SEG frames (or a frame cannot be placed).
    #[error("{0}")]
    Geometry(String),
    #[error(
        "{path}: made on another Frame of Reference ({seg}) than the open scan ({scan}): \
         its patient coordinates do not match the scan's, so it is not placed"
    )]
    OtherFrameOfReference {
        path: PathBuf,
        seg: String,
        scan: String,
    },
    #[error("{path}: does not overlap the open scan: {why}")]
    NoOverlap { path: PathBuf, why: String },
    #[error("{path}: no segment is a Remnant layer (liver, resection, tumour): {ignored}")]
    NoLayer { path: PathBuf, ignored: String },
    #[error("nothing to export: every layer is empty")]
    Empty,
    #[error("could not write {path}: {message}")]
    Write { path: PathBuf, message: String },
}
