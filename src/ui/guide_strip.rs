//! The guided path above the planes: Liver -> Tumours -> Resection -> Patient -> Plan,
//! each done or to do; a click on a step (or Alt+1 ... Alt+5) opens the tool or tab it
//! needs; the verdict at the end. The state is `Workspace::guide` (no UI in it); this
//! strip only shows it and never blocks anything.

use super::command::{AppCommand, Purpose, Tab};
use crate::segmentation::Layer;
use crate::segmentation::seeds::SeedKind;
use crate::workspace::tracing::{Editor, Tool};
use crate::workspace::{Guide, GuideStep};
use egui::Color32;

const DONE: Color32 = Color32::from_rgb(90, 200, 110);
const KEYS: [egui::Key; 5] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
];

/// Open what `step` needs: its tool on the Tools tab, or the Plan tab.
pub fn go(step: GuideStep, tab: &mut Tab, ed: &mut Editor) {
    let tool = |tab: &mut Tab, ed: &mut Editor, t: Tool| {
        *tab = Tab::Tools;
        if ed.tool != t {
            ed.tool = t;
            ed.outline = None;
            ed.ruler = None;
        }
    };
    match step {
        GuideStep::Liver => {
            tool(tab, ed, Tool::Seeds);
            ed.settings.layer = Layer::Liver;
            ed.settings.seed_kind = SeedKind::Liver;
        }
        GuideStep::Tumours => tool(tab, ed, Tool::Lesion),
        GuideStep::Resection => tool(tab, ed, Tool::CutPlane),
        GuideStep::Patient | GuideStep::Plan => *tab = Tab::Plan,
    }
}

/// The strip; returns commands (Export PDF).
pub fn show(ui: &mut egui::Ui, guide: &Guide, tab: &mut Tab, ed: &mut Editor) -> Vec<AppCommand> {
    let mut cmds = Vec::new();
    if guide.steps.is_empty() {
        return cmds;
    }
    if !ui.ctx().egui_wants_keyboard_input() {
        for (n, key) in KEYS.iter().enumerate() {
            if ui.input_mut(|i| i.consume_key(egui::Modifiers::ALT, *key)) {
                go(GuideStep::ALL[n], tab, ed);
            }
        }
    }
    let next = guide.next();
    ui.horizontal_wrapped(|ui| {
        for (n, s) in guide.steps.iter().enumerate() {
            if n > 0 {
                ui.weak(">");
            }
            let mark = if s.done { "[x]" } else { "[ ]" };
            let mut text =
                egui::RichText::new(format!("{mark} {} {}: {}", n + 1, s.step.name(), s.detail));
            if s.done {
                text = text.color(DONE);
            } else if Some(s.step) == next {
                text = text.strong();
            }
            let hover = format!("{} (Alt+{})", s.step.how(), n + 1);
            let b = ui.add(egui::Button::new(text).small()).on_hover_text(hover);
            if b.clicked() {
                go(s.step, tab, ed);
            }
        }
        if guide.verdict.is_some()
            && ui
                .small_button("Export PDF")
                .on_hover_text("The report PDF with the verdict (File > Export report PDF)")
                .clicked()
        {
            cmds.push(AppCommand::AskFile(Purpose::ExportPdf));
        }
    });
    // on the Plan tab the decision card right beside it holds the verdict
    if let Some(v) = guide.verdict.as_ref().filter(|_| *tab != Tab::Plan) {
        let colour = match v.level {
            crate::clinical::Level::Good => DONE,
            crate::clinical::Level::Caution => Color32::from_rgb(240, 190, 60),
            crate::clinical::Level::Alert => Color32::from_rgb(240, 110, 80),
            crate::clinical::Level::Info => ui.visuals().text_color(),
        };
        ui.add(egui::Label::new(egui::RichText::new(&v.text).color(colour).strong()).truncate())
            .on_hover_text(&v.text);
    }
    cmds
}
