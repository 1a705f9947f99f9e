//! After portal vein embolisation: a second scan of the same patient, and how much
//! and how fast the remnant grew. Degree of hypertrophy (DH) = FLR after - FLR before
//! in percentage points; kinetic growth rate (KGR) = DH / weeks between the scans
//! (Shindoh et al., J Am Coll Surg 2013: KGR < 2 %/week predicts liver failure).

use super::assessment::Assessment;
use super::flr::{KGR_MIN, KGR_SOURCE, kinetic_growth};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Growth {
    /// "sFLR" when both scans have body figures, else "FLR".
    pub basis: String,
    pub before_percent: f64,
    pub after_percent: f64,
    pub weeks: f64,
    pub remnant_before_ml: f64,
    pub remnant_after_ml: f64,
    pub degree_of_hypertrophy_points: f64,
    pub kgr_percent_per_week: f64,
    pub kgr_adequate: bool,
    pub text: String,
    pub source: String,
}

/// Weeks between scans Remnant accepts (a PVE interval is typically 2-8 weeks).
pub const WEEKS_RANGE: (f64, f64) = (0.5, 52.0);

pub fn compare(before: &Assessment, after: &Assessment, weeks: f64) -> Result<Growth, String> {
    if !weeks.is_finite() || weeks < WEEKS_RANGE.0 || weeks > WEEKS_RANGE.1 {
        return Err(format!(
            "weeks between the scans ({weeks}) must be between {} and {}",
            WEEKS_RANGE.0, WEEKS_RANGE.1
        ));
    }
    let (basis, b, a) = match (&before.body, &after.body) {
        (Some(x), Some(y)) => ("sFLR", x.sflr_percent, y.sflr_percent),
        _ => match (before.flr_percent, after.flr_percent) {
            (Some(x), Some(y)) if before.counts.resected > 0 && after.counts.resected > 0 => {
                ("FLR", x, y)
            }
            _ => {
                return Err(
                    "trace the liver and the resection on both scans to compare them".into(),
                );
            }
        },
    };
    let (dh, kgr) =
        kinetic_growth(b, a, weeks).ok_or("weeks between the scans must be positive")?;
    let ok = kgr >= KGR_MIN;
    let text = format!(
        "{basis} {b:.1} % -> {a:.1} % in {weeks:.1} weeks: degree of hypertrophy {dh:.1} points, \
         KGR {kgr:.2} %/week ({} {KGR_MIN:.0} %/week{})",
        if ok { ">=" } else { "<" },
        if ok {
            ""
        } else {
            ": predicts liver failure after resection"
        }
    );
    Ok(Growth {
        basis: basis.into(),
        before_percent: b,
        after_percent: a,
        weeks,
        remnant_before_ml: before.volumes.remnant_ml,
        remnant_after_ml: after.volumes.remnant_ml,
        degree_of_hypertrophy_points: dh,
        kgr_percent_per_week: kgr,
        kgr_adequate: ok,
        text,
        source: KGR_SOURCE.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volumetry::{Counts, PlanInputs, assess};

    fn plan(remnant: u64, resected: u64) -> Assessment {
        let c = Counts {
            total: remnant + resected,
            tumour: 0,
            resected,
            remnant,
            resection_outside_liver: 0,
        };
        let inp = PlanInputs {
            height_cm: Some(180.0),
            weight_kg: Some(80.0),
            ..Default::default()
        };
        assess(&c, 1.0, &inp)
    }

    #[test]
    fn kgr_worked_example_and_boundary() {
        // sTLV 1740.15 mL (180 cm, 80 kg). Before: remnant 313.227 mL = 18.0 %;
        // after 3 weeks: 469.8405 mL = 27.0 % -> DH 9 points, KGR 3 %/week.
        let before = plan(313_227, 1_200_000);
        let after = plan(469_840, 1_100_000);
        let g = compare(&before, &after, 3.0).unwrap();
        assert_eq!(g.basis, "sFLR");
        assert!((g.before_percent - 18.0).abs() < 1e-3);
        assert!((g.degree_of_hypertrophy_points - 9.0).abs() < 1e-3);
        assert!((g.kgr_percent_per_week - 3.0).abs() < 1e-3);
        assert!(g.kgr_adequate);
        // 6 points in 3 weeks = 2.0 %/week; over 3.01 weeks it falls just below 2
        let after2 = plan(313_227 + 104_409, 1_100_000); // + 6.0 % of 1740.15 mL
        let g2 = compare(&before, &after2, 3.0).unwrap();
        assert!((g2.kgr_percent_per_week - 2.0).abs() < 1e-3);
        let g3 = compare(&before, &after2, 3.01).unwrap();
        assert!(!g3.kgr_adequate && g3.text.contains("predicts liver failure"));
        assert!(compare(&before, &after, 0.0).unwrap_err().contains("weeks"));
    }
}
