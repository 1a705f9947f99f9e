//! Writing the layers as a BINARY DICOM Segmentation with dicom-rs.

use std::path::Path;

use dicom_core::value::{DataSetSequence, PrimitiveValue};
use dicom_core::{DataElement, Tag, VR};
use dicom_dictionary_std::{tags, uids};
use dicom_object::meta::FileMetaTableBuilder;
use dicom_object::{FileDicomObject, InMemDicomObject};

use super::SegError;
use super::codes::{Code, SegmentKind};
use super::dates::now_utc;
use super::uid::new_uid;
use crate::segmentation::{LabelMap, Layer};
use crate::segments::{Segment, SegmentMap};
use crate::volume::Geometry;
use crate::volume::dicom::{ImageRef, SourceRefs, StudyAttrs};

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub segments: Vec<WrittenSegment>,
    pub frames: usize,
    pub study_instance_uid: String,
    pub series_instance_uid: String,
    pub sop_instance_uid: String,
    pub frame_of_reference_uid: String,
    /// Source images referenced (0 for a NIfTI scan).
    pub referenced_images: usize,
    /// What the user must know (new UIDs for a NIfTI scan...).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WrittenSegment {
    pub number: u16,
    pub kind: SegmentKind,
    pub voxels: usize,
    pub frames: usize,
}

/// One segment's mask (0/1 per voxel, NIfTI order) from the layers.
pub fn segment_mask(labels: &LabelMap, kind: SegmentKind) -> Vec<u8> {
    let (l, r, t, s1) = (
        Layer::Liver.bit(),
        Layer::Resection.bit(),
        Layer::Tumour.bit(),
        Layer::Stage1.bit(),
    );
    let f = |b: u8| -> u8 {
        let liver = b & (l | t) != 0;
        u8::from(match kind {
            SegmentKind::Liver => liver,
            // as the volumetry counts it: stage 1 takes precedence over the resection
            SegmentKind::Resection => liver && b & r != 0 && b & s1 == 0,
            SegmentKind::Tumour => b & t != 0,
            SegmentKind::Remnant => liver && b & (r | t | s1) == 0,
            SegmentKind::Stage1 => liver && b & s1 != 0,
            // the layers do not hold the segments: see `couinaud_mask`
            SegmentKind::Couinaud(_) => false,
        })
    };
    labels.bits.iter().map(|&b| f(b)).collect()
}

/// One Couinaud segment's mask from the full-grid segment codes.
fn couinaud_mask(grid: &[u8], s: Segment) -> Vec<u8> {
    let code = s.code();
    grid.iter().map(|&c| u8::from(c == code)).collect()
}

/// Write the SEG file (atomically).
pub fn write_seg(
    path: &Path,
    labels: &LabelMap,
    refs: Option<&SourceRefs>,
) -> Result<Written, SegError> {
    write_seg_segments(path, labels, None, refs)
}

/// Write the SEG file (atomically) with, after the layers, one segment per non-empty
/// Couinaud segment of `segments` (when landmarks are placed).
pub fn write_seg_segments(
    path: &Path,
    labels: &LabelMap,
    segments: Option<&SegmentMap>,
    refs: Option<&SourceRefs>,
) -> Result<Written, SegError> {
    let (obj, written) = build_seg_segments(labels, segments, refs)?;
    write_file(path, &obj)?;
    Ok(written)
}

pub(super) fn el(tag: Tag, vr: VR, v: impl Into<PrimitiveValue>) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, vr, v.into())
}

pub(super) fn text(obj: &mut InMemDicomObject, tag: Tag, vr: VR, s: &str) {
    obj.put(el(tag, vr, s));
}

fn strs(obj: &mut InMemDicomObject, tag: Tag, vr: VR, v: &[String]) {
    obj.put(el(
        tag,
        vr,
        PrimitiveValue::Strs(v.iter().cloned().collect()),
    ));
}

pub(super) fn seq(obj: &mut InMemDicomObject, tag: Tag, items: Vec<InMemDicomObject>) {
    obj.put(DataElement::new(tag, VR::SQ, DataSetSequence::from(items)));
}

pub(super) fn code_item(c: &Code) -> InMemDicomObject {
    let mut o = InMemDicomObject::new_empty();
    text(&mut o, tags::CODE_VALUE, VR::SH, &c.value);
    text(&mut o, tags::CODING_SCHEME_DESIGNATOR, VR::SH, &c.scheme);
    text(&mut o, tags::CODE_MEANING, VR::LO, &c.meaning);
    o
}

/// A DS value of at most 16 characters.
pub(crate) fn ds(x: f64) -> String {
    let x = if x.abs() < 1e-9 { 0.0 } else { x };
    for digits in (0..=10).rev() {
        let s = format!("{x:.digits$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        };
        let s = if s == "-0" { "0".to_string() } else { s };
        if s.len() <= 16 {
            return s;
        }
    }
    format!("{x:.3e}")
}

/// LPS direction of RAS vector.
fn lps(v: [f64; 3]) -> [f64; 3] {
    [-v[0], -v[1], v[2]]
}

fn norm(v: [f64; 3]) -> f64 {
    (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt()
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// The frames' shared geometry: row and column directions (LPS, unit), pixel
/// spacing [row, column] and the slice step along the normal.
pub(crate) struct FrameAxes {
    pub row_dir: [f64; 3],
    pub col_dir: [f64; 3],
    pub spacing: [f64; 2],
    pub thickness: f64,
}

pub(crate) fn frame_axes(g: &Geometry) -> Result<FrameAxes, SegError> {
    let m = g.linear();
    let col = |c: usize| [m[0][c], m[1][c], m[2][c]];
    let (ci, cj, ck) = (col(0), col(1), col(2));
    let (si, sj) = (norm(ci), norm(cj));
    if si <= 0.0 || sj <= 0.0 || !si.is_finite() || !sj.is_finite() {
        return Err(SegError::Geometry(
            "the scan's voxel axes have no length: its grid cannot be written as DICOM frames"
                .into(),
        ));
    }
    let (ri, rj) = (lps(ci.map(|v| v / si)), lps(cj.map(|v| v / sj)));
    if dot(ri, rj).abs() > 1e-3 {
        return Err(SegError::Geometry(format!(
            "the scan's i and j voxel axes are not perpendicular (cosine {:.4}): \
             its slices cannot be written as DICOM frames",
            dot(ri, rj)
        )));
    }
    let n = [
        ri[1] * rj[2] - ri[2] * rj[1],
        ri[2] * rj[0] - ri[0] * rj[2],
        ri[0] * rj[1] - ri[1] * rj[0],
    ];
    let thickness = dot(lps(ck), n).abs();
    Ok(FrameAxes {
        row_dir: ri,
        col_dir: rj,
        spacing: [sj, si],
        thickness: if thickness > 0.0 { thickness } else { 1.0 },
    })
}

/// Build the SEG object for the layers on their grid; `refs` = the DICOM series
/// the scan came from (None: a NIfTI scan, new UIDs).
pub fn build_seg(
    labels: &LabelMap,
    refs: Option<&SourceRefs>,
) -> Result<(FileDicomObject<InMemDicomObject>, Written), SegError> {
    build_seg_segments(labels, None, refs)
}

/// [`build_seg`] with the Couinaud segments of `segments` after the layers.
pub fn build_seg_segments(
    labels: &LabelMap,
    segments: Option<&SegmentMap>,
    refs: Option<&SourceRefs>,
) -> Result<(FileDicomObject<InMemDicomObject>, Written), SegError> {
    let g = &labels.geometry;
    let [nx, ny, nz] = g.dims;
    if nx > u16::MAX as usize || ny > u16::MAX as usize {
        return Err(SegError::Geometry(format!(
            "slices of {nx} x {ny} voxels are larger than DICOM frames can be (65535)"
        )));
    }
    let axes = frame_axes(g)?;
    let mut warnings = Vec::new();
    let refs = matching_refs(refs, nz, &mut warnings);
    let id = Identity::new(refs, &mut warnings);
    let packed = pack_segments(labels, segments)?;

    let mut o = InMemDicomObject::new_empty();
    sop_common_module(&mut o, uids::SEGMENTATION_STORAGE, &id.sop_uid);
    patient_module(&mut o, refs);
    general_study_module(&mut o, refs, &id.study_uid);
    general_series_module(&mut o, &id.series_uid);
    segmentation_series_module(&mut o);
    frame_of_reference_module(&mut o, &id.for_uid);
    general_equipment_module(&mut o);
    enhanced_general_equipment_module(&mut o);
    general_image_module(&mut o);
    segmentation_image_module(&mut o, &packed.segments);
    image_pixel_module(&mut o, [nx, ny], packed.bits);
    multi_frame_dimension_module(&mut o);
    multi_frame_functional_groups_module(
        &mut o,
        &id,
        &FrameSource {
            frames: &packed.frames,
            refs,
            geometry: g,
            axes: &axes,
        },
    );
    let referenced_images = common_instance_reference_module(&mut o, refs);

    let obj = with_file_meta(o)?;
    Ok((
        obj,
        Written {
            frames: packed.frames.len(),
            segments: packed.segments,
            study_instance_uid: id.study_uid,
            series_instance_uid: id.series_uid,
            sop_instance_uid: id.sop_uid,
            frame_of_reference_uid: id.for_uid,
            referenced_images,
            warnings,
        },
    ))
}

/// The source references if they match the scan's slices, else None and a warning.
fn matching_refs<'a>(
    refs: Option<&'a SourceRefs>,
    nz: usize,
    warnings: &mut Vec<String>,
) -> Option<&'a SourceRefs> {
    match refs {
        Some(r) if r.slices.len() != nz => {
            warnings.push(format!(
                "the source series' references do not match the scan ({} slices referenced, {nz} in the scan): \
                 no source image is referenced",
                r.slices.len()
            ));
            None
        }
        r => r,
    }
}

/// The SEG's UIDs and content date / time: the study and Frame of Reference of the
/// source series when known, new ones otherwise.
struct Identity {
    study_uid: String,
    for_uid: String,
    series_uid: String,
    sop_uid: String,
    today: String,
    now: String,
}

impl Identity {
    /// The UIDs for a SEG of `refs` (new where the source has none, with a warning).
    fn new(refs: Option<&SourceRefs>, warnings: &mut Vec<String>) -> Identity {
        let study_uid = match refs.and_then(|r| r.study_instance_uid.clone()) {
            Some(u) => u,
            None => {
                warnings.push(match refs {
                    None => "the scan is not from DICOM: the SEG gets a new Study Instance UID and a new \
                             Frame of Reference UID, references no source image, and has no patient data; \
                             PACS will file it as a separate study"
                        .to_string(),
                    Some(_) => {
                        "the source series has no Study Instance UID: the SEG gets a new one".into()
                    }
                });
                new_uid()
            }
        };
        let for_uid = match refs.and_then(|r| r.frame_of_reference_uid.clone()) {
            Some(u) => u,
            None => {
                if refs.is_some() {
                    warnings.push(
                        "the source series has no Frame of Reference UID: the SEG gets a new one, so \
                         viewers cannot place it on the source images by coordinates"
                            .into(),
                    );
                }
                new_uid()
            }
        };
        if let Some(r) = refs
            && r.slices.iter().any(|s| s.is_empty())
        {
            warnings.push(
                "some source images have no SOP Instance UID: their frames reference no source image"
                    .into(),
            );
        }
        let series_uid = new_uid();
        let sop_uid = new_uid();
        let (today, now) = now_utc();
        Identity {
            study_uid,
            for_uid,
            series_uid,
            sop_uid,
            today,
            now,
        }
    }
}

/// The non-empty segments, numbered from 1, and their frames packed one bit per pixel.
struct Packed {
    segments: Vec<WrittenSegment>,
    /// (segment number, slice k) of each frame, in pixel-data order.
    frames: Vec<(u16, usize)>,
    /// The frames' bits, padded to an even length.
    bits: Vec<u8>,
}

/// The kinds to write: the layers, then the Couinaud segments when given.
fn kinds(segments: Option<&SegmentMap>) -> Vec<SegmentKind> {
    let mut k = SegmentKind::ALL.to_vec();
    if segments.is_some() {
        k.extend(Segment::ALL.map(SegmentKind::Couinaud));
    }
    k
}

/// Pack every non-empty segment's non-empty slices as frames (Err if all are empty).
fn pack_segments(labels: &LabelMap, map: Option<&SegmentMap>) -> Result<Packed, SegError> {
    let [nx, ny, nz] = labels.geometry.dims;
    let plane = nx * ny;
    let mut segments = Vec::new();
    let mut frames: Vec<(u16, usize)> = Vec::new(); // (segment number, k)
    let mut bits: Vec<u8> = Vec::new();
    let mut nbits = 0usize;
    let grid = map.map(|m| m.to_grid(labels.geometry.dims));
    for kind in kinds(map) {
        // one mask at a time: a full-size byte array, not five
        let mask = match (kind, &grid) {
            (SegmentKind::Couinaud(s), Some(g)) => couinaud_mask(g, s),
            _ => segment_mask(labels, kind),
        };
        let voxels = mask.iter().filter(|&&v| v != 0).count();
        if voxels == 0 {
            continue;
        }
        let number = segments.len() as u16 + 1;
        let mut nf = 0;
        for k in 0..nz {
            let s = &mask[k * plane..(k + 1) * plane];
            if s.iter().all(|&v| v == 0) {
                continue;
            }
            bits.resize((nbits + plane).div_ceil(8), 0);
            for (p, &v) in s.iter().enumerate() {
                if v != 0 {
                    let b = nbits + p;
                    bits[b / 8] |= 1 << (b % 8);
                }
            }
            nbits += plane;
            frames.push((number, k));
            nf += 1;
        }
        segments.push(WrittenSegment {
            number,
            kind,
            voxels,
            frames: nf,
        });
    }
    if segments.is_empty() {
        return Err(SegError::Empty);
    }
    bits.resize(nbits.div_ceil(8), 0);
    if bits.len() % 2 == 1 {
        bits.push(0);
    }
    Ok(Packed {
        segments,
        frames,
        bits,
    })
}

/// SOP Common module (PS3.3 C.12.1): character set, SOP class and instance, and the
/// local coding scheme of the resection and remnant codes.
pub(super) fn sop_common_module(o: &mut InMemDicomObject, sop_class: &str, sop_uid: &str) {
    text(o, tags::SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192");
    text(o, tags::SOP_CLASS_UID, VR::UI, sop_class);
    text(o, tags::SOP_INSTANCE_UID, VR::UI, sop_uid);
    let mut scheme = InMemDicomObject::new_empty();
    text(
        &mut scheme,
        tags::CODING_SCHEME_DESIGNATOR,
        VR::SH,
        super::codes::LOCAL,
    );
    text(
        &mut scheme,
        tags::CODING_SCHEME_NAME,
        VR::ST,
        "Remnant local codes",
    );
    text(
        &mut scheme,
        tags::CODING_SCHEME_RESPONSIBLE_ORGANIZATION,
        VR::ST,
        "Remnant",
    );
    seq(o, tags::CODING_SCHEME_IDENTIFICATION_SEQUENCE, vec![scheme]);
}

/// The source series' raw patient and study attributes (all empty without a source).
fn study_attrs(refs: Option<&SourceRefs>) -> StudyAttrs {
    refs.map(|r| r.study_attrs.clone()).unwrap_or_default()
}

/// The value of a type 2 attribute: empty when unknown.
fn or_empty(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// Patient module (PS3.3 C.7.1.1): the source's patient, type 2 (empty when unknown).
pub(super) fn patient_module(o: &mut InMemDicomObject, refs: Option<&SourceRefs>) {
    let sa = study_attrs(refs);
    text(o, tags::PATIENT_NAME, VR::PN, &or_empty(&sa.patient_name));
    text(o, tags::PATIENT_ID, VR::LO, &or_empty(&sa.patient_id));
    text(
        o,
        tags::PATIENT_BIRTH_DATE,
        VR::DA,
        &or_empty(&sa.patient_birth_date),
    );
    text(o, tags::PATIENT_SEX, VR::CS, &or_empty(&sa.patient_sex));
}

/// General Study module (PS3.3 C.7.2.1): the source's study (type 2 values empty
/// when unknown) under `study_uid`.
pub(super) fn general_study_module(
    o: &mut InMemDicomObject,
    refs: Option<&SourceRefs>,
    study_uid: &str,
) {
    let sa = study_attrs(refs);
    text(o, tags::STUDY_INSTANCE_UID, VR::UI, study_uid);
    text(o, tags::STUDY_DATE, VR::DA, &or_empty(&sa.study_date));
    text(o, tags::STUDY_TIME, VR::TM, &or_empty(&sa.study_time));
    text(
        o,
        tags::REFERRING_PHYSICIAN_NAME,
        VR::PN,
        &or_empty(&sa.referring_physician_name),
    );
    text(o, tags::STUDY_ID, VR::SH, &or_empty(&sa.study_id));
    text(
        o,
        tags::ACCESSION_NUMBER,
        VR::SH,
        &or_empty(&sa.accession_number),
    );
    if let Some(d) = &sa.study_description {
        text(o, tags::STUDY_DESCRIPTION, VR::LO, d);
    }
}

/// General Series module (PS3.3 C.7.3.1): the new series' UID and description.
fn general_series_module(o: &mut InMemDicomObject, series_uid: &str) {
    text(o, tags::SERIES_INSTANCE_UID, VR::UI, series_uid);
    text(
        o,
        tags::SERIES_DESCRIPTION,
        VR::LO,
        "Remnant liver segmentation",
    );
}

/// Segmentation Series module (PS3.3 C.8.20.1): modality SEG and the series number.
fn segmentation_series_module(o: &mut InMemDicomObject) {
    text(o, tags::MODALITY, VR::CS, "SEG");
    text(o, tags::SERIES_NUMBER, VR::IS, "300");
}

/// Frame of Reference module (PS3.3 C.7.4.1): the source's (or a new) Frame of Reference.
fn frame_of_reference_module(o: &mut InMemDicomObject, for_uid: &str) {
    text(o, tags::FRAME_OF_REFERENCE_UID, VR::UI, for_uid);
    text(o, tags::POSITION_REFERENCE_INDICATOR, VR::LO, "");
}

/// General Equipment module (PS3.3 C.7.5.1): the manufacturer.
pub(super) fn general_equipment_module(o: &mut InMemDicomObject) {
    text(o, tags::MANUFACTURER, VR::LO, "Remnant");
}

/// Enhanced General Equipment module (PS3.3 C.7.5.2): model, serial number and
/// software version (its Manufacturer is General Equipment's).
fn enhanced_general_equipment_module(o: &mut InMemDicomObject) {
    text(o, tags::MANUFACTURER_MODEL_NAME, VR::LO, "Remnant");
    text(o, tags::DEVICE_SERIAL_NUMBER, VR::LO, "none");
    text(
        o,
        tags::SOFTWARE_VERSIONS,
        VR::LO,
        env!("CARGO_PKG_VERSION"),
    );
}

/// General Image module (PS3.3 C.7.6.1): no lossy compression.
fn general_image_module(o: &mut InMemDicomObject) {
    text(o, tags::LOSSY_IMAGE_COMPRESSION, VR::CS, "00");
}

/// Segmentation Image module (PS3.3 C.8.20.2): image type, content identification,
/// BINARY segmentation type and the Segment Sequence.
fn segmentation_image_module(o: &mut InMemDicomObject, segments: &[WrittenSegment]) {
    strs(
        o,
        tags::IMAGE_TYPE,
        VR::CS,
        &["DERIVED".into(), "PRIMARY".into()],
    );
    text(o, tags::CONTENT_LABEL, VR::CS, "REMNANT");
    text(
        o,
        tags::CONTENT_DESCRIPTION,
        VR::LO,
        "Liver, resection, tumours, remnant, Couinaud segments",
    );
    text(o, tags::CONTENT_CREATOR_NAME, VR::PN, "");
    text(o, tags::SEGMENTATION_TYPE, VR::CS, "BINARY");
    let items = segments.iter().map(segment_item).collect();
    seq(o, tags::SEGMENT_SEQUENCE, items);
}

/// One item of the Segment Sequence (PS3.3 C.8.20.2): number, label, algorithm,
/// category, type and region codes and display colour.
fn segment_item(s: &WrittenSegment) -> InMemDicomObject {
    let mut i = InMemDicomObject::new_empty();
    o_u16(&mut i, tags::SEGMENT_NUMBER, s.number);
    text(&mut i, tags::SEGMENT_LABEL, VR::LO, s.kind.label());
    text(
        &mut i,
        tags::SEGMENT_DESCRIPTION,
        VR::ST,
        s.kind.description(),
    );
    text(
        &mut i,
        tags::SEGMENT_ALGORITHM_TYPE,
        VR::CS,
        "SEMIAUTOMATIC",
    );
    text(&mut i, tags::SEGMENT_ALGORITHM_NAME, VR::LO, "Remnant");
    seq(
        &mut i,
        tags::SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE,
        vec![code_item(&s.kind.category())],
    );
    seq(
        &mut i,
        tags::SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE,
        vec![code_item(&s.kind.property_type())],
    );
    if let Some(m) = s.kind.property_modifier() {
        seq(
            &mut i,
            tags::SEGMENTED_PROPERTY_TYPE_MODIFIER_CODE_SEQUENCE,
            vec![code_item(&m)],
        );
    }
    if let Some(r) = s.kind.region() {
        seq(&mut i, tags::ANATOMIC_REGION_SEQUENCE, vec![code_item(&r)]);
    }
    i.put(el(
        tags::RECOMMENDED_DISPLAY_CIE_LAB_VALUE,
        VR::US,
        PrimitiveValue::U16(s.kind.cielab().iter().copied().collect()),
    ));
    i
}

/// Image Pixel module (PS3.3 C.7.6.3): 1-bit monochrome frames of `[columns, rows]`
/// and the packed pixel data.
fn image_pixel_module(o: &mut InMemDicomObject, [nx, ny]: [usize; 2], bits: Vec<u8>) {
    o.put(el(tags::SAMPLES_PER_PIXEL, VR::US, 1u16));
    text(o, tags::PHOTOMETRIC_INTERPRETATION, VR::CS, "MONOCHROME2");
    o.put(el(tags::ROWS, VR::US, ny as u16));
    o.put(el(tags::COLUMNS, VR::US, nx as u16));
    o.put(el(tags::BITS_ALLOCATED, VR::US, 1u16));
    o.put(el(tags::BITS_STORED, VR::US, 1u16));
    o.put(el(tags::HIGH_BIT, VR::US, 0u16));
    o.put(el(tags::PIXEL_REPRESENTATION, VR::US, 0u16));
    o.put(el(
        tags::PIXEL_DATA,
        VR::OB,
        PrimitiveValue::U8(bits.into()),
    ));
}

/// Multi-frame Dimension module (PS3.3 C.7.6.17): frames indexed by segment number
/// and image position, under a new dimension organization UID.
fn multi_frame_dimension_module(o: &mut InMemDicomObject) {
    let dim_uid = new_uid();
    let mut dorg = InMemDicomObject::new_empty();
    text(
        &mut dorg,
        tags::DIMENSION_ORGANIZATION_UID,
        VR::UI,
        &dim_uid,
    );
    seq(o, tags::DIMENSION_ORGANIZATION_SEQUENCE, vec![dorg]);
    text(o, tags::DIMENSION_ORGANIZATION_TYPE, VR::CS, "3D");
    seq(
        o,
        tags::DIMENSION_INDEX_SEQUENCE,
        vec![
            dimension_index(
                &dim_uid,
                tags::REFERENCED_SEGMENT_NUMBER,
                tags::SEGMENT_IDENTIFICATION_SEQUENCE,
                "ReferencedSegmentNumber",
            ),
            dimension_index(
                &dim_uid,
                tags::IMAGE_POSITION_PATIENT,
                tags::PLANE_POSITION_SEQUENCE,
                "ImagePositionPatient",
            ),
        ],
    );
}

/// One item of the Dimension Index Sequence (PS3.3 C.7.6.17): the attribute
/// `index` inside the functional group `group`.
fn dimension_index(dim_uid: &str, index: Tag, group: Tag, label: &str) -> InMemDicomObject {
    let mut d = InMemDicomObject::new_empty();
    text(&mut d, tags::DIMENSION_ORGANIZATION_UID, VR::UI, dim_uid);
    d.put(el(
        tags::DIMENSION_INDEX_POINTER,
        VR::AT,
        PrimitiveValue::Tags([index].into_iter().collect()),
    ));
    d.put(el(
        tags::FUNCTIONAL_GROUP_POINTER,
        VR::AT,
        PrimitiveValue::Tags([group].into_iter().collect()),
    ));
    text(&mut d, tags::DIMENSION_DESCRIPTION_LABEL, VR::LO, label);
    d
}

/// What the per-frame functional groups are made from.
struct FrameSource<'a> {
    /// (segment number, slice k) of each frame.
    frames: &'a [(u16, usize)],
    refs: Option<&'a SourceRefs>,
    geometry: &'a Geometry,
    axes: &'a FrameAxes,
}

/// Multi-frame Functional Groups module (PS3.3 C.7.6.16): instance number, content
/// date and time, number of frames, and the shared and per-frame functional groups.
fn multi_frame_functional_groups_module(
    o: &mut InMemDicomObject,
    id: &Identity,
    src: &FrameSource,
) {
    text(o, tags::INSTANCE_NUMBER, VR::IS, "1");
    text(o, tags::CONTENT_DATE, VR::DA, &id.today);
    text(o, tags::CONTENT_TIME, VR::TM, &id.now);
    text(
        o,
        tags::NUMBER_OF_FRAMES,
        VR::IS,
        &src.frames.len().to_string(),
    );
    seq(
        o,
        tags::SHARED_FUNCTIONAL_GROUPS_SEQUENCE,
        vec![shared_functional_groups(src.axes)],
    );
    let per_frame = src
        .frames
        .iter()
        .map(|&(number, k)| per_frame_functional_groups(src, number, k))
        .collect();
    seq(o, tags::PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, per_frame);
}

/// The Shared Functional Groups item (PS3.3 C.7.6.16): Plane Orientation (Patient)
/// (C.7.6.16.2.4) and Pixel Measures (C.7.6.16.2.1).
fn shared_functional_groups(axes: &FrameAxes) -> InMemDicomObject {
    let mut shared = InMemDicomObject::new_empty();
    let mut orient = InMemDicomObject::new_empty();
    let iop: Vec<String> = axes
        .row_dir
        .iter()
        .chain(axes.col_dir.iter())
        .map(|&v| ds(v))
        .collect();
    strs(&mut orient, tags::IMAGE_ORIENTATION_PATIENT, VR::DS, &iop);
    seq(&mut shared, tags::PLANE_ORIENTATION_SEQUENCE, vec![orient]);
    let mut measures = InMemDicomObject::new_empty();
    strs(
        &mut measures,
        tags::PIXEL_SPACING,
        VR::DS,
        &[ds(axes.spacing[0]), ds(axes.spacing[1])],
    );
    text(
        &mut measures,
        tags::SLICE_THICKNESS,
        VR::DS,
        &ds(axes.thickness),
    );
    text(
        &mut measures,
        tags::SPACING_BETWEEN_SLICES,
        VR::DS,
        &ds(axes.thickness),
    );
    seq(&mut shared, tags::PIXEL_MEASURES_SEQUENCE, vec![measures]);
    shared
}

/// One Per-Frame Functional Groups item (PS3.3 C.7.6.16): Derivation Image
/// (C.7.6.16.2.6, when slice k has source images), Frame Content (C.7.6.16.2.2),
/// Plane Position (Patient) (C.7.6.16.2.3) and Segment Identification (C.8.20.3.1).
fn per_frame_functional_groups(src: &FrameSource, number: u16, k: usize) -> InMemDicomObject {
    let mut f = InMemDicomObject::new_empty();
    if let Some(r) = src.refs
        && let Some(imgs) = r.slices.get(k)
        && !imgs.is_empty()
    {
        seq(
            &mut f,
            tags::DERIVATION_IMAGE_SEQUENCE,
            vec![derivation_image(imgs)],
        );
    }
    let mut fc = InMemDicomObject::new_empty();
    fc.put(el(
        tags::DIMENSION_INDEX_VALUES,
        VR::UL,
        PrimitiveValue::U32([u32::from(number), k as u32 + 1].into_iter().collect()),
    ));
    seq(&mut f, tags::FRAME_CONTENT_SEQUENCE, vec![fc]);
    let mut pp = InMemDicomObject::new_empty();
    let pos = lps(src.geometry.to_world([0.0, 0.0, k as f64]));
    strs(
        &mut pp,
        tags::IMAGE_POSITION_PATIENT,
        VR::DS,
        &pos.iter().map(|&v| ds(v)).collect::<Vec<_>>(),
    );
    seq(&mut f, tags::PLANE_POSITION_SEQUENCE, vec![pp]);
    let mut si = InMemDicomObject::new_empty();
    o_u16(&mut si, tags::REFERENCED_SEGMENT_NUMBER, number);
    seq(&mut f, tags::SEGMENT_IDENTIFICATION_SEQUENCE, vec![si]);
    f
}

/// The Derivation Image item (PS3.3 C.7.6.16.2.6) of a frame made from `imgs`.
fn derivation_image(imgs: &[ImageRef]) -> InMemDicomObject {
    // the frame is the source image's own plane, unless the slice
    // was blended from two images (a gap or uneven spacing)
    let same_plane = if imgs.len() == 1 { "YES" } else { "NO" };
    let sources = imgs
        .iter()
        .map(|img| source_image(img, same_plane))
        .collect();
    let mut d = InMemDicomObject::new_empty();
    seq(&mut d, tags::SOURCE_IMAGE_SEQUENCE, sources);
    seq(
        &mut d,
        tags::DERIVATION_CODE_SEQUENCE,
        vec![code_item(&Code::new("113076", "DCM", "Segmentation"))],
    );
    d
}

/// One Source Image Sequence item (PS3.3 C.7.6.16.2.6): the image (and frame), whether
/// the frame keeps its plane, and the purpose of reference.
fn source_image(r: &ImageRef, same_plane: &str) -> InMemDicomObject {
    let mut s = InMemDicomObject::new_empty();
    text(
        &mut s,
        tags::REFERENCED_SOP_CLASS_UID,
        VR::UI,
        &r.sop_class_uid,
    );
    text(
        &mut s,
        tags::REFERENCED_SOP_INSTANCE_UID,
        VR::UI,
        &r.sop_instance_uid,
    );
    if let Some(f) = r.frame {
        text(
            &mut s,
            tags::REFERENCED_FRAME_NUMBER,
            VR::IS,
            &f.to_string(),
        );
    }
    text(
        &mut s,
        tags::SPATIAL_LOCATIONS_PRESERVED,
        VR::CS,
        same_plane,
    );
    seq(
        &mut s,
        tags::PURPOSE_OF_REFERENCE_CODE_SEQUENCE,
        vec![code_item(&Code::new(
            "121322",
            "DCM",
            "Source image for image processing operation",
        ))],
    );
    s
}

/// Common Instance Reference module (PS3.3 C.12.2): the source series and its
/// instances (one per multi-frame file); returns the number of source images.
fn common_instance_reference_module(o: &mut InMemDicomObject, refs: Option<&SourceRefs>) -> usize {
    let Some(r) = refs else { return 0 };
    let Some(series) = &r.series_instance_uid else {
        return 0;
    };
    let images = r.all_images();
    if !images.is_empty() {
        let mut s = InMemDicomObject::new_empty();
        text(&mut s, tags::SERIES_INSTANCE_UID, VR::UI, series);
        let mut seen: Vec<(&str, &str)> = Vec::new();
        let mut inst = Vec::new();
        for img in &images {
            let key = (img.sop_class_uid.as_str(), img.sop_instance_uid.as_str());
            if seen.contains(&key) {
                continue; // frames of one multi-frame file: one instance
            }
            seen.push(key);
            let mut i = InMemDicomObject::new_empty();
            text(&mut i, tags::REFERENCED_SOP_CLASS_UID, VR::UI, key.0);
            text(&mut i, tags::REFERENCED_SOP_INSTANCE_UID, VR::UI, key.1);
            inst.push(i);
        }
        seq(&mut s, tags::REFERENCED_INSTANCE_SEQUENCE, inst);
        seq(o, tags::REFERENCED_SERIES_SEQUENCE, vec![s]);
    }
    images.len()
}

/// The dataset as a file: explicit VR little endian with Remnant's implementation
/// class UID and version (File Meta Information, PS3.10 7.1).
pub(super) fn with_file_meta(
    o: InMemDicomObject,
) -> Result<FileDicomObject<InMemDicomObject>, SegError> {
    o.with_meta(
        FileMetaTableBuilder::new()
            .transfer_syntax(uids::EXPLICIT_VR_LITTLE_ENDIAN)
            .implementation_class_uid(IMPLEMENTATION_CLASS_UID)
            .implementation_version_name(concat!("REMNANT_", env!("CARGO_PKG_VERSION"))),
    )
    .map_err(|e| SegError::Geometry(format!("DICOM file meta: {e}")))
}

/// Write a DICOM file Remnant built (SEG, encapsulated PDF, SR) atomically.
pub(super) fn write_file(
    path: &Path,
    obj: &FileDicomObject<InMemDicomObject>,
) -> Result<(), SegError> {
    let failed = |e: &dyn std::fmt::Display| SegError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut bytes = Vec::new();
    obj.write_all(&mut bytes).map_err(|e| failed(&e))?;
    crate::fsutil::atomic_write(path, &bytes).map_err(|e| failed(&e))
}

/// Implementation Class UID of files Remnant writes (a fixed UUID-derived UID).
pub const IMPLEMENTATION_CLASS_UID: &str = "2.25.186517410327718129390154389410213052114";

/// Put a US value.
fn o_u16(obj: &mut InMemDicomObject, tag: Tag, v: u16) {
    obj.put(el(tag, VR::US, v));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ds_values_fit_16_characters() {
        assert_eq!(ds(3.0), "3");
        assert_eq!(ds(-177.95632935), "-177.95632935");
        assert_eq!(ds(0.0000000001), "0");
        assert_eq!(ds(-0.0), "0");
        let s = ds(-1234.567890123456);
        assert!(s.len() <= 16, "{s}");
        assert!((s.parse::<f64>().unwrap() + 1234.567890123456).abs() < 1e-6);
    }
}
