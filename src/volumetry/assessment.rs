//! Everything the planning panel and `remnant volumetry` report, computed from the
//! voxel counts and the planning inputs by pure functions.

use super::body::{bsa_mosteller, check_height, check_weight, stlv_vauthey};
use super::coverage::Coverage;
use super::decision_inputs::{ChecklistInputs, FongInputs};
use super::flr::{
    BORDERLINE_POINTS, FLR_BW_MIN_PERCENT, LiverCondition, PVE_GROWTH, STLV_PLAUSIBLE_FRACTION,
    Thresholds, flr_after_pve, flr_bw_percent, flr_percent, sflr_percent,
};
use super::pve_scan::{PostPveScan, Timing};
use super::volumes::{Counts, Volumes};
use serde::{Deserialize, Serialize};

/// What the surgeon enters besides the tracing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PlanInputs {
    pub condition: LiverCondition,
    pub thresholds: Thresholds,
    pub height_cm: Option<f64>,
    pub weight_kg: Option<f64>,
    /// Date of the pre-operative plan, as typed (ISO 8601 advised).
    #[serde(default)]
    pub plan_date: Option<String>,
    /// Fong clinical risk score criteria that are entered, and overrides of the traced ones.
    #[serde(default)]
    pub fong: FongInputs,
    /// Resectability criteria that are entered (the rest come from the plan).
    #[serde(default)]
    pub checklist: ChecklistInputs,
    /// The post-PVE scan compared with this one, when the surgeon loaded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_pve: Option<PostPveScan>,
    /// Weeks since the embolisation (the KGR's divisor, Shindoh 2013).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks_since_pve: Option<f64>,
    /// Weeks between the two scans (used, as a lower bound, without the weeks since PVE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks_between_scans: Option<f64>,
}

impl PlanInputs {
    /// The timing of the post-PVE comparison as entered.
    pub fn timing(&self) -> Timing {
        Timing {
            weeks_since_pve: self.weeks_since_pve,
            weeks_between_scans: self.weeks_between_scans,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyFigures {
    pub bsa_m2: f64,
    pub stlv_ml: f64,
    pub sflr_percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PveProjection {
    pub remnant_ml: (f64, f64),
    /// The FLR % that is judged (sFLR when available), after PVE: a typical range.
    pub percent: (f64, f64),
    /// Whether even the upper end of the typical growth reaches the threshold.
    pub reaches_threshold_at_best: bool,
    pub source: String,
}

/// A two-stage hepatectomy (Adam et al., Ann Surg 2000; Akgül et al., World J
/// Gastroenterol 2014, review): stage 1 clears the future remnant of
/// tumour (e.g. wedge resections, the Stage-1 resection layer), stage 2 after PVE is
/// the major resection (the Resection layer). Both FLRs are fractions of the
/// functional liver of this scan; the verdict judges stage 2 (the final remnant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoStage {
    /// Tumour-free liver removed at stage 1, mL.
    pub stage1_resected_ml: f64,
    /// Tumour removed at stage 1, mL.
    pub stage1_tumour_ml: f64,
    /// Tumour-free liver left after stage 1, mL.
    pub after_stage1_ml: f64,
    /// FLR after stage 1, % of the functional liver.
    pub stage1_flr_percent: Option<f64>,
    /// Standardised FLR after stage 1 (with height and weight), %.
    pub stage1_sflr_percent: Option<f64>,
    /// Stage 1 graded by volume against the same threshold, on the same basis.
    pub stage1_decision: Decision,
    /// Tumour-free liver removed at stage 2, mL.
    pub stage2_resected_ml: f64,
    /// FLR after stage 2 (the final remnant), %: the figure the verdict judges.
    pub stage2_flr_percent: Option<f64>,
    /// Standardised FLR after stage 2, %.
    pub stage2_sflr_percent: Option<f64>,
    /// The stage sentence (written by `clinical`).
    pub text: String,
}

/// The graded verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// At least 5 points above the threshold.
    Adequate,
    /// At the threshold or less than 5 points above it.
    Borderline,
    /// Below the threshold.
    Insufficient,
    /// Inputs are missing; `missing` says which.
    NoVerdict,
}

impl Decision {
    pub fn word(self) -> &'static str {
        match self {
            Decision::Adequate => "adequate",
            Decision::Borderline => "borderline",
            Decision::Insufficient => "insufficient",
            Decision::NoVerdict => "no verdict",
        }
    }

    /// One step lower (adequate -> borderline -> insufficient).
    pub fn lowered(self) -> Decision {
        match self {
            Decision::Adequate => Decision::Borderline,
            Decision::Borderline | Decision::Insufficient => Decision::Insufficient,
            Decision::NoVerdict => Decision::NoVerdict,
        }
    }
}

/// Grade of a judged percentage against its threshold: below it insufficient, from it up
/// to (not including) 5 points above borderline, from 5 points above adequate.
pub fn grade(judged: f64, threshold: f64) -> Decision {
    if judged < threshold {
        Decision::Insufficient
    } else if judged < threshold + BORDERLINE_POINTS {
        Decision::Borderline
    } else {
        Decision::Adequate
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub decision: Decision,
    /// "FLR" or "sFLR": which percentage was compared with the threshold.
    pub basis: Option<String>,
    pub judged_percent: Option<f64>,
    pub threshold_percent: f64,
    /// True when the user edited the threshold: it is theirs, not the consensus's.
    pub threshold_custom: bool,
    /// "20 %" or "custom 25 %".
    pub threshold_label: String,
    pub source: String,
    /// The verdict sentence (written by `clinical`).
    pub text: String,
    /// What must be entered or traced before a verdict can be given.
    pub missing: Vec<String>,
    /// Why the grade is lower than the volume alone gives (e.g. FLR / body weight).
    pub lowered_because: Vec<String>,
    /// FLR / body weight (%) when it lowered the grade (`clinical` says why).
    #[serde(skip)]
    pub lowered_by_flr_bw: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub counts: Counts,
    pub volumes: Volumes,
    pub flr_percent: Option<f64>,
    pub body: Option<BodyFigures>,
    pub flr_bw_percent: Option<f64>,
    pub flr_bw_adequate: Option<bool>,
    /// Whether FLR / body weight took part in the grade (not with cirrhosis).
    pub flr_bw_used: bool,
    /// (traced total - sTLV) / sTLV x 100, with height and weight.
    pub total_vs_stlv_percent: Option<f64>,
    /// (traced liver without tumour - sTLV) / sTLV x 100, with height and weight: the
    /// figure the plausibility check uses.
    #[serde(default)]
    pub functional_vs_stlv_percent: Option<f64>,
    /// Which scan borders the liver touches (filled by the caller from the layers).
    pub coverage: Option<Coverage>,
    pub condition: LiverCondition,
    pub verdict: Verdict,
    pub pve: Option<PveProjection>,
    /// The FLR of each stage, when a stage-1 resection is traced (two-stage plan).
    #[serde(default)]
    pub two_stage: Option<TwoStage>,
    pub input_errors: Vec<String>,
}

impl Assessment {
    /// Adds the scan-coverage check (the liver touching a border of the image).
    pub fn with_coverage(mut self, c: Coverage) -> Assessment {
        self.coverage = Some(c);
        self
    }

    /// True when the traced liver without tumour differs from the sTLV by more than
    /// 30 % (the total would count the tumour, which the sTLV does not hold).
    pub fn stlv_implausible(&self) -> bool {
        self.functional_vs_stlv_percent
            .is_some_and(|d| d.abs() > STLV_PLAUSIBLE_FRACTION * 100.0)
    }
}

/// Valid height and weight, or the reasons they are refused.
fn body_inputs(inp: &PlanInputs) -> (Option<f64>, Option<f64>, Vec<String>) {
    let mut errors = Vec::new();
    let h = inp
        .height_cm
        .and_then(|h| check_height(h).map_err(|e| errors.push(e.to_string())).ok());
    let w = inp
        .weight_kg
        .and_then(|w| check_weight(w).map_err(|e| errors.push(e.to_string())).ok());
    (h, w, errors)
}

/// The figures and the grade, without sentences (`clinical::assess` adds them).
pub fn measure(counts: &Counts, voxel_mm3: f64, inp: &PlanInputs) -> Assessment {
    let volumes = Volumes::from_counts(counts, voxel_mm3);
    let (height, weight, body_errors) = body_inputs(inp);
    let mut input_errors = body_errors.clone();
    if let Err(e) = inp.thresholds.validate() {
        input_errors.push(e.to_string());
    }
    let cond = inp.condition;
    let threshold = inp.thresholds.for_condition(cond);
    let flr = flr_percent(volumes.remnant_ml, volumes.functional_ml);
    let body = match (height, weight) {
        (Some(h), Some(w)) => {
            let bsa = bsa_mosteller(h, w);
            let stlv = stlv_vauthey(bsa);
            sflr_percent(volumes.remnant_ml, stlv).map(|s| BodyFigures {
                bsa_m2: bsa,
                stlv_ml: stlv,
                sflr_percent: s,
            })
        }
        _ => None,
    };
    let flr_bw = weight.and_then(|w| flr_bw_percent(volumes.remnant_ml, w));
    let total_vs_stlv = body
        .as_ref()
        .filter(|_| counts.total > 0)
        .map(|b| 100.0 * (volumes.total_ml - b.stlv_ml) / b.stlv_ml);

    let functional_vs_stlv = body
        .as_ref()
        .filter(|_| counts.functional() > 0)
        .map(|b| 100.0 * (volumes.functional_ml - b.stlv_ml) / b.stlv_ml);

    let mut missing = Vec::new();
    // An implausible height or weight is a typo: no verdict until it is corrected,
    // rather than a verdict on another basis than the one the user meant.
    for e in &body_errors {
        missing.push(format!("{e}: correct it (no verdict is graded on it)"));
    }
    if counts.total == 0 {
        missing.push("trace the whole liver".to_string());
    } else if counts.functional() == 0 {
        missing.push("the traced liver is all tumour: trace the liver outline".to_string());
    }
    if counts.resected == 0 && counts.total > 0 {
        missing.push(if counts.two_stage() {
            "trace the second-stage (major) resection on the Resection layer".to_string()
        } else {
            "trace or place the planned resection".to_string()
        });
    }
    if inp.thresholds.validate().is_err() {
        missing.push("fix the FLR thresholds in settings".to_string());
    }
    let (basis, judged) = match (&body, flr) {
        (Some(b), _) => (Some("sFLR".to_string()), Some(b.sflr_percent)),
        (None, Some(f)) => (Some("FLR".to_string()), Some(f)),
        _ => (None, None),
    };
    let flr_bw_used = cond != LiverCondition::Cirrhosis && flr_bw.is_some();
    let mut lowered_by_flr_bw = None;
    let decision = match (judged, missing.is_empty()) {
        (Some(p), true) => {
            let mut d = grade(p, threshold);
            if let Some(bw) = flr_bw.filter(|_| flr_bw_used)
                && bw < FLR_BW_MIN_PERCENT
                && d.lowered() != d
            {
                d = d.lowered();
                lowered_by_flr_bw = Some(bw);
            }
            d
        }
        _ => Decision::NoVerdict,
    };
    let pve = match (decision, judged) {
        (Decision::Insufficient | Decision::Borderline, Some(p)) => {
            let pct = flr_after_pve(p);
            Some(PveProjection {
                remnant_ml: (
                    volumes.remnant_ml * (1.0 + PVE_GROWTH.0),
                    volumes.remnant_ml * (1.0 + PVE_GROWTH.1),
                ),
                percent: pct,
                reaches_threshold_at_best: pct.1 >= threshold,
                source: super::flr::PVE_SOURCE.to_string(),
            })
        }
        _ => None,
    };
    let two_stage = counts.two_stage().then(|| {
        let after1 = volumes.functional_ml - volumes.stage1_resected_ml;
        let flr1 = flr_percent(after1, volumes.functional_ml);
        let sflr1 = body.as_ref().and_then(|b| sflr_percent(after1, b.stlv_ml));
        let judged1 = if body.is_some() { sflr1 } else { flr1 };
        TwoStage {
            stage1_resected_ml: volumes.stage1_resected_ml,
            stage1_tumour_ml: volumes.stage1_tumour_ml,
            after_stage1_ml: after1,
            stage1_flr_percent: flr1,
            stage1_sflr_percent: sflr1,
            stage1_decision: match judged1 {
                Some(p) if missing.is_empty() => grade(p, threshold),
                _ => Decision::NoVerdict,
            },
            stage2_resected_ml: volumes.resected_ml,
            stage2_flr_percent: flr,
            stage2_sflr_percent: body.as_ref().map(|b| b.sflr_percent),
            text: String::new(),
        }
    });
    Assessment {
        counts: *counts,
        volumes,
        flr_percent: flr,
        body,
        flr_bw_percent: flr_bw,
        flr_bw_adequate: flr_bw.map(|v| v >= FLR_BW_MIN_PERCENT),
        flr_bw_used,
        total_vs_stlv_percent: total_vs_stlv,
        functional_vs_stlv_percent: functional_vs_stlv,
        coverage: None,
        condition: cond,
        verdict: Verdict {
            decision,
            basis,
            judged_percent: judged,
            threshold_percent: threshold,
            threshold_custom: inp.thresholds.is_custom(cond),
            threshold_label: inp.thresholds.label(cond),
            source: inp.thresholds.source_for(cond),
            text: String::new(),
            missing,
            lowered_because: Vec::new(),
            lowered_by_flr_bw,
        },
        pve,
        two_stage,
        input_errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(total: u64, tumour: u64, resected: u64) -> Counts {
        Counts {
            total,
            tumour,
            resected,
            remnant: total - tumour - resected,
            ..Default::default()
        }
    }

    #[test]
    fn verdict_text_names_threshold_condition_and_source() {
        // 1 mm^3 voxels: total 1600 mL, tumour 100, resected 1140 -> remnant 360 = 24 % of 1500
        let c = counts(1_600_000, 100_000, 1_140_000);
        let inp = PlanInputs {
            condition: LiverCondition::Chemo,
            ..Default::default()
        };
        let a = crate::clinical::assess(&c, 1.0, &inp);
        assert!((a.flr_percent.unwrap() - 24.0).abs() < 1e-9);
        assert_eq!(a.verdict.decision, Decision::Insufficient);
        assert!(
            a.verdict.text.starts_with(
                "FLR 24.0 % < 30 % required after extensive chemotherapy: remnant volume insufficient for a liver after extensive chemotherapy"
            ),
            "{}",
            a.verdict.text
        );
        assert!(a.verdict.text.contains("AHPBA/SSO/SSAT 2006"));
        let pve = a.pve.unwrap();
        assert!((pve.percent.0 - 28.8).abs() < 1e-9 && (pve.percent.1 - 33.6).abs() < 1e-9);
        assert!(pve.reaches_threshold_at_best);
        // the same plan for a normal liver: 24 % is within 5 points above 20 %: borderline
        let a = crate::clinical::assess(&c, 1.0, &PlanInputs::default());
        assert_eq!(a.verdict.decision, Decision::Borderline);
        assert!(
            a.verdict
                .text
                .contains("remnant volume borderline for a normal liver")
        );
    }

    /// Boundary tests of the grade, for every condition's threshold: at, just above and
    /// just below the threshold, and at and around threshold + 5 points.
    #[test]
    fn grade_boundaries_for_each_condition() {
        let t = Thresholds::default();
        for c in LiverCondition::ALL {
            let th = t.for_condition(c);
            assert_eq!(grade(th, th), Decision::Borderline, "at the threshold");
            assert_eq!(grade(th + 0.01, th), Decision::Borderline, "just above");
            assert_eq!(grade(th - 0.01, th), Decision::Insufficient, "just below");
            assert_eq!(grade(th + 5.0, th), Decision::Adequate, "at +5 points");
            assert_eq!(grade(th + 4.99, th), Decision::Borderline, "just under +5");
            assert_eq!(grade(th + 5.01, th), Decision::Adequate, "just over +5");
        }
        // and through assess, on voxel counts: normal liver, 1 mL voxels, functional 1000
        let at = |remnant: u64| {
            let c = counts(1000, 0, 1000 - remnant);
            crate::clinical::assess(&c, 1000.0, &PlanInputs::default())
                .verdict
                .decision
        };
        assert_eq!(at(199), Decision::Insufficient);
        assert_eq!(at(200), Decision::Borderline);
        assert_eq!(at(249), Decision::Borderline);
        assert_eq!(at(250), Decision::Adequate);
    }

    #[test]
    fn a_custom_threshold_is_labelled_as_the_users() {
        let c = counts(1000, 0, 700); // FLR 30 %
        let mut inp = PlanInputs::default();
        inp.thresholds.normal = 25.0;
        let a = crate::clinical::assess(&c, 1.0, &inp);
        assert!(a.verdict.threshold_custom);
        assert!(
            a.verdict.text.contains(">= custom 25 % required"),
            "{}",
            a.verdict.text
        );
        assert!(
            a.verdict
                .text
                .contains("threshold set by the user (consensus value 20 %"),
            "{}",
            a.verdict.text
        );
        assert_eq!(a.verdict.decision, Decision::Adequate);
        let a = crate::clinical::assess(&c, 1.0, &PlanInputs::default());
        assert!(!a.verdict.threshold_custom);
        assert!(
            a.verdict.text.contains(">= 20 % required"),
            "{}",
            a.verdict.text
        );
    }

    #[test]
    fn standardised_flr_is_judged_when_height_and_weight_are_given() {
        // 180 cm / 80 kg -> sTLV 1740.15 mL; remnant 348.03 mL -> sFLR 20.0 % exactly
        let remnant = 348_030u64;
        let c = counts(1_500_000, 0, 1_500_000 - remnant);
        let inp = PlanInputs {
            height_cm: Some(180.0),
            weight_kg: Some(80.0),
            ..Default::default()
        };
        let a = crate::clinical::assess(&c, 1.0, &inp);
        let b = a.body.clone().unwrap();
        assert!((b.bsa_m2 - 2.0).abs() < 1e-12);
        assert!((b.sflr_percent - 20.0).abs() < 1e-9);
        assert_eq!(a.verdict.basis.as_deref(), Some("sFLR"));
        // exactly 20 % is borderline by volume; FLR / body weight = 348.03 / 80000 =
        // 0.435 % < 0.5 % lowers it one step (non-cirrhotic liver)
        assert_eq!(a.flr_bw_adequate, Some(false));
        assert_eq!(a.verdict.decision, Decision::Insufficient);
        assert!(
            a.verdict
                .text
                .contains("graded down one step: FLR / body weight 0.44 % < 0.5 %"),
            "{}",
            a.verdict.text
        );
    }

    /// FLR / body weight exactly 0.5 % does not lower the grade; just below does; with
    /// cirrhosis it is shown but not used.
    #[test]
    fn flr_bw_boundary_and_cirrhosis() {
        // 180 cm / 80 kg: sTLV 1740.15 mL. Remnant 400 mL (0.5 % of 80 kg exactly),
        // sFLR 22.99 %: borderline by volume for a normal liver.
        let c = counts(1_500_000, 0, 1_100_000);
        let inp = PlanInputs {
            height_cm: Some(180.0),
            weight_kg: Some(80.0),
            ..Default::default()
        };
        let a = crate::clinical::assess(&c, 1.0, &inp);
        assert!((a.flr_bw_percent.unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(a.verdict.decision, Decision::Borderline);
        assert!(a.verdict.lowered_because.is_empty());
        // just above 0.5 % (400.001 mL): not lowered either
        let a_up = crate::clinical::assess(&counts(1_500_000, 0, 1_099_999), 1.0, &inp);
        assert!(a_up.flr_bw_percent.unwrap() > 0.5);
        assert_eq!(a_up.verdict.decision, Decision::Borderline);
        assert!(a_up.verdict.lowered_because.is_empty());
        let c2 = counts(1_500_000, 0, 1_100_001); // 399.999 mL: 0.49999 %
        let a2 = crate::clinical::assess(&c2, 1.0, &inp);
        assert_eq!(a2.verdict.decision, Decision::Insufficient);
        // cirrhosis: sFLR 23 % < 40 % anyway; the ratio is not used
        let mut cir = inp.clone();
        cir.condition = LiverCondition::Cirrhosis;
        let a3 = crate::clinical::assess(&c2, 1.0, &cir);
        assert!(!a3.flr_bw_used && a3.verdict.lowered_because.is_empty());
        // an insufficient remnant is not "graded down" further
        let a5 = crate::clinical::assess(&counts(1_500_000, 0, 1_300_000), 1.0, &inp);
        assert_eq!(a5.verdict.decision, Decision::Insufficient);
        assert!(a5.verdict.lowered_because.is_empty(), "{}", a5.verdict.text);
        // a remnant adequate by volume and low by weight goes from adequate to borderline
        let heavy = PlanInputs {
            height_cm: Some(150.0),
            weight_kg: Some(150.0),
            ..Default::default()
        };
        // BSA sqrt(150*150/3600) = 2.5 -> sTLV 2373.79 mL; remnant 700 mL: sFLR 29.5 %,
        // FLR/BW 700 / 150000 = 0.467 %
        let c4 = counts(1_500_000, 0, 800_000);
        let a4 = crate::clinical::assess(&c4, 1.0, &heavy);
        assert_eq!(a4.verdict.decision, Decision::Borderline);
    }

    /// Vauthey et al., Liver Transpl 2002;8:233-240, abstract: "TLV (cm3) = -794.41 +
    /// 1,267.28 x BSA (m2)". A patient of BSA 1.73 m2 has sTLV 1397.98 mL; with a
    /// remnant of 300 mL the sFLR is 21.5 %.
    #[test]
    fn vauthey_2002_formula_through_the_plan() {
        // Mosteller with 173 cm and 62.2 kg gives BSA 1.7298 m2
        let c = counts(1_500_000, 0, 1_200_000);
        let inp = PlanInputs {
            height_cm: Some(173.0),
            weight_kg: Some(62.2),
            ..Default::default()
        };
        let a = crate::clinical::assess(&c, 1.0, &inp);
        let b = a.body.unwrap();
        let bsa = (173.0f64 * 62.2 / 3600.0).sqrt();
        assert!((b.bsa_m2 - bsa).abs() < 1e-12);
        assert!((b.stlv_ml - (-794.41 + 1267.28 * bsa)).abs() < 1e-9);
        assert!((b.sflr_percent - 100.0 * 300.0 / b.stlv_ml).abs() < 1e-9);
    }

    #[test]
    fn missing_inputs_give_no_verdict_and_say_what_is_missing() {
        let a = crate::clinical::assess(&Counts::default(), 1.0, &PlanInputs::default());
        assert_eq!(a.verdict.decision, Decision::NoVerdict);
        assert!(a.verdict.text.contains("trace the whole liver"));
        let c = counts(1000, 0, 0);
        let a = crate::clinical::assess(&c, 1.0, &PlanInputs::default());
        assert_eq!(a.verdict.decision, Decision::NoVerdict);
        assert!(a.verdict.text.contains("resection"));
    }

    #[test]
    fn absurd_body_numbers_are_reported_not_used() {
        let c = counts(1000, 0, 500);
        let inp = PlanInputs {
            height_cm: Some(0.0),
            weight_kg: Some(900.0),
            ..Default::default()
        };
        let a = crate::clinical::assess(&c, 1.0, &inp);
        assert_eq!(a.input_errors.len(), 2);
        assert!(a.body.is_none());
        assert_eq!(a.verdict.basis.as_deref(), Some("FLR"));
    }

    #[test]
    fn tumour_left_in_the_remnant_is_always_in_the_verdict() {
        let mut c = counts(1000, 10, 500);
        c.tumour_outside_resection = 10;
        let a = crate::clinical::assess(&c, 1000.0, &PlanInputs::default());
        assert_eq!(a.verdict.decision, Decision::Adequate);
        assert!(
            a.verdict
                .text
                .starts_with("Plan incomplete: 10.0 mL of tumour is left in the remnant"),
            "{}",
            a.verdict.text
        );
    }

    #[test]
    fn traced_total_far_from_stlv_is_flagged() {
        // sTLV 1740.15 mL; traced 1000 mL is 42.5 % below
        let inp = PlanInputs {
            height_cm: Some(180.0),
            weight_kg: Some(80.0),
            ..Default::default()
        };
        let a = crate::clinical::assess(&counts(1_000_000, 0, 500_000), 1.0, &inp);
        assert!(a.stlv_implausible());
        // 1300 mL is 25.3 % below: plausible
        let a = crate::clinical::assess(&counts(1_300_000, 0, 500_000), 1.0, &inp);
        assert!(!a.stlv_implausible());
    }
}
