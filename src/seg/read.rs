//! Reading a DICOM Segmentation made anywhere (Slicer / dcmqi, highdicom,
//! TotalSegmentator, Remnant): its segments with their codes, and every frame with
//! its own geometry (per-frame functional groups, else the shared ones).

use std::path::{Path, PathBuf};

use dicom_core::Tag;
use dicom_core::value::Value;
use dicom_dictionary_std::{tags, uids};
use dicom_object::{FileDicomObject, InMemDicomObject, OpenFileOptions};

use super::SegError;
use super::codes::Code;

/// One segment as the file describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct SegSegment {
    pub number: u16,
    pub label: String,
    pub category: Option<Code>,
    pub property_type: Option<Code>,
    pub region: Option<Code>,
}

/// One frame: which segment, where it lies (LPS mm), and where its pixels start.
#[derive(Debug, Clone, PartialEq)]
pub struct SegFrame {
    pub segment: u16,
    /// ImagePositionPatient: centre of the first pixel, LPS mm.
    pub position: [f64; 3],
    /// Direction of increasing column index, then of increasing row index (LPS).
    pub row_dir: [f64; 3],
    pub col_dir: [f64; 3],
    /// PixelSpacing: [between rows, between columns] mm.
    pub spacing: [f64; 2],
    /// SpacingBetweenSlices, else SliceThickness, when given.
    pub thickness: Option<f64>,
    /// Index of the frame's first pixel in the pixel data.
    pub first_pixel: usize,
}

/// A parsed SEG file.
#[derive(Debug, Clone)]
pub struct SegFile {
    pub path: PathBuf,
    pub rows: usize,
    pub cols: usize,
    pub segments: Vec<SegSegment>,
    pub frames: Vec<SegFrame>,
    pub frame_of_reference_uid: Option<String>,
    pub study_instance_uid: Option<String>,
    pub series_instance_uid: Option<String>,
    pub sop_instance_uid: Option<String>,
    /// SeriesInstanceUIDs of the Referenced Series Sequence (the source images' series).
    pub referenced_series: Vec<String>,
    /// SOP Instance UIDs of the source images (Referenced Series Sequence).
    pub referenced_instances: Vec<String>,
    /// BINARY: one bit per pixel; FRACTIONAL: one byte, "in" from half the maximum.
    fractional_max: Option<u8>,
    pixels: Vec<u8>,
}

impl SegFile {
    /// Whether pixel `p` (row-major index within the frame) of frame `f` is set.
    #[inline]
    pub fn is_set(&self, f: &SegFrame, p: usize) -> bool {
        let i = f.first_pixel + p;
        match self.fractional_max {
            None => self
                .pixels
                .get(i / 8)
                .is_some_and(|b| b >> (i % 8) & 1 == 1),
            Some(max) => self
                .pixels
                .get(i)
                .is_some_and(|&v| u16::from(v) * 2 >= u16::from(max) && v > 0),
        }
    }

    pub fn segment(&self, number: u16) -> Option<&SegSegment> {
        self.segments.iter().find(|s| s.number == number)
    }
}

fn text(obj: &InMemDicomObject, tag: Tag) -> Option<String> {
    let v = obj.get(tag)?.to_str().ok()?;
    let t = v.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    (!t.is_empty()).then(|| t.to_string())
}

fn floats(obj: &InMemDicomObject, tag: Tag) -> Option<Vec<f64>> {
    let v = obj.get(tag)?.to_multi_float64().ok()?;
    v.iter().all(|x| x.is_finite()).then_some(v)
}

fn int(obj: &InMemDicomObject, tag: Tag) -> Option<i64> {
    obj.get(tag)?.to_int::<i64>().ok()
}

fn items(obj: &InMemDicomObject, tag: Tag) -> &[InMemDicomObject] {
    obj.get(tag).and_then(|e| e.value().items()).unwrap_or(&[])
}

fn first_item(obj: &InMemDicomObject, tag: Tag) -> Option<&InMemDicomObject> {
    items(obj, tag).first()
}

fn code(obj: &InMemDicomObject, tag: Tag) -> Option<Code> {
    let i = first_item(obj, tag)?;
    Some(Code {
        value: text(i, tags::CODE_VALUE)
            .or_else(|| text(i, tags::LONG_CODE_VALUE))
            .or_else(|| text(i, tags::URN_CODE_VALUE))?,
        scheme: text(i, tags::CODING_SCHEME_DESIGNATOR).unwrap_or_default(),
        meaning: text(i, tags::CODE_MEANING).unwrap_or_default(),
    })
}

fn tag_name(tag: Tag) -> String {
    format!("({:04X},{:04X})", tag.0, tag.1)
}

/// Read and check a SEG file.
pub fn read_seg(path: &Path) -> Result<SegFile, SegError> {
    let obj = open_seg(path)?;
    let why = Why(path);
    check_sop_class(&obj, &why)?;
    let fractional_max = pixel_encoding(&obj, &why)?;
    let rows = int(&obj, tags::ROWS).filter(|&v| v > 0);
    let cols = int(&obj, tags::COLUMNS).filter(|&v| v > 0);
    let (Some(rows), Some(cols)) = (rows, cols) else {
        return Err(why.malformed("no Rows / Columns".into()));
    };
    let (rows, cols) = (rows as usize, cols as usize);
    let n_frames = int(&obj, tags::NUMBER_OF_FRAMES).unwrap_or(1).max(0) as usize;
    let segments = segment_sequence(&obj, &why)?;
    let frame_len = rows * cols;
    let need = match fractional_max {
        None => (n_frames * frame_len).div_ceil(8),
        Some(_) => n_frames * frame_len,
    };
    let pixels = pixel_data(&obj, &why, need, n_frames, [cols, rows])?;
    let frames = read_frames(&obj, &why, &segments, n_frames, frame_len)?;
    let ref_series = items(&obj, tags::REFERENCED_SERIES_SEQUENCE);
    Ok(SegFile {
        path: path.to_path_buf(),
        rows,
        cols,
        segments,
        frames,
        frame_of_reference_uid: text(&obj, tags::FRAME_OF_REFERENCE_UID),
        study_instance_uid: text(&obj, tags::STUDY_INSTANCE_UID),
        series_instance_uid: text(&obj, tags::SERIES_INSTANCE_UID),
        sop_instance_uid: text(&obj, tags::SOP_INSTANCE_UID),
        referenced_series: ref_series
            .iter()
            .filter_map(|s| text(s, tags::SERIES_INSTANCE_UID))
            .collect(),
        referenced_instances: ref_series
            .iter()
            .flat_map(|s| items(s, tags::REFERENCED_INSTANCE_SEQUENCE))
            .filter_map(|i| text(i, tags::REFERENCED_SOP_INSTANCE_UID))
            .collect(),
        fractional_max,
        pixels,
    })
}

/// The file being read, to name in its errors.
struct Why<'a>(&'a Path);

impl Why<'_> {
    /// A malformed-file error for this file.
    fn malformed(&self, message: String) -> SegError {
        SegError::Malformed {
            path: self.0.to_path_buf(),
            message,
        }
    }

    /// An unsupported-file error for this file.
    fn unsupported(&self, message: String) -> SegError {
        SegError::Unsupported {
            path: self.0.to_path_buf(),
            message,
        }
    }
}

/// Open `path` as a DICOM file (a decoder panic is reported as not DICOM).
fn open_seg(path: &Path) -> Result<FileDicomObject<InMemDicomObject>, SegError> {
    let p = path.to_path_buf();
    if !path.is_file() {
        return Err(SegError::Io {
            path: p,
            message: "no such file".into(),
        });
    }
    std::panic::catch_unwind(|| OpenFileOptions::new().open_file(path))
        .map_err(|_| SegError::NotDicom {
            path: p.clone(),
            message: "internal decoder error".into(),
        })?
        .map_err(|e| SegError::NotDicom {
            path: p.clone(),
            message: e.to_string(),
        })
}

/// Err unless the SOP class (of the dataset, else of the file meta) is Segmentation Storage.
fn check_sop_class(obj: &FileDicomObject<InMemDicomObject>, why: &Why) -> Result<(), SegError> {
    let sop_class = text(obj, tags::SOP_CLASS_UID).unwrap_or_else(|| {
        obj.meta()
            .media_storage_sop_class_uid()
            .trim_end_matches('\0')
            .to_string()
    });
    if sop_class == uids::LABEL_MAP_SEGMENTATION_STORAGE {
        return Err(why.unsupported(
            "a Label Map Segmentation: only BINARY and FRACTIONAL Segmentations (SOP class \
             1.2.840.10008.5.1.4.1.1.66.4) are read; export it as a binary DICOM SEG"
                .into(),
        ));
    }
    if sop_class != uids::SEGMENTATION_STORAGE {
        return Err(SegError::NotSegmentation {
            path: why.0.to_path_buf(),
            sop_class,
        });
    }
    Ok(())
}

/// BINARY 1-bit pixels (None) or FRACTIONAL 8-bit ones with their maximum value.
fn pixel_encoding(obj: &InMemDicomObject, why: &Why) -> Result<Option<u8>, SegError> {
    let seg_type = text(obj, tags::SEGMENTATION_TYPE).unwrap_or_default();
    let bits_allocated = int(obj, tags::BITS_ALLOCATED).unwrap_or(0);
    match seg_type.as_str() {
        "BINARY" if bits_allocated == 1 => Ok(None),
        "FRACTIONAL" if bits_allocated == 8 => {
            let max = int(obj, tags::MAXIMUM_FRACTIONAL_VALUE)
                .filter(|&m| (1..=255).contains(&m))
                .ok_or_else(|| {
                    why.malformed(format!(
                        "FRACTIONAL without a MaximumFractionalValue {} of 1-255",
                        tag_name(tags::MAXIMUM_FRACTIONAL_VALUE)
                    ))
                })?;
            Ok(Some(max as u8))
        }
        other => Err(why.unsupported(format!(
            "SegmentationType \"{other}\" with BitsAllocated {bits_allocated}: only BINARY (1 bit) \
             and FRACTIONAL (8 bits) are read"
        ))),
    }
}

/// The segments of the Segment Sequence (Err if there is none).
fn segment_sequence(obj: &InMemDicomObject, why: &Why) -> Result<Vec<SegSegment>, SegError> {
    let segments: Vec<SegSegment> = items(obj, tags::SEGMENT_SEQUENCE)
        .iter()
        .filter_map(|s| {
            Some(SegSegment {
                number: int(s, tags::SEGMENT_NUMBER)? as u16,
                label: text(s, tags::SEGMENT_LABEL).unwrap_or_default(),
                category: code(s, tags::SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE),
                property_type: code(s, tags::SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE),
                region: code(s, tags::ANATOMIC_REGION_SEQUENCE),
            })
        })
        .collect();
    if segments.is_empty() {
        return Err(why.malformed(format!(
            "no segment in the Segment Sequence {}",
            tag_name(tags::SEGMENT_SEQUENCE)
        )));
    }
    Ok(segments)
}

/// The uncompressed pixel data, at least `need` bytes for `n_frames` frames of
/// `[cols, rows]`.
fn pixel_data(
    obj: &FileDicomObject<InMemDicomObject>,
    why: &Why,
    need: usize,
    n_frames: usize,
    [cols, rows]: [usize; 2],
) -> Result<Vec<u8>, SegError> {
    let pixel_el = obj
        .get(tags::PIXEL_DATA)
        .ok_or_else(|| why.malformed("no Pixel Data".into()))?;
    let pixels: Vec<u8> = match pixel_el.value() {
        Value::Primitive(v) => v.to_bytes().into_owned(),
        _ => {
            return Err(why.unsupported(format!(
                "compressed pixel data (transfer syntax {}): save the SEG uncompressed \
                 (explicit VR little endian)",
                obj.meta().transfer_syntax().trim_end_matches('\0')
            )));
        }
    };
    if pixels.len() < need {
        return Err(why.malformed(format!(
            "the pixel data holds {} bytes, {n_frames} frames of {cols} x {rows} need {need}",
            pixels.len()
        )));
    }
    Ok(pixels)
}

/// Every frame's segment and geometry from the per-frame functional groups (else
/// the shared ones); Err if their count is not `n_frames`.
fn read_frames(
    obj: &InMemDicomObject,
    why: &Why,
    segments: &[SegSegment],
    n_frames: usize,
    frame_len: usize,
) -> Result<Vec<SegFrame>, SegError> {
    let shared = first_item(obj, tags::SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
    let per_frame = items(obj, tags::PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
    if per_frame.len() != n_frames {
        return Err(why.malformed(format!(
            "{} per-frame functional group items for {n_frames} frames",
            per_frame.len()
        )));
    }
    let mut frames = Vec::with_capacity(n_frames);
    for (i, f) in per_frame.iter().enumerate() {
        let groups = FrameGroups { own: f, shared };
        let mut frame = read_frame(&groups, segments, |what, tag| {
            why.malformed(format!("frame {}: no {what} {}", i + 1, tag_name(tag)))
        })?;
        frame.first_pixel = i * frame_len;
        frames.push(frame);
    }
    Ok(frames)
}

/// One frame's functional groups: its own item and the shared one.
struct FrameGroups<'a> {
    own: &'a InMemDicomObject,
    shared: Option<&'a InMemDicomObject>,
}

impl FrameGroups<'_> {
    /// A functional group of the frame: its own, else the shared one.
    fn group(&self, seq: Tag) -> Option<InMemDicomObject> {
        first_item(self.own, seq)
            .or_else(|| self.shared.and_then(|s| first_item(s, seq)))
            .cloned()
    }
}

/// One frame's segment, position, orientation and spacing (`first_pixel` 0);
/// `missing` makes the error for an attribute it lacks.
fn read_frame(
    groups: &FrameGroups,
    segments: &[SegSegment],
    missing: impl Fn(&str, Tag) -> SegError,
) -> Result<SegFrame, SegError> {
    let position = groups
        .group(tags::PLANE_POSITION_SEQUENCE)
        .and_then(|g| floats(&g, tags::IMAGE_POSITION_PATIENT))
        .filter(|v| v.len() == 3)
        .ok_or_else(|| missing("ImagePositionPatient", tags::IMAGE_POSITION_PATIENT))?;
    let orientation = groups
        .group(tags::PLANE_ORIENTATION_SEQUENCE)
        .and_then(|g| floats(&g, tags::IMAGE_ORIENTATION_PATIENT))
        .filter(|v| v.len() == 6)
        .ok_or_else(|| missing("ImageOrientationPatient", tags::IMAGE_ORIENTATION_PATIENT))?;
    let measures = groups
        .group(tags::PIXEL_MEASURES_SEQUENCE)
        .ok_or_else(|| missing("Pixel Measures", tags::PIXEL_MEASURES_SEQUENCE))?;
    let spacing = floats(&measures, tags::PIXEL_SPACING)
        .filter(|v| v.len() == 2 && v[0] > 0.0 && v[1] > 0.0)
        .ok_or_else(|| missing("positive PixelSpacing", tags::PIXEL_SPACING))?;
    let thickness = floats(&measures, tags::SPACING_BETWEEN_SLICES)
        .or_else(|| floats(&measures, tags::SLICE_THICKNESS))
        .and_then(|v| v.first().copied())
        .filter(|&t| t > 0.0);
    let segment = groups
        .group(tags::SEGMENT_IDENTIFICATION_SEQUENCE)
        .and_then(|g| int(&g, tags::REFERENCED_SEGMENT_NUMBER))
        .map(|n| n as u16)
        .or_else(|| (segments.len() == 1).then_some(segments[0].number))
        .ok_or_else(|| missing("ReferencedSegmentNumber", tags::REFERENCED_SEGMENT_NUMBER))?;
    let unit = |v: [f64; 3]| {
        let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
        (n > 1e-6).then(|| v.map(|x| x / n))
    };
    let (Some(row_dir), Some(col_dir)) = (
        unit([orientation[0], orientation[1], orientation[2]]),
        unit([orientation[3], orientation[4], orientation[5]]),
    ) else {
        return Err(missing(
            "valid ImageOrientationPatient",
            tags::IMAGE_ORIENTATION_PATIENT,
        ));
    };
    Ok(SegFrame {
        segment,
        position: [position[0], position[1], position[2]],
        row_dir,
        col_dir,
        spacing: [spacing[0], spacing[1]],
        thickness,
        first_pixel: 0,
    })
}
