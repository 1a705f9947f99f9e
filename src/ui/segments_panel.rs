//! The Segments tool (Tools tab): the landmark the next click places, named, and the
//! landmarks placed so far with their positions; every change is a workspace command.

use super::command::{AppCommand, Command, Purpose};
use crate::segments::LandmarkId;
use crate::workspace::Workspace;
use crate::workspace::tracing::Tool;
use egui::Color32;

const WARN: Color32 = Color32::from_rgb(240, 110, 80);

/// The Segments tool's section: shown while the tool is active.
pub fn tool_section(ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppCommand> {
    let mut cmds = Vec::new();
    if ws.editor.tool != Tool::Segments {
        return cmds;
    }
    ui.separator();
    ui.strong("Couinaud landmarks");
    let next = ws.landmark_target.or(ws.landmarks.next_missing());
    match next {
        Some(l) => {
            ui.colored_label(
                Color32::from_rgb(80, 220, 255),
                format!("Next: {}. {}.", l.name(), l.prompt()),
            );
        }
        None => {
            ui.label("Every landmark is placed: drag one on a plane to move it.");
        }
    }
    egui::Grid::new("landmarks")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            // every cell keeps its width whatever is placed: a panel that widened under
            // the pointer would shift the planes, and the drag after a press would move
            // the landmark just placed
            for l in LandmarkId::ALL {
                let placed = ws.landmarks.get(l);
                let mark = if next == Some(l) { "> " } else { "  " };
                ui.monospace(format!("{mark}{}", l.name()));
                ui.monospace(match placed {
                    Some(p) => format!("{:>6.0},{:>6.0},{:>6.0}", p[0], p[1], p[2]),
                    None => format!("{:^20}", "not placed"),
                });
                ui.horizontal(|ui| {
                    if ui.small_button("Place").clicked() {
                        ws.landmark_target = Some(l);
                    }
                    if ui
                        .add_enabled(placed.is_some(), egui::Button::new("Clear").small())
                        .clicked()
                    {
                        cmds.push(AppCommand::Case(Command::SetLandmark(l, None)));
                    }
                    let shared = ws.landmarks.get(LandmarkId::MhvConfluence);
                    if l == LandmarkId::LhvConfluence {
                        let can = placed.is_none() && shared.is_some();
                        let b = egui::Button::new("Shared with the middle vein").small();
                        if ui.add_enabled(can, b).clicked()
                            && let Some(m) = shared
                        {
                            cmds.push(AppCommand::Case(Command::SetLandmark(l, Some(m))));
                        }
                    }
                });
                ui.end_row();
            }
        });
    ui.horizontal_wrapped(|ui| {
        if !ws.landmarks.is_empty() && ui.button("Clear every landmark").clicked() {
            cmds.push(AppCommand::Case(Command::ClearLandmarks));
        }
        if ui.button("Open landmarks...").clicked() {
            cmds.push(AppCommand::AskFile(Purpose::OpenLandmarks));
        }
        let any = !ws.landmarks.is_empty();
        if ui
            .add_enabled(any, egui::Button::new("Save landmarks..."))
            .clicked()
        {
            cmds.push(AppCommand::AskFile(Purpose::SaveLandmarks));
        }
        let complete = ws.landmarks.next_missing().is_none();
        if ui
            .add_enabled(complete, egui::Button::new("Save segments..."))
            .clicked()
        {
            cmds.push(AppCommand::AskFile(Purpose::SaveSegments));
        }
    });
    match ws.segments() {
        Some(Err(e)) if ws.landmarks.next_missing().is_none() => {
            ui.colored_label(WARN, e.to_string());
        }
        Some(Ok(_)) => {
            ui.label(
                "Segments drawn on the planes; volumes and resection options in the Plan tab.",
            );
        }
        _ => {}
    }
    ui.small(crate::clinical::segments::SEGMENTS_CAVEAT);
    cmds
}
