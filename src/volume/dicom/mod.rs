//! DICOM import: find the series in a folder, and load one as a CT volume.
//!
//! ```text
//! let scan = scan_folder(dir, task)?;            // series picker data + skipped files
//! let ct = load_series(&scan.series[0], task)?;  // Volume<i16> in HU + warnings
//! ```
//!
//! How a series becomes a volume (see `stack`):
//! - slices are sorted along the normal of ImageOrientationPatient (row x column
//!   direction) by ImagePositionPatient, never by file name or InstanceNumber;
//!   k increases along that normal;
//! - the slice spacing comes from the positions, not SliceThickness; a missing
//!   slice (a step that is a whole multiple of the usual one) is filled by
//!   interpolation with a "gap" warning; uneven steps are resampled onto an even
//!   grid that keeps each image's slab (see `spacing`), with a warning; more than
//!   20 % missing is refused;
//! - gantry tilt keeps the true positions on a sheared affine, with a warning;
//! - images of different sizes, orientations or pixel spacings in one series,
//!   every position repeated (several volumes in one series) or positions off one
//!   line are refused with the reason;
//! - a single slice is accepted as a 1-slice volume (thickness from
//!   SpacingBetweenSlices or SliceThickness), with a warning;
//! - voxel values are each file's own RescaleSlope/Intercept applied, rounded
//!   to i16 HU; the affine maps (i column, j row, k slice) to RAS+ mm
//!   (DICOM LPS with x and y negated), `AffineSource::Dicom`.
//!
//! Not supported: colour images, files without
//! the DICOM Part 10 "DICM" header; they are skipped by the scan with the reason.
//! Assumes a little-endian host (as every supported desktop is).

mod affine;
mod attrs;
mod dicomdir;
mod error;
mod frames;
mod guard;
mod header;
mod lengths;
mod load;
mod open;
mod patient;
mod pixels;
mod progress;
mod refs;
mod scan;
mod series;
mod sop_class;
mod spacing;
mod stack;
mod stack_checks;
mod vec3;
mod volume_warnings;
mod walk;

pub use error::DicomError;
pub use load::{DicomVolume, load_files, load_series, series_geometry, series_source};
pub use open::{
    choose_series, folder_checksum, is_dicom_path, open_geometry, open_path, open_source,
};
pub use patient::PatientInfo;
pub use refs::{ImageRef, SourceRefs, StudyAttrs};
pub use scan::scan_folder;
pub use series::{ScanResult, SeriesSummary};
