//! Crash safety in the app: work is autosaved after an accepted action, and a new
//! run (after the old one was killed) offers to restore exactly that work.

mod common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::ui::RemnantApp;
use remnant::ui::app::Purpose;

#[test]
fn killed_session_is_offered_and_restored_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let autosave = dir.path().join("autosave");
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("phantom_ct.nii.gz"), &ct).unwrap();

    // First run: open, load layers, change one voxel and the report, autosave.
    let mut app = RemnantApp::new(None);
    app.enable_autosave(autosave.clone());
    assert!(app.restore_offer.is_none());
    app.open(ct.clone());
    app.wait_for_load();
    app.file_chosen(Purpose::OpenLayers, sample("phantom_labels.nii.gz"));
    {
        let s = app.study.as_mut().unwrap();
        s.labels.bits[12345] ^= 4;
        s.touch();
    }
    app.report.patient.patient_id = Some("CRASH-1".into());
    app.autosave_now = true;
    let expected_bits = app.study.as_ref().unwrap().labels.bits.clone();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 1000.0))
        .build_ui_state(|ui, a: &mut RemnantApp| a.ui_root(ui), app);
    h.run();
    h.state_mut().wait_for_autosave();
    drop(h); // the process is "killed": no clean exit, no clearing

    // Second run: the offer is shown; Restore brings back the exact work.
    let mut app = RemnantApp::new(None);
    app.enable_autosave(autosave.clone());
    assert!(
        app.restore_offer.is_some(),
        "a killed session must be offered"
    );
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 1000.0))
        .build_ui_state(|ui, a: &mut RemnantApp| a.ui_root(ui), app);
    h.run();
    h.get_by_label("Restore unsaved work?");
    h.get_by_label("Restore").click();
    h.run();
    h.state_mut().wait_for_load();
    h.run();
    let s = h.state();
    assert_eq!(s.report.patient.patient_id.as_deref(), Some("CRASH-1"));
    assert_eq!(
        s.study.as_ref().unwrap().labels.bits,
        expected_bits,
        "layers restored bit for bit"
    );
    assert!(
        s.has_unsaved_changes(),
        "restored work is still unsaved until saved as a case"
    );
}
