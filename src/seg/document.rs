//! The report as a DICOM Encapsulated PDF (PS3.3 A.45.1, SOP class
//! `uids::ENCAPSULATED_PDF_STORAGE`), so that it can go to PACS and the patient
//! record beside the CT it was planned on.
//!
//! On a scan loaded from DICOM the document joins the CT's study and patient
//! (Study Instance UID and the Patient and General Study modules copied from the
//! source); a NIfTI scan has neither, so the document gets a new study, the
//! patient as typed in the report, and a warning saying PACS will file it apart.
//! The PDF's bytes are the Encapsulated Document as they are, padded with one NUL
//! to an even length (PS3.3 C.24.2.1), with Encapsulated Document Length giving
//! the true length.

use std::path::Path;

use dicom_core::VR;
use dicom_dictionary_std::{tags, uids};
use dicom_object::{FileDicomObject, InMemDicomObject};

use super::SegError;
use super::codes::Code;
use super::dates::now_utc;
use super::uid::new_uid;
use super::write::{
    code_item, el, general_equipment_module, general_study_module, patient_module, seq, text,
    with_file_meta, write_file,
};
use crate::report::{Patient, ReportKind};
use crate::volume::dicom::SourceRefs;

/// The document's title.
pub fn document_title(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Plan => "Remnant liver resection plan",
        ReportKind::Operative => "Remnant operative report",
        ReportKind::Both => "Remnant liver plan and operative report",
    }
}

/// The document's Concept Name (LOINC document codes): 18748-4 "Diagnostic
/// imaging study" for a plan made on the scan; 11504-8 "Surgical operation note"
/// for anything holding the operative report.
pub fn document_concept(kind: ReportKind) -> Code {
    match kind {
        ReportKind::Plan => Code::new("18748-4", "LN", "Diagnostic imaging study"),
        ReportKind::Operative | ReportKind::Both => {
            Code::new("11504-8", "LN", "Surgical operation note")
        }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentWritten {
    pub study_instance_uid: String,
    pub series_instance_uid: String,
    pub sop_instance_uid: String,
    /// The PDF's length in bytes (the element holds one more when it is odd).
    pub pdf_bytes: usize,
    /// What the user must know (a new study for a NIfTI scan...).
    pub warnings: Vec<String>,
}

/// Build the Encapsulated PDF object of `pdf`.
pub fn build_pdf_document(
    pdf: &[u8],
    kind: ReportKind,
    refs: Option<&SourceRefs>,
    patient: &Patient,
) -> Result<(FileDicomObject<InMemDicomObject>, DocumentWritten), SegError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(SegError::Geometry(
            "the report to encapsulate is not a PDF (it does not start with %PDF-)".into(),
        ));
    }
    let len = u32::try_from(pdf.len())
        .ok()
        .filter(|&n| n < u32::MAX - 1)
        .ok_or_else(|| SegError::Geometry("the PDF is larger than DICOM can hold".into()))?;
    let mut warnings = Vec::new();
    let study_uid = match refs.and_then(|r| r.study_instance_uid.clone()) {
        Some(u) => u,
        None => {
            warnings.push(match refs {
                None => "the scan is not from DICOM: the document gets a new Study Instance UID \
                         and the patient as typed in the report; PACS will file it as a \
                         separate study"
                    .to_string(),
                Some(_) => "the source series has no Study Instance UID: the document gets a \
                            new one"
                    .into(),
            });
            new_uid()
        }
    };
    let (series_uid, sop_uid) = (new_uid(), new_uid());
    let mut o = InMemDicomObject::new_empty();
    sop_common(&mut o, &sop_uid);
    if refs.is_some() {
        patient_module(&mut o, refs);
    } else {
        typed_patient_module(&mut o, patient, &mut warnings);
    }
    general_study_module(&mut o, refs, &study_uid);
    document_series_module(&mut o, &series_uid);
    general_equipment_module(&mut o);
    sc_equipment_module(&mut o);
    document_module(&mut o, pdf, len, kind);
    let obj = with_file_meta(o)?;
    Ok((
        obj,
        DocumentWritten {
            study_instance_uid: study_uid,
            series_instance_uid: series_uid,
            sop_instance_uid: sop_uid,
            pdf_bytes: pdf.len(),
            warnings,
        },
    ))
}

/// Write the Encapsulated PDF file (atomically).
pub fn write_pdf_document(
    path: &Path,
    pdf: &[u8],
    kind: ReportKind,
    refs: Option<&SourceRefs>,
    patient: &Patient,
) -> Result<DocumentWritten, SegError> {
    let (obj, written) = build_pdf_document(pdf, kind, refs, patient)?;
    write_file(path, &obj)?;
    Ok(written)
}

/// SOP Common module (PS3.3 C.12.1): UTF-8, the SOP class and instance.
fn sop_common(o: &mut InMemDicomObject, sop_uid: &str) {
    text(o, tags::SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192");
    text(
        o,
        tags::SOP_CLASS_UID,
        VR::UI,
        uids::ENCAPSULATED_PDF_STORAGE,
    );
    text(o, tags::SOP_INSTANCE_UID, VR::UI, sop_uid);
}

/// Patient module (PS3.3 C.7.1.1) from the report's typed patient (a NIfTI scan
/// has none of its own); a birth date not written as a date is left out, saying so.
fn typed_patient_module(o: &mut InMemDicomObject, p: &Patient, warnings: &mut Vec<String>) {
    let or_empty = |v: &Option<String>| v.clone().unwrap_or_default();
    text(o, tags::PATIENT_NAME, VR::PN, &or_empty(&p.name));
    text(o, tags::PATIENT_ID, VR::LO, &or_empty(&p.patient_id));
    let birth = p.birth_date.as_deref().map(dicom_date);
    if let Some(None) = birth {
        warnings.push(format!(
            "the birth date \"{}\" is not a date (YYYY-MM-DD): left out of the document",
            p.birth_date.as_deref().unwrap_or_default()
        ));
    }
    text(
        o,
        tags::PATIENT_BIRTH_DATE,
        VR::DA,
        &birth.flatten().unwrap_or_default(),
    );
    let sex = match p.sex.as_deref().map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case("m") || s.eq_ignore_ascii_case("male") => "M",
        Some(s) if s.eq_ignore_ascii_case("f") || s.eq_ignore_ascii_case("female") => "F",
        Some(s) if !s.is_empty() => "O",
        _ => "",
    };
    text(o, tags::PATIENT_SEX, VR::CS, sex);
}

/// `YYYY-MM-DD` or `YYYYMMDD` as a DICOM DA; anything else is not a date.
fn dicom_date(s: &str) -> Option<String> {
    let digits: String = s.trim().chars().filter(|c| *c != '-').collect();
    let ok = digits.len() == 8
        && digits.chars().all(|c| c.is_ascii_digit())
        && (s.trim().len() == 8 || s.trim().len() == 10);
    ok.then_some(digits)
}

/// Encapsulated Document Series module (PS3.3 C.24.1): modality DOC.
fn document_series_module(o: &mut InMemDicomObject, series_uid: &str) {
    text(o, tags::MODALITY, VR::CS, "DOC");
    text(o, tags::SERIES_INSTANCE_UID, VR::UI, series_uid);
    text(o, tags::SERIES_NUMBER, VR::IS, "301");
    text(o, tags::SERIES_DESCRIPTION, VR::LO, "Remnant report");
}

/// SC Equipment module (PS3.3 C.8.6.1): made on a workstation.
fn sc_equipment_module(o: &mut InMemDicomObject) {
    text(o, tags::CONVERSION_TYPE, VR::CS, "WSD");
}

/// Encapsulated Document module (PS3.3 C.24.2): the PDF, its MIME type, title and
/// concept, and Burned In Annotation YES (the pages show the patient's name and ID).
fn document_module(o: &mut InMemDicomObject, pdf: &[u8], len: u32, kind: ReportKind) {
    let (today, now) = now_utc();
    text(o, tags::INSTANCE_NUMBER, VR::IS, "1");
    text(o, tags::CONTENT_DATE, VR::DA, &today);
    text(o, tags::CONTENT_TIME, VR::TM, &now);
    text(o, tags::ACQUISITION_DATE_TIME, VR::DT, "");
    text(o, tags::BURNED_IN_ANNOTATION, VR::CS, "YES");
    text(o, tags::RECOGNIZABLE_VISUAL_FEATURES, VR::CS, "NO");
    text(o, tags::DOCUMENT_TITLE, VR::ST, document_title(kind));
    seq(
        o,
        tags::CONCEPT_NAME_CODE_SEQUENCE,
        vec![code_item(&document_concept(kind))],
    );
    text(
        o,
        tags::MIME_TYPE_OF_ENCAPSULATED_DOCUMENT,
        VR::LO,
        "application/pdf",
    );
    let mut bytes = pdf.to_vec();
    if bytes.len() % 2 == 1 {
        bytes.push(0);
    }
    o.put(el(tags::ENCAPSULATED_DOCUMENT_LENGTH, VR::UL, len));
    o.put(el(tags::ENCAPSULATED_DOCUMENT, VR::OB, bytes));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_typed_become_da_or_nothing() {
        assert_eq!(dicom_date("1950-03-02").as_deref(), Some("19500302"));
        assert_eq!(dicom_date("19500302").as_deref(), Some("19500302"));
        assert_eq!(dicom_date("2 March 1950"), None);
        assert_eq!(dicom_date("1950-3-2"), None);
    }

    #[test]
    fn the_document_holds_the_pdf_bytes_padded_to_even_length() {
        let pdf = b"%PDF-1.4\nodd length!!".to_vec();
        assert_eq!(pdf.len() % 2, 1);
        let (obj, w) = build_pdf_document(
            &pdf,
            ReportKind::Plan,
            None,
            &Patient {
                name: Some("Doe^Jane".into()),
                birth_date: Some("1950-03-02".into()),
                ..Patient::default()
            },
        )
        .unwrap();
        let doc = obj.element(tags::ENCAPSULATED_DOCUMENT).unwrap();
        let bytes = doc.to_bytes().unwrap();
        assert_eq!(bytes.len(), pdf.len() + 1);
        assert_eq!(&bytes[..pdf.len()], &pdf[..]);
        let len = obj
            .element(tags::ENCAPSULATED_DOCUMENT_LENGTH)
            .unwrap()
            .to_int::<u32>()
            .unwrap();
        assert_eq!(len as usize, pdf.len());
        assert!(w.warnings[0].starts_with("the scan is not from DICOM"));
        let birth = obj
            .element(tags::PATIENT_BIRTH_DATE)
            .unwrap()
            .to_str()
            .unwrap();
        assert_eq!(birth, "19500302");
    }

    #[test]
    fn not_a_pdf_is_refused() {
        let e = build_pdf_document(b"hello", ReportKind::Plan, None, &Patient::default());
        assert!(e.is_err());
    }
}
