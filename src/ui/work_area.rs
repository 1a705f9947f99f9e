//! Task work areas: the PCI and the operative report are filled in the operating room,
//! where the CT is not needed, so their tabs take the whole central area (the case and
//! work panels step aside). A switcher on top ("Scan | PCI | Report") keeps the scan
//! views one click away. The Registry lists every case saved and opens one.

use super::command::{AppCommand, Purpose, Tab};
use super::work_state::WorkState;
use crate::workspace::Workspace;

/// Whether `tab` takes the central area.
pub fn is_task(tab: Tab) -> bool {
    matches!(tab, Tab::Pci | Tab::Report | Tab::Registry)
}

/// The "Scan | PCI | Report" switcher; "Scan" returns to the last scan tab.
pub fn switcher(ui: &mut egui::Ui, tab: &mut Tab, st: &mut WorkState) {
    if !is_task(*tab) {
        st.scan_tab = Some(*tab);
    }
    ui.horizontal(|ui| {
        let big = |t: &str| egui::RichText::new(t).size(16.0);
        if ui
            .selectable_label(!is_task(*tab), big("Scan"))
            .on_hover_text("The planes, 3-D view, tracing tools and planning")
            .clicked()
        {
            *tab = st.scan_tab.unwrap_or(Tab::Tools);
        }
        if ui
            .selectable_label(*tab == Tab::Pci, big("PCI"))
            .on_hover_text("Peritoneal cancer index on the abdomen diagram")
            .clicked()
        {
            *tab = Tab::Pci;
        }
        if ui
            .selectable_label(*tab == Tab::Report, big("Report"))
            .on_hover_text("The operative report form")
            .clicked()
        {
            *tab = Tab::Report;
        }
        if ui
            .selectable_label(*tab == Tab::Registry, big("Registry"))
            .on_hover_text("Every case saved: filter, sort, open one")
            .clicked()
        {
            *tab = Tab::Registry;
        }
    });
    ui.separator();
}

/// The PCI or Report area; edits come back as commands.
pub fn show(ui: &mut egui::Ui, tab: Tab, st: &mut WorkState, ws: &Workspace) -> Vec<AppCommand> {
    if tab == Tab::Registry {
        return egui::ScrollArea::both()
            .id_salt("registry-area")
            .auto_shrink([false, false])
            .show(ui, |ui| super::registry_panel::show(ui, &mut st.registry))
            .inner;
    }
    let mut cmds = Vec::new();
    let mut draft = ws.report.clone();
    egui::ScrollArea::vertical()
        .id_salt(("work-area", tab as u8))
        .auto_shrink([false, false])
        .show(ui, |ui| match tab {
            Tab::Pci => {
                super::pci_panel::show(ui, &mut st.pci, &mut draft.pci, &mut draft.cc_score);
            }
            _ => {
                let (_, photo) = super::report_panel::show(ui, &mut st.report, &mut draft);
                if photo {
                    cmds.push(AppCommand::AskFile(Purpose::AddPhoto));
                }
            }
        });
    if draft != ws.report {
        cmds.push(AppCommand::set_report(draft));
    }
    cmds
}
