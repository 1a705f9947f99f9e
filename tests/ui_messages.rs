//! Messages never break the layout (issue 27, item 5): a 300-character notice holding
//! a 200-character file path, an error as long, and the restore question about a scan
//! with a long path, in a 1280 x 800 window. The four views and every button that
//! dismisses a message must lie inside the window, and the message can be dismissed.

mod common;
use common::ui::settle;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::ui::{AppCommand, RemnantApp};

const W: f32 = 1280.0;
const H: f32 = 800.0;

/// A 200-character path with no space in it (a path does not wrap at spaces).
fn long_path() -> String {
    let mut p = String::from("/home/surgeon/Remnant/autosave/kept-");
    while p.len() < 190 {
        p.push_str("0123456789abcdef_");
    }
    p.truncate(190);
    p.push_str("/layers.nii");
    assert_eq!(p.chars().count(), 201);
    p
}

/// A 300-character notice naming the long path.
fn long_notice() -> String {
    let mut n = format!(
        "Unsaved work from a run that did not end normally was not restored (the autosave in {} belongs to another scan); it is kept",
        long_path()
    );
    while n.chars().count() < 300 {
        n.push_str(" there");
    }
    n
}

fn harness(app: RemnantApp) -> Harness<'static, RemnantApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(W, H))
        .with_max_steps(12)
        .build_ui_state(|ui, a: &mut RemnantApp| a.ui_root(ui), app);
    settle(&mut h);
    h
}

fn opened() -> RemnantApp {
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("ct.nii.gz")));
    app.wait_for_jobs();
    app
}

fn inside(r: egui::Rect, what: &str) {
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(W, H));
    assert!(
        r.width() > 1.0 && r.height() > 1.0 && window.contains_rect(r),
        "{what} at {r:?} is not inside the {W} x {H} window"
    );
}

fn views_inside(h: &Harness<'static, RemnantApp>) {
    for v in ["Axial view", "Coronal view", "Sagittal view", "3-D view"] {
        inside(h.get_by_label(v).rect(), v);
    }
}

#[test]
fn a_long_notice_wraps_and_its_ok_button_stays_in_the_window() {
    let mut app = opened();
    let notice = long_notice();
    assert!(notice.chars().count() >= 300);
    app.notice = Some(notice.clone());
    let mut h = harness(app);
    views_inside(&h);
    inside(h.get_by_label("OK").rect(), "the notice's OK button");
    h.get_by_label("OK").click();
    settle(&mut h);
    assert!(h.state().notice.is_none(), "OK dismissed the notice");
    views_inside(&h);
}

#[test]
fn a_long_error_and_a_long_notice_together_stay_dismissable() {
    let mut app = opened();
    app.notice = Some(long_notice());
    app.error = Some(format!(
        "cannot read {}: permission denied {}",
        long_path(),
        "x".repeat(120)
    ));
    let mut h = harness(app);
    views_inside(&h);
    inside(
        h.get_by_label("Dismiss").rect(),
        "the error's Dismiss button",
    );
    inside(h.get_by_label("OK").rect(), "the notice's OK button");
    h.get_by_label("Dismiss").click();
    settle(&mut h);
    assert!(h.state().error.is_none());
    h.get_by_label("OK").click();
    settle(&mut h);
    assert!(h.state().notice.is_none());
}

#[test]
fn the_restore_question_about_a_long_path_keeps_its_buttons_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    // a scan under a long folder name, autosaved, then offered for restoring
    let mut deep = dir.path().to_path_buf();
    for _ in 0..4 {
        deep.push("a_very_long_folder_name_of_a_hospital_share_0123456789");
    }
    std::fs::create_dir_all(&deep).unwrap();
    let ct = deep.join("ct.nii.gz");
    std::fs::copy(sample("ct.nii.gz"), &ct).unwrap();
    assert!(ct.to_string_lossy().chars().count() >= 200);
    let autosave = dir.path().join("autosave");
    let mut first = RemnantApp::new(None);
    first.enable_autosave(autosave.clone(), Some(&ct));
    first.apply(AppCommand::Open(ct.clone()));
    first.wait_for_jobs();
    first.apply(AppCommand::FileChosen(
        remnant::ui::Purpose::ImportMask(remnant::segmentation::Layer::Liver),
        sample("liver.nii.gz"),
    ));
    first.wait_for_jobs();
    let h = harness(first); // its frames write the autosave
    assert!(autosave.join("session.json").exists(), "autosaved");
    drop(h); // killed: no clean exit
    let mut app = RemnantApp::new(None);
    app.enable_autosave(autosave, Some(&ct));
    assert!(app.restore_offer.is_some());
    let mut h = harness(app);
    inside(h.get_by_label("Restore").rect(), "Restore");
    inside(h.get_by_label("Discard it").rect(), "Discard it");
    h.get_by_label("Discard it").click();
    settle(&mut h);
    assert!(h.state().restore_offer.is_none());
}
