//! Crash safety in the app: an accepted tool action triggers the autosave, a new run
//! (after the old one was killed) offers to restore exactly that work (layers,
//! report, cutting plane), an autosave of another scan is never offered, and
//! opening another scan never shows the previous patient's figures.

mod common;
use common::ui::{drag, settle};
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::segmentation::Layer;
use remnant::ui::RemnantApp;
use remnant::ui::{AppCommand, Purpose, Tab};
use std::path::Path;

/// A config folder of this test binary's own (recent files, the case registry), never
/// the user's.
fn config_dir() {
    // SAFETY: every test of this binary sets the same value before reading it.
    unsafe {
        std::env::set_var(
            "REMNANT_CONFIG_DIR",
            std::env::temp_dir().join("remnant-test-ui-autosave"),
        )
    };
}

fn harness(app: RemnantApp) -> Harness<'static, RemnantApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .build_ui_state(|ui, a: &mut RemnantApp| a.ui_root(ui), app);
    settle(&mut h);
    h
}

/// First run: the sample with its liver, a cut plane drawn and accepted on the
/// axial view (an accepted tool action), a report field. Returns the app after the
/// autosave it triggered, without any clean exit.
fn first_run(autosave: &Path, ct: &Path) -> Harness<'static, RemnantApp> {
    config_dir();
    let mut app = RemnantApp::new(None);
    app.enable_autosave(autosave.to_path_buf(), Some(ct));
    assert!(app.restore_offer.is_none());
    app.apply(AppCommand::Open(ct.to_path_buf()));
    app.wait_for_jobs();
    app.apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        sample("liver.nii.gz"),
    ));
    let mut r = app.ws.report.clone();
    r.patient.patient_id = Some("CRASH-1".into());
    app.apply(AppCommand::set_report(r));
    app.wait_for_jobs(); // the autosave the import triggered
    app.tab = Tab::Tools;
    let mut h = harness(app);
    h.get_by_label("Cut plane").click();
    settle(&mut h);
    let rect = h.get_by_label("Axial view").rect();
    let (top, bottom) = (
        rect.center() - egui::vec2(0.0, 80.0),
        rect.center() + egui::vec2(0.0, 80.0),
    );
    drag(&mut h, top, &[rect.center(), bottom]);
    assert!(h.state().ws.editor.pending.is_some(), "cut preview");
    let session = autosave.join("session.json");
    let before = std::fs::read(&session).ok();
    h.key_press(egui::Key::Enter); // accept the cut: nothing else asks for an autosave
    settle(&mut h);
    assert!(h.state().ws.cut().is_some(), "the cut plane was accepted");
    let after = std::fs::read(&session).expect("autosaved");
    assert_ne!(
        before,
        Some(after),
        "accepting the cut wrote a new autosave by itself"
    );
    h
}

#[test]
fn an_accepted_cut_is_autosaved_and_restored_exactly_after_a_kill() {
    config_dir();
    let dir = tempfile::tempdir().unwrap();
    let autosave = dir.path().join("autosave");
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("ct.nii.gz"), &ct).unwrap();
    let h = first_run(&autosave, &ct);
    let expected_bits = h.state().ws.study.as_ref().unwrap().labels.bits.clone();
    let expected_cut = h.state().ws.cut();
    assert!(
        expected_bits
            .iter()
            .any(|&b| b & Layer::Resection.bit() != 0)
    );
    drop(h); // the process is "killed": no clean exit, no clearing

    // Second run on the same scan: the offer is shown; Restore brings back the work.
    let mut app = RemnantApp::new(None);
    app.enable_autosave(autosave.clone(), Some(&ct));
    assert!(app.restore_offer.is_some(), "a killed session is offered");
    let mut h = harness(app);
    h.get_by_label("Restore unsaved work?");
    h.get_by_label("Restore").click();
    settle(&mut h);
    let s = h.state();
    assert_eq!(s.ws.report.patient.patient_id.as_deref(), Some("CRASH-1"));
    assert_eq!(
        s.ws.study.as_ref().unwrap().labels.bits,
        expected_bits,
        "layers restored bit for bit"
    );
    assert_eq!(
        s.ws.cut(),
        expected_cut,
        "the accepted cut plane is restored"
    );
    assert!(
        s.ws.has_unsaved_changes(),
        "restored work is still unsaved until saved as a case"
    );
}

#[test]
fn an_autosave_of_another_scan_is_not_offered_and_is_kept() {
    config_dir();
    let dir = tempfile::tempdir().unwrap();
    let autosave = dir.path().join("autosave");
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("ct.nii.gz"), &ct).unwrap();
    drop(first_run(&autosave, &ct));
    let other = dir.path().join("phantom_ct.nii.gz");
    std::fs::copy(sample("phantom_ct.nii.gz"), &other).unwrap();
    let mut app = RemnantApp::new(None);
    app.enable_autosave(autosave.clone(), Some(&other));
    assert!(
        app.restore_offer.is_none(),
        "the work on ct.nii.gz is not offered for phantom_ct.nii.gz"
    );
    let note = app.notice.clone().expect("a notice says where the work is");
    assert!(
        note.contains("ct.nii.gz") && note.contains("kept in"),
        "{note}"
    );
    let kept: Vec<_> = std::fs::read_dir(&autosave)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("kept-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].path().join("layers.nii.gz").exists());
    assert!(
        !autosave.join("session.json").exists(),
        "moved aside, not overwritten later"
    );
    // and a scan that changed since its autosave is not offered either (the window above
    // closed first: while it runs, its autosave slot is its own)
    drop(app);
    let mut app = RemnantApp::new(None);
    std::fs::rename(
        kept[0].path().join("session.json"),
        autosave.join("session.json"),
    )
    .unwrap();
    std::fs::rename(
        kept[0].path().join("layers.nii.gz"),
        autosave.join("layers.nii.gz"),
    )
    .unwrap();
    std::fs::write(&ct, b"another file now").unwrap();
    app.enable_autosave(autosave.clone(), Some(&ct));
    assert!(app.restore_offer.is_none());
    assert!(app.notice.unwrap().contains("changed since the autosave"));
}

#[test]
fn opening_another_scan_after_a_case_with_tumours_shows_no_tumours() {
    config_dir();
    let dir = tempfile::tempdir().unwrap();
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("phantom_ct.nii.gz"), &ct).unwrap();
    // a case on the phantom, whose layers hold tumours
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(ct.clone()));
    app.wait_for_jobs();
    app.apply(AppCommand::FileChosen(
        Purpose::OpenLayers,
        sample("phantom_labels.nii.gz"),
    ));
    let cp = dir.path().join("case.json");
    app.apply(AppCommand::FileChosen(Purpose::SaveCase, cp.clone()));
    app.wait_for_jobs();
    // closed (while it runs it holds the case: another window would get it read-only)
    drop(app);
    let mut app = RemnantApp::new(None);
    app.tab = Tab::Plan;
    app.apply(AppCommand::FileChosen(Purpose::OpenCase, cp));
    app.wait_for_jobs();
    let mut h = harness(app);
    assert!(
        h.query_by_label_contains("Tumours and margins: 0")
            .is_none()
    );
    let n = h
        .state()
        .ws
        .study
        .as_ref()
        .unwrap()
        .labels
        .count(Layer::Tumour);
    assert!(n > 0);
    // now another scan, with no layers
    h.state_mut().apply(AppCommand::Open(sample("ct.nii.gz")));
    settle(&mut h);
    h.get_by_label("Tumours and margins: 0");
}
