//! Windows over the work: unsaved changes on close, restoring an autosave, the
//! shortcut list, and the error / notice banners. Each returns commands.

use super::command::{AppCommand, CloseChoice};
use crate::autosave::Pending;

/// Never lose work on close: returns whether the close must wait for an answer.
pub fn close_requested(ui: &egui::Ui, unsaved: bool) -> bool {
    let asked = ui.input(|i| i.viewport().close_requested());
    if asked && unsaved {
        ui.ctx()
            .send_viewport_cmd(egui::ViewportCommand::CancelClose);
    }
    asked && unsaved
}

/// The "unsaved changes" question.
pub fn unsaved_changes(ui: &egui::Ui) -> Option<AppCommand> {
    let modal =
        egui::Modal::new(egui::Id::unique("remnant-unsaved-changes")).show(ui.ctx(), |ui| {
            ui.heading("Unsaved changes");
            ui.label("The traced layers, planning or report have changes that are not saved.");
            let mut choice = None;
            ui.horizontal(|ui| {
                for (text, c) in [
                    ("Save case", CloseChoice::Save),
                    ("Discard and close", CloseChoice::Discard),
                    ("Keep working", CloseChoice::KeepWorking),
                ] {
                    if ui.button(text).clicked() {
                        choice = Some(c);
                    }
                }
            });
            choice
        });
    modal.inner.map(AppCommand::Close)
}

/// A modal's width: at most 520 points, and never wider than the window allows.
fn bounded_width(ui: &egui::Ui) -> f32 {
    (ui.ctx().content_rect().width() - 80.0).clamp(200.0, 520.0)
}

/// Offer the work a run that did not end normally left.
pub fn restore(ui: &egui::Ui, p: &Pending) -> Option<AppCommand> {
    let text = format!(
        "Remnant was not closed normally. Unsaved work on {} can be restored.",
        p.session.scan.display()
    );
    let modal = egui::Modal::new(egui::Id::unique("remnant-restore")).show(ui.ctx(), |ui| {
        ui.set_max_width(bounded_width(ui));
        ui.heading("Restore unsaved work?");
        ui.add(egui::Label::new(text).wrap());
        let mut choice = None;
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                choice = Some(AppCommand::RestoreAutosave);
            }
            if ui.button("Discard it").clicked() {
                choice = Some(AppCommand::DiscardAutosave);
            }
        });
        choice
    });
    modal.inner
}

/// A case another running Remnant holds: open it read-only, or not at all.
pub fn locked_case(ui: &egui::Ui, path: &std::path::Path, why: &str) -> Option<AppCommand> {
    let modal = egui::Modal::new(egui::Id::unique("remnant-locked-case")).show(ui.ctx(), |ui| {
        ui.set_max_width(bounded_width(ui));
        ui.heading("This case is open in another Remnant");
        ui.add(egui::Label::new(why).wrap());
        ui.add(
            egui::Label::new(
                "Read-only: you can look at it and Save case as under another name; \
                 it is never saved over.",
            )
            .wrap(),
        );
        let mut choice = None;
        ui.horizontal(|ui| {
            if ui.button("Open read-only").clicked() {
                choice = Some(AppCommand::OpenCaseReadOnly(path.to_path_buf()));
            }
            if ui.button("Cancel").clicked() {
                choice = Some(AppCommand::CancelLockedCase);
            }
        });
        choice
    });
    modal.inner
}

pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Mouse wheel", "next / previous slice"),
    (
        "Page Up / Page Down, Up / Down arrows",
        "next / previous slice in the plane under the pointer",
    ),
    ("Ctrl + wheel", "zoom about the pointer"),
    ("Middle drag, Space + drag", "pan"),
    ("Right drag", "window (left-right) / level (up-down)"),
    (
        "Left click / drag",
        "move the crosshair (other planes follow)",
    ),
    ("Home", "reset zoom, pan and crosshair"),
    (
        "Ctrl + Z",
        "undo the last edit of the layers or the landmarks",
    ),
    ("Ctrl + Shift + Z, Ctrl + Y", "redo"),
    ("Enter", "close the polygon being traced / accept a preview"),
    ("Esc", "cancel the outline / discard a preview"),
    ("Ctrl + S", "save the case"),
    (
        "F5 / F6 / F7",
        "layout: four views (planes + 3-D) / the plane under the pointer alone / 3-D alone",
    ),
    (
        "3-D: drag, right drag, wheel",
        "rotate, pan (also Shift + drag), zoom; click a surface to move the crosshair there",
    ),
    (
        "Alt + 1 ... Alt + 5",
        "guided path: Liver, Tumours, Resection, Patient, Plan (opens the step's tool or tab)",
    ),
    ("F1", "this list"),
];

/// The shortcut list; returns a command when it was closed.
pub fn help(ui: &egui::Ui) -> Option<AppCommand> {
    let mut open = true;
    egui::Window::new("Shortcuts")
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            egui::Grid::new("keys")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (k, what) in SHORTCUTS {
                        ui.monospace(*k);
                        ui.label(*what);
                        ui.end_row();
                    }
                });
        });
    (!open).then_some(AppCommand::ToggleHelp)
}

/// The error and notice lines above the planes; returns true for each dismissed.
/// The button comes first and the text wraps in the width left (at most three lines,
/// the whole text on hover), so no message widens the central area or pushes its
/// button out of the window.
pub fn banners(ui: &mut egui::Ui, error: Option<&str>, notice: Option<&str>) -> (bool, bool) {
    let mut dismissed = (false, false);
    if let Some(e) = error {
        let red = egui::Color32::from_rgb(240, 90, 80);
        dismissed.0 = banner(ui, "Dismiss", &format!("Error: {e}"), Some(red));
    }
    if let Some(n) = notice {
        dismissed.1 = banner(ui, "OK", n, None);
    }
    dismissed
}

/// One message line: its button, then the text wrapped to the width left.
fn banner(ui: &mut egui::Ui, button: &str, text: &str, colour: Option<egui::Color32>) -> bool {
    let width = ui.available_width();
    ui.horizontal(|ui| {
        ui.set_max_width(width);
        let clicked = ui.button(button).clicked();
        let mut rich = egui::RichText::new(text);
        if let Some(c) = colour {
            rich = rich.color(c);
        }
        let mut job = egui::text::LayoutJob::default();
        rich.append_to(
            &mut job,
            ui.style(),
            egui::FontSelection::Default,
            egui::Align::Center,
        );
        job.wrap = egui::text::TextWrapping {
            max_width: ui.available_width().max(40.0),
            max_rows: 3,
            break_anywhere: true,
            overflow_character: Some('…'),
        };
        ui.add(egui::Label::new(job).wrap())
            .on_hover_text(text.to_string());
        clicked
    })
    .inner
}
