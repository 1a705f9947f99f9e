//! Where each frame of an image lies: a classic image is one frame placed by
//! its top-level attributes; an enhanced multi-frame image (Enhanced CT / MR,
//! legacy converted) places each frame through its functional groups, the
//! per-frame item first and the shared item when the per-frame one lacks the
//! group (DICOM PS3.3 C.7.6.16: Multi-frame Functional Groups Module).

use super::error::DicomError;
use dicom_dictionary_std::tags;
use dicom_object::{InMemDicomObject, Tag};

use super::attrs;

/// What places one frame and turns its stored values into units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrameGeometry {
    pub position: Option<[f64; 3]>,
    pub orientation: Option<[f64; 6]>,
    pub pixel_spacing: Option<[f64; 2]>,
    pub slice_thickness: Option<f64>,
    pub spacing_between_slices: Option<f64>,
    /// (slope, intercept) from the Pixel Value Transformation group.
    pub rescale: Option<(f64, f64)>,
    pub rescale_type: Option<String>,
}

/// A multi-frame file with more frames than this is refused (a damaged
/// NumberOfFrames would otherwise make a huge list of frames).
const MAX_FRAMES: i64 = 1 << 16;

/// One entry per frame, or why the frames cannot be placed.
pub fn frame_geometry(
    obj: &InMemDicomObject,
    sop_class: &str,
) -> Result<Vec<FrameGeometry>, DicomError> {
    let frames = attrs::int(obj, tags::NUMBER_OF_FRAMES).unwrap_or(1);
    let per_frame = obj
        .get(tags::PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE)
        .map(|e| e.items().unwrap_or(&[]));
    let shared = obj
        .get(tags::SHARED_FUNCTIONAL_GROUPS_SEQUENCE)
        .and_then(|e| e.items())
        .and_then(|items| items.first());
    if !(1..=MAX_FRAMES).contains(&frames) {
        return Err(DicomError::Unusable(format!(
            "multi-frame image: NumberOfFrames (0028,0008) is {frames}, not a usable frame count"
        )));
    }
    if per_frame.is_none() && shared.is_none() {
        if frames > 1 {
            return Err(DicomError::Unusable(format!(
                "multi-frame image: {frames} frames in one file ({}) without functional groups \
                 (PerFrameFunctionalGroupsSequence (5200,9230) is missing): the frames cannot be placed",
                super::sop_class::sop_class_name(sop_class)
            )));
        }
        return Ok(vec![classic(obj)]);
    }
    let Some(per_frame) = per_frame else {
        return Err(DicomError::Unusable(format!(
            "multi-frame image: per-frame functional groups missing: PerFrameFunctionalGroupsSequence \
             (5200,9230) is absent for {frames} frame{}",
            if frames == 1 { "" } else { "s" }
        )));
    };
    if per_frame.len() as i64 != frames {
        return Err(DicomError::Unusable(format!(
            "multi-frame image: functional groups inconsistent: {} per-frame items for {frames} frames \
             (NumberOfFrames (0028,0008))",
            per_frame.len()
        )));
    }
    let top = classic(obj);
    let mut out = Vec::with_capacity(per_frame.len());
    for (f, item) in per_frame.iter().enumerate() {
        let get = |seq: Tag| -> Option<&InMemDicomObject> {
            first_item(item, seq).or_else(|| shared.and_then(|s| first_item(s, seq)))
        };
        let position = get(tags::PLANE_POSITION_SEQUENCE)
            .and_then(|g| attrs::float_array(g, tags::IMAGE_POSITION_PATIENT));
        let orientation = get(tags::PLANE_ORIENTATION_SEQUENCE)
            .and_then(|g| attrs::float_array(g, tags::IMAGE_ORIENTATION_PATIENT));
        let measures = get(tags::PIXEL_MEASURES_SEQUENCE);
        let transform = get(tags::PIXEL_VALUE_TRANSFORMATION_SEQUENCE);
        let g = FrameGeometry {
            position: position.or(top.position.filter(|_| frames == 1)),
            orientation: orientation.or(top.orientation),
            pixel_spacing: measures
                .and_then(|m| attrs::float_array(m, tags::PIXEL_SPACING))
                .or(top.pixel_spacing),
            slice_thickness: measures
                .and_then(|m| attrs::float(m, tags::SLICE_THICKNESS))
                .or(top.slice_thickness),
            spacing_between_slices: measures
                .and_then(|m| attrs::float(m, tags::SPACING_BETWEEN_SLICES))
                .or(top.spacing_between_slices),
            rescale: transform.and_then(|t| {
                let slope = attrs::float(t, tags::RESCALE_SLOPE).unwrap_or(1.0);
                let intercept = attrs::float(t, tags::RESCALE_INTERCEPT).unwrap_or(0.0);
                (t.get(tags::RESCALE_SLOPE).is_some() || t.get(tags::RESCALE_INTERCEPT).is_some())
                    .then_some((slope, intercept))
            }),
            rescale_type: transform.and_then(|t| attrs::text(t, tags::RESCALE_TYPE)),
        };
        if g.position.is_none() {
            return Err(DicomError::Unusable(format!(
                "multi-frame image: functional groups inconsistent: frame {} has no \
                 PlanePositionSequence (0020,9113), per-frame or shared",
                f + 1
            )));
        }
        out.push(g);
    }
    Ok(out)
}

/// The placing attributes at the top level of a (classic) image.
fn classic(obj: &InMemDicomObject) -> FrameGeometry {
    FrameGeometry {
        position: attrs::float_array(obj, tags::IMAGE_POSITION_PATIENT),
        orientation: attrs::float_array(obj, tags::IMAGE_ORIENTATION_PATIENT),
        pixel_spacing: attrs::float_array(obj, tags::PIXEL_SPACING),
        slice_thickness: attrs::float(obj, tags::SLICE_THICKNESS),
        spacing_between_slices: attrs::float(obj, tags::SPACING_BETWEEN_SLICES),
        rescale: None,
        rescale_type: None,
    }
}

fn first_item(obj: &InMemDicomObject, seq: Tag) -> Option<&InMemDicomObject> {
    obj.get(seq)?.items()?.first()
}
