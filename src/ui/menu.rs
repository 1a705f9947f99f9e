//! The menu bar: File, View, Help. Reads the app's state, returns commands.

use super::command::{AppCommand, Purpose};
use super::view_state::{Layout, ViewState};
use crate::render::Plane;
use crate::segmentation::Layer;
use std::path::PathBuf;

/// `read_only`: the file name of a case open read-only (shown after the menus).
pub fn show(
    ui: &mut egui::Ui,
    has_scan: bool,
    recent: &[PathBuf],
    view: Option<&mut ViewState>,
    read_only: Option<String>,
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
        if let Some(name) = read_only {
            ui.separator();
            ui.colored_label(
                egui::Color32::from_rgb(240, 170, 60),
                format!("Read-only: {name}"),
            )
            .on_hover_text(
                "Another running Remnant holds this case: it is never saved over here; \
                 Save case as keeps a copy",
            );
        }
    });
    cmds
}

/// One entry of the File menu. The menu is built from [`FILE_MENU`], in its order, so a
/// test can go through every item and the list cannot drift from the menu.
#[derive(Clone, Copy)]
pub enum FileEntry {
    /// A button: its label, whether it needs an open scan, and the command it sends.
    Item(&'static str, bool, fn() -> AppCommand),
    /// The "Recent" submenu: one item per recently opened file, or "(none yet)".
    Recent,
    /// The [`IMPORT_MASK`] submenu: one item per layer, its name and "..." ("Liver...").
    ImportMask,
    Separator,
    /// [`QUIT`]: closes the window (through the close confirmation).
    Quit,
}

pub const RECENT: &str = "Recent";
pub const IMPORT_MASK: &str = "Import mask as layer";
pub const QUIT: &str = "Quit";

/// The File menu, top to bottom.
pub const FILE_MENU: &[FileEntry] = &[
    FileEntry::Item("Open scan...", false, || {
        AppCommand::AskFile(Purpose::OpenScan)
    }),
    FileEntry::Item("Open DICOM folder...", false, || AppCommand::AskDicomFolder),
    // the sample is written to the cache folder when clicked (the command is made then)
    FileEntry::Item("Open bundled sample", false, super::open_bundled_sample),
    FileEntry::Item("Open sample exercise", false, super::open_sample_exercise),
    FileEntry::Item("Open exercise...", false, || {
        AppCommand::AskFile(Purpose::OpenExercise)
    }),
    FileEntry::Recent,
    FileEntry::Separator,
    FileEntry::Item("Open case...", false, || {
        AppCommand::AskFile(Purpose::OpenCase)
    }),
    FileEntry::Item("Save case (Ctrl+S)", false, || AppCommand::SaveCase),
    FileEntry::Item("Save case as...", false, || {
        AppCommand::AskFile(Purpose::SaveCase)
    }),
    FileEntry::Item("Export report PDF...", false, || {
        AppCommand::AskFile(Purpose::ExportPdf)
    }),
    FileEntry::Item("Export report to DICOM...", false, || {
        AppCommand::AskFile(Purpose::ExportPdfDicom)
    }),
    FileEntry::Item("Export as exercise...", true, || {
        AppCommand::AskFile(Purpose::ExportExercise)
    }),
    FileEntry::Separator,
    FileEntry::Item("Open layers...", true, || {
        AppCommand::AskFile(Purpose::OpenLayers)
    }),
    FileEntry::Item("Save label map...", true, || {
        AppCommand::AskFile(Purpose::SaveLabels)
    }),
    FileEntry::Item("Export DICOM SEG...", true, || {
        AppCommand::AskFile(Purpose::ExportSeg)
    }),
    FileEntry::Item("Export DICOM SEG + SR...", true, || {
        AppCommand::AskFile(Purpose::ExportSegSr)
    }),
    FileEntry::Item("Import DICOM SEG...", true, || {
        AppCommand::AskFile(Purpose::ImportSeg)
    }),
    FileEntry::ImportMask,
    FileEntry::Separator,
    FileEntry::Quit,
];

/// The label of the Import mask submenu's item for `layer` ("Liver...").
pub fn import_mask_label(layer: Layer) -> String {
    format!("{}...", layer.name())
}

fn file_menu(ui: &mut egui::Ui, has_scan: bool, recent: &[PathBuf], cmds: &mut Vec<AppCommand>) {
    let mut item = |ui: &mut egui::Ui, enabled: bool, text: &str, cmd: &dyn Fn() -> AppCommand| {
        if ui
            .add_enabled(enabled, egui::Button::new(text))
            .on_disabled_hover_text("Open a scan first")
            .clicked()
        {
            cmds.push(cmd());
            ui.close();
        }
    };
    for entry in FILE_MENU {
        match *entry {
            FileEntry::Item(label, needs_scan, cmd) => {
                item(ui, has_scan || !needs_scan, label, &cmd)
            }
            FileEntry::Recent => {
                ui.menu_button(RECENT, |ui| {
                    if recent.is_empty() {
                        ui.label("(none yet)");
                    }
                    for p in recent {
                        item(ui, true, &p.display().to_string(), &|| {
                            AppCommand::Open(p.clone())
                        });
                    }
                });
            }
            FileEntry::ImportMask => {
                ui.menu_button(IMPORT_MASK, |ui| {
                    for layer in Layer::ALL {
                        item(ui, has_scan, &import_mask_label(layer), &|| {
                            AppCommand::AskFile(Purpose::ImportMask(layer))
                        });
                    }
                });
            }
            FileEntry::Separator => {
                ui.separator();
            }
            FileEntry::Quit => {
                if ui.button(QUIT).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
        }
    }
}
