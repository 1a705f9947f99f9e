//! The PCI diagram and the report/case flow driven headless: clicks and keys score
//! regions, the total updates, cases save and reopen, and closing with unsaved work asks.

mod common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::ui::RemnantApp;
use remnant::ui::{AppCommand, Purpose, Tab};

fn harness(app: RemnantApp) -> Harness<'static, RemnantApp> {
    // SAFETY: tests in this binary only read it after this point; same value everywhere.
    unsafe {
        std::env::set_var(
            "REMNANT_CONFIG_DIR",
            std::env::temp_dir().join("remnant-test-pci"),
        )
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 1100.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

#[test]
fn clicking_regions_cycles_scores_and_updates_the_total() {
    let mut app = RemnantApp::new(None);
    app.tab = Tab::Pci;
    let mut h = harness(app);
    h.get_by_label("PCI 0 / 39");
    h.get_by_label("13 region(s) not scored yet");
    // region 3 (left upper): unscored -> LS-0 -> LS-1 -> LS-2
    for _ in 0..3 {
        h.get_by_label_contains("Region 3 Left upper").click();
        h.run();
    }
    h.get_by_label("Region 3 Left upper: LS-2");
    // region 12 (lower ileum): one click -> LS-0, a second -> LS-1
    h.get_by_label_contains("Region 12 ").click();
    h.run();
    h.get_by_label_contains("Region 12 ").click();
    h.run();
    h.get_by_label("PCI 3 / 39");
    h.get_by_label("11 region(s) not scored yet");
    // keyboard: select region 0 by clicking it (-> LS-0), then type 3
    h.get_by_label_contains("Region 0 Central").click();
    h.run();
    h.key_press(egui::Key::Num3);
    h.run();
    h.get_by_label("PCI 6 / 39");
    // arrow right from 0 goes to region 4 (left flank); type 2
    h.key_press(egui::Key::ArrowRight);
    h.run();
    h.key_press(egui::Key::Num2);
    h.run();
    assert_eq!(h.state().ws.report.pci.total(), 8);
    assert_eq!(h.state().ws.report.pci.get(4).map(|l| l.points()), Some(2));
    // Elias: disease in region 12 is flagged
    h.get_by_label_contains("lower ileum");
}

#[test]
fn a_case_saves_and_reopens_with_scan_layers_report_and_planning() {
    let dir = tempfile::tempdir().unwrap();
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("phantom_ct.nii.gz"), &ct).unwrap();
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(ct.clone()));
    app.wait_for_jobs();
    app.apply(AppCommand::FileChosen(
        Purpose::OpenLayers,
        sample("phantom_labels.nii.gz"),
    ));
    edit_report(&mut app, |r| {
        r.patient.patient_id = Some("RMN-7".into());
        r.pci.set(6, remnant::pci::LesionSize::Ls3).unwrap();
    });
    app.work.plan.height_text = "180".into();
    app.work.plan.weight_text = "80".into();
    app.work.plan.update_inputs();
    app.apply(AppCommand::set_planning(app.work.plan.inputs.clone()));
    assert!(app.ws.has_unsaved_changes());
    let cp = dir.path().join("case.json");
    app.apply(AppCommand::FileChosen(Purpose::SaveCase, cp.clone()));
    app.wait_for_jobs();
    assert!(!app.ws.has_unsaved_changes(), "{:?}", app.error);
    let pdf = dir.path().join("r.pdf");
    app.apply(AppCommand::FileChosen(Purpose::ExportPdf, pdf.clone()));
    assert!(
        std::fs::metadata(&pdf).unwrap().len() > 1000,
        "{:?}",
        app.error
    );

    // closed first (a running window holds the case it saved: another would get it read-only)
    drop(app);
    let mut again = RemnantApp::new(None);
    again.apply(AppCommand::FileChosen(Purpose::OpenCase, cp.clone()));
    again.wait_for_jobs();
    let h = harness(again);
    let s = h.state();
    assert_eq!(s.ws.report.patient.patient_id.as_deref(), Some("RMN-7"));
    assert_eq!(s.ws.report.pci.total(), 3);
    assert_eq!(s.work.plan.inputs.height_cm, Some(180.0));
    let study = s.ws.study.as_ref().unwrap();
    assert_eq!(
        study.labels.count(remnant::segmentation::Layer::Tumour),
        208
    );
    assert!(
        !s.ws.has_unsaved_changes(),
        "a freshly opened case has nothing unsaved"
    );
    // the liver figures in the saved report came from the planning
    assert!(
        s.ws.report
            .liver
            .figures
            .as_ref()
            .unwrap()
            .verdict
            .contains("sFLR")
    );
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let mut app = RemnantApp::new(None);
    edit_report(&mut app, |r| r.patient.patient_id = Some("RMN-8".into()));
    let mut h = harness(app);
    h.event(egui::Event::WindowFocused(true));
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run();
    assert!(h.state().confirm_close, "the app asks before closing");
    h.get_by_label("Unsaved changes");
    h.get_by_label("Keep working").click();
    h.run();
    assert!(!h.state().confirm_close);
    assert_eq!(
        h.state().ws.report.patient.patient_id.as_deref(),
        Some("RMN-8"),
        "nothing lost"
    );
}

#[test]
fn typed_report_numbers_are_checked() {
    let mut app = RemnantApp::new(None);
    app.tab = Tab::Report;
    app.ws.report.hipec = Some(Default::default());
    let mut h = harness(app);
    let t = h.get_by_label("Temperature (°C)");
    t.focus();
    t.type_text("90");
    h.run();
    h.get_by_label_contains("Temperature (°C) 90 is outside 37-45");
    assert_eq!(
        h.state().ws.report.hipec.as_ref().unwrap().temperature_c,
        None
    );
}

#[test]
fn attached_photos_show_as_thumbnails_and_a_bad_one_says_why() {
    let mut app = RemnantApp::new(None);
    app.tab = Tab::Report;
    let photos = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    app.apply(AppCommand::FileChosen(
        Purpose::AddPhoto,
        photos.join("photo_upright.jpg"),
    ));
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("broken.jpg");
    std::fs::write(&bad, b"\xff\xd8 not really a jpeg").unwrap();
    app.apply(AppCommand::FileChosen(Purpose::AddPhoto, bad.clone()));
    let mut h = harness(app);
    h.run();
    let thumb = h.get_by_label("photo 1");
    assert!(thumb.rect().width() > 20.0 && thumb.rect().width() <= 160.5);
    assert!(h.query_by_label("photo 2").is_none());
    h.get_by_label_contains("cannot show");
    // the report keeps both photos: nothing the surgeon attached is dropped
    assert_eq!(h.state().ws.report.photos.len(), 2);
}

#[test]
fn saving_over_a_case_another_program_changed_is_refused_and_keeps_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("phantom_ct.nii.gz"), &ct).unwrap();
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(ct));
    app.wait_for_jobs();
    edit_report(&mut app, |r| r.patient.patient_id = Some("RMN-9".into()));
    let cp = dir.path().join("case.json");
    app.apply(AppCommand::FileChosen(Purpose::SaveCase, cp.clone()));
    app.wait_for_jobs();
    assert!(app.error.is_none(), "{:?}", app.error);
    // a second save over our own file is fine
    edit_report(&mut app, |r| r.surgeon = Some("Dr B".into()));
    app.apply(AppCommand::FileChosen(Purpose::SaveCase, cp.clone()));
    app.wait_for_jobs();
    assert!(app.error.is_none(), "{:?}", app.error);
    // another program rewrites the case file
    let theirs = std::fs::read_to_string(&cp)
        .unwrap()
        .replace("RMN-9", "RMN-0");
    std::fs::write(&cp, &theirs).unwrap();
    edit_report(&mut app, |r| r.surgeon = Some("Dr C".into()));
    app.apply(AppCommand::FileChosen(Purpose::SaveCase, cp.clone()));
    app.wait_for_jobs();
    let e = app.error.clone().expect("the save is refused");
    assert!(e.contains("NOT saved") && e.contains("case.json"), "{e}");
    assert_eq!(
        std::fs::read_to_string(&cp).unwrap(),
        theirs,
        "their file intact"
    );
    assert!(
        app.ws.has_unsaved_changes(),
        "our changes are still unsaved"
    );
}

/// Edit the report as the Report and PCI tabs do: a changed draft, applied.
fn edit_report(app: &mut RemnantApp, f: impl FnOnce(&mut remnant::report::Report)) {
    let mut r = app.ws.report.clone();
    f(&mut r);
    app.apply(AppCommand::set_report(r));
}
