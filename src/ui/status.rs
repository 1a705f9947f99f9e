//! The status bar (load progress and Cancel, voxel / HU / RAS under the pointer,
//! slice render time) and the empty central area before a scan is open.

use super::command::AppCommand;
use super::jobs::Jobs;
use super::plane_view::PlaneCache;
use super::view_state::ViewState;
use crate::study::Study;

pub fn show(
    ui: &mut egui::Ui,
    jobs: &Jobs,
    view: Option<&ViewState>,
    study: Option<&Study>,
    caches: &[PlaneCache; 3],
) -> Vec<AppCommand> {
    let mut cmds = Vec::new();
    ui.horizontal(|ui| {
        if let Some(job) = &jobs.load {
            ui.label(&job.label);
            ui.add(
                egui::ProgressBar::new(job.progress())
                    .desired_width(220.0)
                    .show_percentage(),
            );
            if ui.button("Cancel").clicked() {
                cmds.push(AppCommand::CancelLoad);
            }
            ui.separator();
        }
        // the short jobs by name (Esc cancels a lesion search); no spinner: its animation
        // would repaint every frame while they run
        let short = [
            jobs.lesion
                .as_ref()
                .map(|j| format!("{}... (Esc cancels)", j.label)),
            jobs.options
                .as_ref()
                .map(|(j, _)| format!("{}...", j.label)),
        ];
        for label in short.into_iter().flatten() {
            ui.label(label);
            ui.separator();
        }
        let (Some(view), Some(study)) = (view, study) else {
            return;
        };
        if let Some((v, hu)) = view.hover {
            let w = study
                .ct
                .geometry
                .to_world([v[0] as f64, v[1] as f64, v[2] as f64]);
            ui.monospace(format!(
                "voxel ({}, {}, {})  {hu} HU  RAS ({:.1}, {:.1}, {:.1}) mm",
                v[0], v[1], v[2], w[0], w[1], w[2]
            ));
        } else {
            ui.monospace(format!(
                "W {:.0} / L {:.0}",
                view.window.width, view.window.level
            ));
        }
        let ms: f64 = caches.iter().map(|c| c.last_render_ms).fold(0.0, f64::max);
        ui.separator();
        ui.small(format!("slice render {ms:.2} ms"));
    });
    cmds
}

/// The central area before a scan is open.
pub fn empty(ui: &mut egui::Ui, loading: bool) {
    ui.centered_and_justified(|ui| {
        if loading {
            ui.label("Loading...");
        } else {
            ui.label(
                "Open a CT scan (File > Open, or drop a .nii / .nii.gz file or a DICOM folder here)",
            );
        }
    });
}
