//! Plausibility checks of a [`Report`], for the editor and `--validate`.

use serde::Serialize;

use super::model::{Ascites, Report};
use crate::pci::CcScore;

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Something worth recording is missing.
    Warning,
    /// A value is impossible or outside its plausible range.
    Error,
}

/// One problem found in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// JSON path of the field, e.g. "hipec.temperature_c".
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}: {}", self.field, self.message)
    }
}

/// How the five points of the operative report are named (review of colorectal
/// peritoneal metastases among Remnant's sources, its ref. 20).
const FIVE_POINTS: &str = "operative report point";

/// Plausible ranges. Values outside are reported as errors.
pub const HIPEC_TEMPERATURE_C: (f64, f64) = (37.0, 45.0);
pub const HIPEC_DURATION_MIN: (f64, f64) = (1.0, 180.0);
pub const ASCITES_MAX_ML: f64 = 20_000.0;
/// Longer than any human small bowel.
pub const SMALL_BOWEL_MAX_CM: f64 = 1_000.0;
pub const MAX_SEGMENTS_RESECTED: u32 = 30;
/// Larger than any human liver.
pub const LIVER_MAX_ML: f64 = 10_000.0;

#[derive(Default)]
struct Checker(Vec<Problem>);

impl Checker {
    fn push(&mut self, severity: Severity, field: &str, message: String) {
        self.0.push(Problem {
            severity,
            field: field.to_owned(),
            message,
        });
    }

    fn missing(&mut self, field: &str, what: &str) {
        self.push(Severity::Warning, field, format!("{what} not recorded"));
    }

    /// Errors for a non-finite value or one outside `min..=max`.
    fn range(&mut self, field: &str, value: Option<f64>, (min, max): (f64, f64), unit: &str) {
        let Some(v) = value else { return };
        if !v.is_finite() {
            self.push(Severity::Error, field, "is not a number".to_owned());
        } else if v < min || v > max {
            self.push(
                Severity::Error,
                field,
                format!("{v} {unit} is outside the plausible range {min}-{max} {unit}"),
            );
        }
    }

    /// Errors for a non-finite or negative value.
    fn non_negative(&mut self, field: &str, value: Option<f64>, unit: &str) {
        let Some(v) = value else { return };
        if !v.is_finite() {
            self.push(Severity::Error, field, "is not a number".to_owned());
        } else if v < 0.0 {
            self.push(Severity::Error, field, format!("{v} {unit} is negative"));
        }
    }

    fn text(&mut self, field: &str, value: &Option<String>, what: &str) {
        if value.as_deref().is_none_or(|s| s.trim().is_empty()) {
            self.missing(field, what);
        }
    }
}

impl Report {
    /// Every problem found, errors and warnings, in field order.
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker::default();
        c.text("patient.patient_id", &self.patient.patient_id, "patient ID");
        c.text("surgeon", &self.surgeon, "surgeon");
        c.text("operation_date", &self.operation_date, "operation date");
        self.check_ascites(&mut c);
        self.check_small_bowel(&mut c);
        for (i, photo) in self.photos.iter().enumerate() {
            if photo.path.trim().is_empty() {
                c.push(
                    Severity::Error,
                    &format!("photos[{i}].path"),
                    "photo has no file path".to_owned(),
                );
            }
        }
        if self.cc_score.is_none() {
            c.missing("cc_score", "completeness of cytoreduction (CC score)");
        }
        for (i, organ) in self.organ_resections.iter().enumerate() {
            if organ.trim().is_empty() {
                c.push(
                    Severity::Warning,
                    &format!("organ_resections[{i}]"),
                    "empty organ resection entry".to_owned(),
                );
            }
        }
        self.check_hipec(&mut c);
        c.non_negative(
            "operation.operative_time_min",
            self.operation.operative_time_min,
            "min",
        );
        c.non_negative(
            "operation.blood_loss_ml",
            self.operation.blood_loss_ml,
            "mL",
        );
        self.check_liver(&mut c);
        let unscored = self.pci.unscored_count();
        if unscored > 0 {
            c.push(
                Severity::Warning,
                "pci.scores",
                format!("{FIVE_POINTS} 1 (lesions region by region and the PCI): {unscored} of 13 PCI regions not scored"),
            );
        }
        self.check_five_points(&mut c);
        c.0
    }

    /// Points 3-5 of the operative report (points 1 and 2 are checked with the PCI and
    /// ascites): photos or videos, small bowel and mesentery, right diaphragm and cupola.
    fn check_five_points(&self, c: &mut Checker) {
        if self.photos.is_empty() {
            c.push(
                Severity::Warning,
                "photos",
                format!("{FIVE_POINTS} 3 (photos or videos): none attached"),
            );
        }
        let sb = &self.small_bowel;
        let described = !sb.description.trim().is_empty()
            || sb.serosal_only
            || sb.mesenteric_root_involved
            || sb.segments_resected > 0;
        if !described {
            c.push(
                Severity::Warning,
                "small_bowel.description",
                format!("{FIVE_POINTS} 4 (small bowel or mesenteric involvement): not described"),
            );
        }
        let rd = &self.right_diaphragm;
        if rd.involvement.is_none() || rd.cupola_mobile.is_none() {
            let what = match (rd.involvement.is_none(), rd.cupola_mobile.is_none()) {
                (true, true) => "dome involvement and cupola mobility not recorded",
                (true, false) => "dome involvement not recorded",
                _ => "cupola mobility not recorded",
            };
            c.push(
                Severity::Warning,
                "right_diaphragm",
                format!("{FIVE_POINTS} 5 (right diaphragmatic dome and cupola): {what}"),
            );
        }
    }

    fn check_ascites(&self, c: &mut Checker) {
        match self.ascites {
            Ascites::NotRecorded => c.push(
                Severity::Warning,
                "ascites",
                format!("{FIVE_POINTS} 2 (presence or absence of ascites): not recorded"),
            ),
            Ascites::None => {}
            Ascites::Present { volume_ml } => {
                c.range("ascites.volume_ml", volume_ml, (0.0, ASCITES_MAX_ML), "mL")
            }
        }
    }

    fn check_small_bowel(&self, c: &mut Checker) {
        let sb = &self.small_bowel;
        c.range(
            "small_bowel.length_resected_cm",
            sb.length_resected_cm,
            (0.0, SMALL_BOWEL_MAX_CM),
            "cm",
        );
        if sb.segments_resected > MAX_SEGMENTS_RESECTED {
            c.push(
                Severity::Error,
                "small_bowel.segments_resected",
                format!(
                    "{} segments is more than the plausible {MAX_SEGMENTS_RESECTED}",
                    sb.segments_resected
                ),
            );
        }
        if sb.segments_resected == 0 && sb.length_resected_cm.is_some_and(|l| l > 0.0) {
            c.push(
                Severity::Warning,
                "small_bowel.segments_resected",
                "a resected length is given but no segment is counted as resected".to_owned(),
            );
        }
        if sb.serosal_only && sb.mesenteric_root_involved {
            c.push(
                Severity::Warning,
                "small_bowel.serosal_only",
                "disease marked both serosal only and involving the mesenteric root".to_owned(),
            );
        }
    }

    fn check_hipec(&self, c: &mut Checker) {
        let Some(h) = &self.hipec else { return };
        if let Some(cc) = self
            .cc_score
            .filter(|cc| matches!(cc, CcScore::Cc2 | CcScore::Cc3))
        {
            c.push(
                Severity::Warning,
                "hipec",
                format!(
                    "HIPEC recorded with {}: HIPEC is usually given after complete cytoreduction (CC-0 or CC-1); check the CC score (Remnant's own check)",
                    cc.label()
                ),
            );
        }
        if h.drug.trim().is_empty() {
            c.missing("hipec.drug", "HIPEC drug");
        }
        c.non_negative("hipec.dose_mg", h.dose_mg, "mg");
        c.non_negative("hipec.dose_mg_per_m2", h.dose_mg_per_m2, "mg/m2");
        c.range(
            "hipec.temperature_c",
            h.temperature_c,
            HIPEC_TEMPERATURE_C,
            "C",
        );
        c.range(
            "hipec.duration_min",
            h.duration_min,
            HIPEC_DURATION_MIN,
            "min",
        );
        c.non_negative("hipec.carrier_volume_l", h.carrier_volume_l, "L");
        for (field, v) in [
            ("hipec.inflow_temperature_c", h.inflow_temperature_c),
            ("hipec.outflow_temperature_c", h.outflow_temperature_c),
        ] {
            c.range(field, v, HIPEC_TEMPERATURE_C, "C");
        }
        if h.dose_mg.is_none() && h.dose_mg_per_m2.is_none() {
            c.missing("hipec.dose_mg", "HIPEC dose");
        }
        if h.temperature_c.is_none() {
            c.missing("hipec.temperature_c", "HIPEC temperature");
        }
        if h.duration_min.is_none() {
            c.missing("hipec.duration_min", "HIPEC duration");
        }
        if h.technique.is_none() {
            c.missing("hipec.technique", "HIPEC technique");
        }
    }

    fn check_liver(&self, c: &mut Checker) {
        let Some(f) = &self.liver.figures else { return };
        let volume = (0.0, LIVER_MAX_ML);
        c.range("liver.figures.total_ml", f.total_ml, volume, "mL");
        c.range("liver.figures.tumour_ml", f.tumour_ml, volume, "mL");
        c.range("liver.figures.functional_ml", f.functional_ml, volume, "mL");
        c.range("liver.figures.resected_ml", f.resected_ml, volume, "mL");
        c.range("liver.figures.remnant_ml", f.remnant_ml, volume, "mL");
        c.range(
            "liver.figures.flr_percent",
            f.flr_percent,
            (0.0, 100.0),
            "%",
        );
        // sFLR divides by an estimated volume, so it can exceed 100 %.
        c.range(
            "liver.figures.sflr_percent",
            f.sflr_percent,
            (0.0, 200.0),
            "%",
        );
        c.range(
            "liver.figures.threshold_percent",
            f.threshold_percent,
            (0.0, 100.0),
            "%",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{Hipec, LiverFigures};

    fn fields(report: &Report, severity: Severity) -> Vec<String> {
        report
            .validate()
            .into_iter()
            .filter(|p| p.severity == severity)
            .map(|p| p.field)
            .collect()
    }

    fn hipec(temperature: f64, duration: f64, dose: f64) -> Report {
        Report {
            hipec: Some(Hipec {
                drug: "Mitomycin C".into(),
                dose_mg: Some(dose),
                dose_mg_per_m2: None,
                temperature_c: Some(temperature),
                duration_min: Some(duration),
                ..Hipec::default()
            }),
            ..Report::default()
        }
    }

    #[test]
    fn empty_report_has_only_warnings() {
        let report = Report::default();
        assert!(fields(&report, Severity::Error).is_empty());
        let warnings = fields(&report, Severity::Warning);
        for f in ["patient.patient_id", "cc_score", "ascites", "pci.scores"] {
            assert!(
                warnings.iter().any(|w| w == f),
                "{f} missing in {warnings:?}"
            );
        }
    }

    /// Seed 002's five points: each one that is missing is named.
    #[test]
    fn each_missing_point_of_the_five_is_named() {
        let msgs: Vec<String> = Report::default()
            .validate()
            .iter()
            .map(|p| p.to_string())
            .collect();
        for n in 1..=5 {
            let want = format!("operative report point {n} (");
            assert!(msgs.iter().any(|m| m.contains(&want)), "{want} in {msgs:?}");
        }
        // a complete report names none of them
        let mut r = Report::default();
        for i in 0..13 {
            r.pci.set(i, crate::pci::LesionSize::Ls0).unwrap();
        }
        r.ascites = Ascites::None;
        r.photos.push(crate::report::model::Photo {
            path: "a.jpg".into(),
            caption: String::new(),
        });
        r.small_bowel.description = "free".into();
        r.right_diaphragm.involvement = Some(crate::report::model::DiaphragmInvolvement::None);
        r.right_diaphragm.cupola_mobile = Some(true);
        let msgs: Vec<String> = r.validate().iter().map(|p| p.to_string()).collect();
        assert!(
            !msgs.iter().any(|m| m.contains("operative report point")),
            "{msgs:?}"
        );
    }

    #[test]
    fn hipec_after_incomplete_cytoreduction_is_flagged() {
        for (cc, flagged) in [
            (CcScore::Cc0, false),
            (CcScore::Cc1, false),
            (CcScore::Cc2, true),
            (CcScore::Cc3, true),
        ] {
            let mut r = hipec(42.0, 90.0, 35.0);
            r.cc_score = Some(cc);
            let has = r
                .validate()
                .iter()
                .any(|p| p.field == "hipec" && p.message.contains("CC-0 or CC-1"));
            assert_eq!(has, flagged, "{cc:?}");
        }
    }

    #[test]
    fn operation_and_circuit_numbers_are_checked() {
        let mut r = hipec(42.0, 90.0, 35.0);
        let h = r.hipec.as_mut().unwrap();
        h.inflow_temperature_c = Some(46.0);
        h.outflow_temperature_c = Some(41.0);
        h.carrier_volume_l = Some(-1.0);
        r.operation.blood_loss_ml = Some(-5.0);
        r.operation.operative_time_min = Some(f64::NAN);
        assert_eq!(
            fields(&r, Severity::Error),
            [
                "hipec.carrier_volume_l",
                "hipec.inflow_temperature_c",
                "operation.operative_time_min",
                "operation.blood_loss_ml"
            ]
        );
    }

    #[test]
    fn hipec_ranges() {
        assert!(fields(&hipec(42.0, 90.0, 35.0), Severity::Error).is_empty());
        assert!(fields(&hipec(37.0, 1.0, 0.0), Severity::Error).is_empty());
        assert!(fields(&hipec(45.0, 180.0, 0.0), Severity::Error).is_empty());
        assert_eq!(
            fields(&hipec(45.5, 90.0, 35.0), Severity::Error),
            ["hipec.temperature_c"]
        );
        assert_eq!(
            fields(&hipec(36.9, 181.0, -1.0), Severity::Error),
            ["hipec.dose_mg", "hipec.temperature_c", "hipec.duration_min"]
        );
        assert_eq!(
            fields(&hipec(f64::NAN, 0.5, 35.0), Severity::Error),
            ["hipec.temperature_c", "hipec.duration_min"]
        );
        let problems = hipec(50.0, 90.0, 35.0).validate();
        let text = problems[problems.len() - 1].to_string();
        assert!(text.contains("warning") || text.contains("error"));
        let temp = problems
            .iter()
            .find(|p| p.field == "hipec.temperature_c")
            .unwrap();
        assert!(temp.message.contains("50 C") && temp.message.contains("37-45"));
    }

    #[test]
    fn ascites_ranges() {
        let with = |ml| Report {
            ascites: Ascites::Present {
                volume_ml: Some(ml),
            },
            ..Report::default()
        };
        assert!(fields(&with(2500.0), Severity::Error).is_empty());
        assert_eq!(fields(&with(-1.0), Severity::Error), ["ascites.volume_ml"]);
        assert_eq!(
            fields(&with(20_001.0), Severity::Error),
            ["ascites.volume_ml"]
        );
    }

    #[test]
    fn liver_and_bowel_ranges() {
        let mut report = Report::default();
        report.small_bowel.length_resected_cm = Some(-3.0);
        report.small_bowel.segments_resected = 31;
        report.liver.figures = Some(LiverFigures {
            flr_percent: Some(120.0),
            remnant_ml: Some(-5.0),
            ..LiverFigures::default()
        });
        assert_eq!(
            fields(&report, Severity::Error),
            [
                "small_bowel.length_resected_cm",
                "small_bowel.segments_resected",
                "liver.figures.remnant_ml",
                "liver.figures.flr_percent",
            ]
        );
    }
}
