//! One file's header, read up to (not including) the pixel data, and the
//! decision whether it is an image that can join a volume.

use super::error::DicomError;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use dicom_dictionary_std::tags;
use dicom_object::{InMemDicomObject, OpenFileOptions};
use dicom_transfer_syntax_registry::{TransferSyntaxIndex, TransferSyntaxRegistry};

use super::attrs;
use super::frames;
use super::guard::no_panic;
mod identity;
use super::lengths::{Extent, check_lengths};
use super::patient::PatientInfo;
use super::sop_class::sop_class_name;

/// What the scan and the slice sorter need from one image file.
#[derive(Debug, Clone)]
pub struct ImageHeader {
    pub path: PathBuf,
    /// Which frame of the file this is (0 for a single-frame image).
    pub frame: u32,
    /// Frames in the file (1 for a single-frame image).
    pub frames_in_file: u32,
    /// SeriesInstanceUID; `None` when missing or empty (anonymised exports).
    pub series_uid: Option<String>,
    /// What groups this image into a series: the SeriesInstanceUID, or, without
    /// one, a key made from what identifies a series in practice (see `identity`).
    pub series_key: String,
    pub study_uid: Option<String>,
    pub sop_instance_uid: Option<String>,
    pub instance_number: Option<i64>,
    pub rows: u32,
    pub cols: u32,
    /// ImagePositionPatient (LPS mm): centre of the first transmitted pixel.
    pub position: Option<[f64; 3]>,
    /// ImageOrientationPatient: row direction cosines then column direction cosines (LPS).
    pub orientation: Option<[f64; 6]>,
    /// PixelSpacing: [between rows, between columns] in mm.
    pub pixel_spacing: Option<[f64; 2]>,
    pub slice_thickness: Option<f64>,
    pub spacing_between_slices: Option<f64>,
    pub transfer_syntax: String,
    pub modality: Option<String>,
    pub series_description: Option<String>,
    pub series_number: Option<i64>,
    pub study_description: Option<String>,
    pub patient: PatientInfo,
    /// This frame's own RescaleSlope / RescaleIntercept from the functional
    /// groups of an enhanced multi-frame image (`None`: the file's top level).
    pub frame_rescale: Option<(f64, f64)>,
    /// RescaleType (0028,1054), e.g. "HU"; "US" (unspecified) is kept as written.
    pub rescale_type: Option<String>,
    /// BurnedInAnnotation (0028,0301) is YES: text (a name...) is drawn into the pixels.
    pub burned_in_annotation: bool,
}

/// 8192 x 8192: larger single images (a damaged Rows or Columns, or not a CT
/// slice) are refused before any codec allocates them.
const MAX_PIXELS_PER_IMAGE: i64 = 1 << 26;

pub const DICOMDIR_SOP_CLASS: &str = "1.2.840.10008.1.3.10";

const NATIVE_SYNTAXES: [&str; 3] = [
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.2",
];

/// Read a file's header: one entry per image (a classic file holds one, an
/// enhanced multi-frame file one per frame). `Err` carries the reason to skip
/// it, phrased for a person: "category: detail".
pub fn read_header(path: &Path) -> Result<Vec<ImageHeader>, DicomError> {
    check_magic(path)?;
    let layout = check_lengths(path, Extent::Header)?;
    let obj = no_panic("unreadable DICOM header", || {
        OpenFileOptions::new()
            .read_until(tags::PIXEL_DATA)
            .open_file(path)
    })?
    .map_err(|e| DicomError::Unusable(format!("unreadable DICOM header: {e}")))?;
    let ts = obj.meta().transfer_syntax().to_string();
    let sop_class = obj.meta().media_storage_sop_class_uid().to_string();
    let headers = from_object(path, &obj, ts, &sop_class)?;
    check_frames(&headers[0], &obj, layout.pixel_data_len)?;
    check_size(path, &headers[0], &obj)?;
    Ok(headers)
}

/// Build the headers from a parsed object (also used on fully read files).
pub fn from_object(
    path: &Path,
    obj: &InMemDicomObject,
    transfer_syntax: String,
    sop_class: &str,
) -> Result<Vec<ImageHeader>, DicomError> {
    let (rows, cols) = check_image(obj, &transfer_syntax, sop_class)?;
    let frames = frames::frame_geometry(obj, sop_class)?;
    let frames_in_file = frames.len() as u32;
    let series_uid = attrs::text(obj, tags::SERIES_INSTANCE_UID);
    let first = ImageHeader {
        path: path.to_path_buf(),
        frame: 0,
        frames_in_file,
        series_key: String::new(),
        series_uid,
        study_uid: attrs::text(obj, tags::STUDY_INSTANCE_UID),
        sop_instance_uid: attrs::text(obj, tags::SOP_INSTANCE_UID),
        instance_number: attrs::int(obj, tags::INSTANCE_NUMBER),
        rows: u32::try_from(rows)
            .map_err(|_| DicomError::Unusable("bad image size: Rows".to_string()))?,
        cols: u32::try_from(cols)
            .map_err(|_| DicomError::Unusable("bad image size: Columns".to_string()))?,
        position: None,
        orientation: None,
        pixel_spacing: None,
        slice_thickness: None,
        spacing_between_slices: None,
        transfer_syntax,
        modality: attrs::text(obj, tags::MODALITY),
        series_description: attrs::text(obj, tags::SERIES_DESCRIPTION),
        series_number: attrs::int(obj, tags::SERIES_NUMBER),
        study_description: attrs::text(obj, tags::STUDY_DESCRIPTION),
        patient: PatientInfo::from_object(obj),
        frame_rescale: None,
        rescale_type: attrs::text(obj, tags::RESCALE_TYPE),
        burned_in_annotation: attrs::text(obj, tags::BURNED_IN_ANNOTATION)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("YES")),
    };
    let mut out: Vec<ImageHeader> = frames
        .into_iter()
        .enumerate()
        .map(|(f, g)| frame_header(&first, f, g, frames_in_file))
        .collect();
    let key = identity::series_key(obj, &out[0]);
    for h in &mut out {
        h.series_key = key.clone();
    }
    Ok(out)
}

/// Refuse what is not a decodable greyscale image, naming why; its (rows, columns).
fn check_image(
    obj: &InMemDicomObject,
    transfer_syntax: &str,
    sop_class: &str,
) -> Result<(i64, i64), DicomError> {
    if sop_class == DICOMDIR_SOP_CLASS {
        return Err(DicomError::Unusable(
            "DICOMDIR: a directory index, not an image".into(),
        ));
    }
    if let Some(kind) = non_image_kind(sop_class) {
        return Err(DicomError::Unusable(format!("not an image: {kind}")));
    }
    let (Some(rows), Some(cols)) = (
        attrs::int(obj, tags::ROWS).filter(|&v| v > 0),
        attrs::int(obj, tags::COLUMNS).filter(|&v| v > 0),
    ) else {
        return Err(DicomError::Unusable(format!(
            "no pixel data: {}",
            sop_class_name(sop_class)
        )));
    };
    if rows.saturating_mul(cols) > MAX_PIXELS_PER_IMAGE {
        return Err(DicomError::Unusable(format!(
            "bad image size: {cols} x {rows} pixels is more than one slice of a volume can hold"
        )));
    }
    let samples = attrs::int(obj, tags::SAMPLES_PER_PIXEL).unwrap_or(1);
    if samples != 1 {
        return Err(DicomError::Unusable(format!(
            "colour image: {samples} samples per pixel ({})",
            sop_class_name(sop_class)
        )));
    }
    match TransferSyntaxRegistry.get(transfer_syntax) {
        None => {
            return Err(DicomError::Unusable(format!(
                "unknown transfer syntax: {transfer_syntax}"
            )));
        }
        Some(ts) if !ts.can_decode_all() => {
            return Err(DicomError::Unusable(format!(
                "unsupported compression: {} ({transfer_syntax})",
                ts.name()
            )));
        }
        Some(_) => {}
    }
    Ok((rows, cols))
}

/// One frame's header: the file's, with the frame's own geometry and rescale.
fn frame_header(
    first: &ImageHeader,
    f: usize,
    g: frames::FrameGeometry,
    frames_in_file: u32,
) -> ImageHeader {
    let mut h = first.clone();
    h.frame = f as u32;
    h.position = g.position;
    h.orientation = g.orientation;
    h.pixel_spacing = g.pixel_spacing;
    h.slice_thickness = g.slice_thickness;
    h.spacing_between_slices = g.spacing_between_slices;
    h.frame_rescale = g.rescale;
    if g.rescale_type.is_some() {
        h.rescale_type = g.rescale_type;
    }
    if frames_in_file > 1 {
        // Frames are told apart by their number within the file.
        h.instance_number = Some(f as i64 + 1);
    }
    h
}

/// DICOM Part 10 files have "DICM" at byte 128 (or at 0 when the preamble was dropped).
fn check_magic(path: &Path) -> Result<(), DicomError> {
    let mut head = Vec::with_capacity(132);
    File::open(path)
        .and_then(|f| f.take(132).read_to_end(&mut head))
        .map_err(|e| DicomError::Io(format!("cannot read the file: {e}")))?;
    let at = |o: usize| head.get(o..o + 4) == Some(b"DICM".as_slice());
    if at(128) || at(0) {
        Ok(())
    } else {
        Err(DicomError::Unusable(
            "not a DICOM file: no DICM marker".into(),
        ))
    }
}

/// Uncompressed pixel data has a known size: a file too short to hold it is truncated.
fn check_size(path: &Path, h: &ImageHeader, obj: &InMemDicomObject) -> Result<(), DicomError> {
    if !NATIVE_SYNTAXES.contains(&h.transfer_syntax.as_str()) {
        return Ok(());
    }
    let bytes_per_sample = attrs::int(obj, tags::BITS_ALLOCATED).unwrap_or(16).max(8) as u64 / 8;
    let frames = u64::from(h.frames_in_file.max(1));
    let need = u64::from(h.rows) * u64::from(h.cols) * bytes_per_sample * frames;
    let have = std::fs::metadata(path).map(|m| m.len()).unwrap_or(u64::MAX);
    if have < need {
        let what = if frames > 1 {
            format!("its {frames} frames of pixel data need")
        } else {
            "its pixel data alone needs".to_string()
        };
        return Err(DicomError::Unusable(format!(
            "truncated: the file has {have} bytes, {what} {need}"
        )));
    }
    Ok(())
}

/// A multi-frame file's uncompressed pixel data must hold NumberOfFrames frames.
fn check_frames(
    h: &ImageHeader,
    obj: &InMemDicomObject,
    len: Option<u32>,
) -> Result<(), DicomError> {
    let (Some(len), true) = (len, h.frames_in_file > 1) else {
        return Ok(());
    };
    if !NATIVE_SYNTAXES.contains(&h.transfer_syntax.as_str()) {
        return Ok(());
    }
    let bytes_per_sample = attrs::int(obj, tags::BITS_ALLOCATED).unwrap_or(16).max(8) as u64 / 8;
    let frame = u64::from(h.rows) * u64::from(h.cols) * bytes_per_sample;
    let need = frame * u64::from(h.frames_in_file);
    if u64::from(len) < need {
        return Err(DicomError::Unusable(format!(
            "frame count: NumberOfFrames (0028,0008) is {} but the pixel data holds {} bytes, \
             {} whole frame{} of {frame} bytes",
            h.frames_in_file,
            len,
            u64::from(len) / frame,
            if u64::from(len) / frame == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// SOP classes that never hold an image volume slice.
fn non_image_kind(sop_class: &str) -> Option<&'static str> {
    const KINDS: [(&str, &str); 6] = [
        ("1.2.840.10008.5.1.4.1.1.88.", "structured report (SR)"),
        ("1.2.840.10008.5.1.4.1.1.11.", "presentation state"),
        (
            "1.2.840.10008.5.1.4.1.1.104.",
            "encapsulated document (PDF/CDA)",
        ),
        (
            "1.2.840.10008.5.1.4.1.1.66",
            "raw data, registration or segmentation",
        ),
        ("1.2.840.10008.5.1.4.1.1.9.", "waveform"),
        ("1.2.840.10008.5.1.4.1.1.481.", "radiotherapy object"),
    ];
    KINDS
        .iter()
        .find(|(prefix, _)| sop_class.starts_with(prefix))
        .map(|(_, kind)| *kind)
}
