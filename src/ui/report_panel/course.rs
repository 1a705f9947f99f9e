//! The report form's operation and follow-up parts: operative time, blood loss,
//! transfusion, anastomoses, stoma; complications with their Clavien-Dindo grade and
//! the 30- and 90-day outcome (entered after the operation).

use super::ReportState;
use crate::report::{ClavienDindo, Complication, Outcome, Report, Stoma};

/// A whole-number field backed by Option<u32> (typed as text, checked as typed).
fn count(
    ui: &mut egui::Ui,
    st: &mut ReportState,
    key: &'static str,
    label: &str,
    v: &mut Option<u32>,
    max: f64,
) -> bool {
    let mut x = v.map(f64::from);
    if st.num(ui, key, label, &mut x, (0.0, max)) {
        *v = x.map(|x| x.round() as u32);
        return true;
    }
    false
}

/// Operative time, blood loss, transfusion, anastomoses and stoma; true when edited.
pub(super) fn operation(ui: &mut egui::Ui, st: &mut ReportState, r: &mut Report) -> bool {
    let o = &mut r.operation;
    let mut changed = false;
    egui::Grid::new("rep-operation")
        .num_columns(2)
        .show(ui, |ui| {
            changed |= st.num(
                ui,
                "op_time",
                "Operative time (min)",
                &mut o.operative_time_min,
                (0.0, 2000.0),
            );
            changed |= st.num(
                ui,
                "blood_loss",
                "Blood loss (mL)",
                &mut o.blood_loss_ml,
                (0.0, 50000.0),
            );
            changed |= count(
                ui,
                st,
                "transfusion",
                "Transfusion (red cell units)",
                &mut o.transfusion_units,
                200.0,
            );
            changed |= count(
                ui,
                st,
                "anastomoses",
                "Anastomoses",
                &mut o.anastomoses,
                50.0,
            );
        });
    ui.horizontal_wrapped(|ui| {
        ui.label("Stoma");
        changed |= ui.radio_value(&mut o.stoma, None, "not recorded").changed();
        for s in Stoma::ALL {
            changed |= ui.radio_value(&mut o.stoma, Some(s), s.label()).changed();
        }
    });
    changed
}

/// Yes / no / not recorded for one outcome item.
fn tri(ui: &mut egui::Ui, label: &str, v: &mut Option<bool>) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.label(label);
        for (x, n) in [
            (None, "not recorded"),
            (Some(true), "yes"),
            (Some(false), "no"),
        ] {
            changed |= ui.radio_value(v, x, n).changed();
        }
    });
    changed
}

fn outcome(ui: &mut egui::Ui, title: &str, o: &mut Outcome) -> bool {
    ui.strong(title);
    let mut changed = tri(ui, "Alive", &mut o.alive);
    changed |= tri(ui, "Readmitted", &mut o.readmitted);
    changed |= tri(ui, "Reoperated", &mut o.reoperated);
    changed
}

/// One complication: description, grade, date; returns (changed, remove).
fn complication(ui: &mut egui::Ui, i: usize, c: &mut Complication) -> (bool, bool) {
    let mut changed = false;
    let mut remove = false;
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(format!("Complication {}", i + 1));
        changed |= ui
            .add(egui::TextEdit::singleline(&mut c.description).desired_width(220.0))
            .labelled_by(l.id)
            .changed();
        egui::ComboBox::from_id_salt(("cd-grade", i))
            .selected_text(
                c.clavien_dindo
                    .map_or("Clavien-Dindo grade".to_owned(), |g| {
                        format!("Clavien-Dindo {}", g.label())
                    }),
            )
            .show_ui(ui, |ui| {
                changed |= ui
                    .selectable_value(&mut c.clavien_dindo, None, "not graded")
                    .changed();
                for g in ClavienDindo::ALL {
                    let name = format!("Clavien-Dindo {}", g.label());
                    changed |= ui
                        .selectable_value(&mut c.clavien_dindo, Some(g), name)
                        .changed();
                }
            });
        let mut date = c.date.clone().unwrap_or_default();
        let d = ui.label("Date");
        if ui
            .add(egui::TextEdit::singleline(&mut date).desired_width(90.0))
            .labelled_by(d.id)
            .changed()
        {
            c.date = (!date.trim().is_empty()).then_some(date);
            changed = true;
        }
        remove = ui.small_button("Remove").clicked();
    });
    (changed, remove)
}

/// Complications and the 30- and 90-day outcome; true when edited.
pub(super) fn follow_up(ui: &mut egui::Ui, r: &mut Report) -> bool {
    let f = &mut r.follow_up;
    let mut changed = false;
    let mut remove = None;
    for (i, c) in f.complications.iter_mut().enumerate() {
        let (c, rm) = complication(ui, i, c);
        changed |= c;
        if rm {
            remove = Some(i);
        }
    }
    if let Some(i) = remove {
        f.complications.remove(i);
        changed = true;
    }
    if ui.button("Add complication").clicked() {
        f.complications.push(Complication::default());
        changed = true;
    }
    changed |= outcome(ui, "Day 30", &mut f.day30);
    changed |= outcome(ui, "Day 90", &mut f.day90);
    changed
}
