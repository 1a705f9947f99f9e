//! The sample exercise in the Tools tab: the timer, Score my tracing, the last
//! attempt's scores, the disagreement overlay's legend and the attempts table
//! (latest first). The exercise itself is `crate::trainee`'s.

use super::command::{AppCommand, TraceAction};
use super::planes::TRAINEE_PALETTE;
use crate::trainee::{Attempt, Exercise};
use crate::workspace::tracing::Editor;
use egui::Color32;

/// Rows of the attempts table shown (the log keeps them all).
const ROWS: usize = 12;

fn mm(d: Option<f64>) -> String {
    d.map(|d| format!("{d:.2} mm"))
        .unwrap_or_else(|| "- (a surface is empty)".into())
}

fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// `2026-12-01 18:06:51` (UTC) of the log's `2026-12-01T18:06:51Z`.
fn when(a: &Attempt) -> String {
    a.date_time
        .replace('T', " ")
        .trim_end_matches('Z')
        .to_string()
}

fn vol_diff(a: &Attempt) -> String {
    let pct = a
        .volume_diff_pct
        .map(|p| format!(" ({p:+.1} %)"))
        .unwrap_or_default();
    format!("{:+.1} mL{pct}", a.volume_diff_ml)
}

fn swatch(ui: &mut egui::Ui, c: [u8; 4], text: &str) {
    ui.horizontal(|ui| {
        let (r, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
        ui.painter()
            .rect_filled(r, 2.0, Color32::from_rgb(c[0], c[1], c[2]));
        ui.label(text);
    });
}

/// The exercise section: task, timer and buttons, the last attempt's scores and the
/// attempts table (nothing when no exercise is running).
pub fn show(ui: &mut egui::Ui, ed: &mut Editor, cmds: &mut Vec<AppCommand>) {
    let Some(ex) = &ed.exercise else { return };
    task_and_timer(ui, ed, ex, cmds);
    if let Some(a) = &ex.last {
        last_attempt(ui, a, &mut ed.show_disagreement);
    }
    let Some(ex) = &ed.exercise else { return };
    if let Some(n) = &ex.note {
        ui.colored_label(Color32::from_rgb(240, 110, 80), n);
    }
    attempts(ui, ex);
}

/// What to trace, Score my tracing, the time and End exercise.
fn task_and_timer(ui: &mut egui::Ui, ed: &Editor, ex: &Exercise, cmds: &mut Vec<AppCommand>) {
    ui.strong("Sample exercise");
    ui.label(format!(
        "Trace the liver on the {} layer of {}; the reference ({}) is hidden until you score.",
        ed.settings.layer.name(),
        ex.scan,
        ex.reference
    ));
    let elapsed = ex.elapsed().as_secs_f64();
    ui.horizontal(|ui| {
        if ui.button("Score my tracing").clicked() {
            cmds.push(AppCommand::ScoreExercise);
        }
        ui.label(format!("time {}", clock(elapsed)));
        if ui
            .button("End exercise")
            .on_hover_text("Remove the reference; the log keeps the attempts")
            .clicked()
        {
            cmds.push(AppCommand::trace(TraceAction::RemoveReference));
        }
    });
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_secs(1));
}

/// The last attempt's scores, the disagreement switch and its legend.
fn last_attempt(ui: &mut egui::Ui, a: &Attempt, show_disagreement: &mut bool) {
    ui.label(format!(
        "Attempt at {} UTC after {}: {} layer vs {}",
        when(a),
        clock(a.seconds),
        a.layer,
        a.reference
    ));
    egui::Grid::new("exercise-score")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Dice");
            ui.strong(format!("{:.3}", a.dice));
            ui.end_row();
            ui.label("Traced / reference");
            ui.label(format!("{:.1} / {:.1} mL", a.traced_ml, a.reference_ml));
            ui.end_row();
            ui.label("Volume difference");
            ui.label(vol_diff(a));
            ui.end_row();
            ui.label("Mean surface distance");
            ui.label(mm(a.mean_surface_distance_mm));
            ui.end_row();
            ui.label("95th percentile (HD95)");
            ui.label(mm(a.hausdorff95_mm));
            ui.end_row();
            ui.label("Hausdorff (max)");
            ui.label(mm(a.hausdorff_mm));
            ui.end_row();
        });
    ui.small(
        "Distances in mm between the two surfaces, both ways, from the scan's geometry. \
         The reference is TotalSegmentator's, not a person's tracing (sample_data/README.md).",
    );
    ui.checkbox(show_disagreement, "Show the disagreement on the slices");
    swatch(
        ui,
        TRAINEE_PALETTE[1],
        "missed: in the reference, not traced",
    );
    swatch(
        ui,
        TRAINEE_PALETTE[0],
        "extra: traced, not in the reference",
    );
}

/// The attempts table, latest first (at most `ROWS`), and how many older ones the log has.
fn attempts(ui: &mut egui::Ui, ex: &Exercise) {
    ui.add_space(4.0);
    ui.strong(format!("Attempts ({}, latest first)", ex.attempts.len()));
    if let Some(l) = &ex.log {
        ui.small(format!("log: {}", l.path().display()));
    }
    if ex.attempts.is_empty() {
        ui.small("none yet");
        return;
    }
    egui::ScrollArea::horizontal()
        .id_salt("exercise-attempts-scroll")
        .show(ui, |ui| {
            egui::Grid::new("exercise-attempts")
                .striped(true)
                .num_columns(7)
                .show(ui, |ui| attempt_rows(ui, ex));
        });
    if ex.attempts.len() > ROWS {
        ui.small(format!(
            "{} older attempts in the log",
            ex.attempts.len() - ROWS
        ));
    }
}

/// The attempts table's header and rows.
fn attempt_rows(ui: &mut egui::Ui, ex: &Exercise) {
    for h in [
        "when (UTC)",
        "time",
        "Dice",
        "volume diff.",
        "mean mm",
        "HD95 mm",
        "max mm",
    ] {
        ui.small(h);
    }
    ui.end_row();
    for a in ex.attempts.iter().take(ROWS) {
        // the minute; the seconds and the scan on hover
        let w = when(a);
        ui.small(w.get(..16).unwrap_or(&w))
            .on_hover_text(format!("{w} UTC: {} vs {}", a.scan, a.reference));
        ui.small(clock(a.seconds));
        ui.small(format!("{:.3}", a.dice));
        ui.small(vol_diff(a));
        let d = |d: Option<f64>| d.map(|d| format!("{d:.1}")).unwrap_or("-".into());
        ui.small(d(a.mean_surface_distance_mm));
        ui.small(d(a.hausdorff95_mm));
        ui.small(d(a.hausdorff_mm));
        ui.end_row();
    }
}
