//! The FLR planning panel: live volumes, FLR and sFLR, the verdict in one sentence with
//! its source, the expected effect of PVE, a bar chart against the threshold, the
//! tumour list, and the post-PVE comparison. All figures come from `volumetry`.

use crate::segmentation::components::Component;
use crate::volumetry::body::{HEIGHT_CM_RANGE, WEIGHT_KG_RANGE, parse_measure};
use crate::volumetry::growth::{Growth, compare};
use crate::volumetry::{Assessment, Counts, Decision, LiverCondition, PlanInputs, assess};
use egui::Color32;
use egui_plot::{Bar, BarChart, HLine, Plot};

/// A second scan of the same patient (after PVE): its counts and voxel volume.
#[derive(Debug, Clone)]
pub struct AfterScan {
    pub name: String,
    pub counts: Counts,
    pub voxel_mm3: f64,
}

#[derive(Debug, Clone, Default)]
pub struct PlanState {
    pub inputs: PlanInputs,
    pub height_text: String,
    pub weight_text: String,
    pub height_error: Option<String>,
    pub weight_error: Option<String>,
    pub after: Option<AfterScan>,
    pub weeks_text: String,
    pub show_settings: bool,
}

/// Parse a typed measure and check its range; the field's value is used only if valid.
fn field(text: &str, what: &str, unit: &str, range: (f64, f64)) -> (Option<f64>, Option<String>) {
    match parse_measure(text, what, unit) {
        Ok(None) => (None, None),
        Ok(Some(v)) if v.is_finite() && v >= range.0 && v <= range.1 => (Some(v), None),
        Ok(Some(v)) => (
            None,
            Some(format!(
                "{what} {v} {unit} is outside {}-{} {unit}",
                range.0, range.1
            )),
        ),
        Err(e) => (None, Some(e)),
    }
}

impl PlanState {
    /// Re-read the typed fields into the inputs (invalid values are refused, with a message).
    pub fn update_inputs(&mut self) {
        let (h, he) = field(&self.height_text, "height", "cm", HEIGHT_CM_RANGE);
        let (w, we) = field(&self.weight_text, "weight", "kg", WEIGHT_KG_RANGE);
        self.inputs.height_cm = h;
        self.inputs.weight_kg = w;
        self.height_error = he;
        self.weight_error = we;
    }

    pub fn assessment(&self, counts: &Counts, voxel_mm3: f64) -> Assessment {
        assess(counts, voxel_mm3, &self.inputs)
    }

    pub fn growth(&self, before: &Assessment) -> Option<Result<Growth, String>> {
        let after = self.after.as_ref()?;
        let a = assess(&after.counts, after.voxel_mm3, &self.inputs);
        let weeks = match parse_measure(&self.weeks_text, "weeks", "weeks") {
            Ok(Some(w)) => w,
            Ok(None) => return Some(Err("enter the weeks between the two scans".into())),
            Err(e) => return Some(Err(e)),
        };
        Some(compare(before, &a, weeks))
    }
}

pub fn verdict_color(d: Decision) -> Color32 {
    match d {
        Decision::Adequate => Color32::from_rgb(90, 200, 110),
        Decision::ConsiderPve => Color32::from_rgb(240, 110, 80),
        Decision::NoVerdict => Color32::from_rgb(200, 200, 200),
    }
}

/// Returns true when the user asked to load a post-PVE scan.
pub fn show(ui: &mut egui::Ui, st: &mut PlanState, a: &Assessment, tumours: &[Component]) -> bool {
    let mut want_after = false;
    ui.heading("FLR planning");
    // Patient and condition.
    egui::Grid::new("plan-inputs")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label("Height (cm)");
            let r = ui
                .add(egui::TextEdit::singleline(&mut st.height_text).desired_width(80.0))
                .labelled_by(l.id);
            if r.changed() {
                st.update_inputs();
            }
            ui.end_row();
            let l = ui.label("Weight (kg)");
            let r = ui
                .add(egui::TextEdit::singleline(&mut st.weight_text).desired_width(80.0))
                .labelled_by(l.id);
            if r.changed() {
                st.update_inputs();
            }
            ui.end_row();
        });
    for e in [&st.height_error, &st.weight_error].into_iter().flatten() {
        ui.colored_label(Color32::from_rgb(240, 110, 80), e);
    }
    ui.label("Liver condition");
    for c in LiverCondition::ALL {
        let th = st.inputs.thresholds.for_condition(c);
        ui.radio_value(
            &mut st.inputs.condition,
            c,
            format!("{} (FLR >= {th:.0} %)", c.label()),
        );
    }
    ui.checkbox(&mut st.show_settings, "Edit thresholds");
    if st.show_settings {
        let t = &mut st.inputs.thresholds;
        egui::Grid::new("thresholds").num_columns(2).show(ui, |ui| {
            for (name, v) in [
                ("Normal %", &mut t.normal),
                ("Chemotherapy %", &mut t.chemo),
                ("Cirrhosis %", &mut t.cirrhosis),
            ] {
                let l = ui.label(name);
                ui.add(egui::DragValue::new(v).range(1.0..=99.0).speed(0.5))
                    .labelled_by(l.id);
                ui.end_row();
            }
        });
        ui.small(format!("Source: {}", t.source));
    }
    ui.separator();

    // Figures.
    let v = &a.volumes;
    egui::Grid::new("plan-figures")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let mut row = |k: &str, val: String| {
                ui.label(k);
                ui.label(val);
                ui.end_row();
            };
            row("Total liver", format!("{:.1} mL", v.total_ml));
            row("Tumour", format!("{:.1} mL", v.tumour_ml));
            row("Functional liver", format!("{:.1} mL", v.functional_ml));
            row("Resected", format!("{:.1} mL", v.resected_ml));
            row("Remnant (FLR)", format!("{:.1} mL", v.remnant_ml));
            row(
                "FLR",
                a.flr_percent
                    .map_or("-".into(), |f| format!("{f:.1} % of functional liver")),
            );
            match &a.body {
                Some(b) => {
                    row("BSA (Mosteller)", format!("{:.2} m²", b.bsa_m2));
                    row("sTLV (Vauthey 2002)", format!("{:.0} mL", b.stlv_ml));
                    row("sFLR", format!("{:.1} %", b.sflr_percent));
                }
                None => row("sFLR", "enter height and weight".into()),
            }
            match (a.flr_bw_percent, a.flr_bw_adequate) {
                (Some(bw), Some(ok)) => row(
                    "FLR / body weight",
                    format!(
                        "{bw:.2} % ({} 0.5 %, Truant 2007)",
                        if ok { ">=" } else { "<" }
                    ),
                ),
                _ => row("FLR / body weight", "enter weight".into()),
            }
        });
    ui.separator();

    // The verdict.
    ui.label(
        egui::RichText::new(&a.verdict.text)
            .color(verdict_color(a.verdict.decision))
            .strong()
            .size(15.0),
    );
    if let Some(p) = &a.pve {
        ui.label(format!(
            "After PVE (+20-40 % in 2-4 weeks): remnant {:.0}-{:.0} mL, {} {:.1}-{:.1} %{}",
            p.remnant_ml.0,
            p.remnant_ml.1,
            a.verdict.basis.as_deref().unwrap_or("FLR"),
            p.percent.0,
            p.percent.1,
            if p.reaches_threshold_at_best {
                ""
            } else {
                ". Even +40 % stays below the threshold: discuss a two-stage hepatectomy."
            }
        ));
    }
    if let Some(p) = a.verdict.judged_percent {
        bar_chart(ui, a, p);
    }
    ui.separator();

    // Tumours.
    ui.strong(format!("Tumours: {}", tumours.len()));
    for t in tumours.iter().take(20) {
        ui.label(format!(
            "#{}  {:.2} mL  largest diameter {:.1} mm",
            t.id, t.volume_ml, t.diameter_mm
        ));
    }
    if tumours.len() > 20 {
        ui.label(format!("... and {} more", tumours.len() - 20));
    }
    ui.separator();

    // After PVE.
    ui.strong("After portal vein embolisation");
    match &st.after {
        None => {
            if ui.button("Add post-PVE scan...").clicked() {
                want_after = true;
            }
        }
        Some(s) => {
            ui.label(format!("Second scan: {}", s.name));
            let l = ui.label("Weeks between scans");
            ui.add(egui::TextEdit::singleline(&mut st.weeks_text).desired_width(60.0))
                .labelled_by(l.id);
            match st.growth(a) {
                Some(Ok(g)) => {
                    let col = if g.kgr_adequate {
                        Color32::from_rgb(90, 200, 110)
                    } else {
                        Color32::from_rgb(240, 110, 80)
                    };
                    ui.colored_label(col, &g.text);
                    ui.small(&g.source);
                }
                Some(Err(e)) => {
                    ui.label(e);
                }
                None => {}
            }
            if ui.button("Remove post-PVE scan").clicked() {
                st.after = None;
            }
        }
    }
    want_after
}

fn bar_chart(ui: &mut egui::Ui, a: &Assessment, judged: f64) {
    let th = a.verdict.threshold_percent;
    let mut bars = vec![
        Bar::new(0.0, judged)
            .width(0.6)
            .name(a.verdict.basis.clone().unwrap_or_default())
            .fill(verdict_color(a.verdict.decision)),
    ];
    if let Some(p) = &a.pve {
        bars.push(
            Bar::new(1.0, p.percent.0)
                .width(0.6)
                .name("after PVE, +20 %")
                .fill(Color32::from_rgb(120, 150, 220)),
        );
        bars.push(
            Bar::new(2.0, p.percent.1)
                .width(0.6)
                .name("after PVE, +40 %")
                .fill(Color32::from_rgb(120, 150, 220)),
        );
    }
    Plot::new("flr-chart")
        .height(140.0)
        .allow_zoom(false)
        .allow_drag(false)
        .include_y(0.0)
        .include_y(th * 1.3)
        .show_axes([false, true])
        .show(ui, |p| {
            p.bar_chart(BarChart::new("remnant %", bars));
            p.hline(HLine::new("required", th).color(Color32::from_rgb(250, 200, 60)));
        });
    ui.small(format!(
        "Bars: {} now{}; line: {th:.0} % required ({})",
        a.verdict.basis.as_deref().unwrap_or("FLR"),
        if a.pve.is_some() {
            ", then after PVE (+20 %, +40 %)"
        } else {
            ""
        },
        a.verdict.source
    ));
}
