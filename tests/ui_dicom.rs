//! Opening DICOM in the app, driven headless through egui_kittest: a folder is
//! scanned off the UI thread, the series picker lists what was found and what
//! was skipped, the chosen series loads, and the report header is pre-filled
//! from the series' patient fields.

mod dicom_common;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::ui::RemnantApp;
use remnant::ui::{AppCommand, Tab};

fn config_dir() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let d = std::env::temp_dir().join(format!("remnant-test-config-{}", std::process::id()));
        // SAFETY: set once, before any test thread reads it (all readers go through this Once).
        unsafe { std::env::set_var("REMNANT_CONFIG_DIR", d) };
    });
}

fn harness(app: RemnantApp) -> Harness<'static, RemnantApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

/// The app after `open(folder)` and the scan: the picker is up.
fn picker_on(folder: std::path::PathBuf, app: RemnantApp) -> Harness<'static, RemnantApp> {
    let mut app = app;
    app.apply(AppCommand::Open(folder));
    assert!(
        app.jobs.load.is_none(),
        "a folder is scanned first, not loaded"
    );
    app.wait_for_jobs();
    assert!(app.dicom.picker.is_some(), "error: {:?}", app.error);
    harness(app)
}

#[test]
fn a_folder_opens_through_the_picker_and_fills_the_report_header() {
    let Some(g) = dicom_common::make("broken", "explicit") else {
        return;
    };
    config_dir();
    let mut app = RemnantApp::new(None);
    app.tab = Tab::Report;
    let mut h = picker_on(g.data.clone(), app);

    // The picker: both series with their columns, and what was skipped.
    h.get_by_label("Choose a series");
    h.get_by_label("#1 TEST SERIES");
    h.get_by_label("#9 NESTED");
    assert_eq!(h.get_all_by_label("TEST, PATIENT Q (RM0001)").count(), 2);
    assert_eq!(h.get_all_by_label("2024-01-31").count(), 2);
    assert_eq!(h.get_all_by_label("2.5 mm").count(), 2);
    assert_eq!(h.get_all_by_label("40 x 32").count(), 2);
    h.get_by_label("11"); // images in the main series (one was truncated)
    h.get_by_label("5 files skipped: 3 not a DICOM file, 1 not an image, 1 truncated or damaged");
    // Two series: nothing is chosen yet, so nothing opens.
    h.get_by_label("Open series").click();
    h.run();
    assert!(h.state().dicom.picker.is_some());
    assert!(h.state().jobs.load.is_none());

    h.get_by_label("#1 TEST SERIES").click();
    h.run();
    h.get_by_label("Open series").click();
    // the load job repaints until it is done: one frame, not run() (which waits to settle)
    h.step();
    assert!(h.state().dicom.picker.is_none());
    assert!(
        h.state().jobs.load.is_some(),
        "the series loads off the UI thread"
    );
    h.state_mut().wait_for_jobs();
    h.run();

    let app = h.state();
    let s = app.ws.study.as_ref().expect("study");
    assert_eq!(s.ct.dims(), [40, 32, 12]);
    assert_eq!(
        s.series
            .as_ref()
            .and_then(|x| x.series_description.as_deref()),
        Some("TEST SERIES")
    );
    let p = &app.ws.report.patient;
    assert_eq!(p.name.as_deref(), Some("TEST, PATIENT Q"));
    assert_eq!(p.patient_id.as_deref(), Some("RM0001"));
    assert_eq!(p.birth_date.as_deref(), Some("1960-01-01"));
    assert_eq!(p.sex.as_deref(), Some("F"));
    assert_eq!(p.study_date.as_deref(), Some("2024-01-31"));
    assert_eq!(p.accession.as_deref(), Some("ACC42"));
    // Pre-filled fields from the images are not unsaved work.
    assert!(!app.ws.has_unsaved_changes());
    // The report form (in the central area) shows the header; the case panel, back on the
    // scan, the series and the load warning.
    assert!(h.get_all_by_value("TEST, PATIENT Q").count() >= 1);
    assert!(h.get_all_by_value("ACC42").count() >= 1);
    h.get_by_label("Scan").click();
    h.run();
    h.get_by_label_contains("CT #1 \"TEST SERIES\" 2024-01-31, 11 images 40 x 32");
    h.get_by_label_contains("Warning: gap: 1 slice missing");
    h.get_all_by_label("Report").next().unwrap().click();
    h.run();
    assert!(h.get_all_by_value("TEST, PATIENT Q").count() >= 1);
    assert!(h.get_all_by_value("ACC42").count() >= 1);
}

#[test]
fn a_report_for_another_patient_is_kept_and_pointed_out() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    config_dir();
    let mut app = RemnantApp::new(None);
    app.ws.report.patient.name = Some("DOE, JANE".into());
    app.ws.report.patient.patient_id = Some("OTHER-1".into());
    let mut h = picker_on(g.data.clone(), app);
    // One series: chosen already; Enter opens it.
    h.get_by_label("#1 TEST SERIES");
    h.key_press(egui::Key::Enter);
    h.step();
    h.state_mut().wait_for_jobs();
    h.run();
    let app = h.state();
    assert!(app.ws.study.is_some());
    let p = &app.ws.report.patient;
    assert_eq!(
        p.patient_id.as_deref(),
        Some("OTHER-1"),
        "never overwritten"
    );
    assert_eq!(p.name.as_deref(), Some("DOE, JANE"));
    assert_eq!(
        p.birth_date.as_deref(),
        Some("1960-01-01"),
        "empty ones filled"
    );
    assert_eq!(
        app.notice.as_deref(),
        Some(
            "Check the patient: the report is for DOE, JANE (ID OTHER-1), the scan for TEST, PATIENT Q (ID RM0001)"
        )
    );
}

#[test]
fn cancel_closes_the_picker_and_keeps_what_was_open() {
    let Some(g) = dicom_common::make("two-series", "explicit") else {
        return;
    };
    config_dir();
    let mut h = picker_on(g.data.clone(), RemnantApp::new(None));
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().dicom.picker.is_none());
    assert!(h.state().jobs.load.is_none());
    assert!(h.state().ws.study.is_none());
    assert_eq!(h.state().ws.report, remnant::report::Report::default());
}

/// A folder dropped on the window, as the windowing integration hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        Err("a folder".into())
    }
}

#[test]
fn a_folder_dropped_on_the_window_is_scanned() {
    let Some(g) = dicom_common::make("coronal", "explicit") else {
        return;
    };
    config_dir();
    let mut h = harness(RemnantApp::new(None));
    h.get_by_label_contains("drop a .nii / .nii.gz file or a DICOM folder here");
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open DICOM folder...");
    h.key_press(egui::Key::Escape);
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(g.data.clone())));
    h.step();
    assert!(h.state().dicom.scanning() || h.state().dicom.picker.is_some());
    h.state_mut().wait_for_jobs();
    h.run();
    let picker = h.state().dicom.picker.as_ref().expect("picker");
    assert_eq!(picker.scan.series.len(), 1);
    assert_eq!(picker.selected, Some(0));
    h.get_by_label("Open series").click();
    h.step();
    h.state_mut().wait_for_jobs();
    h.run();
    assert_eq!(
        h.state().ws.study.as_ref().map(|s| s.ct.dims()),
        Some([40, 32, 12])
    );
}

#[test]
fn a_folder_without_images_says_what_it_skipped() {
    config_dir();
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("notes.txt"), "not dicom").expect("write");
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(d.path().to_path_buf()));
    app.wait_for_jobs();
    assert!(app.dicom.picker.is_none());
    let err = app.error.clone().expect("error");
    assert!(
        err.starts_with("no DICOM image series found in")
            && err.ends_with("(1 file skipped: 1 not a DICOM file)"),
        "{err}"
    );
    let h = harness(app);
    h.get_by_label_contains("Error: no DICOM image series found");
}
