//! What a derived object (a DICOM Segmentation) must reference about the series a
//! volume was loaded from: the study, series and Frame of Reference UIDs, the SOP
//! instance of every output slice, and the patient and study attributes as written
//! (raw, not reformatted for display), so the derived object files with its study.

use std::path::Path;

use dicom_dictionary_std::tags;
use dicom_object::OpenFileOptions;

use super::attrs;
use super::guard::no_panic;
use super::header::ImageHeader;
use super::stack::Plane;

/// One source image: SOP class and instance, and its frame (1-based) in a
/// multi-frame file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub sop_class_uid: String,
    pub sop_instance_uid: String,
    pub frame: Option<u32>,
}

/// The DICOM identity of a loaded series, for objects derived from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceRefs {
    pub study_instance_uid: Option<String>,
    pub series_instance_uid: Option<String>,
    pub frame_of_reference_uid: Option<String>,
    /// Per output slice k: the image it is (one), or the images it was made from
    /// (a gap filled, or the slabs an uneven spacing's grid slice straddles); empty
    /// if an image has no UID.
    pub slices: Vec<Vec<ImageRef>>,
    /// Patient and study attributes as written in the first image (raw values):
    /// PatientName, PatientID, PatientBirthDate, PatientSex, StudyDate, StudyTime,
    /// ReferringPhysicianName, StudyID, AccessionNumber, StudyDescription.
    pub study_attrs: StudyAttrs,
}

/// Raw patient / study attributes (None when absent or empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudyAttrs {
    pub patient_name: Option<String>,
    pub patient_id: Option<String>,
    pub patient_birth_date: Option<String>,
    pub patient_sex: Option<String>,
    pub study_date: Option<String>,
    pub study_time: Option<String>,
    pub referring_physician_name: Option<String>,
    pub study_id: Option<String>,
    pub accession_number: Option<String>,
    pub study_description: Option<String>,
}

impl SourceRefs {
    /// Every distinct source image, in slice order.
    pub fn all_images(&self) -> Vec<&ImageRef> {
        let mut out: Vec<&ImageRef> = Vec::new();
        for r in self.slices.iter().flatten() {
            if !out.iter().any(|o| o == &r) {
                out.push(r);
            }
        }
        out
    }
}

/// The references of a planned stack: slice k's image(s), the first image's
/// SOP class, Frame of Reference and study attributes (its header re-read; a
/// file that cannot be re-read leaves them empty).
pub(crate) fn source_refs(headers: &[ImageHeader], planes: &[Plane]) -> SourceRefs {
    let first = headers.first();
    let (class, for_uid, study_attrs) =
        first.map(|h| first_file_attrs(&h.path)).unwrap_or_default();
    let image = |h: usize| -> Option<ImageRef> {
        let h = headers.get(h)?;
        Some(ImageRef {
            sop_class_uid: class.clone()?,
            sop_instance_uid: h.sop_instance_uid.clone()?,
            frame: (h.frames_in_file > 1).then_some(h.frame + 1),
        })
    };
    let slices = planes
        .iter()
        .map(|p| match p {
            Plane::Image(h) => image(*h).into_iter().collect(),
            Plane::Blend { lower, upper, .. } => {
                image(*lower).into_iter().chain(image(*upper)).collect()
            }
            Plane::Mix { parts, .. } => parts.iter().filter_map(|&(h, _)| image(h)).collect(),
        })
        .collect();
    SourceRefs {
        study_instance_uid: first.and_then(|h| h.study_uid.clone()),
        series_instance_uid: first.and_then(|h| h.series_uid.clone()),
        frame_of_reference_uid: for_uid,
        slices,
        study_attrs,
    }
}

/// SOP class, Frame of Reference UID and raw study attributes of one file.
fn first_file_attrs(path: &Path) -> (Option<String>, Option<String>, StudyAttrs) {
    let Ok(Ok(obj)) = no_panic("unreadable DICOM header", || {
        OpenFileOptions::new()
            .read_until(tags::PIXEL_DATA)
            .open_file(path)
    }) else {
        return (None, None, StudyAttrs::default());
    };
    let class = attrs::text(&obj, tags::SOP_CLASS_UID)
        .or_else(|| {
            Some(
                obj.meta()
                    .media_storage_sop_class_uid()
                    .trim_end_matches('\0')
                    .to_string(),
            )
        })
        .filter(|s| !s.is_empty());
    let t = |tag| attrs::text(&obj, tag);
    let study = StudyAttrs {
        patient_name: t(tags::PATIENT_NAME),
        patient_id: t(tags::PATIENT_ID),
        patient_birth_date: t(tags::PATIENT_BIRTH_DATE),
        patient_sex: t(tags::PATIENT_SEX),
        study_date: t(tags::STUDY_DATE),
        study_time: t(tags::STUDY_TIME),
        referring_physician_name: t(tags::REFERRING_PHYSICIAN_NAME),
        study_id: t(tags::STUDY_ID),
        accession_number: t(tags::ACCESSION_NUMBER),
        study_description: t(tags::STUDY_DESCRIPTION),
    };
    (class, t(tags::FRAME_OF_REFERENCE_UID), study)
}
