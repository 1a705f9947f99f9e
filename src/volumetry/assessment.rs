//! Everything the planning panel and `remnant volumetry` report, computed from the
//! voxel counts and the planning inputs by pure functions.

use super::body::{bsa_mosteller, check_height, check_weight, stlv_vauthey};
use super::flr::{
    FLR_BW_MIN_PERCENT, LiverCondition, PVE_GROWTH, Thresholds, flr_after_pve, flr_bw_percent,
    flr_percent, is_adequate, sflr_percent,
};
use super::volumes::{Counts, Volumes};
use serde::{Deserialize, Serialize};

/// What the surgeon enters besides the tracing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PlanInputs {
    pub condition: LiverCondition,
    pub thresholds: Thresholds,
    pub height_cm: Option<f64>,
    pub weight_kg: Option<f64>,
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
    /// The FLR % that is judged (sFLR when available), after PVE.
    pub percent: (f64, f64),
    /// Whether even the best expected growth reaches the threshold.
    pub reaches_threshold_at_best: bool,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Adequate,
    ConsiderPve,
    /// Inputs are missing; `missing` says which.
    NoVerdict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub decision: Decision,
    /// "fLR" or "sFLR": which percentage was compared with the threshold.
    pub basis: Option<String>,
    pub judged_percent: Option<f64>,
    pub threshold_percent: f64,
    pub source: String,
    /// One sentence a surgeon reads at a glance.
    pub text: String,
    /// What must be entered or traced before a verdict can be given.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub counts: Counts,
    pub volumes: Volumes,
    pub flr_percent: Option<f64>,
    pub body: Option<BodyFigures>,
    pub flr_bw_percent: Option<f64>,
    pub flr_bw_adequate: Option<bool>,
    pub condition: LiverCondition,
    pub verdict: Verdict,
    pub pve: Option<PveProjection>,
    pub input_errors: Vec<String>,
}

/// Valid height and weight, or the reasons they are refused.
fn body_inputs(inp: &PlanInputs) -> (Option<f64>, Option<f64>, Vec<String>) {
    let mut errors = Vec::new();
    let h = inp
        .height_cm
        .and_then(|h| check_height(h).map_err(|e| errors.push(e)).ok());
    let w = inp
        .weight_kg
        .and_then(|w| check_weight(w).map_err(|e| errors.push(e)).ok());
    (h, w, errors)
}

pub fn assess(counts: &Counts, voxel_mm3: f64, inp: &PlanInputs) -> Assessment {
    let volumes = Volumes::from_counts(counts, voxel_mm3);
    let (height, weight, mut input_errors) = body_inputs(inp);
    if let Err(e) = inp.thresholds.validate() {
        input_errors.push(e);
    }
    let threshold = inp.thresholds.for_condition(inp.condition);
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

    let mut missing = Vec::new();
    if counts.total == 0 {
        missing.push("trace the whole liver".to_string());
    } else if counts.functional() == 0 {
        missing.push("the traced liver is all tumour: trace the liver outline".to_string());
    }
    if counts.resected == 0 && counts.total > 0 {
        missing.push("trace or place the planned resection".to_string());
    }
    let threshold_ok = inp.thresholds.validate().is_ok();
    if !threshold_ok {
        missing.push("fix the FLR thresholds in settings".to_string());
    }
    let (basis, judged) = match (&body, flr) {
        (Some(b), _) => (Some("sFLR".to_string()), Some(b.sflr_percent)),
        (None, Some(f)) => (Some("FLR".to_string()), Some(f)),
        _ => (None, None),
    };
    let source = inp.thresholds.source.clone();
    let phrase = inp.condition.phrase();
    let (decision, text) = match (judged, missing.is_empty()) {
        (Some(p), true) => {
            let head = match (&body, flr) {
                (Some(b), Some(f)) => {
                    format!("sFLR {:.1} % (measured FLR {f:.1} %)", b.sflr_percent)
                }
                _ => format!("FLR {p:.1} %"),
            };
            if is_adequate(p, threshold) {
                (
                    Decision::Adequate,
                    format!(
                        "{head} >= {threshold:.0} % required {phrase}: adequate remnant ({source})"
                    ),
                )
            } else {
                (
                    Decision::ConsiderPve,
                    format!(
                        "{head} < {threshold:.0} % required {phrase}: consider portal vein embolisation ({source})"
                    ),
                )
            }
        }
        _ => (
            Decision::NoVerdict,
            format!("No verdict yet: {}", missing.join("; ")),
        ),
    };
    let pve = match (decision, judged) {
        (Decision::ConsiderPve, Some(p)) => {
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
    Assessment {
        counts: *counts,
        volumes,
        flr_percent: flr,
        body,
        flr_bw_percent: flr_bw,
        flr_bw_adequate: flr_bw.map(|v| v >= FLR_BW_MIN_PERCENT),
        condition: inp.condition,
        verdict: Verdict {
            decision,
            basis,
            judged_percent: judged,
            threshold_percent: threshold,
            source,
            text,
            missing,
        },
        pve,
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
            resection_outside_liver: 0,
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
        let a = assess(&c, 1.0, &inp);
        assert!((a.flr_percent.unwrap() - 24.0).abs() < 1e-9);
        assert_eq!(a.verdict.decision, Decision::ConsiderPve);
        assert!(
            a.verdict
                .text
                .starts_with("FLR 24.0 % < 30 % required after extensive chemotherapy"),
            "{}",
            a.verdict.text
        );
        assert!(a.verdict.text.contains("AHPBA/SSO/SSAT 2006"));
        let pve = a.pve.unwrap();
        assert!((pve.percent.0 - 28.8).abs() < 1e-9 && (pve.percent.1 - 33.6).abs() < 1e-9);
        assert!(pve.reaches_threshold_at_best);
        // the same plan for a normal liver is adequate
        let a = assess(&c, 1.0, &PlanInputs::default());
        assert_eq!(a.verdict.decision, Decision::Adequate);
        assert!(a.pve.is_none());
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
        let a = assess(&c, 1.0, &inp);
        let b = a.body.clone().unwrap();
        assert!((b.bsa_m2 - 2.0).abs() < 1e-12);
        assert!((b.sflr_percent - 20.0).abs() < 1e-9);
        assert_eq!(a.verdict.basis.as_deref(), Some("sFLR"));
        assert_eq!(
            a.verdict.decision,
            Decision::Adequate,
            "exactly 20 % is adequate"
        );
        // FLR / body weight = 348.03 / 80000 = 0.435 % < 0.5 %
        assert_eq!(a.flr_bw_adequate, Some(false));
    }

    #[test]
    fn missing_inputs_give_no_verdict_and_say_what_is_missing() {
        let a = assess(&Counts::default(), 1.0, &PlanInputs::default());
        assert_eq!(a.verdict.decision, Decision::NoVerdict);
        assert!(a.verdict.text.contains("trace the whole liver"));
        let c = counts(1000, 0, 0);
        let a = assess(&c, 1.0, &PlanInputs::default());
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
        let a = assess(&c, 1.0, &inp);
        assert_eq!(a.input_errors.len(), 2);
        assert!(a.body.is_none());
        assert_eq!(a.verdict.basis.as_deref(), Some("FLR"));
    }
}
