//! The menu bar: File, View, Help. Reads the app's state, returns commands.

use super::command::{AppCommand, Purpose};
use super::view_state::{Layout, ViewState};
use crate::render::Plane;
use crate::segmentation::Layer;
use std::path::PathBuf;

pub fn show(
    ui: &mut egui::Ui,
    has_scan: bool,
    recent: &[PathBuf],
    view: Option<&mut ViewState>,
) -> Vec<AppCommand> {
    let mut cmds = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu(ui, has_scan, recent, &mut cmds));
        ui.menu_button("View", |ui| match view {
            Some(view) => {
                ui.radio_value(
                    &mut view.layout,
                    Layout::FourUp,
                    "Four views: planes + 3-D (F5)",
                );
                ui.radio_value(&mut view.layout, Layout::Three, "Three planes");
                for p in Plane::ALL {
                    ui.radio_value(
                        &mut view.layout,
                        Layout::Single(p),
                        format!("{} only (F6 on it)", p.name()),
                    );
                }
                ui.radio_value(&mut view.layout, Layout::ThreeD, "3-D only (F7)");
                ui.separator();
                if ui.button("Reset view (Home)").clicked() {
                    cmds.push(AppCommand::ResetView);
                }
            }
            None => {
                ui.label("Open a scan first");
            }
        });
        ui.menu_button("Help", |ui| {
            if ui.button("Shortcuts (F1)").clicked() {
                cmds.push(AppCommand::ToggleHelp);
                ui.close();
            }
            if ui.button("About Remnant").clicked() {
                super::about::open(ui.ctx());
                ui.close();
            }
        });
    });
    cmds
}

fn file_menu(ui: &mut egui::Ui, has_scan: bool, recent: &[PathBuf], cmds: &mut Vec<AppCommand>) {
    let mut sample: Option<fn() -> AppCommand> = None;
    let mut item = |ui: &mut egui::Ui, enabled: bool, text: &str, cmd: AppCommand| {
        if ui
            .add_enabled(enabled, egui::Button::new(text))
            .on_disabled_hover_text("Open a scan first")
            .clicked()
        {
            cmds.push(cmd);
            ui.close();
        }
    };
    item(
        ui,
        true,
        "Open scan...",
        AppCommand::AskFile(Purpose::OpenScan),
    );
    item(ui, true, "Open DICOM folder...", AppCommand::AskDicomFolder);
    // the sample is written to the cache folder when clicked, not on every frame
    if ui.button("Open bundled sample").clicked() {
        sample = Some(super::open_bundled_sample as fn() -> AppCommand);
        ui.close();
    }
    if ui.button("Open sample exercise").clicked() {
        sample = Some(super::open_sample_exercise);
        ui.close();
    }
    ui.menu_button("Recent", |ui| {
        if recent.is_empty() {
            ui.label("(none yet)");
        }
        for p in recent {
            item(
                ui,
                true,
                &p.display().to_string(),
                AppCommand::Open(p.clone()),
            );
        }
    });
    ui.separator();
    item(
        ui,
        true,
        "Open case...",
        AppCommand::AskFile(Purpose::OpenCase),
    );
    item(ui, true, "Save case (Ctrl+S)", AppCommand::SaveCase);
    item(
        ui,
        true,
        "Save case as...",
        AppCommand::AskFile(Purpose::SaveCase),
    );
    item(
        ui,
        true,
        "Export report PDF...",
        AppCommand::AskFile(Purpose::ExportPdf),
    );
    ui.separator();
    item(
        ui,
        has_scan,
        "Open layers...",
        AppCommand::AskFile(Purpose::OpenLayers),
    );
    item(
        ui,
        has_scan,
        "Save label map...",
        AppCommand::AskFile(Purpose::SaveLabels),
    );
    item(
        ui,
        has_scan,
        "Export DICOM SEG...",
        AppCommand::AskFile(Purpose::ExportSeg),
    );
    item(
        ui,
        has_scan,
        "Import DICOM SEG...",
        AppCommand::AskFile(Purpose::ImportSeg),
    );
    ui.menu_button("Import mask as layer", |ui| {
        for layer in Layer::ALL {
            let text = format!("{}...", layer.name());
            item(
                ui,
                has_scan,
                &text,
                AppCommand::AskFile(Purpose::ImportMask(layer)),
            );
        }
    });
    ui.separator();
    if ui.button("Quit").clicked() {
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
    cmds.extend(sample.map(|make| make()));
}
