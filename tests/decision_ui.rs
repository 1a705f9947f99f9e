//! The decision in the Plan panel, driven headless on the known-answer phantom
//! (FLR 29,936 / 89,792 = 33.3 %, two traced tumours): the graded verdict, a custom
//! threshold labelled as the user's, the coverage warning when the liver touches the
//! last slice, the Fong score from the traced tumours; and CC reset in the PCI tab.

mod common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::segmentation::Layer;
use remnant::ui::RemnantApp;
use remnant::ui::{AppCommand, Purpose, Tab};

fn harness(app: RemnantApp) -> Harness<'static, RemnantApp> {
    // SAFETY: tests in this binary only read it after this point; same value everywhere.
    unsafe {
        std::env::set_var(
            "REMNANT_CONFIG_DIR",
            std::env::temp_dir().join("remnant-test-decision"),
        )
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 2000.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

fn phantom_app() -> RemnantApp {
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("phantom_ct.nii.gz")));
    app.wait_for_jobs();
    app.apply(AppCommand::FileChosen(
        Purpose::OpenLayers,
        sample("phantom_labels.nii.gz"),
    ));
    app.tab = Tab::Plan;
    app
}

#[test]
fn the_panel_shows_the_graded_verdict() {
    let mut h = harness(phantom_app());
    h.get_by_label_contains("remnant volume adequate for a normal liver");
    // 33.3 % is within 5 points above 30 %: borderline
    h.get_by_label_contains("After extensive chemotherapy")
        .click();
    h.run();
    h.get_by_label_contains(
        "FLR 33.3 % >= 30 % required after extensive chemotherapy by less than 5 points: remnant volume borderline for a liver after extensive chemotherapy: discuss portal vein embolisation",
    );
    // the functional caveat, once
    h.get_by_label_contains("Volume is not function");
    // and below 40 %: insufficient
    h.get_by_label_contains("Cirrhosis").click();
    h.run();
    h.get_by_label_contains("remnant volume insufficient for a cirrhotic liver");
}

#[test]
fn a_custom_threshold_is_labelled_custom() {
    let mut h = harness(phantom_app());
    h.state_mut().work.plan.inputs.thresholds.normal = 25.0;
    h.run();
    h.get_by_label_contains("Normal liver (FLR >= custom 25 %)");
    h.get_by_label_contains("FLR 33.3 % >= custom 25 % required for a normal liver");
    h.get_by_label_contains("threshold set by the user (consensus value 20 %");
}

#[test]
fn a_liver_touching_the_last_slice_gives_the_coverage_warning() {
    let mut h = harness(phantom_app());
    assert!(
        h.query_by_label_contains("touches the last slice")
            .is_none(),
        "the phantom's liver is inside the scan"
    );
    {
        let app = h.state_mut();
        let s = app.ws.study.as_mut().unwrap();
        let [nx, ny, nz] = s.ct.geometry.dims;
        let (ci, cj) = (nx / 2, ny / 2);
        s.labels.bits[ci + nx * (cj + ny * (nz - 1))] |= Layer::Liver.bit();
        s.revision += 1;
    }
    h.run();
    h.get_by_label_contains(
        "The liver touches the last slice of the scan: it may extend beyond the scanned field. The total liver volume is then a lower bound and the FLR % can be off in either direction, so no verdict is graded",
    );
}

#[test]
fn the_fong_score_is_filled_from_the_traced_tumours() {
    let mut h = harness(phantom_app());
    // Fong, the checklists and the margins fold below the decision card
    assert!(
        h.query_by_label_contains("more than one tumour yes")
            .is_none(),
        "folded until opened"
    );
    // one click a frame, as a person clicks
    h.get_by_label("Fong score and resectability checklists")
        .click();
    h.run();
    h.get_by_label("Tumours and margins: 2").click();
    h.run();
    // two traced tumours: "more than one tumour" is 1 point; 3 criteria are not entered
    h.get_by_label_contains(
        "Fong clinical risk score at least 1 / 5, at most 4 (3 criteria not entered)",
    );
    h.get_by_label_contains("more than one tumour yes (from tracing: 2 traced)");
    // an override is marked
    h.state_mut().work.plan.inputs.fong.more_than_one_tumour = Some(false);
    h.run();
    h.get_by_label_contains("more than one tumour no (overridden by the user; tracing: 2 traced)");
    // the tumour list shows each tumour's margin and axial diameter
    assert_eq!(
        h.query_all_by_label_contains("mL  axial diameter").count(),
        2,
        "one row per tumour"
    );
    h.get_by_label_contains("Tumour #1 (axial diameter");
}

#[test]
fn cc_can_be_reset_to_not_recorded() {
    let mut app = RemnantApp::new(None);
    app.tab = Tab::Pci;
    app.ws.report.cc_score = Some(remnant::pci::CcScore::Cc2);
    let mut h = harness(app);
    h.get_by_label("CC not recorded").click();
    h.run();
    assert_eq!(h.state().ws.report.cc_score, None);
}

/// Two-stage hepatectomy in the panel: a stage-1 resection traced in the remnant (the
/// Stage-1 resection layer, offered in the Tools tab like the others) gives the FLR of
/// each stage and the stage sentence; the verdict says it judges the final remnant.
#[test]
fn a_stage1_resection_shows_the_flr_of_each_stage() {
    let mut h = harness(phantom_app());
    assert!(h.query_by_label_contains("Two-stage hepatectomy").is_none());
    let moved = {
        let app = h.state_mut();
        let s = app.ws.study.as_mut().unwrap();
        // the first 1000 remnant voxels (liver, no resection, no tumour) become stage 1
        let mut moved = 0;
        for b in s.labels.bits.iter_mut() {
            if *b == Layer::Liver.bit() && moved < 1000 {
                *b |= Layer::Stage1.bit();
                moved += 1;
            }
        }
        s.revision += 1;
        moved
    };
    assert_eq!(moved, 1000);
    h.run();
    // phantom: functional 89,792 voxels, remnant 29,936: after stage 1 88,792 (98.9 %),
    // after stage 2 28,936 (32.2 %)
    h.get_by_label_contains("Two-stage hepatectomy: stage 1 removes");
    h.get_by_label_contains("leaving FLR 98.9 % (adequate by volume against 20 %)");
    h.get_by_label_contains("leaving the final remnant, FLR 32.2 %");
    h.get_by_label_contains("FLR 32.2 % after both stages of the two-stage plan");
    // the stage figures fold under the volumes
    h.get_by_label("Volumes and body figures").click();
    h.run();
    h.get_by_label("FLR after stage 1");
    h.get_by_label("98.9 %");
    // the layer is traced like the others: in the Tools tab's layer picker (and the
    // side panel's layer list)
    let before = h.query_all_by_label("Stage-1 resection").count();
    h.state_mut().tab = Tab::Tools;
    h.run();
    assert!(
        h.query_all_by_label("Stage-1 resection").count() > before,
        "the Tools tab offers the layer"
    );
}

/// The post-PVE scan loaded in the Plan tab goes into the case's planning (so a save
/// or a PDF export carries the growth), and the weeks typed are kept with it.
#[test]
fn a_post_pve_scan_loaded_in_the_panel_is_kept_with_the_planning() {
    let mut h = harness(phantom_app());
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::AfterPve,
        sample("phantom_labels.nii.gz"),
    ));
    h.run();
    h.get_by_label("Second scan: phantom_labels.nii.gz");
    assert!(h.state().ws.planning.post_pve.is_some());
    {
        let app = h.state_mut();
        app.work.plan.weeks_since_pve_text = "3".into();
        app.work.plan.update_inputs();
    }
    h.run();
    h.run();
    assert_eq!(h.state().ws.planning.weeks_since_pve, Some(3.0));
    // the same map twice: no growth, over 3 weeks since PVE
    h.get_by_label_contains("at 3.0 weeks since PVE: degree of hypertrophy 0.0 points");
    h.state_mut().ws.fill_liver_figures();
    let f = h.state().ws.report.liver.figures.clone().unwrap();
    assert_eq!(f.kgr_percent_per_week, Some(0.0));
}

#[test]
fn the_plan_tab_opens_with_the_decision_card() {
    let h = harness(phantom_app());
    // the card: its verdict once (not repeated in the sentences below), the four
    // figures, the next step; without height and weight the sFLR says what is missing
    h.get_by_label("Decision");
    for label in ["FLR", "sFLR", "FLR / body weight"] {
        h.get_by_label(label);
    }
    // "Remnant" is also a layer's name in the side panel
    assert!(h.query_all_by_label("Remnant").count() >= 1);
    h.get_by_label("enter height and weight");
    h.get_by_label_contains("Next: ");
    let headline = {
        let app = h.state();
        let s = app.ws.study.as_ref().unwrap();
        let tumours = remnant::segmentation::components::components(
            &s.labels.bits,
            Layer::Tumour.bit(),
            &s.ct.geometry,
        );
        let d = remnant::clinical::decide(
            &s.labels.bits,
            &s.ct.geometry,
            &app.work.plan.inputs,
            &tumours,
            None,
            None,
        );
        remnant::clinical::card(&d).verdict.text
    };
    assert_eq!(
        h.query_all_by_label(&headline).count(),
        1,
        "the verdict is shown once: {headline}"
    );
}
