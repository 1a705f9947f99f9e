//! The structured operative report form: patient, surgeon, findings, ascites, small
//! bowel, diaphragm, procedures, HIPEC, liver part, photos. The PCI and CC score are
//! entered on the PCI tab. Numbers are typed as text and checked as they are typed.

use crate::report::{
    Ascites, DiaphragmInvolvement, Hipec, HipecTechnique, Photo, Report, RightDiaphragm, SmallBowel,
};
use egui::Color32;

mod course;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct ReportState {
    /// Edit buffers of number fields, by field name.
    bufs: HashMap<&'static str, String>,
    errors: HashMap<&'static str, String>,
    organ_text: Option<String>,
    thumbs: Thumbs,
}

/// Thumbnails of the attached photos by path, decoded once.
#[derive(Clone, Default)]
struct Thumbs(HashMap<String, Result<egui::TextureHandle, String>>);

impl std::fmt::Debug for Thumbs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Thumbs({} photos)", self.0.len())
    }
}

fn load_thumb(ctx: &egui::Context, path: &str) -> Result<egui::TextureHandle, String> {
    let t = crate::report::thumbnail::thumbnail(std::path::Path::new(path), 160)
        .map_err(|e| e.to_string())?;
    let img = egui::ColorImage::from_rgba_unmultiplied([t.width, t.height], &t.rgba);
    Ok(ctx.load_texture(format!("photo:{path}"), img, egui::TextureOptions::LINEAR))
}

fn text_field(ui: &mut egui::Ui, label: &str, v: &mut Option<String>) -> bool {
    let l = ui.label(label);
    let mut s = v.clone().unwrap_or_default();
    let r = ui
        .add(egui::TextEdit::singleline(&mut s).desired_width(200.0))
        .labelled_by(l.id);
    ui.end_row();
    if r.changed() {
        *v = (!s.trim().is_empty()).then_some(s);
        return true;
    }
    false
}

impl ReportState {
    /// A number field backed by Option<f64>; refuses text and out-of-range values.
    fn num(
        &mut self,
        ui: &mut egui::Ui,
        key: &'static str,
        label: &str,
        v: &mut Option<f64>,
        range: (f64, f64),
    ) -> bool {
        let l = ui.label(label);
        let buf = self
            .bufs
            .entry(key)
            .or_insert_with(|| v.map(|x| x.to_string()).unwrap_or_default());
        let r = ui
            .add(egui::TextEdit::singleline(buf).desired_width(80.0))
            .labelled_by(l.id);
        ui.end_row();
        if !r.changed() {
            if let Some(e) = self.errors.get(key) {
                ui.label("");
                ui.colored_label(Color32::from_rgb(240, 110, 80), e);
                ui.end_row();
            }
            return false;
        }
        let t = buf.trim().replace(',', ".");
        self.errors.remove(key);
        if t.is_empty() {
            *v = None;
            return true;
        }
        match t.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= range.0 && x <= range.1 => {
                *v = Some(x);
                true
            }
            Ok(x) => {
                self.errors.insert(
                    key,
                    format!("{label} {x} is outside {}-{}", range.0, range.1),
                );
                false
            }
            Err(_) => {
                self.errors
                    .insert(key, format!("{label} \"{}\" is not a number", buf.trim()));
                false
            }
        }
    }

    /// Forget edit buffers (after a different report is loaded).
    pub fn reset(&mut self) {
        *self = ReportState::default();
    }
}

/// Patient and operation; ascites, small bowel, diaphragm.
fn left_column(ui: &mut egui::Ui, st: &mut ReportState, r: &mut Report) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new("Patient and operation")
        .default_open(true)
        .show(ui, |ui| changed |= patient_and_operation(ui, r));
    egui::CollapsingHeader::new("Ascites, small bowel, diaphragm")
        .default_open(true)
        .show(ui, |ui| {
            changed |= ascites(ui, st, r);
            changed |= small_bowel(ui, st, &mut r.small_bowel);
            changed |= right_diaphragm(ui, &mut r.right_diaphragm);
        });
    changed
}

/// The patient's identity and the operation's surgeon and date; true when edited.
fn patient_and_operation(ui: &mut egui::Ui, r: &mut Report) -> bool {
    let mut changed = false;
    egui::Grid::new("rep-patient")
        .num_columns(2)
        .show(ui, |ui| {
            changed |= text_field(ui, "Patient name", &mut r.patient.name);
            changed |= text_field(ui, "Patient ID", &mut r.patient.patient_id);
            changed |= text_field(ui, "Birth date", &mut r.patient.birth_date);
            changed |= text_field(ui, "Sex", &mut r.patient.sex);
            changed |= text_field(ui, "Study date", &mut r.patient.study_date);
            changed |= text_field(ui, "Accession", &mut r.patient.accession);
            changed |= text_field(ui, "Surgeon", &mut r.surgeon);
            changed |= text_field(ui, "Operation date", &mut r.operation_date);
        });
    changed
}

/// Ascites: not recorded, none, or present with its volume; true when edited.
fn ascites(ui: &mut egui::Ui, st: &mut ReportState, r: &mut Report) -> bool {
    let mut changed = false;
    let mut kind = match r.ascites {
        Ascites::NotRecorded => 0,
        Ascites::None => 1,
        Ascites::Present { .. } => 2,
    };
    ui.horizontal_wrapped(|ui| {
        ui.label("Ascites");
        changed |= ui.radio_value(&mut kind, 0, "not recorded").changed();
        changed |= ui.radio_value(&mut kind, 1, "none").changed();
        changed |= ui.radio_value(&mut kind, 2, "present").changed();
    });
    let mut vol = match r.ascites {
        Ascites::Present { volume_ml } => volume_ml,
        _ => None,
    };
    if kind == 2 {
        egui::Grid::new("rep-ascites")
            .num_columns(2)
            .show(ui, |ui| {
                changed |= st.num(
                    ui,
                    "ascites",
                    "Ascites volume (mL)",
                    &mut vol,
                    (0.0, 20000.0),
                );
            });
    }
    r.ascites = match kind {
        0 => Ascites::NotRecorded,
        1 => Ascites::None,
        _ => Ascites::Present { volume_ml: vol },
    };
    changed
}

/// Small bowel and mesentery: description, involvement and resection; true when edited.
fn small_bowel(ui: &mut egui::Ui, st: &mut ReportState, sb: &mut SmallBowel) -> bool {
    let mut changed = false;
    let l = ui.label("Small bowel and mesentery");
    changed |= ui
        .add(
            egui::TextEdit::multiline(&mut sb.description)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id)
        .changed();
    changed |= ui
        .checkbox(&mut sb.serosal_only, "Serosal involvement only")
        .changed();
    changed |= ui
        .checkbox(&mut sb.mesenteric_root_involved, "Mesenteric root involved")
        .changed();
    egui::Grid::new("rep-sb").num_columns(2).show(ui, |ui| {
        let l = ui.label("Segments resected");
        changed |= ui
            .add(egui::DragValue::new(&mut sb.segments_resected).range(0..=20))
            .labelled_by(l.id)
            .changed();
        ui.end_row();
        changed |= st.num(
            ui,
            "sb_len",
            "Length resected (cm)",
            &mut sb.length_resected_cm,
            (0.0, 700.0),
        );
    });
    changed
}

/// Right diaphragm dome: involvement and whether the cupola is mobile; true when edited.
fn right_diaphragm(ui: &mut egui::Ui, d: &mut RightDiaphragm) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        ui.label("Right diaphragm dome");
        for (v, n) in [
            (None, "not recorded"),
            (Some(DiaphragmInvolvement::None), "free"),
            (Some(DiaphragmInvolvement::Partial), "partial"),
            (Some(DiaphragmInvolvement::Full), "full"),
        ] {
            changed |= ui.radio_value(&mut d.involvement, v, n).changed();
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Cupola mobile");
        for (v, n) in [
            (None, "not recorded"),
            (Some(true), "yes"),
            (Some(false), "no"),
        ] {
            changed |= ui.radio_value(&mut d.cupola_mobile, v, n).changed();
        }
    });
    changed
}

/// Procedures, HIPEC, liver, findings and photos; returns (changed, add photo).
fn right_column(ui: &mut egui::Ui, st: &mut ReportState, r: &mut Report) -> (bool, bool) {
    let mut changed = false;
    let mut add_photo = false;
    egui::CollapsingHeader::new("Procedures")
        .default_open(true)
        .show(ui, |ui| changed |= procedures(ui, st, r));
    egui::CollapsingHeader::new("HIPEC")
        .default_open(true)
        .show(ui, |ui| changed |= hipec(ui, st, r));
    egui::CollapsingHeader::new("Operation")
        .default_open(true)
        .show(ui, |ui| changed |= course::operation(ui, st, r));
    egui::CollapsingHeader::new("Liver")
        .default_open(true)
        .show(ui, |ui| changed |= liver(ui, r));
    egui::CollapsingHeader::new("Follow-up (complications, day 30 and 90)")
        .default_open(false)
        .show(ui, |ui| changed |= course::follow_up(ui, r));
    egui::CollapsingHeader::new("Findings and photos")
        .default_open(true)
        .show(ui, |ui| {
            let (c, p) = findings_and_photos(ui, st, r);
            changed |= c;
            add_photo = p;
        });
    (changed, add_photo)
}

/// The peritonectomy procedures and organ resections; true when edited.
fn procedures(ui: &mut egui::Ui, st: &mut ReportState, r: &mut Report) -> bool {
    let mut changed = false;
    let p = &mut r.peritonectomies;
    for (flag, name) in [
        (
            &mut p.greater_omentectomy_splenectomy,
            "Greater omentectomy-splenectomy",
        ),
        (
            &mut p.left_upper_quadrant,
            "Left upper quadrant peritonectomy",
        ),
        (
            &mut p.right_upper_quadrant,
            "Right upper quadrant peritonectomy",
        ),
        (
            &mut p.lesser_omentectomy_cholecystectomy,
            "Lesser omentectomy-cholecystectomy with omental bursa stripping",
        ),
        (
            &mut p.pelvic_with_sigmoid_resection,
            "Pelvic peritonectomy with sigmoid resection",
        ),
        (&mut p.antrectomy, "Antrectomy"),
    ] {
        changed |= ui.checkbox(flag, name).changed();
    }
    let l = ui.label("Organ resections (comma-separated)");
    let text = st
        .organ_text
        .get_or_insert_with(|| r.organ_resections.join(", "));
    let w = ui.available_width().min(420.0);
    if ui
        .add(egui::TextEdit::singleline(text).desired_width(w))
        .labelled_by(l.id)
        .changed()
    {
        r.organ_resections = text
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        changed = true;
    }
    changed
}

/// HIPEC given or not, its drug, dose, temperature, duration and technique; true when edited.
fn hipec(ui: &mut egui::Ui, st: &mut ReportState, r: &mut Report) -> bool {
    let mut changed = false;
    let mut on = r.hipec.is_some();
    if ui.checkbox(&mut on, "HIPEC given").changed() {
        r.hipec = on.then(Hipec::default);
        changed = true;
    }
    let Some(h) = &mut r.hipec else {
        return changed;
    };
    egui::Grid::new("rep-hipec").num_columns(2).show(ui, |ui| {
        let l = ui.label("Drug");
        changed |= ui
            .add(egui::TextEdit::singleline(&mut h.drug).desired_width(200.0))
            .labelled_by(l.id)
            .changed();
        ui.end_row();
        changed |= st.num(ui, "dose", "Dose (mg)", &mut h.dose_mg, (0.0, 5000.0));
        changed |= st.num(
            ui,
            "dose_m2",
            "Dose (mg/m²)",
            &mut h.dose_mg_per_m2,
            (0.0, 2000.0),
        );
        changed |= st.num(
            ui,
            "temp",
            "Temperature (°C)",
            &mut h.temperature_c,
            (37.0, 45.0),
        );
        changed |= st.num(
            ui,
            "dur",
            "Duration (min)",
            &mut h.duration_min,
            (1.0, 180.0),
        );
        changed |= st.num(
            ui,
            "carrier",
            "Carrier volume (L)",
            &mut h.carrier_volume_l,
            (0.0, 20.0),
        );
        changed |= st.num(
            ui,
            "inflow",
            "Inflow (°C)",
            &mut h.inflow_temperature_c,
            crate::report::HIPEC_TEMPERATURE_C,
        );
        changed |= st.num(
            ui,
            "outflow",
            "Outflow (°C)",
            &mut h.outflow_temperature_c,
            crate::report::HIPEC_TEMPERATURE_C,
        );
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Technique");
        for (v, n) in [
            (None, "not recorded"),
            (Some(HipecTechnique::Open), "open"),
            (Some(HipecTechnique::Closed), "closed"),
        ] {
            changed |= ui.radio_value(&mut h.technique, v, n).changed();
        }
    });
    changed
}

/// Liver resection / ablation performed, and the figures from the planning panel;
/// true when edited.
fn liver(ui: &mut egui::Ui, r: &mut Report) -> bool {
    let mut changed = false;
    changed |= ui
        .checkbox(
            &mut r.liver.resection_performed,
            "Liver resection performed",
        )
        .changed();
    changed |= ui
        .checkbox(&mut r.liver.ablation_performed, "Ablation performed")
        .changed();
    egui::Grid::new("rep-liver").num_columns(2).show(ui, |ui| {
        changed |= text_field(ui, "Resection type", &mut r.liver.resection_type);
    });
    match &r.liver.figures {
        Some(f) => {
            ui.small(format!(
                "From the planning panel: remnant {:.0} mL, FLR {}; {}",
                f.remnant_ml.unwrap_or(0.0),
                f.flr_percent.map_or("-".into(), |v| format!("{v:.1} %")),
                f.verdict
            ));
        }
        None => {
            ui.small("Liver figures are filled in from the planning panel.");
        }
    }
    changed
}

/// The findings text and the photos with their captions; returns (changed, add photo).
fn findings_and_photos(ui: &mut egui::Ui, st: &mut ReportState, r: &mut Report) -> (bool, bool) {
    let mut changed = false;
    let l = ui.label("Findings");
    changed |= ui
        .add(
            egui::TextEdit::multiline(&mut r.findings)
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id)
        .changed();
    let mut remove = None;
    for (i, p) in r.photos.iter_mut().enumerate() {
        let (c, rm) = photo(ui, st, i, p);
        changed |= c;
        if rm {
            remove = Some(i);
        }
    }
    if let Some(i) = remove {
        r.photos.remove(i);
        changed = true;
    }
    (changed, ui.button("Attach photo...").clicked())
}

/// Photo `i`: its thumbnail (or why it cannot be shown), file name and caption;
/// returns (changed, remove clicked).
fn photo(ui: &mut egui::Ui, st: &mut ReportState, i: usize, p: &mut Photo) -> (bool, bool) {
    let mut changed = false;
    let mut remove = false;
    let thumb = st
        .thumbs
        .0
        .entry(p.path.clone())
        .or_insert_with(|| load_thumb(ui.ctx(), &p.path));
    match thumb {
        Ok(t) => {
            ui.add(
                egui::Image::new(&*t)
                    .max_size(egui::vec2(160.0, 160.0))
                    .alt_text(format!("photo {}", i + 1)),
            );
        }
        Err(e) => {
            ui.colored_label(
                Color32::from_rgb(240, 110, 80),
                format!("cannot show {}: {e}", p.path),
            );
        }
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(
            std::path::Path::new(&p.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let l = ui.label("caption");
        changed |= ui
            .add(egui::TextEdit::singleline(&mut p.caption).desired_width(160.0))
            .labelled_by(l.id)
            .changed();
        if ui.button("Remove photo").clicked() {
            remove = true;
        }
    });
    (changed, remove)
}

/// Returns (changed, add_photo_requested).
pub fn show(ui: &mut egui::Ui, st: &mut ReportState, r: &mut Report) -> (bool, bool) {
    let mut changed = false;
    let mut add_photo = false;
    ui.heading("Operative report");
    // two columns where they fit (the Report work area), one in a narrow panel
    if ui.available_width() >= 900.0 {
        ui.columns(2, |cols| {
            changed |= left_column(&mut cols[0], st, r);
            let (c, p) = right_column(&mut cols[1], st, r);
            changed |= c;
            add_photo |= p;
        });
    } else {
        changed |= left_column(ui, st, r);
        let (c, p) = right_column(ui, st, r);
        changed |= c;
        add_photo |= p;
    }
    let problems = r.validate();
    if !problems.is_empty() {
        ui.separator();
        ui.strong("Checks");
        for p in problems.iter().take(12) {
            ui.small(p.to_string());
        }
    }
    (changed, add_photo)
}
