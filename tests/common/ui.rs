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
