//! Is the future liver remnant enough? Thresholds by liver condition from the
//! AHPBA/SSO/SSAT 2006 consensus (Abdalla, Adam, Bilchik et al., "Improving
//! resectability of hepatic colorectal metastases: expert consensus statement",
//! Ann Surg Oncol 2006): FLR at least 20 % of the functional liver for a normal
//! liver, 30 % after extensive chemotherapy, 40 % with cirrhosis. Below it, portal
//! vein embolisation (PVE) first: it grows the remnant by about 20-40 % in 2-4 weeks.

use serde::{Deserialize, Serialize};

pub const CONSENSUS_SOURCE: &str =
    "AHPBA/SSO/SSAT 2006 consensus (Abdalla et al., Ann Surg Oncol 2006)";
/// The review of surgery for colorectal liver metastases Remnant quotes for the PVE
/// growth range, the OncoSurge and JSCCR 2010 criteria, the two adjacent segments and
/// the two-stage drop-out (Akgül, Çetinkaya, Ersöz, Tez, "Role of surgery in colorectal
/// cancer liver metastases", World J Gastroenterol 2014;20(20):6113-6122).
pub const REVIEW_2014: &str = "Akgül et al., World J Gastroenterol 2014";
pub const PVE_SOURCE: &str = REVIEW_2014;
pub const KGR_SOURCE: &str = "Shindoh et al., J Am Coll Surg 2013: a kinetic growth rate (DH / weeks since PVE) < 2 %/week is associated with more liver insufficiency after resection";
pub const DH_SOURCE: &str = "Ribero et al., Br J Surg 2007: a degree of hypertrophy of 5 points or less after PVE is associated with more postoperative liver dysfunction";
pub const FLR_BW_SOURCE: &str = "Truant et al., J Am Coll Surg 2007: remnant liver volume to body weight ratio >= 0.5 % (non-cirrhotic livers)";
/// Why a remnant within 5 points above its threshold is only borderline: a rule of
/// Remnant's own, not of the consensus.
pub const BORDERLINE_SOURCE: &str =
    "the 5-point borderline band is Remnant's own rule, not the consensus's";
/// The functional caveat every verdict carries once.
pub const FUNCTION_SOURCE: &str =
    "Akgül et al., World J Gastroenterol 2014, indications for resection";
/// The best DH cut-off Shindoh et al. (J Am Coll Surg 2013) reported, in points of the
/// sFLR; shown beside Ribero's 5 points, never instead of it.
pub const DH_SHINDOH: f64 = 7.5;

/// Expected growth of the remnant after portal vein embolisation, as a fraction.
pub const PVE_GROWTH: (f64, f64) = (0.20, 0.40);
/// FLR-to-body-weight ratio below which liver failure is more likely (percent).
pub const FLR_BW_MIN_PERCENT: f64 = 0.5;
/// Kinetic growth rate below which the hypertrophy is flagged (%/week); exactly 2.0 is not.
pub const KGR_MIN: f64 = 2.0;
/// Degree of hypertrophy (points) at or below which growth is flagged (Ribero 2007:
/// the favourable group is DH > 5).
pub const DH_MIN: f64 = 5.0;
/// Points above the threshold within which the remnant is borderline.
pub const BORDERLINE_POINTS: f64 = 5.0;
/// Traced total liver and sTLV differing by more than this fraction is flagged.
pub const STLV_PLAUSIBLE_FRACTION: f64 = 0.30;

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

    /// "remnant volume adequate for ...".
    pub fn object(self) -> &'static str {
        match self {
            LiverCondition::Normal => "a normal liver",
            LiverCondition::Chemo => "a liver after extensive chemotherapy",
            LiverCondition::Cirrhosis => "a cirrhotic liver",
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

    /// The consensus value for a condition.
    pub fn consensus(c: LiverCondition) -> f64 {
        Thresholds::default().for_condition(c)
    }

    /// True when the user changed the threshold of this condition from the consensus value.
    pub fn is_custom(&self, c: LiverCondition) -> bool {
        (self.for_condition(c) - Thresholds::consensus(c)).abs() > 1e-9
    }

    /// "20 %" for the consensus value, "custom 25 %" for one the user set.
    pub fn label(&self, c: LiverCondition) -> String {
        let v = self.for_condition(c);
        if self.is_custom(c) {
            format!("custom {} %", fmt_pct(v))
        } else {
            format!("{} %", fmt_pct(v))
        }
    }

    /// Where the threshold of this condition comes from.
    pub fn source_for(&self, c: LiverCondition) -> String {
        if self.is_custom(c) {
            format!(
                "threshold set by the user (consensus value {} %, {})",
                fmt_pct(Thresholds::consensus(c)),
                self.source
            )
        } else {
            self.source.clone()
        }
    }

    /// Thresholds must be percentages strictly between 0 and 100.
    pub fn validate(&self) -> Result<(), ThresholdError> {
        for (name, v) in [
            ("normal", self.normal),
            ("chemo", self.chemo),
            ("cirrhosis", self.cirrhosis),
        ] {
            if !v.is_finite() || v <= 0.0 || v >= 100.0 {
                return Err(ThresholdError { name, value: v });
            }
        }
        Ok(())
    }
}

/// An FLR threshold that is not a percentage strictly between 0 and 100.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the {name} threshold {value} % must be between 0 and 100 %")]
pub struct ThresholdError {
    pub name: &'static str,
    pub value: f64,
}

/// A percentage without needless decimals: 20, 22.5.
pub fn fmt_pct(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
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
        // Akgül et al., World J Gastroenterol 2014 (review): PVE
        // "increases the expected residual liver volume by approximately 20%-40% in
        // 2-4 wk": an FLR of 25 % becomes typically 30-35 %.
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
        assert_eq!(t.validate().unwrap_err().name, "chemo");
        assert!(
            t.validate()
                .unwrap_err()
                .to_string()
                .contains("chemo threshold 130 %")
        );
    }
}
