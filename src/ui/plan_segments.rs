//! The Plan tab's Couinaud section: segment volumes, the tumours' segments and the
//! resection options table; one click makes an option the pending resection.

use super::command::{AppCommand, Command, TraceAction};
use crate::segments::ResectionOption;
use crate::workspace::command::SegmentChoice;
use crate::workspace::tracing::PendingKind;
use crate::workspace::{OptionsKey, Workspace};
use egui::Color32;

/// The options computed last (on a worker thread: `AppCommand::RefreshOptions`) and what
/// they were computed from.
pub struct SegmentsState {
    pub key: Option<OptionsKey>,
    pub options: Result<Vec<ResectionOption>, String>,
    /// The key a computation was asked for (asked once).
    asked: Option<OptionsKey>,
}

impl Default for SegmentsState {
    fn default() -> Self {
        SegmentsState {
            key: None,
            options: Ok(Vec::new()),
            asked: None,
        }
    }
}

/// The options last computed, and whether they are out of date (a computation for the
/// current case is asked for once through `cmds`).
fn options<'a>(
    st: &'a mut SegmentsState,
    ws: &Workspace,
    cmds: &mut Vec<AppCommand>,
) -> (&'a Result<Vec<ResectionOption>, String>, bool) {
    let key = ws.options_key();
    let stale = st.key.as_ref() != Some(&key);
    if stale && st.asked.as_ref() != Some(&key) {
        st.asked = Some(key);
        cmds.push(AppCommand::RefreshOptions);
    }
    (&st.options, stale)
}

/// The section (nothing before any landmark is placed).
pub fn show(
    ui: &mut egui::Ui,
    ws: &mut Workspace,
    st: &mut SegmentsState,
    hide_segments: &mut bool,
) -> Vec<AppCommand> {
    let mut cmds = Vec::new();
    if ws.landmarks.is_empty() {
        return cmds;
    }
    ui.separator();
    ui.checkbox(hide_segments, "Hide segment colours on the slices");
    egui::CollapsingHeader::new("Couinaud segments and resection options")
        .default_open(true)
        .show(ui, |ui| {
            let summary = match ws.segment_summary() {
                Ok(s) => s,
                Err(e) => {
                    ui.colored_label(Color32::from_rgb(240, 110, 80), e.to_string());
                    return;
                }
            };
            ui.small(crate::clinical::segments::SEGMENTS_CAVEAT);
            egui::Grid::new("segment-volumes")
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    for h in ["Segment", "mL", "% of functional liver", "tumours"] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for v in &summary.volumes {
                        ui.label(v.id.name());
                        ui.label(format!("{:.1}", v.volume_ml));
                        ui.label(v.percent.map_or("-".into(), |p| format!("{p:.1} %")));
                        let t: Vec<String> = v.tumours.iter().map(|i| format!("#{i}")).collect();
                        ui.label(t.join(" "));
                        ui.end_row();
                    }
                });
            for t in &summary.tumours {
                ui.label(format!(
                    "Tumour #{} lies in segment(s) {}",
                    t.tumour,
                    t.describe()
                ));
            }
            ui.small(crate::clinical::segments::CAUDATE_RULE);
            pending_line(ui, ws, &mut cmds);
            let (opts, stale) = options(st, ws, &mut cmds);
            if stale {
                ui.label("updating the resection options...");
            }
            match opts {
                Ok(opts) => options_table(ui, opts, &mut cmds),
                Err(e) => {
                    ui.colored_label(Color32::from_rgb(240, 110, 80), e);
                }
            }
        });
    cmds
}

fn pending_line(ui: &mut egui::Ui, ws: &Workspace, cmds: &mut Vec<AppCommand>) {
    let Some(p) = ws
        .editor
        .pending
        .as_ref()
        .filter(|p| p.kind == PendingKind::Segments)
    else {
        return;
    };
    ui.horizontal(|ui| {
        ui.label(format!("Pending resection by segments: {:.1} mL", p.ml));
        if ui.button("Accept resection").clicked() {
            cmds.push(AppCommand::Case(Command::Trace(TraceAction::Accept)));
        }
        if ui.button("Discard resection").clicked() {
            cmds.push(AppCommand::Case(Command::Trace(TraceAction::Discard)));
        }
    });
}

fn options_table(ui: &mut egui::Ui, opts: &[ResectionOption], cmds: &mut Vec<AppCommand>) {
    ui.strong("Options that remove every tumour");
    // one wrapped row per option (a six-column grid widened the panel past the planes)
    for o in opts.iter().filter(|o| o.clears_all_tumours) {
        ui.horizontal_wrapped(|ui| {
            if ui.button(format!("Resect {}", o.label)).clicked() {
                cmds.push(AppCommand::Case(Command::ChooseResection(
                    SegmentChoice::of_option(o),
                )));
            }
            let pct = |v: Option<f64>| v.map_or("-".into(), |f| format!("{f:.1} %"));
            ui.label(format!("FLR: {}", pct(o.flr_percent)));
            ui.label(format!("sFLR: {}", pct(o.sflr_percent)));
            ui.colored_label(
                super::plan_panel::verdict_color(o.decision),
                o.decision.word(),
            );
            ui.label(crate::clinical::segments::option_margin_text(
                o.closest_margin_mm,
                o.margin_over_1cm,
                o.clears_all_tumours,
            ));
        });
    }
    let left: Vec<_> = opts.iter().filter(|o| !o.clears_all_tumours).collect();
    if !left.is_empty() {
        ui.strong("Options that leave a tumour");
        for o in left {
            ui.horizontal(|ui| {
                ui.label(crate::clinical::segments::tumours_left_text(
                    &o.label,
                    &o.tumours_left,
                ));
                if ui.small_button(format!("Resect {}", o.label)).clicked() {
                    cmds.push(AppCommand::Case(Command::ChooseResection(
                        SegmentChoice::of_option(o),
                    )));
                }
            });
        }
    }
}
