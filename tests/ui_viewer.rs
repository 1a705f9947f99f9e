//! The viewer driven headless through egui_kittest, as a user would use it.

mod common;
use common::*;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::render::Window;
use remnant::segmentation::Layer;
use remnant::ui::AppCommand;
use remnant::ui::RemnantApp;

fn config_dir() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let d = std::env::temp_dir().join(format!("remnant-test-config-{}", std::process::id()));
        // SAFETY: set once, before any test thread reads it (all readers go through this Once).
        unsafe { std::env::set_var("REMNANT_CONFIG_DIR", d) };
    });
}

fn harness_on(path: std::path::PathBuf) -> Harness<'static, RemnantApp> {
    config_dir();
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(path));
    app.wait_for_jobs();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

fn wheel(h: &Harness<'static, RemnantApp>, lines: f32) {
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, lines),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::NONE,
    });
}

#[test]
fn opens_the_sample_and_shows_the_case() {
    let mut h = harness_on(sample("ct.nii.gz"));
    assert!(h.state().ws.study.is_some());
    h.get_by_label("ct.nii.gz");
    h.get_by_label("122 x 101 x 30 voxels");
    h.get_by_label("RAS (NIfTI sform)");
    for p in ["Axial view", "Coronal view", "Sagittal view"] {
        h.get_by_label(p);
    }
    // every plane texture was built once, and not again on an idle frame
    let before: Vec<u64> = h.state().caches.iter().map(|c| c.rebuilds).collect();
    assert!(before.iter().all(|&n| n >= 1));
    h.run();
    let after: Vec<u64> = h.state().caches.iter().map(|c| c.rebuilds).collect();
    assert_eq!(before, after, "idle frames must not rebuild textures");
}

#[test]
fn wheel_and_keys_scroll_the_slice_under_the_pointer_only() {
    let mut h = harness_on(sample("ct.nii.gz"));
    let k0 = h.state().view.as_ref().unwrap().cursor[2];
    let axial = h.get_by_label("Axial view").rect();
    h.hover_at(axial.center() + egui::vec2(0.0, 100.0));
    h.run();
    wheel(&h, 3.0);
    h.run();
    let v = h.state().view.as_ref().unwrap();
    assert_eq!(v.cursor[2], k0 + 3, "three wheel lines up = three slices");
    let rebuilds: Vec<u64> = h.state().caches.iter().map(|c| c.rebuilds).collect();
    h.key_press(egui::Key::PageDown);
    h.run();
    assert_eq!(h.state().view.as_ref().unwrap().cursor[2], k0 + 2);
    let after: Vec<u64> = h.state().caches.iter().map(|c| c.rebuilds).collect();
    assert_eq!(after[0], rebuilds[0] + 1, "the axial plane is rebuilt");
    assert_eq!(&after[1..], &rebuilds[1..], "coronal and sagittal are not");
    // Home resets
    h.key_press(egui::Key::Home);
    h.run();
    assert_eq!(h.state().view.as_ref().unwrap().cursor[2], 15);
}

#[test]
fn clicking_in_the_axial_view_moves_the_other_planes() {
    let mut h = harness_on(sample("ct.nii.gz"));
    let axial = h.get_by_label("Axial view").rect();
    let c0 = h.state().view.as_ref().unwrap().cursor;
    h.get_by_label("Axial view").click();
    h.run();
    // the crosshair moved to the voxel under the click: the centre of the view
    let _ = axial;
    let c1 = h.state().view.as_ref().unwrap().cursor;
    assert_eq!(c1[2], c0[2], "the axial slice stays");
    assert!(
        c1 != c0 || (c0[0] == 61 && c0[1] == 50),
        "cursor follows the click"
    );
    // click left of centre: patient's right = higher i in this RAS scan
    let p = axial.center() - egui::vec2(80.0, 0.0);
    h.hover_at(p);
    h.drag_at(p);
    h.run();
    h.drop_at(p);
    h.run();
    let c2 = h.state().view.as_ref().unwrap().cursor;
    assert!(
        c2[0] > c1[0],
        "screen left is the patient's right (radiological): i {} -> {}",
        c1[0],
        c2[0]
    );
}

#[test]
fn window_presets_and_layer_toggles_change_what_is_drawn() {
    let mut h = harness_on(sample("ct.nii.gz"));
    h.get_by_role_and_label(Role::Button, "Liver").click();
    h.run();
    assert_eq!(h.state().view.as_ref().unwrap().window, Window::LIVER);
    h.get_by_label("Bone").click();
    h.run();
    assert_eq!(h.state().view.as_ref().unwrap().window, Window::BONE);
    assert!(h.state().view.as_ref().unwrap().style(Layer::Liver).visible);
    h.get_by_role_and_label(Role::CheckBox, "Liver").click();
    h.run();
    assert!(!h.state().view.as_ref().unwrap().style(Layer::Liver).visible);
    h.get_by_label("Tumour outline").click();
    h.run();
    assert!(
        h.state()
            .view
            .as_ref()
            .unwrap()
            .style(Layer::Tumour)
            .contour
    );
}

#[test]
fn a_failed_open_says_why_and_keeps_the_open_scan() {
    let mut h = harness_on(sample("ct.nii.gz"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.nii.gz");
    std::fs::write(&bad, b"\x1f\x8b garbage that is not a gzip stream").unwrap();
    h.state_mut().apply(AppCommand::Open(bad));
    h.state_mut().wait_for_jobs();
    h.run();
    let err = h.state().error.clone().unwrap();
    assert!(err.contains("broken.nii.gz"), "{err}");
    assert_eq!(h.state().ws.study.as_ref().unwrap().name(), "ct.nii.gz");
    h.get_by_label_contains("broken.nii.gz");
}

#[test]
fn single_plane_layout() {
    let mut h = harness_on(sample("ct.nii.gz"));
    let three = h.get_by_label("Coronal view").rect().width();
    h.state_mut().view.as_mut().unwrap().layout =
        remnant::ui::view_state::Layout::Single(remnant::render::Plane::Coronal);
    h.run();
    assert!(h.query_by_label("Axial view").is_none());
    let cor = h.get_by_label("Coronal view").rect();
    assert!(
        cor.width() > 2.5 * three,
        "the single plane fills the centre: {} vs {three}",
        cor.width()
    );
}
