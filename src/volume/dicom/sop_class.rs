//! A SOP class's name for messages ("Enhanced CT Image Storage"), shared by the
//! header checks and the frame placement (its own module so that `frames` need
//! not import `header`, which imports `frames`).

use dicom_core::dictionary::UidDictionary;
use dicom_dictionary_std::StandardSopClassDictionary;

/// The SOP class's name from the standard dictionary, or its UID.
pub fn sop_class_name(uid: &str) -> String {
    match StandardSopClassDictionary.by_uid(uid) {
        Some(e) => e.name.to_string(),
        None if uid.is_empty() => "unknown SOP class".into(),
        None => uid.to_string(),
    }
}
