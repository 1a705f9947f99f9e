//! Tracing tools driven headless through egui_kittest: simulated mouse drags and
//! clicks on the planes, keys for undo/redo, buttons of the Tools tab.

mod common;
use common::ui::drag;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::segmentation::Layer;
use remnant::ui::RemnantApp;
use remnant::ui::{AppCommand, Purpose, Tab};
use remnant::workspace::tracing::Tool;

fn config_dir() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let d = std::env::temp_dir().join(format!("remnant-tools-config-{}", std::process::id()));
        // SAFETY: set once, before any test thread reads it (all readers go through this Once).
        unsafe { std::env::set_var("REMNANT_CONFIG_DIR", d) };
    });
}

fn tools_harness() -> Harness<'static, RemnantApp> {
    config_dir();
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("ct.nii.gz")));
    app.wait_for_jobs();
    app.tab = Tab::Tools;
    // The 3-D view's meshing job may finish during a step and ask for a repaint or
    // two more (on a loaded machine the default 4 steps were once not enough).
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

fn layer_count(h: &Harness<'static, RemnantApp>, layer: Layer) -> usize {
    let s = h.state().ws.study.as_ref().unwrap();
    s.labels
        .bits
        .iter()
        .filter(|&&b| b & layer.bit() != 0)
        .count()
}

fn pick_tool(h: &mut Harness<'static, RemnantApp>, name: &str) {
    h.get_by_label(name).click();
    h.run();
}

#[test]
fn brush_drag_paints_the_slice_and_undo_redo_restore_exact_bytes() {
    let mut h = tools_harness();
    pick_tool(&mut h, "Brush");
    assert_eq!(h.state().ws.editor.tool, Tool::Brush);
    let before = h.state().ws.study.as_ref().unwrap().labels.bits.clone();
    let k = h.state().view.as_ref().unwrap().cursor[2];
    let c = h.get_by_label("Axial view").rect().center();
    drag(
        &mut h,
        c,
        &[c + egui::vec2(20.0, 0.0), c + egui::vec2(40.0, 10.0)],
    );
    let painted = h.state().ws.study.as_ref().unwrap().labels.bits.clone();
    let n = layer_count(&h, Layer::Liver);
    assert!(n > 20, "the drag painted the liver layer ({n} voxels)");
    // a disc brush on the axial view paints only the current transverse slice
    let plane = 122 * 101;
    assert!(
        painted
            .iter()
            .enumerate()
            .filter(|(_, b)| **b != 0)
            .all(|(i, _)| i / plane == k),
        "only slice {k} painted"
    );
    // the crosshair did not follow the brush
    assert_eq!(h.state().view.as_ref().unwrap().cursor[2], k);
    // one stroke = one undo step
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().ws.study.as_ref().unwrap().labels.bits, before);
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run();
    assert_eq!(h.state().ws.study.as_ref().unwrap().labels.bits, painted);
    // the eraser removes it again
    pick_tool(&mut h, "Eraser");
    h.state_mut().ws.editor.settings.radius_mm = 30.0;
    drag(
        &mut h,
        c,
        &[c + egui::vec2(20.0, 0.0), c + egui::vec2(40.0, 10.0)],
    );
    assert_eq!(layer_count(&h, Layer::Liver), 0);
}

#[test]
fn freehand_and_polygon_outlines_fill_their_inside() {
    let mut h = tools_harness();
    pick_tool(&mut h, "Freehand");
    let c = h.get_by_label("Axial view").rect().center();
    let r = 30.0;
    let ring: Vec<egui::Pos2> = (0..=24)
        .map(|t| {
            let a = t as f32 / 24.0 * std::f32::consts::TAU;
            c + egui::vec2(r * a.cos(), r * a.sin())
        })
        .collect();
    drag(&mut h, ring[0], &ring[1..]);
    let n_free = layer_count(&h, Layer::Liver);
    assert!(
        n_free > 10,
        "the closed outline was filled ({n_free} voxels)"
    );
    // the fill is a disc: its voxels all lie on one slice, none outside the ring's box
    assert!(h.state().ws.editor.can_undo());

    // polygon: four clicks and Enter on another slice, into the tumour layer
    h.state_mut().ws.editor.settings.layer = Layer::Tumour;
    h.state_mut().ws.editor.settings.inside_liver = false;
    pick_tool(&mut h, "Polygon");
    let corners = [
        c + egui::vec2(-25.0, -25.0),
        c + egui::vec2(25.0, -25.0),
        c + egui::vec2(25.0, 25.0),
        c + egui::vec2(-25.0, 25.0),
    ];
    for p in corners {
        h.hover_at(p);
        h.run();
        h.drag_at(p);
        h.run();
        h.drop_at(p);
        h.run();
    }
    assert_eq!(
        h.state().ws.editor.outline.as_ref().map(|o| o.points.len()),
        Some(4)
    );
    h.key_press(egui::Key::Enter);
    h.run();
    let n_poly = layer_count(&h, Layer::Tumour);
    assert!(n_poly > 10, "the polygon was filled ({n_poly} voxels)");
    assert!(h.state().ws.editor.outline.is_none());
    // a 50 x 50 point square is larger than the 60-point-wide disc's inscribed square
    // and smaller than its bounding square: the areas must compare the same way
    assert!(
        n_poly < n_free * 4 / 3 && n_poly * 2 > n_free,
        "{n_poly} vs {n_free}"
    );
}

#[test]
fn seeds_grow_preview_accept_and_trainee_score() {
    let mut h = tools_harness();
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::OpenSeeds,
        sample("liver_seeds.txt"),
    ));
    h.run();
    pick_tool(&mut h, "Seeds");
    assert_eq!(h.state().ws.editor.seeds.strokes.len(), 6);
    h.get_by_label("Grow from seeds").click();
    h.step();
    h.state_mut().wait_for_jobs();
    h.run();
    let ml = h
        .state()
        .ws
        .editor
        .pending
        .as_ref()
        .map(|p| p.ml)
        .expect("a preview waits to be accepted");
    assert!(ml > 800.0 && ml < 1300.0, "preview {ml} mL");
    assert_eq!(
        layer_count(&h, Layer::Liver),
        0,
        "nothing written before Accept"
    );
    h.get_by_label("Accept (Enter)").click();
    h.run();
    let n = layer_count(&h, Layer::Liver);
    assert!(n > 30_000, "accepted: {n} liver voxels");
    // trainee mode: score against the reference mask
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::Reference,
        sample("liver.nii.gz"),
    ));
    h.run();
    let dice = {
        let app = h.state_mut();
        let study = app.ws.study.take().unwrap();
        let s = app.ws.editor.score(&study).expect("score");
        app.ws.study = Some(study);
        s.dice
    };
    assert!(dice >= 0.90, "Dice {dice}");
    h.get_by_label("Dice");
    h.get_by_label(&format!("{dice:.3}"));
    // the grow is one undo step
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(layer_count(&h, Layer::Liver), 0);
}

#[test]
fn cut_plane_drawn_on_the_axial_view_resects_one_side_inside_the_liver() {
    let mut h = tools_harness();
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        sample("liver.nii.gz"),
    ));
    h.run();
    let liver = layer_count(&h, Layer::Liver);
    assert_eq!(liver, 38_634);
    pick_tool(&mut h, "Cut plane");
    let r = h.get_by_label("Axial view").rect();
    // a vertical line through the middle of the axial view: a sagittal cut
    let top = r.center() - egui::vec2(0.0, 80.0);
    let bottom = r.center() + egui::vec2(0.0, 80.0);
    drag(&mut h, top, &[r.center(), bottom]);
    let first = h
        .state()
        .ws
        .editor
        .pending
        .as_ref()
        .map(|p| p.ml)
        .expect("cut preview");
    h.get_by_label("Flip side").click();
    h.run();
    let other = h
        .state()
        .ws
        .editor
        .pending
        .as_ref()
        .map(|p| p.ml)
        .unwrap_or_else(|| {
            panic!(
                "cut preview after flip: {:?} {:?}",
                h.state().ws.editor.message,
                h.state().ws.editor.cut
            )
        });
    // both sides together are the whole liver (voxels on the plane excepted)
    let liver_ml = liver as f64 * 27.0 / 1000.0;
    assert!(
        first + other <= liver_ml + 1e-6 && first + other > liver_ml * 0.95,
        "{first} + {other} vs {liver_ml}"
    );
    h.key_press(egui::Key::Enter);
    h.run();
    let bits = &h.state().ws.study.as_ref().unwrap().labels.bits;
    let resected = bits
        .iter()
        .filter(|&&b| b & Layer::Resection.bit() != 0)
        .count();
    assert!(resected > 0 && (resected as f64 * 0.027 - other).abs() < 1e-6);
    assert!(
        bits.iter()
            .all(|&b| b & Layer::Resection.bit() == 0 || b & Layer::Liver.bit() != 0),
        "the resection stays inside the liver"
    );
}

/// Press and release in the same frame: egui reports a click, no drag.
fn quick_click(h: &mut Harness<'static, RemnantApp>, pos: egui::Pos2) {
    h.hover_at(pos);
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.run();
}

#[test]
fn a_quick_click_with_the_brush_paints_a_dot_and_region_fill_fills() {
    let mut h = tools_harness();
    pick_tool(&mut h, "Brush");
    let c = h.get_by_label("Axial view").rect().center();
    quick_click(&mut h, c);
    let n = layer_count(&h, Layer::Liver);
    assert!(n > 5, "a click paints one brush disc ({n} voxels)");
    assert_eq!(h.state().ws.editor.undo_steps(), 1);
    // region fill on a click, into the tumour layer (no liver restriction)
    h.state_mut().ws.editor.settings.layer = Layer::Tumour;
    h.state_mut().ws.editor.settings.inside_liver = false;
    pick_tool(&mut h, "Region fill");
    quick_click(&mut h, c);
    assert!(
        layer_count(&h, Layer::Tumour) > n,
        "{:?}",
        h.state().ws.editor.message
    );
}
