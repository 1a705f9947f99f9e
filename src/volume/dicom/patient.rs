//! Patient and study fields that pre-fill the report header.

use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;
use serde::{Deserialize, Serialize};

use super::attrs;

/// Who and what was scanned, as written in the DICOM header. Every field is
/// optional: anonymised data often has none of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientInfo {
    /// "FAMILY, Given Middle" from the DICOM person name `FAMILY^Given^Middle`.
    pub name: Option<String>,
    pub id: Option<String>,
    /// ISO 8601 `YYYY-MM-DD` when the DICOM date is well-formed, else as written.
    pub birth_date: Option<String>,
    /// The DICOM code as written: `M`, `F` or `O`.
    pub sex: Option<String>,
    /// ISO 8601 `YYYY-MM-DD` when well-formed, else as written.
    pub study_date: Option<String>,
    pub accession_number: Option<String>,
}

impl PatientInfo {
    pub(crate) fn from_object(obj: &InMemDicomObject) -> Self {
        PatientInfo {
            name: attrs::text(obj, tags::PATIENT_NAME).and_then(|n| person_name(&n)),
            id: attrs::text(obj, tags::PATIENT_ID),
            birth_date: attrs::text(obj, tags::PATIENT_BIRTH_DATE).map(|d| iso_date(&d)),
            sex: attrs::text(obj, tags::PATIENT_SEX),
            study_date: attrs::text(obj, tags::STUDY_DATE).map(|d| iso_date(&d)),
            accession_number: attrs::text(obj, tags::ACCESSION_NUMBER),
        }
    }
}

/// `DOE^JOHN^Q` -> `DOE, JOHN Q`; only the first (alphabetic) component group is used.
pub fn person_name(raw: &str) -> Option<String> {
    let alphabetic = raw.split('=').next().unwrap_or("");
    let mut parts = alphabetic.split('^').map(str::trim);
    let family = parts.next().unwrap_or("");
    let given: Vec<&str> = parts.take(2).filter(|p| !p.is_empty()).collect();
    let name = match (family.is_empty(), given.is_empty()) {
        (true, true) => return None,
        (false, true) => family.to_string(),
        (true, false) => given.join(" "),
        (false, false) => format!("{family}, {}", given.join(" ")),
    };
    Some(name)
}

/// `20240131` -> `2024-01-31`; anything else is returned unchanged.
pub fn iso_date(raw: &str) -> String {
    let b = raw.as_bytes();
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        format!("{}-{}-{}", &raw[0..4], &raw[4..6], &raw[6..8])
    } else {
        raw.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_dates() {
        assert_eq!(person_name("DOE^JOHN^Q").as_deref(), Some("DOE, JOHN Q"));
        assert_eq!(person_name("DOE").as_deref(), Some("DOE"));
        assert_eq!(person_name("^^").as_deref(), None);
        assert_eq!(
            person_name("Yamada^Taro=山田^太郎").as_deref(),
            Some("Yamada, Taro")
        );
        assert_eq!(iso_date("20240131"), "2024-01-31");
        assert_eq!(iso_date("2024.01.31"), "2024.01.31");
    }
}
