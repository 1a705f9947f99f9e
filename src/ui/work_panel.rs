//! The work panel on the right: Tools, Plan, PCI and Report tabs. Each tab edits a
//! draft or its own state and returns commands for what changes the case.

use super::command::{AppCommand, Purpose, Tab};
use super::plan_panel;
use super::tools_panel::{self, GrowStatus};
use crate::workspace::Workspace;

pub use super::work_state::WorkState;

pub fn show(
    ui: &mut egui::Ui,
    tab: &mut Tab,
    st: &mut WorkState,
    ws: &mut Workspace,
    grow: Option<GrowStatus>,
) -> Vec<AppCommand> {
    ui.horizontal(|ui| {
        ui.selectable_value(tab, Tab::Tools, "Tools");
        ui.selectable_value(tab, Tab::Plan, "Plan");
        ui.selectable_value(tab, Tab::Pci, "PCI");
        ui.selectable_value(tab, Tab::Report, "Report");
    });
    ui.separator();
    let mut cmds = Vec::new();
    match tab {
        Tab::Tools => {
            let Some(study) = &mut ws.study else {
                ui.label("Open a scan to trace on it.");
                return cmds;
            };
            cmds.extend(tools_panel::show(ui, &mut ws.editor, study, grow));
            cmds.extend(super::segments_panel::tool_section(ui, ws));
            let Some(study) = &ws.study else {
                return cmds;
            };
            let g = &study.ct.geometry;
            cmds.extend(tools_panel::rulers_section(
                ui,
                &ws.rulers,
                ws.editor.tool,
                g,
            ));
        }
        Tab::Plan => {
            let tumours = ws.tumours().to_vec();
            let pci = ws.pci_total();
            let Some(study) = &ws.study else {
                ui.label("Open a scan and trace the liver to plan.");
                return cmds;
            };
            let d = st
                .plan
                .decision(
                    study.revision,
                    &study.labels.bits,
                    &study.ct.geometry,
                    &tumours,
                    pci,
                )
                .clone();
            if plan_panel::show(ui, &mut st.plan, &d, &tumours) {
                cmds.push(AppCommand::AskFile(Purpose::AfterPve));
            }
            cmds.extend(super::plan_segments::show(
                ui,
                ws,
                &mut st.segments,
                &mut st.plan.hide_segments,
            ));
            if st.plan.inputs != ws.planning {
                cmds.push(AppCommand::set_planning(st.plan.inputs.clone()));
            }
        }
        Tab::Pci | Tab::Report | Tab::Registry => {
            // normally shown in the central area (work_area.rs)
            cmds.extend(super::work_area::show(ui, *tab, st, ws));
        }
    }
    cmds
}
