//! Helpers for the app's kittests.

use egui_kittest::Harness;
use remnant::ui::RemnantApp;

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
