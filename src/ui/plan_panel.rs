//! The FLR planning panel: inputs, live volumes, the decision (every sentence from
//! `clinical`, printed as is), a bar chart against the threshold, the tumour list with
//! margins, the Fong score and resectability inputs, and the post-PVE comparison.

use crate::clinical::assess;
use crate::clinical::{DecisionCard, Level, PlanDecision as Plan, Sentence, Topic, decide};
use crate::segmentation::components::Component;
use crate::volume::Geometry;
use crate::volumetry::body::{HEIGHT_CM_RANGE, WEIGHT_KG_RANGE, parse_measure};
use crate::volumetry::margins::Placement;
use crate::volumetry::{Assessment, Counts, Decision, LiverCondition, PlanInputs};
use egui::Color32;
use egui_plot::{Bar, BarChart, HLine, Plot};

#[derive(Debug, Clone, Default)]
pub struct PlanState {
    pub inputs: PlanInputs,
    pub height_text: String,
    pub weight_text: String,
    pub height_error: Option<String>,
    pub weight_error: Option<String>,
    /// What is wrong with the typed weeks (the post-PVE scan itself is in the inputs).
    pub weeks_error: Option<String>,
    /// Weeks between the two scans.
    pub weeks_text: String,
    /// Weeks since the embolisation (the KGR's denominator, Shindoh 2013).
    pub weeks_since_pve_text: String,
    pub show_settings: bool,
    /// Hide the 10 mm margin ring around each tumour on the slices.
    pub hide_margin_ring: bool,
    /// Hide the Couinaud segment colours on the slices.
    pub hide_segments: bool,
    /// The segment colours drawn on the slices (a full-grid copy of the segment map).
    pub segment_overlay: super::segment_overlay::SegmentOverlay,
    /// The last decision and what it was computed from.
    cache: Option<(String, Plan)>,
    /// The margin ring and the layer revision it was computed for.
    ring: Option<(u64, Option<Vec<u8>>)>,
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
        Err(e) => (None, Some(e.to_string())),
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
        let since = parse_measure(&self.weeks_since_pve_text, "weeks since PVE", "weeks");
        let between = parse_measure(&self.weeks_text, "weeks between scans", "weeks");
        self.inputs.weeks_since_pve = since.as_ref().ok().copied().flatten();
        self.inputs.weeks_between_scans = between.as_ref().ok().copied().flatten();
        self.weeks_error = since
            .err()
            .or(between.err())
            .map(|e: crate::volumetry::body::MeasureError| e.to_string());
    }

    pub fn assessment(&self, counts: &Counts, voxel_mm3: f64) -> Assessment {
        assess(counts, voxel_mm3, &self.inputs)
    }

    /// The 10 mm margin ring for these layers (None when hidden or without tumours),
    /// with a revision number for the slice cache. Recomputed once per layer revision.
    pub fn margin_ring(
        &mut self,
        revision: u64,
        bits: &[u8],
        g: &Geometry,
    ) -> Option<(&[u8], u64)> {
        if self.hide_margin_ring {
            return None;
        }
        if self.ring.as_ref().is_none_or(|(r, _)| *r != revision) {
            let t = crate::segmentation::Layer::Tumour.bit();
            let ring = bits.iter().any(|&b| b & t != 0).then(|| {
                crate::volumetry::margins::margin_ring(
                    bits,
                    g,
                    crate::volumetry::margins::MARGIN_MIN_MM,
                )
            });
            self.ring = Some((revision, ring));
        }
        match &self.ring {
            Some((r, Some(v))) => Some((v.as_slice(), r.wrapping_add(1 << 40))),
            _ => None,
        }
    }

    /// The whole decision for these layers, recomputed only when they or the inputs change.
    pub fn decision(
        &mut self,
        revision: u64,
        bits: &[u8],
        g: &Geometry,
        tumours: &[Component],
        pci_total: Option<u32>,
    ) -> &Plan {
        let key = format!(
            "{revision}|{:?}|{pci_total:?}|{:?}",
            self.inputs, self.weeks_error
        );
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let after = crate::clinical::plan::after_pve(&self.inputs);
            let mut d = decide(bits, g, &self.inputs, tumours, pci_total, after);
            if let (Some(_), Some(e)) = (&self.inputs.post_pve, &self.weeks_error) {
                d.growth_error = Some(e.clone());
            }
            self.cache = Some((key, d));
        }
        &self.cache.as_ref().expect("just filled").1
    }
}

pub fn verdict_color(d: Decision) -> Color32 {
    match d {
        Decision::Adequate => Color32::from_rgb(90, 200, 110),
        Decision::Borderline => Color32::from_rgb(240, 190, 60),
        Decision::Insufficient => Color32::from_rgb(240, 110, 80),
        Decision::NoVerdict => Color32::from_rgb(200, 200, 200),
    }
}

fn level_color(l: Level) -> Color32 {
    match l {
        Level::Info => Color32::from_rgb(210, 210, 210),
        Level::Good => Color32::from_rgb(90, 200, 110),
        Level::Caution => Color32::from_rgb(240, 190, 60),
        Level::Alert => Color32::from_rgb(240, 110, 80),
    }
}

/// A yes / no / not entered picker.
fn tri(ui: &mut egui::Ui, label: &str, v: &mut Option<bool>) {
    ui.horizontal(|ui| {
        ui.label(label);
        ui.selectable_value(v, None, "not entered");
        ui.selectable_value(v, Some(true), "yes");
        ui.selectable_value(v, Some(false), "no");
    });
}

/// Returns true when the user asked to load a post-PVE scan.
pub fn show(ui: &mut egui::Ui, st: &mut PlanState, d: &Plan, tumours: &[Component]) -> bool {
    let a = &d.assessment;
    let mut want_after = false;
    ui.heading("FLR planning");
    let card = crate::clinical::card(d);
    decision_card(ui, &card, st.inputs.plan_date.as_deref());
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
            let l = ui.label("Plan date");
            let mut date = st.inputs.plan_date.clone().unwrap_or_default();
            let r = ui
                .add(egui::TextEdit::singleline(&mut date).desired_width(100.0))
                .labelled_by(l.id);
            if r.changed() {
                let t = date.trim();
                st.inputs.plan_date = (!t.is_empty()).then(|| t.to_string());
            }
            ui.end_row();
        });
    for e in [&st.height_error, &st.weight_error, &st.weeks_error]
        .into_iter()
        .flatten()
    {
        ui.colored_label(Color32::from_rgb(240, 110, 80), e);
    }
    ui.label("Liver condition");
    for c in LiverCondition::ALL {
        let th = st.inputs.thresholds.label(c);
        ui.radio_value(
            &mut st.inputs.condition,
            c,
            format!("{} (FLR >= {th})", c.label()),
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
        ui.small(format!(
            "Consensus values 20 / 30 / 40 %: {}. A value you change is yours, and labelled custom.",
            t.source
        ));
    }
    ui.separator();

    // Figures (numbers only; every judgement is in the decision below).
    let v = &a.volumes;
    egui::CollapsingHeader::new("Volumes and body figures")
        .default_open(false)
        .show(ui, |ui| {
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
                    match a.flr_bw_percent {
                        Some(bw) => row("FLR / body weight", format!("{bw:.2} %")),
                        None => row("FLR / body weight", "enter weight".into()),
                    }
                    if let Some(s) = &a.two_stage {
                        let pct = |p: Option<f64>| p.map_or("-".into(), |p| format!("{p:.1} %"));
                        row(
                            "Stage 1 resected",
                            format!("{:.1} mL", s.stage1_resected_ml),
                        );
                        row("FLR after stage 1", pct(s.stage1_flr_percent));
                        row(
                            "Stage 2 resected",
                            format!("{:.1} mL", s.stage2_resected_ml),
                        );
                        row("FLR after stage 2", pct(s.stage2_flr_percent));
                        if a.body.is_some() {
                            row("sFLR after stage 1", pct(s.stage1_sflr_percent));
                            row("sFLR after stage 2", pct(s.stage2_sflr_percent));
                        }
                    }
                });
        });
    ui.separator();

    // The decision: every sentence, as `clinical` wrote it; margins, Fong and the
    // checklists fold below (the card above holds the verdict, figures and alerts).
    ui.strong(match &st.inputs.plan_date {
        Some(date) => format!("Pre-operative plan ({date})"),
        None => "Pre-operative plan".to_string(),
    });
    // the card's verdict and alerts are not repeated
    let shown = |s: &&Sentence| {
        matches!(s.topic, Topic::Margin | Topic::Fong | Topic::Checklist)
            || **s == card.verdict
            || card.alerts.contains(s)
    };
    for s in d.sentences.iter().filter(|s| !shown(s)) {
        ui.label(egui::RichText::new(&s.text).color(level_color(s.level)));
    }
    if let Some(p) = a.verdict.judged_percent {
        bar_chart(ui, a, p);
    }
    ui.separator();

    // Tumours, with their margins (folded).
    egui::CollapsingHeader::new(format!("Tumours and margins: {}", tumours.len()))
        .default_open(false)
        .show(ui, |ui| {
            for s in d.sentences.iter().filter(|s| s.topic == Topic::Margin) {
                ui.label(egui::RichText::new(&s.text).color(level_color(s.level)));
            }
            if !tumours.is_empty() {
                let mut show = !st.hide_margin_ring;
                if ui
                    .checkbox(
                        &mut show,
                        "Show the 10 mm margin ring on the slices (yellow)",
                    )
                    .changed()
                {
                    st.hide_margin_ring = !show;
                }
            }
            for (t, m) in tumours.iter().zip(&d.margins).take(20) {
                let margin = match (m.placement, m.margin_mm) {
                    (Placement::InRemnant, _) => "in the remnant".to_string(),
                    (Placement::Crosses, _) => "crosses the resection boundary".to_string(),
                    (_, Some(x)) => format!("margin {x:.1} mm"),
                    (_, None) => format!("margin > {:.0} mm", m.search_mm),
                };
                let margin = match m.stage {
                    Some(n) => format!("stage {n}, {margin}"),
                    None => margin,
                };
                let text = format!(
                    "#{}  {:.2} mL  axial diameter {:.1} mm (3-D extent {:.1} mm)  {margin}",
                    t.id, t.volume_ml, m.axial_diameter_mm, t.diameter_mm
                );
                if m.flagged() {
                    ui.colored_label(Color32::from_rgb(240, 110, 80), text);
                } else {
                    ui.label(text);
                }
            }
            if tumours.len() > 20 {
                ui.label(format!("... and {} more", tumours.len() - 20));
            }
        });
    ui.separator();

    // Fong score and resectability inputs (the sentences above show the result).
    egui::CollapsingHeader::new("Fong score and resectability checklists")
        .default_open(false)
        .show(ui, |ui| {
            for s in d
                .sentences
                .iter()
                .filter(|s| matches!(s.topic, Topic::Fong | Topic::Checklist))
            {
                ui.label(egui::RichText::new(&s.text).color(level_color(s.level)));
            }
            ui.separator();
            ui.small("Enter the criteria the tracing cannot give:");
            let f = &mut st.inputs.fong;
            tri(ui, "Node-positive primary", &mut f.node_positive_primary);
            tri(
                ui,
                "Disease-free interval < 12 months",
                &mut f.disease_free_interval_under_12_months,
            );
            tri(ui, "CEA > 200 ng/mL", &mut f.cea_over_200);
            ui.small("Overrides of the traced tumour criteria (not entered = from the tracing):");
            tri(
                ui,
                "Override: more than one tumour",
                &mut f.more_than_one_tumour,
            );
            tri(
                ui,
                "Override: largest tumour > 5 cm",
                &mut f.largest_over_5_cm,
            );
            ui.separator();
            let c = &mut st.inputs.checklist;
            tri(ui, "Patient can tolerate surgery", &mut c.tolerates_surgery);
            tri(ui, "Primary tumour controlled", &mut c.primary_controlled);
            tri(
                ui,
                "Extrahepatic disease absent or controllable",
                &mut c.extrahepatic_controlled,
            );
        });
    ui.separator();

    // After PVE.
    ui.strong("After portal vein embolisation");
    match &st.inputs.post_pve {
        None => {
            if ui.button("Add post-PVE scan...").clicked() {
                want_after = true;
            }
        }
        Some(s) => {
            ui.label(format!("Second scan: {}", s.name));
            let mut changed = false;
            egui::Grid::new("pve-weeks").num_columns(2).show(ui, |ui| {
                let l = ui.label("Weeks since PVE");
                changed |= ui
                    .add(
                        egui::TextEdit::singleline(&mut st.weeks_since_pve_text)
                            .desired_width(60.0),
                    )
                    .labelled_by(l.id)
                    .changed();
                ui.end_row();
                let l = ui.label("Weeks between scans");
                changed |= ui
                    .add(egui::TextEdit::singleline(&mut st.weeks_text).desired_width(60.0))
                    .labelled_by(l.id)
                    .changed();
                ui.end_row();
            });
            if changed {
                st.update_inputs();
            }
            ui.small("The growth and the post-PVE verdict are listed with the decision above.");
            if ui.button("Remove post-PVE scan").clicked() {
                st.inputs.post_pve = None;
            }
        }
    }
    want_after
}

/// The decision card: the verdict in one line, the four figures, the alerts and the
/// next step, in a frame at the top of the Plan tab (the same order as the PDF).
fn decision_card(ui: &mut egui::Ui, c: &DecisionCard, plan_date: Option<&str>) {
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, level_color(c.verdict.level)))
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width());
            ui.small(match plan_date {
                Some(d) => format!("Decision ({d})"),
                None => "Decision".to_string(),
            });
            ui.label(
                egui::RichText::new(&c.verdict.text)
                    .color(level_color(c.verdict.level))
                    .strong()
                    .size(15.0),
            );
            // one figure a row (label, value), so the card never widens the panel
            egui::Grid::new("card-figures")
                .num_columns(2)
                .spacing([10.0, 1.0])
                .show(ui, |ui| {
                    for f in &c.figures {
                        ui.small(f.label);
                        if f.known {
                            ui.strong(&f.value);
                        } else {
                            ui.weak(&f.value);
                        }
                        ui.end_row();
                    }
                });
            for a in &c.alerts {
                ui.label(egui::RichText::new(format!("! {}", a.text)).color(level_color(a.level)));
            }
            ui.label(egui::RichText::new(&c.next_step).italics());
        });
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
                .name("typical after PVE, +20 %")
                .fill(Color32::from_rgb(120, 150, 220)),
        );
        bars.push(
            Bar::new(2.0, p.percent.1)
                .width(0.6)
                .name("typical after PVE, +40 %")
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
        "Bars: {} now{}; line: {} required",
        a.verdict.basis.as_deref().unwrap_or("FLR"),
        if a.pve.is_some() {
            ", then the typical range after PVE (+20 %, +40 %)"
        } else {
            ""
        },
        a.verdict.threshold_label,
    ));
}
