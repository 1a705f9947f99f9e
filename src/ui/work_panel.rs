//! The work panel on the right: Tools, Plan, PCI and Report tabs. Each tab edits a
//! draft or its own state and returns commands for what changes the case.

use super::command::{AppCommand, Purpose, Tab};
use super::pci_panel::{self, PciState};
use super::plan_panel::{self, PlanState};
use super::report_panel::{self, ReportState};
use super::tools_panel::{self, GrowStatus};
use crate::volumetry::PlanInputs;
use crate::workspace::Workspace;

/// The panels' own state (selection, typed text...).
#[derive(Default)]
pub struct WorkState {
    pub plan: PlanState,
    pub pci: PciState,
    pub report: ReportState,
}

impl WorkState {
    /// Show the planning inputs of a case just opened or restored (typed fields too).
    pub fn load_planning(&mut self, inputs: &PlanInputs) {
        let text = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        self.plan.inputs = inputs.clone();
        self.plan.height_text = text(inputs.height_cm);
        self.plan.weight_text = text(inputs.weight_kg);
        self.plan.height_error = None;
        self.plan.weight_error = None;
    }
}

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
            if st.plan.inputs != ws.planning {
                cmds.push(AppCommand::SetPlanning(st.plan.inputs.clone()));
            }
        }
        Tab::Pci => {
            let mut draft = ws.report.clone();
            pci_panel::show(ui, &mut st.pci, &mut draft.pci, &mut draft.cc_score);
            if draft != ws.report {
                cmds.push(AppCommand::SetReport(Box::new(draft)));
            }
        }
        Tab::Report => {
            let mut draft = ws.report.clone();
            let (_, photo) = report_panel::show(ui, &mut st.report, &mut draft);
            if photo {
                cmds.push(AppCommand::AskFile(Purpose::AddPhoto));
            }
            if draft != ws.report {
                cmds.push(AppCommand::SetReport(Box::new(draft)));
            }
        }
    }
    cmds
}
