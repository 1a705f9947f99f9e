//! Shared test fixtures.
#![allow(dead_code)]

// (the same file as common::tools: one decision for every test binary)
#[allow(clippy::duplicate_mod)]
#[path = "../common/tools.rs"]
pub mod tools;

use remnant::pci::{CcScore, LesionSize, Pci};
use remnant::report::{
    Ascites, ClavienDindo, Complication, DiaphragmInvolvement, FollowUp, Hipec, HipecTechnique,
    LiverFigures, LiverPart, Operation, Outcome, Patient, Peritonectomies, Report, RightDiaphragm,
    SmallBowel, Stoma,
};

/// Scores for regions 0-12; -1 = unscored.
pub fn pci(points: [i8; 13]) -> Pci {
    let mut pci = Pci::new();
    for (region, p) in points.into_iter().enumerate() {
        if let Some(size) = u8::try_from(p).ok().and_then(LesionSize::from_points) {
            pci.set(region, size).unwrap();
        }
    }
    pci
}

/// A report with every field filled in. PCI total 16, regions 4 and 9
/// unscored, lower ileum involved.
pub fn sample_report() -> Report {
    Report {
        patient: Patient {
            name: Some("Müller, Jürgen".into()),
            patient_id: Some("PAT-77341".into()),
            birth_date: Some("1961-07-02".into()),
            sex: Some("M".into()),
            study_date: Some("2024-05-30".into()),
            accession: Some("ACC-99812".into()),
        },
        surgeon: Some("Dr É. Lefèvre".into()),
        operation_date: Some("2024-06-12".into()),
        ascites: Ascites::Present {
            volume_ml: Some(1200.0),
        },
        small_bowel: SmallBowel {
            description: "Serosal nodules on the lower ileum, mesentery spared.".into(),
            serosal_only: true,
            mesenteric_root_involved: false,
            segments_resected: 1,
            length_resected_cm: Some(30.0),
        },
        right_diaphragm: RightDiaphragm {
            involvement: Some(DiaphragmInvolvement::Partial),
            cupola_mobile: Some(true),
        },
        photos: Vec::new(),
        cc_score: Some(CcScore::Cc1),
        peritonectomies: Peritonectomies {
            greater_omentectomy_splenectomy: true,
            right_upper_quadrant: true,
            pelvic_with_sigmoid_resection: true,
            ..Peritonectomies::default()
        },
        organ_resections: vec![
            "Right hemicolectomy".into(),
            "Segmental ileal resection".into(),
        ],
        hipec: Some(Hipec {
            drug: "Mitomycin C".into(),
            dose_mg: Some(35.0),
            dose_mg_per_m2: Some(17.5),
            temperature_c: Some(42.0),
            duration_min: Some(90.0),
            technique: Some(HipecTechnique::Closed),
            carrier_volume_l: Some(3.0),
            inflow_temperature_c: Some(43.0),
            outflow_temperature_c: Some(41.5),
        }),
        liver: LiverPart {
            resection_performed: true,
            ablation_performed: false,
            resection_type: Some("Right hemihepatectomy".into()),
            figures: Some(LiverFigures {
                total_ml: Some(1650.0),
                tumour_ml: Some(85.0),
                functional_ml: Some(1565.0),
                resected_ml: Some(980.0),
                remnant_ml: Some(585.0),
                flr_percent: Some(37.4),
                sflr_percent: Some(39.1),
                condition: "Post-chemotherapy liver".into(),
                threshold_percent: Some(30.0),
                verdict: "FLR adequate (37.4 % >= 30 %)".into(),
                ..Default::default()
            }),
        },
        findings: "Mucinous ascites. Omental cake. Nodules in the pelvis and on the right \
                   diaphragm; the left upper quadrant was free of disease."
            .into(),
        pci: pci([3, 2, 1, 0, -1, 1, 3, 2, 1, -1, 0, 1, 2]),
        operation: Operation {
            operative_time_min: Some(540.0),
            blood_loss_ml: Some(800.0),
            transfusion_units: Some(2),
            anastomoses: Some(2),
            stoma: Some(Stoma::Ileostomy),
        },
        follow_up: FollowUp {
            complications: vec![Complication {
                description: "Pelvic collection, drained under CT".into(),
                clavien_dindo: Some(ClavienDindo::IIIa),
                date: Some("2024-06-20".into()),
            }],
            day30: Outcome {
                alive: Some(true),
                readmitted: Some(true),
                reoperated: Some(false),
            },
            day90: Outcome {
                alive: Some(true),
                readmitted: None,
                reoperated: None,
            },
        },
    }
}

/// Text of `pdf` as `pdftotext -layout` sees it, or `None` when poppler-utils is not
/// installed (skipped with a message; a failure where tools are required: `tools`).
pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    pdftotext_with(pdf, "-layout")
}

/// Text of `pdf` as `pdftotext MODE` sees it (`-layout`, `-raw`), or `None` as above.
/// pdftotext failing, or complaining on stderr, fails the test.
pub fn pdftotext_with(pdf: &[u8], mode: &str) -> Option<String> {
    let pdftotext = tools::tool("pdftotext")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = tools::run(
        std::process::Command::new(pdftotext)
            .arg(mode)
            .arg(&path)
            .arg("-"),
    );
    assert!(
        out.stderr.is_empty(),
        "pdftotext complained: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}
