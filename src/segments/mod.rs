//! Couinaud segments from anatomical landmarks, the named hepatectomies, and the
//! resection options that remove every tumour (issue 26).
//!
//! The landmark planes approximate the portal territories: Fischer et al. (J Comput
//! Assist Tomogr 2002) found hemilivers agree well with the vascular territories,
//! single segments can be off by 10-25 %; a segment volume is an estimate
//! (`clinical::segments_caveat` says so wherever a segment figure is shown).

pub mod anatomy;
pub mod assign;
pub mod landmarks;
pub mod options;
pub mod phantom;
pub mod planes;
pub mod table;

#[cfg(test)]
mod tests;

pub use anatomy::{Hepatectomy, Segment, SegmentSet};
pub use assign::SegmentMap;
pub use landmarks::{LandmarkError, LandmarkId, Landmarks};
pub use options::ResectionOption;
pub use planes::SegmentPlanes;
pub use table::{SegmentVolume, TumourSegments};

use crate::volume::Geometry;

/// The NIfTI description of a segment label map.
pub const DESCRIP_SEGMENTS: &str = "Remnant Couinaud segments: value = segment, 4a=4, 4b=9";

/// Write the segments as a label map on the CT's grid (value = [`Segment::code`]).
pub fn save_label_map(
    path: &std::path::Path,
    c: &Couinaud,
    g: &Geometry,
    ct_spatial: Option<&crate::volume::nifti::SpatialFields>,
) -> Result<(), crate::fsutil::AtomicWriteError> {
    let grid = c.map.to_grid(g.dims);
    crate::volume::nifti::write_volume(path, &grid, g, ct_spatial, DESCRIP_SEGMENTS)
}

/// Segments of a case: the planes and the per-voxel assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Couinaud {
    pub planes: SegmentPlanes,
    pub map: SegmentMap,
}

/// Validate the landmarks against the scan, build the planes and assign every liver
/// voxel of `bits`. Errors name the landmark or vein at fault.
pub fn compute(lm: &Landmarks, bits: &[u8], g: &Geometry) -> Result<Couinaud, LandmarkError> {
    let p = lm.validate(g)?;
    let planes = SegmentPlanes::new(&p)?;
    let map = assign::assign(bits, g, &planes)?;
    Ok(Couinaud { planes, map })
}
