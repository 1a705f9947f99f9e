//! Incomplete and mixed-up folders: what is skipped, warned about or refused,
//! always with the reason and never a panic.

mod dicom_common;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use remnant::task::Task;
use remnant::volume::dicom::{DicomError, load_files, load_series, scan_folder};

#[test]
fn missing_slice_is_a_gap_filled_by_interpolation() {
    let Some(g) = dicom_common::make("gap", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    assert_eq!(scan.series[0].image_count, 11);
    let ct = load_series(&scan.series[0], Task::none()).expect("load");
    g.expected().check(&ct);
    assert_eq!(ct.warnings.len(), 1, "{:?}", ct.warnings);
    assert!(ct.warnings[0].starts_with("gap: 1 slice missing between image #5 and image #7"));
}

#[test]
fn two_series_in_one_folder_give_two_summaries() {
    let Some(g) = dicom_common::make("two-series", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    assert!(scan.skipped.is_empty(), "{:?}", scan.skipped);
    let s = &scan.series;
    assert_eq!(s.len(), 2);
    // sorted by series number
    assert_eq!(s[0].series_description.as_deref(), Some("AXIAL"));
    assert_eq!((s[0].image_count, s[0].columns, s[0].rows), (12, 40, 32));
    assert_eq!(s[1].series_description.as_deref(), Some("CORONAL"));
    assert_eq!(s[1].image_count, 10);
    assert_eq!(s[0].patient_name.as_deref(), Some("TEST, PATIENT Q"));
    assert_eq!(s[0].patient_id.as_deref(), Some("RM0001"));
    assert_eq!(s[0].study_date.as_deref(), Some("2024-01-31"));
    assert_eq!(s[0].modality.as_deref(), Some("CT"));
    assert_eq!(s[0].slice_thickness_mm, Some(2.5));
    assert_eq!(scan.find(&s[1].key), Some(&s[1]));
    assert!(
        s[0].label()
            .starts_with("CT #2 \"AXIAL\" 2024-01-31, 12 images 40 x 32")
    );
    // Loading all files at once is refused: they are two series.
    let all: Vec<_> = s.iter().flat_map(|x| x.files.clone()).collect();
    let err = load_files(&all, Task::none()).unwrap_err().to_string();
    assert!(err.contains("2 different series"), "{err}");
    // Each loads on its own.
    let cor = load_series(&s[1], Task::none()).expect("coronal");
    assert_eq!(cor.volume.dims(), [40, 32, 10]);
}

#[test]
fn junk_truncated_and_non_image_files_are_skipped_with_reasons() {
    let Some(g) = dicom_common::make("broken", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let reason = |name: &str| {
        scan.skipped
            .iter()
            .find(|(p, _)| p.file_name().and_then(|n| n.to_str()) == Some(name))
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{name} not skipped: {:?}", scan.skipped))
    };
    assert!(reason("notes.txt").starts_with("not a DICOM file"));
    assert!(reason("random.bin").starts_with("not a DICOM file"));
    assert!(reason("empty").starts_with("not a DICOM file"));
    assert!(reason("report.dcm").starts_with("not an image: structured report"));
    let truncated: Vec<_> = scan
        .skipped
        .iter()
        .filter(|(_, r)| r.starts_with("truncated") || r.starts_with("unreadable"))
        .collect();
    assert_eq!(truncated.len(), 1, "{:?}", scan.skipped);
    assert_eq!(scan.skipped.len(), 5, "{:?}", scan.skipped);
    let counts = scan.skipped_counts();
    assert_eq!(counts[0], ("not a DICOM file".to_string(), 3));
    // The nested series is found; the broken one lost a slice: a gap.
    assert_eq!(scan.series.len(), 2);
    let main = scan
        .series
        .iter()
        .find(|s| s.image_count == 11)
        .expect("11");
    let ct = load_series(main, Task::none()).expect("load");
    assert!(
        ct.warnings.iter().any(|w| w.starts_with("gap")),
        "{:?}",
        ct.warnings
    );
    // Handing the truncated file to load directly: an error naming it, no panic.
    let (path, _) = truncated[0];
    let mut files = main.files.clone();
    files.push(path.clone());
    let ct = load_files(&files, Task::none()).expect("load with the truncated file");
    assert!(
        ct.warnings.iter().any(|w| w.contains("1 file ignored")),
        "{:?}",
        ct.warnings
    );
}

#[test]
fn missing_image_position_is_refused_naming_the_tag() {
    let Some(g) = dicom_common::make("no-position", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let err = load_series(&scan.series[0], Task::none())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("ImagePositionPatient (0020,0032) is missing or invalid in 1 of 12 images"),
        "{err}"
    );
}

#[test]
fn a_localizer_in_the_series_is_refused() {
    let Some(g) = dicom_common::make("localizer", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let err = load_series(&scan.series[0], Task::none())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("the series mixes image orientations (12 images axial, 1 image coronal)"),
        "{err}"
    );
}

#[test]
fn duplicated_position_warns_and_keeps_the_first() {
    let Some(g) = dicom_common::make("duplicate", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let ct = load_series(&scan.series[0], Task::none()).expect("load");
    g.expected().check(&ct);
    assert_eq!(ct.warnings.len(), 1, "{:?}", ct.warnings);
    assert!(ct.warnings[0].starts_with("duplicated positions: 1 image shares"));
}

#[test]
fn dicomdir_with_a_missing_file() {
    let Some(g) = dicom_common::make("dicomdir", "explicit") else {
        return;
    };
    // Scanning the DICOMDIR file scans its folder.
    let scan = scan_folder(&g.data.join("DICOMDIR"), Task::none()).expect("scan");
    assert_eq!(scan.series.len(), 1);
    assert_eq!(scan.series[0].image_count, 11);
    let reasons: Vec<&str> = scan.skipped.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.starts_with("DICOMDIR")));
    assert!(reasons.iter().any(|r| r.starts_with("missing: listed in")));
}

#[test]
fn patient_fields_are_read() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let ct = load_series(&scan.series[0], Task::none()).expect("load");
    let p = &ct.patient;
    assert_eq!(p.name.as_deref(), Some("TEST, PATIENT Q"));
    assert_eq!(p.id.as_deref(), Some("RM0001"));
    assert_eq!(p.birth_date.as_deref(), Some("1960-01-01"));
    assert_eq!(p.sex.as_deref(), Some("F"));
    assert_eq!(p.study_date.as_deref(), Some("2024-01-31"));
    assert_eq!(p.accession_number.as_deref(), Some("ACC42"));
    let json = serde_json::to_string(p).expect("serialize");
    let back: remnant::volume::dicom::PatientInfo = serde_json::from_str(&json).expect("back");
    assert_eq!(&back, p);
}

#[test]
fn progress_rises_to_one_and_cancel_stops() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    let seen = Mutex::new(Vec::new());
    let report = |f: f32| seen.lock().expect("lock").push(f);
    let never = AtomicBool::new(false);
    let scan = scan_folder(&g.data, Task::new(&report, &never)).expect("scan");
    let ct = load_series(&scan.series[0], Task::new(&report, &never));
    assert!(ct.is_ok());
    let v = seen.lock().expect("lock").clone();
    assert!(v.iter().all(|f| (0.0..=1.0).contains(f)));
    assert_eq!(v.last(), Some(&1.0));

    let stop = AtomicBool::new(false);
    let stop_at_half = |f: f32| {
        if f > 0.5 {
            stop.store(true, Ordering::Relaxed);
        }
    };
    // cancellation is its own error, not a message
    let err = load_series(&scan.series[0], Task::new(&stop_at_half, &stop)).unwrap_err();
    assert_eq!(err, DicomError::Cancelled);
    assert!(err.is_cancelled());
    stop.store(true, Ordering::Relaxed);
    let err = scan_folder(&g.data, Task::new(&stop_at_half, &stop)).unwrap_err();
    assert_eq!(err, DicomError::Cancelled);
}

#[test]
fn not_a_folder_is_an_error() {
    let err = scan_folder(std::path::Path::new("/nonexistent/remnant"), Task::none()).unwrap_err();
    assert!(err.to_string().contains("not a folder"), "{err}");
    let err = load_files(&[], Task::none()).unwrap_err();
    assert_eq!(
        err,
        DicomError::Series("no image files were given".to_string())
    );
}

#[test]
fn a_zero_rescale_slope_is_taken_as_one_with_a_warning() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let victim = &scan.series[0].files[0];
    let edit = std::process::Command::new("python3")
        .arg("-c")
        .arg("import pydicom, sys\nds = pydicom.dcmread(sys.argv[1])\nds.RescaleSlope = '0'\nds.save_as(sys.argv[1])")
        .arg(victim)
        .status()
        .expect("python3");
    assert!(edit.success());
    let ct = load_series(&scan.series[0], Task::none()).expect("load");
    assert_eq!(
        ct.warnings,
        vec!["RescaleSlope (0028,1053) is 0 in 1 image: taken as 1".to_string()]
    );
    g.expected().check(&ct);
}
