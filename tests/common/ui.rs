//! Helpers for the app's kittests.

use egui::Pos2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::render::{Plane, PlaneAxes};
use remnant::ui::RemnantApp;
use remnant::ui::plane_view::image_rect;
use remnant::ui::view_state::plane_index;

/// Press at `from`, move through `path`, release at the last point.
pub fn drag(h: &mut Harness<'static, RemnantApp>, from: egui::Pos2, path: &[egui::Pos2]) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for &p in path {
        h.hover_at(p);
        h.run();
    }
    h.drop_at(*path.last().unwrap_or(&from));
    h.run();
}

/// Run frames until the app has no background job left (each job is waited for, not
/// raced against a step budget: on a loaded machine a meshing job or an autosave can end
/// between any two frames and ask for more), then run to rest.
pub fn settle(h: &mut Harness<'static, RemnantApp>) {
    for _ in 0..100 {
        h.step();
        if !h.state().jobs_running() {
            break;
        }
        h.state_mut().wait_for_jobs();
    }
    h.run();
}

/// Screen position of voxel `v` on `plane` (its slice aside), from the view's cell.
pub fn screen_of(h: &Harness<'static, RemnantApp>, plane: Plane, v: [f64; 3]) -> Pos2 {
    let app = h.state();
    let g = &app.ws.study.as_ref().unwrap().ct.geometry;
    let view = app.view.as_ref().unwrap();
    let axes = PlaneAxes::new(g, plane);
    let px = axes.size(g.dims);
    let pmm = axes.pixel_mm(g);
    let cell = h.get_by_label(&format!("{} view", plane.name())).rect();
    let img_mm = egui::vec2(px[0] as f32 * pmm[0] as f32, px[1] as f32 * pmm[1] as f32);
    let pi = plane_index(plane);
    let img = image_rect(cell, img_mm, view.zoom[pi], view.pan[pi]);
    let x = if axes.h_flip {
        g.dims[axes.h] as f64 - 1.0 - v[axes.h]
    } else {
        v[axes.h]
    };
    let y = if axes.v_flip {
        g.dims[axes.v] as f64 - 1.0 - v[axes.v]
    } else {
        v[axes.v]
    };
    Pos2::new(
        img.min.x + ((x + 0.5) / px[0] as f64) as f32 * img.width(),
        img.min.y + ((y + 0.5) / px[1] as f64) as f32 * img.height(),
    )
}

/// Move to `pos`, then press and release the primary button there, a frame each.
pub fn click_at(h: &mut Harness<'static, RemnantApp>, pos: Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        h.run();
    }
}

/// The app with no scan open, 1500 x 950, at most 12 frames per run.
pub fn empty_app() -> Harness<'static, RemnantApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_max_steps(12)
        .build_ui_state(
            |ui, app: &mut RemnantApp| app.ui_root(ui),
            RemnantApp::new(None),
        );
    h.run();
    h
}

/// Voxels of the open scan's `layer`.
pub fn layer_voxels(
    h: &Harness<'static, RemnantApp>,
    layer: remnant::segmentation::Layer,
) -> usize {
    let s = h.state().ws.study.as_ref().unwrap();
    s.labels
        .bits
        .iter()
        .filter(|&&b| b & layer.bit() != 0)
        .count()
}
