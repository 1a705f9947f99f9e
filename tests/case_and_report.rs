//! Cases (scan reference + layers + planning + report) saved and reopened, and the
//! report CLI: validation and a PDF whose text holds what the surgeon recorded.

mod common;
use common::*;
use remnant::case;
use remnant::pci::LesionSize;
use remnant::report::Report;
use remnant::segmentation::io::load_label_map;
use remnant::task::Task;
use remnant::volumetry::{LiverCondition, PlanInputs};
use remnant::workspace::Snapshot;
use std::process::Command;

fn report() -> Report {
    let mut r = Report::default();
    r.patient.patient_id = Some("RMN-0042".into());
    r.patient.name = Some("Doe, Jane".into());
    r.surgeon = Some("A. Surgeon".into());
    for (region, ls) in [
        (0, 2u8),
        (1, 1),
        (2, 0),
        (3, 3),
        (4, 0),
        (5, 1),
        (6, 2),
        (7, 0),
        (8, 1),
        (9, 0),
        (10, 0),
        (11, 1),
        (12, 2),
    ] {
        r.pci
            .set(region, LesionSize::from_points(ls).unwrap())
            .unwrap();
    }
    r
}

#[test]
fn case_round_trips_and_notices_a_moved_or_changed_scan() {
    let dir = tempfile::tempdir().unwrap();
    let s = phantom_study(dir.path());
    let plan = PlanInputs {
        condition: LiverCondition::Cirrhosis,
        height_cm: Some(170.0),
        weight_kg: Some(68.0),
        ..Default::default()
    };
    let cp = dir.path().join("case.json");
    case::save(
        &cp,
        &Snapshot::of_parts(Some((&s.path, &s.labels)), &plan, None, &report()),
    )
    .unwrap();
    let o = case::open(&cp).unwrap();
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
    assert_eq!(o.case.planning, plan);
    assert_eq!(o.report, report());
    assert_eq!(o.report.pci.total(), 13);
    let layers = load_label_map(
        o.layers_path.as_ref().unwrap(),
        &s.ct.geometry,
        Task::none(),
    )
    .unwrap();
    assert_eq!(layers.bits, s.labels.bits, "layers come back bit for bit");

    // changed scan: a different checksum
    let ct = dir.path().join("phantom_ct.nii.gz");
    let mut bytes = std::fs::read(&ct).unwrap();
    bytes.push(0);
    std::fs::write(&ct, &bytes).unwrap();
    let o = case::open(&cp).unwrap();
    assert!(
        o.warnings
            .iter()
            .any(|w| w.contains("changed since the case was saved")),
        "{:?}",
        o.warnings
    );
    // moved scan
    std::fs::rename(&ct, dir.path().join("elsewhere.nii.gz")).unwrap();
    let o = case::open(&cp).unwrap();
    assert!(
        o.warnings.iter().any(|w| w.contains("the scan has moved")),
        "{:?}",
        o.warnings
    );
}

#[test]
fn newer_or_damaged_case_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.json");
    std::fs::write(&p, r#"{"case_version": 9, "report": {}}"#).unwrap();
    assert!(
        case::open(&p)
            .err()
            .unwrap()
            .to_string()
            .contains("newer Remnant: case version 9")
    );
    std::fs::write(&p, r#"{"case_version": 1, "report": "#).unwrap();
    assert!(
        case::open(&p)
            .err()
            .unwrap()
            .to_string()
            .contains("not a valid case file")
    );
    std::fs::write(&p, r#"{"schema_version": 2}"#).unwrap();
    assert!(
        case::open(&p)
            .err()
            .unwrap()
            .to_string()
            .contains("not a Remnant case")
    );
}

#[test]
fn report_cli_renders_a_pdf_with_ids_scores_total_and_liver_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let s = phantom_study(dir.path());
    let plan = PlanInputs {
        condition: LiverCondition::Cirrhosis,
        ..Default::default()
    };
    let cp = dir.path().join("case.json");
    case::save(
        &cp,
        &Snapshot::of_parts(Some((&s.path, &s.labels)), &plan, None, &report()),
    )
    .unwrap();
    let pdf = dir.path().join("out.pdf");
    let out = Command::new(bin())
        .args(["report", "--validate", "--input"])
        .arg(&cp)
        .arg("--pdf")
        .arg(&pdf)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("PCI 13 / 39"), "{stdout}");
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let out = common::tools::run(Command::new(pdftotext).arg("-layout").arg(&pdf).arg("-"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("RMN-0042"), "{text}");
    assert!(text.contains("13 / 39"), "{text}");
    for r in remnant::pci::REGIONS.iter() {
        assert!(text.contains(r.name), "region {} missing", r.name);
    }
    // the liver part comes from the traced phantom: FLR 33.3 % < 40 % with cirrhosis
    assert!(text.contains("33.3"), "{text}");
    assert!(text.contains("portal vein embolisation"), "{text}");
    // the decision as the Plan panel shows it: plan block, margins, Fong score
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("pre-operative plan (date not recorded)"),
        "{flat}"
    );
    assert!(flat.contains("Required FLR 40 %"), "{flat}");
    assert!(flat.contains("Tumour #1 (axial diameter"), "{flat}");
    assert!(
        flat.contains("Fong clinical risk score at least 1 / 5"),
        "{flat}"
    );
    assert!(
        flat.contains("JSCCR 2010 - (5) the function of the remaining liver"),
        "{flat}"
    );
}

#[test]
fn report_cli_refuses_bad_input_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.json");
    std::fs::write(&p, r#"{"schema_version": 99}"#).unwrap();
    let out = Command::new(bin())
        .args(["report", "--validate", "--input"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer Remnant"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}
