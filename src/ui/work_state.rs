//! The work panels' own state (selection, typed text...), shared by the side work
//! panel and the central work areas.

use super::command::Tab;
use super::pci_panel::PciState;
use super::plan_panel::PlanState;
use super::report_panel::ReportState;
use crate::volumetry::PlanInputs;

/// The panels' own state (selection, typed text...).
#[derive(Default)]
pub struct WorkState {
    pub plan: PlanState,
    /// The Plan tab's Couinaud section (resection options computed last).
    pub segments: super::plan_segments::SegmentsState,
    pub pci: PciState,
    pub report: ReportState,
    pub registry: super::registry_panel::RegistryState,
    /// The scan tab (Tools or Plan) the "Scan" switch returns to.
    pub scan_tab: Option<Tab>,
}

impl WorkState {
    /// Show the planning inputs of a case just opened or restored (typed fields too).
    pub fn load_planning(&mut self, inputs: &PlanInputs) {
        let text = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        self.plan.inputs = inputs.clone();
        self.plan.height_text = text(inputs.height_cm);
        self.plan.weight_text = text(inputs.weight_kg);
        self.plan.weeks_since_pve_text = text(inputs.weeks_since_pve);
        self.plan.weeks_text = text(inputs.weeks_between_scans);
        self.plan.height_error = None;
        self.plan.weight_error = None;
        self.plan.weeks_error = None;
    }
}
