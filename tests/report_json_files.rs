//! Report files: round trip, migration, refusals and atomic saving.

mod report_fixtures;

use std::fs;
use std::path::{Path, PathBuf};

use remnant::pci::{CcScore, LesionSize};
use remnant::report::{Ascites, HipecTechnique, Report, ReportError, SCHEMA_VERSION};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn dir_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn save_and_load_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    let report = report_fixtures::sample_report();
    report.save(&path).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"schema_version\": 2"));
    assert!(text.contains("\"patient_id\": \"PAT-77341\""));
    // Unscored regions are null, LS-0 is 0.
    assert!(text.contains("\"scores\": [\n      3,\n      2,\n      1,\n      0,\n      null,"));
    let back = Report::load(&path).unwrap();
    assert_eq!(back, report);
    // Saving again over the file works and leaves no temporary file.
    back.save(&path).unwrap();
    assert_eq!(dir_entries(dir.path()), ["report.json"]);
    assert_eq!(Report::load(&path).unwrap(), report);
}

#[test]
fn default_and_sparse_reports_round_trip() {
    for report in [Report::default(), {
        let mut r = Report::default();
        r.pci.set(0, LesionSize::Ls0).unwrap();
        r.ascites = Ascites::None;
        r
    }] {
        let json = report.to_json().unwrap();
        assert_eq!(Report::from_json(json.as_bytes()).unwrap(), report);
    }
}

#[test]
fn v1_fixture_migrates() {
    let report = Report::load(&data("report_v1.json")).unwrap();
    assert_eq!(report.patient.name.as_deref(), Some("DUPONT^MARIE"));
    assert_eq!(report.patient.patient_id.as_deref(), Some("PID-0042"));
    assert_eq!(report.patient.birth_date, None);
    assert_eq!(report.surgeon.as_deref(), Some("Dr A. Martin"));
    assert_eq!(report.cc_score, Some(CcScore::Cc1));
    assert_eq!(
        report.ascites,
        Ascites::Present {
            volume_ml: Some(800.0)
        }
    );
    assert_eq!(report.small_bowel.length_resected_cm, Some(25.0));
    assert!(report.peritonectomies.greater_omentectomy_splenectomy);
    assert!(!report.peritonectomies.antrectomy);
    let hipec = report.hipec.as_ref().unwrap();
    assert_eq!(hipec.technique, Some(HipecTechnique::Closed));
    assert_eq!(hipec.dose_mg, Some(35.0));
    // [2, 1, 0, 0, -1, 1, 3, 2, 0, 0, 1, -1, 2]
    assert_eq!(report.pci.total(), 12);
    assert_eq!(report.pci.unscored_count(), 2);
    assert_eq!(report.pci.get(4), None);
    assert_eq!(report.pci.get(11), None);
    assert_eq!(report.pci.get(2), Some(LesionSize::Ls0));
    assert_eq!(report.pci.get(6), Some(LesionSize::Ls3));

    // Saving writes the current version; loading that gives the same report.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("migrated.json");
    report.save(&path).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(&format!("\"schema_version\": {SCHEMA_VERSION}")));
    assert!(!text.contains("pci_scores") && !text.contains("patient_name"));
    assert_eq!(Report::load(&path).unwrap(), report);
}

#[test]
fn newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.json");
    fs::write(&path, r#"{"schema_version": 7, "something_new": true}"#).unwrap();
    let err = Report::load(&path).unwrap_err();
    assert!(matches!(
        err.root(),
        ReportError::NewerVersion {
            found: 7,
            supported: 2
        }
    ));
    let msg = err.to_string();
    assert!(msg.contains("future.json"), "{msg}");
    assert!(
        msg.contains("written by a newer Remnant: schema version 7, this build reads up to 2"),
        "{msg}"
    );
}

#[test]
fn corrupt_and_truncated_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let full = report_fixtures::sample_report().to_json().unwrap();

    let truncated = dir.path().join("truncated.json");
    fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    let msg = Report::load(&truncated).unwrap_err().to_string();
    assert!(msg.contains("truncated.json: truncated JSON"), "{msg}");
    assert!(msg.contains(" line ") && msg.contains(" column "), "{msg}");

    let garbled = dir.path().join("garbled.json");
    fs::write(&garbled, full.replacen("\"surgeon\":", "\"surgeon\" ", 1)).unwrap();
    let msg = Report::load(&garbled).unwrap_err().to_string();
    assert!(msg.contains("garbled.json: corrupt JSON"), "{msg}");
    assert!(msg.contains("line"), "{msg}");

    let wrong = dir.path().join("wrong.json");
    fs::write(
        &wrong,
        full.replacen("\"cc_score\": 1", "\"cc_score\": \"one\"", 1),
    )
    .unwrap();
    let msg = Report::load(&wrong).unwrap_err().to_string();
    assert!(msg.contains("invalid report data"), "{msg}");
    assert!(msg.contains("line"), "{msg}");

    let missing = dir.path().join("nope.json");
    let msg = Report::load(&missing).unwrap_err().to_string();
    assert!(
        msg.starts_with("could not read") && msg.contains("nope.json"),
        "{msg}"
    );

    let unversioned = dir.path().join("unversioned.json");
    fs::write(&unversioned, r#"{"surgeon": "X"}"#).unwrap();
    let msg = Report::load(&unversioned).unwrap_err().to_string();
    assert!(msg.contains("schema_version field is missing"), "{msg}");

    let empty = dir.path().join("empty.json");
    fs::write(&empty, "").unwrap();
    let msg = Report::load(&empty).unwrap_err().to_string();
    assert!(msg.contains("empty file"), "{msg}");
}

#[test]
fn every_truncation_is_refused_without_panic() {
    let full = report_fixtures::sample_report().to_json().unwrap();
    let bytes = full.as_bytes();
    for cut in 0..bytes.len() {
        assert!(Report::from_json(&bytes[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn failed_save_leaves_the_previous_file_and_no_temp() {
    let dir = tempfile::tempdir().unwrap();
    // The "directory" of the target is a regular file: the write must fail.
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, b"old contents").unwrap();
    let target = blocker.join("report.json");
    let err = report_fixtures::sample_report().save(&target).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("blocker/report.json"), "{msg}");
    assert!(matches!(err, ReportError::Write(_)));
    assert_eq!(fs::read(&blocker).unwrap(), b"old contents");
    assert_eq!(dir_entries(dir.path()), ["blocker"]);

    // A target that cannot be replaced (a non-empty directory) stays intact.
    let target = dir.path().join("taken.json");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("keep"), b"keep").unwrap();
    let msg = report_fixtures::sample_report()
        .save(&target)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("taken.json"), "{msg}");
    assert_eq!(fs::read(target.join("keep")).unwrap(), b"keep");
    assert_eq!(dir_entries(dir.path()), ["blocker", "taken.json"]);

    // An existing report survives a failed save of another version.
    let good = dir.path().join("good.json");
    let original = report_fixtures::sample_report();
    original.save(&good).unwrap();
    let before = fs::read(&good).unwrap();
    let _ = Report::default().save(&good.join("x"));
    assert_eq!(fs::read(&good).unwrap(), before);
}
