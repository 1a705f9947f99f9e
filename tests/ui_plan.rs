//! The FLR planning panel driven headless: typed height and weight, the condition
//! picker, and the verdict text, on the known-answer phantom.

mod common;
use common::*;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::ui::RemnantApp;
use remnant::ui::{AppCommand, Purpose};

fn phantom_harness() -> Harness<'static, RemnantApp> {
    // SAFETY: tests in this binary only read it after this point; same value everywhere.
    unsafe {
        std::env::set_var(
            "REMNANT_CONFIG_DIR",
            std::env::temp_dir().join("remnant-test-plan"),
        )
    };
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("phantom_ct.nii.gz")));
    app.wait_for_jobs();
    app.apply(AppCommand::FileChosen(
        Purpose::OpenLayers,
        sample("phantom_labels.nii.gz"),
    ));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 1000.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

fn type_into(h: &mut Harness<'static, RemnantApp>, label: &str, text: &str) {
    let node = h.get_by_role_and_label(Role::TextInput, label);
    node.focus();
    node.type_text(text);
    h.run();
}

#[test]
fn verdict_follows_condition_and_body_size() {
    let mut h = phantom_harness();
    // FLR 29,936 / 89,792 = 33.3 %: adequate for a normal liver
    h.get_by_label_contains(
        "FLR 33.3 % >= 20 % required for a normal liver: remnant volume adequate for a normal liver",
    );
    h.get_by_label_contains("Cirrhosis").click();
    h.run();
    h.get_by_label_contains(
        "FLR 33.3 % < 40 % required with cirrhosis: remnant volume insufficient for a cirrhotic liver: consider portal vein embolisation",
    );
    // PVE: 33.34 x 1.2 = 40.0 %, x 1.4 = 46.7 %
    h.get_by_label_contains("After PVE the remnant typically grows by 20-40 % in 2-4 weeks");
    h.get_by_label_contains("FLR typically 40.0-46.7 %");
    // height and weight switch the verdict to the standardised FLR:
    // 175 cm / 70 kg -> BSA 1.8447 m^2 -> sTLV 1543.3 mL -> sFLR 202.068 / 1543.3 = 13.1 %
    type_into(&mut h, "Height (cm)", "175");
    type_into(&mut h, "Weight (kg)", "70");
    h.get_by_label_contains("sFLR 13.1 % (measured FLR 33.3 %) < 40 % required with cirrhosis");
    h.get_by_label_contains("Normal liver").click();
    h.run();
    h.get_by_label_contains("sFLR 13.1 % (measured FLR 33.3 %) < 20 % required for a normal liver");
}

#[test]
fn absurd_numbers_are_refused_in_the_field_with_a_message() {
    let mut h = phantom_harness();
    type_into(&mut h, "Height (cm)", "0");
    h.get_by_label_contains("height 0 cm is outside 100-250 cm");
    type_into(&mut h, "Weight (kg)", "900");
    h.get_by_label_contains("weight 900 kg is outside 25-300 kg");
    // no sFLR from refused inputs: the verdict stays on the measured FLR
    h.get_by_label_contains("FLR 33.3 % >= 20 %");
    h.get_by_label_contains("Missing: height and weight for the standardised FLR");
    assert!(h.state().ws.planning.height_cm.is_none());
    let mut h = phantom_harness();
    type_into(&mut h, "Weight (kg)", "heavy");
    h.get_by_label_contains("weight \"heavy\" is not a number of kg");
    let mut h = phantom_harness();
    type_into(&mut h, "Height (cm)", "-170");
    h.get_by_label_contains("height -170 cm is outside");
}

#[test]
fn missing_tracing_gives_no_verdict_and_says_what_is_missing() {
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("ct.nii.gz")));
    app.wait_for_jobs();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 1000.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h.get_by_label_contains("No verdict yet: trace the whole liver");
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(remnant::segmentation::Layer::Liver),
        sample("liver.nii.gz"),
    ));
    h.run();
    h.get_by_label_contains("No verdict yet: trace or place the planned resection");
}

#[test]
fn post_pve_scan_gives_hypertrophy_and_kgr() {
    let mut h = phantom_harness();
    // the "post-PVE" label map: the phantom itself, so growth is zero -> KGR 0 < 2 %/week
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::AfterPve,
        sample("phantom_labels.nii.gz"),
    ));
    h.run();
    type_into(&mut h, "Weeks between scans", "3");
    h.get_by_label_contains("FLR 33.3 % -> 33.3 % at 3.0 weeks between the scans: degree of hypertrophy 0.0 points, KGR at least 0.00 %/week (a lower bound");
    // without height and weight the sFLR cut-offs (Shindoh 2013, Ribero 2007) are not
    // applied to the measured FLR, and it says so (issue 28)
    h.get_by_label_contains(
        "are defined on the standardised FLR, so they are not applied to the measured FLR",
    );
    assert_eq!(
        h.query_all_by_label_contains("associated with more liver insufficiency")
            .count(),
        0
    );
    // the post-PVE FLR is itself judged against the threshold, heads the plan, and does
    // not advise PVE again
    // (the phantom leaves 0.4 mL of tumour in the remnant, which opens each verdict)
    h.get_by_label_contains("Post-PVE scan: Plan incomplete: 0.4 mL of tumour is left in the remnant (outside the planned resection). By volume only: FLR 33.3 % >= 20 % required for a normal liver: remnant volume adequate for a normal liver after PVE");
    h.get_by_label_contains("First scan, before PVE: Plan incomplete: 0.4 mL");
    // with the weeks since PVE, the KGR is no longer a lower bound
    type_into(&mut h, "Weeks since PVE", "2");
    h.get_by_label_contains(
        "at 2.0 weeks since PVE: degree of hypertrophy 0.0 points, KGR 0.00 %/week. The KGR cut-off",
    );
}
