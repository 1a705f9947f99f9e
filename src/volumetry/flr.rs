//! Is the future liver remnant enough? Thresholds by liver condition from the
//! AHPBA/SSO/SSAT 2006 consensus (Abdalla, Adam, Bilchik et al., "Improving
//! resectability of hepatic colorectal metastases: expert consensus statement",
//! Ann Surg Oncol 2006): FLR at least 20 % of the functional liver for a normal
//! liver, 30 % after extensive chemotherapy, 40 % with cirrhosis. Below it, portal
//! vein embolisation (PVE) first: it grows the remnant by about 20-40 % in 2-4 weeks.

use serde::{Deserialize, Serialize};

pub const CONSENSUS_SOURCE: &str =
    "AHPBA/SSO/SSAT 2006 consensus (Abdalla et al., Ann Surg Oncol 2006)";
pub const PVE_SOURCE: &str = "PVE grows the remnant by about 20-40 % in 2-4 weeks (review of surgery for colorectal liver metastases)";
pub const KGR_SOURCE: &str =
    "Shindoh et al., J Am Coll Surg 2013: kinetic growth rate < 2 %/week predicts liver failure";
pub const FLR_BW_SOURCE: &str =
    "Truant et al., J Am Coll Surg 2007: remnant liver volume to body weight ratio >= 0.5 %";

/// Expected growth of the remnant after portal vein embolisation, as a fraction.
pub const PVE_GROWTH: (f64, f64) = (0.20, 0.40);
/// FLR-to-body-weight ratio below which liver failure is more likely (percent).
pub const FLR_BW_MIN_PERCENT: f64 = 0.5;
/// Kinetic growth rate below which the hypertrophy is judged insufficient (%/week).
pub const KGR_MIN: f64 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LiverCondition {
    #[default]
    Normal,
    /// After extensive chemotherapy (e.g. > 12 weeks, or chemotherapy-associated steatohepatitis).
    Chemo,
    Cirrhosis,
}

impl LiverCondition {
    pub const ALL: [LiverCondition; 3] = [
        LiverCondition::Normal,
        LiverCondition::Chemo,
        LiverCondition::Cirrhosis,
    ];

    pub fn parse(s: &str) -> Option<LiverCondition> {
        match s.trim().to_ascii_lowercase().as_str() {
            "normal" => Some(LiverCondition::Normal),
            "chemo" | "chemotherapy" => Some(LiverCondition::Chemo),
            "cirrhosis" | "cirrhotic" => Some(LiverCondition::Cirrhosis),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            LiverCondition::Normal => "normal",
            LiverCondition::Chemo => "chemo",
            LiverCondition::Cirrhosis => "cirrhosis",
        }
    }

    /// How the verdict names it: "... required for a normal liver".
    pub fn phrase(self) -> &'static str {
        match self {
            LiverCondition::Normal => "for a normal liver",
            LiverCondition::Chemo => "after extensive chemotherapy",
            LiverCondition::Cirrhosis => "with cirrhosis",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LiverCondition::Normal => "Normal liver",
            LiverCondition::Chemo => "After extensive chemotherapy (> 12 weeks or CASH)",
            LiverCondition::Cirrhosis => "Cirrhosis",
        }
    }
}

/// Minimum FLR (% of functional liver) by condition, with where the numbers come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub normal: f64,
    pub chemo: f64,
    pub cirrhosis: f64,
    pub source: String,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            normal: 20.0,
            chemo: 30.0,
            cirrhosis: 40.0,
            source: CONSENSUS_SOURCE.to_string(),
        }
    }
}

impl Thresholds {
    pub fn for_condition(&self, c: LiverCondition) -> f64 {
        match c {
            LiverCondition::Normal => self.normal,
            LiverCondition::Chemo => self.chemo,
            LiverCondition::Cirrhosis => self.cirrhosis,
        }
    }

    /// Thresholds must be percentages strictly between 0 and 100.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("normal", self.normal),
            ("chemo", self.chemo),
            ("cirrhosis", self.cirrhosis),
        ] {
            if !v.is_finite() || v <= 0.0 || v >= 100.0 {
                return Err(format!(
                    "the {name} threshold {v} % must be between 0 and 100 %"
                ));
            }
        }
        Ok(())
    }
}

/// FLR as a percentage of the functional liver; None when there is no functional liver.
pub fn flr_percent(remnant_ml: f64, functional_ml: f64) -> Option<f64> {
    (functional_ml > 0.0).then(|| 100.0 * remnant_ml / functional_ml)
}

/// Standardised FLR: remnant / sTLV.
pub fn sflr_percent(remnant_ml: f64, stlv_ml: f64) -> Option<f64> {
    (stlv_ml > 0.0).then(|| 100.0 * remnant_ml / stlv_ml)
}

/// FLR to body weight ratio in percent (1 mL of liver taken as 1 g).
pub fn flr_bw_percent(remnant_ml: f64, weight_kg: f64) -> Option<f64> {
    (weight_kg > 0.0).then(|| 100.0 * remnant_ml / (weight_kg * 1000.0))
}

/// Adequate when the FLR reaches the threshold (exactly at it counts as adequate).
pub fn is_adequate(flr: f64, threshold: f64) -> bool {
    flr >= threshold
}

/// Expected FLR % after PVE, assuming the functional liver volume stays the same
/// (the embolised liver shrinks as the remnant grows).
pub fn flr_after_pve(flr: f64) -> (f64, f64) {
    (flr * (1.0 + PVE_GROWTH.0), flr * (1.0 + PVE_GROWTH.1))
}

/// Degree of hypertrophy (percentage points) and kinetic growth rate (%/week).
pub fn kinetic_growth(before_percent: f64, after_percent: f64, weeks: f64) -> Option<(f64, f64)> {
    if !(weeks > 0.0 && weeks.is_finite()) {
        return None;
    }
    let dh = after_percent - before_percent;
    Some((dh, dh / weeks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flr_worked_example() {
        // total 1600 mL, tumour 100 -> functional 1500; remnant 360 -> 24 %
        let f = flr_percent(360.0, 1600.0 - 100.0).unwrap();
        assert!((f - 24.0).abs() < 1e-12);
        assert_eq!(flr_percent(10.0, 0.0), None);
    }

    #[test]
    fn verdict_boundaries_for_each_condition() {
        let t = Thresholds::default();
        for (c, th) in [
            (LiverCondition::Normal, 20.0),
            (LiverCondition::Chemo, 30.0),
            (LiverCondition::Cirrhosis, 40.0),
        ] {
            assert_eq!(t.for_condition(c), th);
            assert!(is_adequate(th, th), "exactly at the threshold is adequate");
            assert!(!is_adequate(th - 0.01, th), "just below is not");
            assert!(is_adequate(th + 0.01, th), "just above is");
        }
    }

    #[test]
    fn sflr_and_flr_bw_worked_example() {
        // 180 cm / 80 kg -> BSA 2.0 -> sTLV 1740.15 mL; remnant 522.045 mL -> sFLR 30 %
        let s = sflr_percent(522.045, 1740.15).unwrap();
        assert!((s - 30.0).abs() < 1e-9);
        // 522.045 mL / 80 000 g = 0.6526 %
        let bw = flr_bw_percent(522.045, 80.0).unwrap();
        assert!((bw - 0.65255625).abs() < 1e-9);
    }

    #[test]
    fn pve_and_kgr_worked_example() {
        let (lo, hi) = flr_after_pve(25.0);
        assert!((lo - 30.0).abs() < 1e-12 && (hi - 35.0).abs() < 1e-12);
        // sFLR 18 % before, 27 % after 3 weeks: DH 9 points, KGR 3 %/week
        let (dh, kgr) = kinetic_growth(18.0, 27.0, 3.0).unwrap();
        assert!((dh - 9.0).abs() < 1e-12 && (kgr - 3.0).abs() < 1e-12);
        assert_eq!(kinetic_growth(18.0, 27.0, 0.0), None);
    }

    #[test]
    fn thresholds_are_validated() {
        let mut t = Thresholds::default();
        assert!(t.validate().is_ok());
        t.chemo = 130.0;
        assert!(t.validate().unwrap_err().contains("chemo"));
    }
}
