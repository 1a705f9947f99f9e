//! The four-view layout and the 3-D view's controls, driven through egui_kittest.
//! (kittest does not run OpenGL: these check layout, camera, picking and state; the
//! surfaces on screen are checked under Xvfb, see the README.)

mod common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::mesh::MeshLayer;
use remnant::render::Plane;
use remnant::segmentation::Layer;
use remnant::ui::RemnantApp;
use remnant::ui::view_state::Layout;
use remnant::ui::{AppCommand, Purpose};

fn config_dir() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let d = std::env::temp_dir().join(format!("remnant-test-config-{}", std::process::id()));
        // SAFETY: set once, before any test thread reads it (all readers go through this Once).
        unsafe { std::env::set_var("REMNANT_CONFIG_DIR", d) };
    });
}

fn harness() -> Harness<'static, RemnantApp> {
    config_dir();
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("ct.nii.gz")));
    app.wait_for_jobs();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

/// Build the 3-D surfaces of the current layers now (the meshing job runs off the UI thread).
fn wait_for_surfaces(h: &mut Harness<'static, RemnantApp>) {
    let app = h.state_mut();
    let study = app.ws.study.take().unwrap();
    app.view3d.wait(&study);
    app.ws.study = Some(study);
}

/// Import the sample's reference liver as the liver layer and build its surface.
fn import_sample_liver(h: &mut Harness<'static, RemnantApp>) {
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        sample("liver.nii.gz"),
    ));
    // one frame: the meshing job starts (its spinner keeps repainting until it ends)
    h.step();
    wait_for_surfaces(h);
}

fn layout(h: &Harness<'static, RemnantApp>) -> Layout {
    h.state().view.as_ref().unwrap().layout
}

#[test]
fn four_views_by_default_and_f5_f6_f7_switch_layouts() {
    let mut h = harness();
    assert_eq!(layout(&h), Layout::FourUp);
    for l in ["Axial view", "Coronal view", "Sagittal view", "3-D view"] {
        h.get_by_label(l);
    }
    let four = h.get_by_label("Coronal view").rect();
    let three_d = h.get_by_label("3-D view").rect();
    // the planes use the space: a quarter of the centre each, the 3-D view beside the
    // axial plane and no wider than its cell
    let axial = h.get_by_label("Axial view").rect();
    assert!(four.width() > 250.0 && four.height() > 300.0, "{four:?}");
    assert!(three_d.min.x > axial.max.x, "{three_d:?} vs {axial:?}");
    assert!(
        (three_d.width() - axial.width()).abs() < 2.0,
        "{three_d:?} vs {axial:?}"
    );
    h.key_press(egui::Key::F7);
    h.run();
    assert_eq!(layout(&h), Layout::ThreeD);
    assert!(h.query_by_label("Axial view").is_none());
    h.run();
    let big = h.get_by_label("3-D view").rect();
    assert!(
        big.width() > 1.8 * three_d.width(),
        "{big:?} vs {three_d:?}"
    );
    // F6: the plane last under the pointer (axial by default) alone
    h.key_press(egui::Key::F6);
    h.run();
    assert_eq!(layout(&h), Layout::Single(Plane::Axial));
    assert!(h.query_by_label("3-D view").is_none());
    h.key_press(egui::Key::F5);
    h.run();
    assert_eq!(layout(&h), Layout::FourUp);
    // and from the View menu
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("3-D only (F7)").click();
    h.run();
    assert_eq!(layout(&h), Layout::ThreeD);
}

#[test]
fn the_3d_panel_buttons_turn_the_camera_and_a_click_on_the_liver_moves_the_crosshair() {
    let mut h = harness();
    // without layers the 3-D view says what it shows
    h.run();
    wait_for_surfaces(&mut h);
    assert!(h.state().view3d.scene.is_empty());
    import_sample_liver(&mut h);
    assert_eq!(
        h.state().view3d.scene.len(),
        1,
        "one surface: the whole liver"
    );
    h.run();
    h.run();
    let cam = h.state().view3d.camera;
    // the camera was fitted to the liver: its target inside the liver's bounds
    let (lo, hi) = h.state().view3d.scene[0].mesh.bounds().unwrap();
    for a in 0..3 {
        assert!(cam.target[a] > lo[a] as f64 && cam.target[a] < hi[a] as f64);
    }
    h.get_by_label("S").click();
    h.run();
    let c = h.state().view3d.camera;
    assert!(
        c.eye()[2] > c.target[2] + 0.9 * c.distance,
        "S looks from above"
    );
    h.get_by_label("R").click();
    h.run();
    let c = h.state().view3d.camera;
    assert!(
        c.eye()[0] > c.target[0] + 0.9 * c.distance,
        "R looks from the right"
    );
    h.get_by_label("A").click();
    h.run();
    // crosshair toggle
    assert!(h.state().view3d.show_crosshair);
    h.get_by_label("Crosshair").click();
    h.run();
    assert!(!h.state().view3d.show_crosshair);
    // a click on the liver's surface moves the crosshair to a voxel at the liver's edge
    let rect = h.get_by_label("3-D view").rect();
    let before = h.state().view.as_ref().unwrap().cursor;
    common::ui::click_at(&mut h, rect.center());
    let after = h.state().view.as_ref().unwrap().cursor;
    assert_ne!(before, after, "the click moved the crosshair");
    let study = h.state().ws.study.as_ref().unwrap();
    let g = &study.ct.geometry;
    let liver = Layer::Liver.bit();
    let near_liver = (-1i64..=1).any(|dk| {
        (-1i64..=1).any(|dj| {
            (-1i64..=1).any(|di| {
                let p = [
                    after[0] as i64 + di,
                    after[1] as i64 + dj,
                    after[2] as i64 + dk,
                ];
                (0..3).all(|a| p[a] >= 0 && p[a] < g.dims[a] as i64)
                    && study.labels.bits[g.index(p[0] as usize, p[1] as usize, p[2] as usize)]
                        & liver
                        != 0
            })
        })
    });
    assert!(
        near_liver,
        "crosshair {after:?} is not at the liver's surface"
    );
    // the front surface: seen from the anterior, the voxel is the liver's most anterior
    // one along the ray (no liver voxel in front of it, 2 voxels' margin)
    let w = g.to_world(after.map(|x| x as f64));
    let c = h.state().view3d.camera;
    let eye = c.eye();
    let n = 200;
    let mut blocked = 0;
    for s in 0..n {
        let t = s as f64 / n as f64;
        let p: [f64; 3] = std::array::from_fn(|a| eye[a] + t * (w[a] - eye[a]));
        let d: f64 = (0..3).map(|a| (p[a] - w[a]).powi(2)).sum::<f64>().sqrt();
        if d < 2.0 * g.spacing().iter().cloned().fold(0.0, f64::max) {
            continue;
        }
        if let Some(ix) = g.to_index(p) {
            let q: Vec<i64> = ix.iter().map(|x| x.round() as i64).collect();
            if (0..3).all(|a| q[a] >= 0 && q[a] < g.dims[a] as i64)
                && study.labels.bits[g.index(q[0] as usize, q[1] as usize, q[2] as usize)] & liver
                    != 0
            {
                blocked += 1;
            }
        }
    }
    assert_eq!(blocked, 0, "liver in front of the picked point");
}

#[test]
fn a_cut_placed_in_3d_previews_the_resection_and_its_flr_and_enter_accepts_it() {
    let mut h = harness();
    import_sample_liver(&mut h);
    h.run();
    h.run();
    let resected_before = h.state_mut().ws.study.as_mut().unwrap().counts().resected;
    assert_eq!(resected_before, 0);
    h.get_by_label("Cut in 3-D").click();
    h.run();
    // a plane through the liver's centre, facing the screen's right: a preview waits
    let plane = h.state().view3d.cut3d.expect("a 3-D cut");
    let pending = h.state().ws.editor.pending.as_ref().expect("a pending cut");
    assert!(pending.ml > 10.0, "{} mL", pending.ml);
    let c = h.state().ws.cut_preview().unwrap();
    assert!(c.resected > 0 && c.remnant > 0);
    h.get_by_label_contains("FLR with this cut");
    // the 3-D surfaces show the pending cut applied: remnant and resection, before Enter
    let shown = |h: &mut Harness<'static, RemnantApp>| -> Vec<MeshLayer> {
        for _ in 0..500 {
            h.run();
            if !h.state().view3d.busy() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        h.run();
        h.state().view3d.scene.iter().map(|l| l.layer).collect()
    };
    assert_eq!(
        shown(&mut h),
        [MeshLayer::Remnant, MeshLayer::Resection],
        "the pending cut's resection is in the 3-D view"
    );
    assert_eq!(
        h.state_mut().ws.study.as_mut().unwrap().counts().resected,
        0,
        "and only previewed"
    );
    let resection_mesh = |h: &Harness<'static, RemnantApp>| {
        h.state()
            .view3d
            .scene
            .iter()
            .find(|l| l.layer == MeshLayer::Resection)
            .map(|l| l.mesh.clone())
    };
    let first = resection_mesh(&h).unwrap();
    // drag the centre handle along the normal: the plane moves, the preview follows
    let rect = h.get_by_label("3-D view").rect();
    let cam = h.state().view3d.camera;
    let vp = remnant::mesh::camera::Viewport {
        width: rect.width() as f64,
        height: rect.height() as f64,
    };
    let f =
        remnant::mesh::cut_handles::PlaneFrame::new(&plane, cam.target, cam.radius * 0.8).unwrap();
    let s = cam.project(f.centre, vp).unwrap();
    let n = cam
        .project(
            [
                f.centre[0] + f.n[0],
                f.centre[1] + f.n[1],
                f.centre[2] + f.n[2],
            ],
            vp,
        )
        .unwrap();
    let d = [n[0] - s[0], n[1] - s[1]];
    let l = d[0].hypot(d[1]);
    let from = egui::pos2(rect.min.x + s[0] as f32, rect.min.y + s[1] as f32);
    let to = from + egui::vec2((30.0 * d[0] / l) as f32, (30.0 * d[1] / l) as f32);
    h.event(egui::Event::PointerMoved(from));
    h.run();
    h.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.run();
    for k in 1..=6 {
        h.event(egui::Event::PointerMoved(
            from + (to - from) * (k as f32 / 6.0),
        ));
        h.run();
    }
    h.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.run();
    let moved = h.state().view3d.cut3d.unwrap();
    let along: f64 = (0..3)
        .map(|a| (moved.point[a] - f.centre[a]) * f.n[a])
        .sum();
    assert!(along > 5.0, "the plane moved {along} mm along its normal");
    let c2 = h.state().ws.cut_preview().unwrap();
    assert!(
        c2.resected < c.resected,
        "moving towards the removed side resects less: {} vs {}",
        c2.resected,
        c.resected
    );
    // the surfaces followed the moved plane: a smaller resection surface
    assert_eq!(shown(&mut h), [MeshLayer::Remnant, MeshLayer::Resection]);
    let second = resection_mesh(&h).unwrap();
    assert!(
        second.enclosed_volume_mm3() < first.enclosed_volume_mm3(),
        "{} vs {}",
        second.enclosed_volume_mm3(),
        first.enclosed_volume_mm3()
    );
    // Enter accepts the previewed resection, as the 2-D cut tool's
    let placed = h.state().view3d.cut3d.expect("a plane placed in 3-D");
    assert!(h.state().ws.cut().is_none());
    h.key_press(egui::Key::Enter);
    h.step();
    let after = h.state_mut().ws.study.as_mut().unwrap().counts();
    assert_eq!(after.resected, c2.resected);
    assert!(h.state().ws.editor.pending.is_none());
    // the accepted 3-D plane is the case's cutting plane (saved and autosaved with it)
    assert_eq!(h.state().ws.cut(), Some(placed));
    // accepted: the same surfaces (the accepted voxels are the previewed ones)
    assert_eq!(shown(&mut h), [MeshLayer::Remnant, MeshLayer::Resection]);
    assert!(std::sync::Arc::ptr_eq(
        &resection_mesh(&h).unwrap(),
        &second
    ));
}

#[test]
fn esc_discards_a_pending_cut_and_the_3d_view_shows_the_accepted_layers_again() {
    let mut h = harness();
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        sample("liver.nii.gz"),
    ));
    let settle = |h: &mut Harness<'static, RemnantApp>| -> Vec<MeshLayer> {
        for _ in 0..500 {
            h.run();
            if !h.state().view3d.busy() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        h.run();
        h.state().view3d.scene.iter().map(|l| l.layer).collect()
    };
    assert_eq!(settle(&mut h), [MeshLayer::Liver]);
    h.get_by_label("Cut in 3-D").click();
    assert_eq!(settle(&mut h), [MeshLayer::Remnant, MeshLayer::Resection]);
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().ws.editor.pending.is_none());
    assert_eq!(settle(&mut h), [MeshLayer::Liver]);
}

/// While the camera turns, the 3-D view draws each surface's lighter mesh (fewer
/// triangles, the same place); when it has been still for a moment, the full one again.
#[test]
fn turning_draws_the_lighter_surfaces_and_stillness_brings_the_full_ones_back() {
    let mut h = harness();
    import_sample_liver(&mut h);
    h.run();
    let scene = h.state().view3d.scene.clone();
    assert_eq!(scene.len(), 1);
    let (full, light) = (
        &scene[0].mesh,
        scene[0].moving.as_ref().expect("a lighter mesh"),
    );
    assert!(
        light.triangles.len() * 2 < full.triangles.len(),
        "{} vs {} triangles",
        light.triangles.len(),
        full.triangles.len()
    );
    assert!(light.triangles.len() <= remnant::mesh::MOVING_TRIANGLES * 3 / 2);
    assert!(light.edge_report().watertight());
    // the same surface: bounds within 6 mm (two 3 mm voxels)
    let ((a0, a1), (b0, b1)) = (full.bounds().unwrap(), light.bounds().unwrap());
    for k in 0..3 {
        assert!((a0[k] - b0[k]).abs() < 6.0 && (a1[k] - b1[k]).abs() < 6.0);
    }
    assert!(!h.state().view3d.moving(), "still before the drag");
    let rect = h.get_by_label("3-D view").rect();
    let c = rect.center();
    h.event(egui::Event::PointerMoved(c));
    h.event(egui::Event::PointerButton {
        pos: c,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.step();
    let cam = h.state().view3d.camera;
    for i in 1..=5 {
        h.event(egui::Event::PointerMoved(
            c + egui::vec2(12.0 * i as f32, 0.0),
        ));
        h.step();
    }
    assert_ne!(h.state().view3d.camera, cam, "the drag turned the camera");
    assert!(h.state().view3d.moving(), "moving while dragged");
    h.event(egui::Event::PointerButton {
        pos: c + egui::vec2(60.0, 0.0),
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.step();
    std::thread::sleep(std::time::Duration::from_millis(400));
    h.step();
    assert!(!h.state().view3d.moving(), "still again after the pause");
}

/// Issue 26: with the Segments tool, a click on the 3-D surface places the next
/// landmark at the surface voxel it hit (the crosshair moves there too).
#[test]
fn a_click_on_the_3d_surface_places_the_next_landmark_with_the_segments_tool() {
    use remnant::segments::LandmarkId;
    let mut h = harness();
    import_sample_liver(&mut h);
    h.state_mut().ws.editor.tool = remnant::workspace::tracing::Tool::Segments;
    h.run();
    let pos = h.get_by_label("3-D view").rect().center();
    common::ui::click_at(&mut h, pos);
    let app = h.state();
    let c = app.view.as_ref().unwrap().cursor;
    let g = &app.ws.study.as_ref().unwrap().ct.geometry;
    assert_eq!(
        app.ws.landmarks.get(LandmarkId::IvcInferior),
        Some(g.to_world(c.map(|x| x as f64))),
        "{:?}",
        app.ws.editor.message
    );
    assert_eq!(app.ws.landmarks.get(LandmarkId::IvcSuperior), None);
}
