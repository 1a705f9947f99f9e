//! The Registry work area: two saved cases are listed, the filter keeps one, its Open
//! button opens it (scan and report) as File > Open case does, and saving it from the
//! app updates its row, which the area shows.

mod common;
use common::ui::settle;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::registry::{self, Registry};
use remnant::ui::{AppCommand, RemnantApp, Tab};
use remnant::workspace::Workspace;
use std::path::{Path, PathBuf};

/// The config folder of this test binary (set before any app reads it).
fn config_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("remnant-test-ui-registry-{}", std::process::id()));
    // SAFETY: the only test of this binary sets it before anything reads it.
    unsafe { std::env::set_var("REMNANT_CONFIG_DIR", &d) };
    d
}

/// A case for `patient` saved to `path` (through the workspace, registry updated).
fn save_case(reg: &Path, path: &Path, patient: &str, study: Option<remnant::study::Study>) {
    let mut ws = Workspace::new();
    ws.registry = Some(reg.to_path_buf());
    ws.study = study;
    ws.report.patient.patient_id = Some(patient.into());
    ws.report.surgeon = Some(format!("Surgeon of {patient}"));
    ws.save_case_now(path).unwrap();
}

#[test]
fn the_registry_lists_two_cases_filters_to_one_and_opens_it() {
    let cfg = config_dir();
    let reg = cfg.join(registry::FILE_NAME);
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("alpha.json"), dir.path().join("bravo.json"));
    save_case(&reg, &a, "PAT-ALPHA", None);
    save_case(&reg, &b, "PAT-BRAVO", Some(phantom_study(dir.path())));

    let mut app = RemnantApp::new(None);
    app.tab = Tab::Registry;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run_steps(3);
    h.get_by_label("PAT-ALPHA");
    h.get_by_label("PAT-BRAVO");
    h.get_by_label("2 of 2 cases");
    assert_eq!(h.query_all_by_label("Open").count(), 2);

    // the filter keeps one case
    let f = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Filter");
    f.focus();
    f.type_text("bravo");
    h.run_steps(3);
    h.get_by_label("1 of 2 cases");
    assert!(h.query_by_label("PAT-ALPHA").is_none());
    h.get_by_label("PAT-BRAVO");

    // a click on a heading sorts on it, a second reverses
    h.get_by_label("Name").click();
    h.run_steps(3);
    h.get_by_label("Name ^").click();
    h.run_steps(3);
    h.get_by_label("Name v");
    // its Open button opens it (the open-case command)
    h.get_by_label("Open").click();
    h.run_steps(3);
    settle(&mut h);
    let app = h.state();
    assert_eq!(
        app.ws.report.patient.patient_id.as_deref(),
        Some("PAT-BRAVO")
    );
    assert_eq!(
        app.ws.case.as_ref().map(|c| c.path.clone()),
        Some(b.clone())
    );
    assert!(app.ws.study.is_some(), "the case's scan was opened");

    // saved again from the app: its row is updated and the area shows it
    let mut report = app.ws.report.clone();
    report.patient.patient_id = Some("PAT-BRAVO-2".into());
    h.state_mut().apply(AppCommand::set_report(report));
    h.state_mut().apply(AppCommand::SaveCase);
    settle(&mut h);
    let rows = Registry::open_existing(&reg).unwrap().list().unwrap();
    assert_eq!(rows.len(), 2);
    let row = rows
        .iter()
        .find(|e| e.row.text("case_path").ends_with("bravo.json"))
        .unwrap();
    assert_eq!(row.row.text("patient_id"), "PAT-BRAVO-2");
    h.state_mut().tab = Tab::Registry;
    h.run_steps(3);
    h.get_by_label("PAT-BRAVO-2");
    let _ = std::fs::remove_dir_all(&cfg);
}
