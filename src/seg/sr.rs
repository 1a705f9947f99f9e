//! The volumes as a DICOM Structured Report that PACS and viewers can list: a
//! Comprehensive SR following TID 1500 "Measurement Report" (PS3.16), written with
//! the SEG it measures.
//!
//! One TID 1411 "Volumetric ROI Measurements" group per segment of the SEG (whole
//! liver, resection, tumour, remnant, stage 1, and whatever else the SEG holds):
//! a tracking identifier (the segment's label) and UID, the finding and its category
//! (the segment's codes), the Referenced Segment (the SEG instance and segment
//! number), the source CT series when known, and the volume in cm3 (UCUM), counted
//! as the volumetry counts it (voxels x voxel volume). The FLR and sFLR, when
//! known, are a TID 1501 group of their own, each with its method named
//! (Remnant's local codes, scheme 99RMNT, as the SEG's).

use std::path::Path;

use dicom_core::VR;
use dicom_core::value::PrimitiveValue;
use dicom_dictionary_std::{tags, uids};
use dicom_object::{FileDicomObject, InMemDicomObject};

use super::SegError;
use super::codes::{Code, LOCAL};
use super::dates::now_utc;
use super::uid::new_uid;
use super::write::{
    Written, code_item, ds, el, general_equipment_module, general_study_module, patient_module,
    seq, sop_common_module, text, with_file_meta, write_file,
};
use crate::volume::dicom::SourceRefs;

/// The remnant ratios the report states, with what they were computed from.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ratios {
    /// Remnant / (total liver - tumour), %.
    pub flr_percent: Option<f64>,
    /// Remnant / standardised total liver volume (Vauthey 2002), %.
    pub sflr_percent: Option<f64>,
}

/// What the SR measures: the SEG just written and the grid it counted on.
#[derive(Debug, Clone, Copy)]
pub struct SrSource<'a> {
    pub seg: &'a Written,
    /// One voxel's volume, mm3.
    pub voxel_mm3: f64,
    /// The source CT (its series and study), when the scan came from DICOM.
    pub refs: Option<&'a SourceRefs>,
    pub ratios: Ratios,
}

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct SrWritten {
    pub sop_instance_uid: String,
    pub series_instance_uid: String,
    /// (segment number, volume in mL) of each measurement group, in order.
    pub volumes_ml: Vec<(u16, f64)>,
    /// What the user must know (no source series for a NIfTI scan).
    pub warnings: Vec<String>,
}

/// Build the SR object.
pub fn build_sr(
    src: &SrSource,
) -> Result<(FileDicomObject<InMemDicomObject>, SrWritten), SegError> {
    let (series_uid, sop_uid) = (new_uid(), new_uid());
    let mut o = InMemDicomObject::new_empty();
    sop_common_module(&mut o, uids::COMPREHENSIVE_SR_STORAGE, &sop_uid);
    patient_module(&mut o, src.refs);
    general_study_module(&mut o, src.refs, &src.seg.study_instance_uid);
    text(&mut o, tags::MODALITY, VR::CS, "SR");
    text(&mut o, tags::SERIES_INSTANCE_UID, VR::UI, &series_uid);
    text(&mut o, tags::SERIES_NUMBER, VR::IS, "302");
    text(&mut o, tags::SERIES_DESCRIPTION, VR::LO, "Remnant volumes");
    seq(
        &mut o,
        tags::REFERENCED_PERFORMED_PROCEDURE_STEP_SEQUENCE,
        vec![],
    );
    general_equipment_module(&mut o);
    document_general(&mut o, src.seg);
    let volumes_ml: Vec<(u16, f64)> = src
        .seg
        .segments
        .iter()
        .map(|s| (s.number, s.voxels as f64 * src.voxel_mm3 / 1000.0))
        .collect();
    document_content(&mut o, src, &volumes_ml);
    let obj = with_file_meta(o)?;
    let mut warnings = Vec::new();
    if src
        .refs
        .and_then(|r| r.series_instance_uid.as_ref())
        .is_none()
    {
        warnings.push(
            "the scan is not from DICOM (or its series has no UID): the SR names no source CT \
             series, which TID 1411 asks for beside a referenced segment; viewers may not tie \
             the volumes to a scan"
                .to_string(),
        );
    }
    Ok((
        obj,
        SrWritten {
            sop_instance_uid: sop_uid,
            series_instance_uid: series_uid,
            volumes_ml,
            warnings,
        },
    ))
}

/// Write the SR file (atomically).
pub fn write_sr(path: &Path, src: &SrSource) -> Result<SrWritten, SegError> {
    let (obj, written) = build_sr(src)?;
    write_file(path, &obj)?;
    Ok(written)
}

/// SR Document General module (PS3.3 C.17.2): complete, unverified (a volume
/// count, not a signed reading), and the evidence: the SEG instance.
fn document_general(o: &mut InMemDicomObject, seg: &Written) {
    let (today, now) = now_utc();
    text(o, tags::INSTANCE_NUMBER, VR::IS, "1");
    text(o, tags::COMPLETION_FLAG, VR::CS, "COMPLETE");
    text(o, tags::VERIFICATION_FLAG, VR::CS, "UNVERIFIED");
    text(o, tags::CONTENT_DATE, VR::DA, &today);
    text(o, tags::CONTENT_TIME, VR::TM, &now);
    seq(o, tags::PERFORMED_PROCEDURE_CODE_SEQUENCE, vec![]);
    let mut sop = InMemDicomObject::new_empty();
    text(
        &mut sop,
        tags::REFERENCED_SOP_CLASS_UID,
        VR::UI,
        uids::SEGMENTATION_STORAGE,
    );
    text(
        &mut sop,
        tags::REFERENCED_SOP_INSTANCE_UID,
        VR::UI,
        &seg.sop_instance_uid,
    );
    let mut series = InMemDicomObject::new_empty();
    text(
        &mut series,
        tags::SERIES_INSTANCE_UID,
        VR::UI,
        &seg.series_instance_uid,
    );
    seq(&mut series, tags::REFERENCED_SOP_SEQUENCE, vec![sop]);
    let mut study = InMemDicomObject::new_empty();
    text(
        &mut study,
        tags::STUDY_INSTANCE_UID,
        VR::UI,
        &seg.study_instance_uid,
    );
    seq(&mut study, tags::REFERENCED_SERIES_SEQUENCE, vec![series]);
    seq(
        o,
        tags::CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE,
        vec![study],
    );
}

/// One content item: its relationship (none for the root), value type and concept.
fn item(relationship: Option<&str>, value_type: &str, concept: &Code) -> InMemDicomObject {
    let mut i = InMemDicomObject::new_empty();
    if let Some(r) = relationship {
        text(&mut i, tags::RELATIONSHIP_TYPE, VR::CS, r);
    }
    text(&mut i, tags::VALUE_TYPE, VR::CS, value_type);
    seq(
        &mut i,
        tags::CONCEPT_NAME_CODE_SEQUENCE,
        vec![code_item(concept)],
    );
    i
}

fn container(
    relationship: Option<&str>,
    concept: &Code,
    template: Option<&str>,
    children: Vec<InMemDicomObject>,
) -> InMemDicomObject {
    let mut i = item(relationship, "CONTAINER", concept);
    text(&mut i, tags::CONTINUITY_OF_CONTENT, VR::CS, "SEPARATE");
    if let Some(t) = template {
        let mut tid = InMemDicomObject::new_empty();
        text(&mut tid, tags::MAPPING_RESOURCE, VR::CS, "DCMR");
        text(&mut tid, tags::TEMPLATE_IDENTIFIER, VR::CS, t);
        seq(&mut i, tags::CONTENT_TEMPLATE_SEQUENCE, vec![tid]);
    }
    seq(&mut i, tags::CONTENT_SEQUENCE, children);
    i
}

fn code_value(relationship: &str, concept: &Code, value: &Code) -> InMemDicomObject {
    let mut i = item(Some(relationship), "CODE", concept);
    seq(&mut i, tags::CONCEPT_CODE_SEQUENCE, vec![code_item(value)]);
    i
}

fn text_value(concept: &Code, value: &str) -> InMemDicomObject {
    let mut i = item(Some("CONTAINS"), "TEXT", concept);
    text(&mut i, tags::TEXT_VALUE, VR::UT, value);
    i
}

fn uid_value(relationship: &str, concept: &Code, uid: &str) -> InMemDicomObject {
    let mut i = item(Some(relationship), "UIDREF", concept);
    text(&mut i, tags::UID, VR::UI, uid);
    i
}

/// A NUM item: `value` in `unit` (UCUM), with its method when given.
fn num(concept: &Code, value: f64, unit: &Code, method: Option<&Code>) -> InMemDicomObject {
    let mut i = item(Some("CONTAINS"), "NUM", concept);
    let mut mv = InMemDicomObject::new_empty();
    text(&mut mv, tags::NUMERIC_VALUE, VR::DS, &ds(value));
    seq(
        &mut mv,
        tags::MEASUREMENT_UNITS_CODE_SEQUENCE,
        vec![code_item(unit)],
    );
    seq(&mut i, tags::MEASURED_VALUE_SEQUENCE, vec![mv]);
    if let Some(m) = method {
        let how = code_value(
            "HAS CONCEPT MOD",
            &sct("370129005", "Measurement Method"),
            m,
        );
        seq(&mut i, tags::CONTENT_SEQUENCE, vec![how]);
    }
    i
}

/// A DICOM (PS3.16 DCM) concept.
fn dcm(value: &str, meaning: &str) -> Code {
    Code::new(value, "DCM", meaning)
}

/// A SNOMED CT concept.
fn sct(value: &str, meaning: &str) -> Code {
    Code::new(value, "SCT", meaning)
}

/// SR Document Content module (PS3.3 C.17.3): the TID 1500 tree.
fn document_content(o: &mut InMemDicomObject, src: &SrSource, volumes_ml: &[(u16, f64)]) {
    let mut children = vec![
        code_value(
            "HAS CONCEPT MOD",
            &dcm("121049", "Language of Content Item and Descendants"),
            &Code::new("en-US", "RFC5646", "English (United States)"),
        ),
        code_value(
            "HAS OBS CONTEXT",
            &dcm("121005", "Observer Type"),
            &dcm("121007", "Device"),
        ),
        uid_value(
            "HAS OBS CONTEXT",
            &dcm("121012", "Device Observer UID"),
            super::write::IMPLEMENTATION_CLASS_UID,
        ),
        {
            let mut name = item(
                Some("HAS OBS CONTEXT"),
                "TEXT",
                &dcm("121013", "Device Observer Name"),
            );
            text(&mut name, tags::TEXT_VALUE, VR::UT, "Remnant");
            name
        },
        code_value(
            "HAS CONCEPT MOD",
            &dcm("121058", "Procedure reported"),
            &Code::new("363679005", "SCT", "Imaging procedure"),
        ),
    ];
    let mut groups: Vec<InMemDicomObject> = src
        .seg
        .segments
        .iter()
        .zip(volumes_ml)
        .map(|(s, &(_, ml))| segment_group(src, s, ml))
        .collect();
    groups.extend(ratio_group(&src.ratios));
    children.push(container(
        Some("CONTAINS"),
        &dcm("126010", "Imaging Measurements"),
        None,
        groups,
    ));
    let root = container(
        None,
        &dcm("126000", "Imaging Measurement Report"),
        Some("1500"),
        children,
    );
    for e in root.into_iter() {
        o.put(e);
    }
}

/// TID 1411 for one SEG segment.
fn segment_group(src: &SrSource, s: &super::WrittenSegment, ml: f64) -> InMemDicomObject {
    let mut items = vec![
        text_value(&dcm("112039", "Tracking Identifier"), s.kind.label()),
        uid_value(
            "CONTAINS",
            &dcm("112040", "Tracking Unique Identifier"),
            &new_uid(),
        ),
        code_value(
            "CONTAINS",
            &sct("276214006", "Finding category"),
            &s.kind.category(),
        ),
        code_value(
            "CONTAINS",
            &dcm("121071", "Finding"),
            &s.kind.property_type(),
        ),
    ];
    let mut image = item(
        Some("CONTAINS"),
        "IMAGE",
        &dcm("121191", "Referenced Segment"),
    );
    let mut sop = InMemDicomObject::new_empty();
    text(
        &mut sop,
        tags::REFERENCED_SOP_CLASS_UID,
        VR::UI,
        uids::SEGMENTATION_STORAGE,
    );
    text(
        &mut sop,
        tags::REFERENCED_SOP_INSTANCE_UID,
        VR::UI,
        &src.seg.sop_instance_uid,
    );
    sop.put(el(
        tags::REFERENCED_SEGMENT_NUMBER,
        VR::US,
        PrimitiveValue::from(s.number),
    ));
    seq(&mut image, tags::REFERENCED_SOP_SEQUENCE, vec![sop]);
    items.push(image);
    if let Some(series) = src.refs.and_then(|r| r.series_instance_uid.as_deref()) {
        items.push(uid_value(
            "CONTAINS",
            &dcm("121232", "Source series for segmentation"),
            series,
        ));
    }
    items.push(num(
        &sct("118565006", "Volume"),
        ml,
        &Code::new("cm3", "UCUM", "cubic centimeter"),
        Some(&Code::new(
            "VOXELCOUNT",
            LOCAL,
            "Voxel count x voxel volume (|det| of the affine)",
        )),
    ));
    container(
        Some("CONTAINS"),
        &dcm("125007", "Measurement Group"),
        Some("1411"),
        items,
    )
}

/// TID 1501 for the FLR and sFLR, when either is known.
fn ratio_group(r: &Ratios) -> Option<InMemDicomObject> {
    let percent = Code::new("%", "UCUM", "percent");
    let mut items = vec![
        text_value(
            &dcm("112039", "Tracking Identifier"),
            "Future liver remnant",
        ),
        uid_value(
            "CONTAINS",
            &dcm("112040", "Tracking Unique Identifier"),
            &new_uid(),
        ),
    ];
    if let Some(p) = r.flr_percent {
        items.push(num(
            &Code::new("FLR", LOCAL, "Future liver remnant, % of functional liver"),
            p,
            &percent,
            Some(&Code::new(
                "FLR-FUNCTIONAL",
                LOCAL,
                "Remnant / (total liver - tumour) volume",
            )),
        ));
    }
    if let Some(p) = r.sflr_percent {
        items.push(num(
            &Code::new(
                "SFLR",
                LOCAL,
                "Standardised future liver remnant, % of sTLV",
            ),
            p,
            &percent,
            Some(&Code::new(
                "SFLR-VAUTHEY",
                LOCAL,
                "Remnant / sTLV (Vauthey et al., Liver Transpl 2002)",
            )),
        ));
    }
    (items.len() > 2).then(|| {
        container(
            Some("CONTAINS"),
            &dcm("125007", "Measurement Group"),
            Some("1501"),
            items,
        )
    })
}
