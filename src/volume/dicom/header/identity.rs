//! What identifies a series when SeriesInstanceUID is missing or empty (some
//! de-identification tools blank it): the study (StudyInstanceUID, or study
//! date and time), series date and time, SeriesNumber, Modality,
//! SeriesDescription, FrameOfReferenceUID, image orientation, rows and
//! columns, and pixel spacing. Images that agree on all of these form one
//! series; images that differ in any are kept apart. AcquisitionTime is not
//! used: many CT scanners give every slice its own, which would split a series
//! into single slices. The key is a hash of these fields, so the same files
//! give the same key on every scan (a case stores it to reopen the series).

use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;
use sha2::{Digest, Sha256};

use super::super::attrs;
use super::ImageHeader;

/// Prefix of the keys made for series without a UID.
pub const NO_UID_PREFIX: &str = "no-uid-";

/// The SeriesInstanceUID, or a key from the identifying fields.
pub fn series_key(obj: &InMemDicomObject, h: &ImageHeader) -> String {
    if let Some(uid) = &h.series_uid {
        return uid.clone();
    }
    let text = |tag| attrs::text(obj, tag).unwrap_or_default();
    let round = |v: &[f64], digits: i32| {
        let f = 10f64.powi(digits);
        v.iter()
            .map(|x| format!("{}", (x * f).round() / f + 0.0))
            .collect::<Vec<_>>()
            .join("\\")
    };
    let study = match &h.study_uid {
        Some(uid) => uid.clone(),
        None => format!("{} {}", text(tags::STUDY_DATE), text(tags::STUDY_TIME)),
    };
    let mut fields = vec![
        study,
        text(tags::SERIES_DATE),
        text(tags::SERIES_TIME),
        h.series_number.map(|n| n.to_string()).unwrap_or_default(),
        h.modality.clone().unwrap_or_default(),
        h.series_description.clone().unwrap_or_default(),
        text(tags::FRAME_OF_REFERENCE_UID),
        h.orientation.map(|o| round(&o, 3)).unwrap_or_default(),
        format!("{}x{}", h.cols, h.rows),
        h.pixel_spacing.map(|s| round(&s, 4)).unwrap_or_default(),
    ];
    if h.frames_in_file > 1 {
        // One enhanced multi-frame file is one series by itself.
        fields.push(
            h.sop_instance_uid
                .clone()
                .unwrap_or_else(|| h.path.display().to_string()),
        );
    }
    let mut hash = Sha256::new();
    for f in &fields {
        hash.update(f.as_bytes());
        hash.update([0u8]);
    }
    let hex: String = hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{NO_UID_PREFIX}{hex}")
}
