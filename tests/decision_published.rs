//! Worked examples with the published numbers (issue 15, "Done when": at least two
//! published worked examples reproduced, each naming its source line).
//!
//! The seeds (`../shared/seeds/`) hold no patient-level numbers for Vauthey 2002,
//! Shindoh 2013, Ribero 2007 or Truant 2007, so these use the numbers the papers state
//! (Shindoh's cut-offs from its abstract; Fong's scoring rule from seed 003; the PVE
//! growth range from seed 001), quoted where they are used. No number here is made up:
//! the only derived ones are arithmetic on the quoted ones.

use remnant::clinical::{assess, compare};
use remnant::clinical::{decide, growth_sentence};
use remnant::segmentation::Layer;
use remnant::segmentation::components::components;
use remnant::volume::Geometry;
use remnant::volumetry::flr::{KGR_MIN, flr_after_pve, kinetic_growth};
use remnant::volumetry::growth::Timing;
use remnant::volumetry::{Counts, Decision, PlanInputs};

/// Shindoh J, Truty MJ, Aloia TA, et al. "Kinetic growth rate after portal vein
/// embolization predicts posthepatectomy outcomes", J Am Coll Surg 2013;216:201-209
/// (PMC3632508), abstract, Study Design: "Degree of hypertrophy at initial volume
/// assessment divided by number of weeks elapsed after PVE was defined as the kinetic
/// growth rate (KGR)." Results: "the best cut-off values for sFLR volume, degree of
/// hypertrophy, and KGR for predicting postoperative hepatic insufficiency were
/// estimated as, respectively, 29.6%, 7.5%, and 2.0% per week" and "KGR of less than
/// 2% per week vs. ≥2% per week correlate with rates of hepatic insufficiency (21.6%
/// vs. 0%, p = 0.0001)".
///
/// A patient whose hypertrophy is exactly the paper's DH cut-off (7.5 points) at its
/// KGR cut-off (2.0 %/week) was measured 7.5 / 2.0 = 3.75 weeks after PVE.
#[test]
fn shindoh_2013_kgr_definition_and_cut_offs() {
    // the definition: DH / weeks since PVE, on the paper's cut-offs
    let (dh, kgr) = kinetic_growth(20.0, 27.5, 3.75).unwrap();
    assert_eq!(dh, 7.5);
    assert_eq!(kgr, 2.0);
    assert_eq!(KGR_MIN, 2.0, "Shindoh's cut-off");
    // "≥2% per week" is the group without hepatic insufficiency: not flagged
    let s = growth_sentence("sFLR", 20.0, 27.5, dh, kgr, 3.75, false);
    assert!(s.contains("KGR 2.00 %/week (>= 2 %/week)"), "{s}");
    assert!(
        !s.contains("associated with more liver insufficiency"),
        "{s}"
    );
    // the same 7.5 points at 4 weeks: 1.875 %/week, in the "< 2% per week" group
    let (_, kgr4) = kinetic_growth(20.0, 27.5, 4.0).unwrap();
    assert_eq!(kgr4, 1.875);
    let s = growth_sentence("sFLR", 20.0, 27.5, 7.5, kgr4, 4.0, false);
    assert!(
        s.contains("a KGR below 2 %/week is associated with more liver insufficiency"),
        "{s}"
    );
    assert!(!s.contains("predict"), "{s}");

    // the same patient through the whole comparison: sFLR 20.0 % before PVE and 27.5 %
    // after (height 180 cm, weight 80 kg: BSA 2.0 m², sTLV 1740.15 mL, so remnants of
    // 348.03 mL and 478.54125 mL; 0.25 mm³ voxels make both whole voxel counts)
    let inp = PlanInputs {
        height_cm: Some(180.0),
        weight_kg: Some(80.0),
        ..Default::default()
    };
    let scan = |remnant: u64| {
        let resected = 4_000_000;
        let c = Counts {
            total: remnant + resected,
            resected,
            remnant,
            ..Default::default()
        };
        assess(&c, 0.25, &inp)
    };
    let before = scan(1_392_120);
    let after = scan(1_914_165);
    assert!((before.body.as_ref().unwrap().sflr_percent - 20.0).abs() < 1e-9);
    assert!((after.body.as_ref().unwrap().sflr_percent - 27.5).abs() < 1e-9);
    let g = compare(
        &before,
        &after,
        Timing {
            weeks_since_pve: Some(3.75),
            weeks_between_scans: None,
        },
    )
    .unwrap();
    assert_eq!(g.basis, "sFLR");
    assert!((g.degree_of_hypertrophy_points - 7.5).abs() < 1e-9);
    assert!((g.kgr_percent_per_week - 2.0).abs() < 1e-9);
    assert!(!g.kgr_is_lower_bound);
    // Shindoh's sFLR cut-off 29.6 % is not the app's threshold (the consensus 20 % is):
    // the post-PVE sFLR 27.5 % is judged against 20 % and is adequate by volume
    assert_eq!(after.verdict.decision, Decision::Adequate);
}

/// Fong Y, Fortner J, Sun RL, Brennan MF, Blumgart LH, Ann Surg 1999;230:309-318
/// (seed 003, `003_4428b4c7699321d3.txt` line 220): "number of hepatic tumors >1 ...,
/// largest hepatic tumor >5 cm ... When the last five of these criteria were used in a
/// preoperative scoring system, assigning one point for each criterion, the total score
/// was highly predictive of outcome ... Patients with up to two criteria can have a
/// favorable outcome. Patients with three, four, or five criteria should be considered
/// for experimental adjuvant trials."
///
/// Traced: two tumours, the larger about 62 mm across on an axial slice (> 5 cm): two points
/// from the tracing. Entered: node-negative primary, disease-free interval >= 12
/// months: the score is 2 ("up to two criteria"); with CEA > 200 ng/mL it is 3 ("three,
/// four, or five criteria").
#[test]
fn fong_1999_score_from_traced_tumours_at_the_two_three_boundary() {
    // 2 mm voxels; a liver block holding a sphere of radius 31 mm and one of 6 mm
    let g = Geometry::axis_aligned([70, 60, 50], [2.0, 2.0, 2.0], [0.0; 3]);
    let (l, t) = (Layer::Liver.bit(), Layer::Tumour.bit());
    let mut bits = vec![0u8; g.voxel_count()];
    for k in 1..49 {
        for j in 1..59 {
            for i in 1..69 {
                let p = g.to_world([i as f64, j as f64, k as f64]);
                let mut b = l;
                for (c, rad) in [([50.0, 60.0, 50.0], 31.0), ([115.0, 60.0, 50.0], 6.0)] {
                    let d2: f64 = (0..3).map(|a| (p[a] - c[a]).powi(2)).sum();
                    if d2 <= rad * rad {
                        b |= t;
                    }
                }
                bits[g.index(i, j, k)] = b;
            }
        }
    }
    let tumours = components(&bits, t, &g);
    assert_eq!(tumours.len(), 2);
    let mut inp = PlanInputs::default();
    inp.fong.node_positive_primary = Some(false);
    inp.fong.disease_free_interval_under_12_months = Some(false);
    inp.fong.cea_over_200 = Some(false);
    let d = decide(&bits, &g, &inp, &tumours, None, None);
    // the larger tumour's axial diameter: voxel centres 30 voxels (60 mm) apart plus one
    // voxel's extent: 62 mm
    let largest = d
        .margins
        .iter()
        .map(|m| m.axial_diameter_mm)
        .fold(0.0, f64::max);
    assert!(largest > 50.0 && (largest - 62.0).abs() <= 2.0, "{largest}");
    assert_eq!((d.fong.score, d.fong.unknown), (2, 0));
    assert!(
        d.fong.text.starts_with(
            "Fong clinical risk score 2 / 5 (up to two criteria: a favourable outcome is possible)"
        ),
        "{}",
        d.fong.text
    );
    inp.fong.cea_over_200 = Some(true);
    let d = decide(&bits, &g, &inp, &tumours, None, None);
    assert_eq!(d.fong.score, 3);
    assert!(
        d.fong.text.contains(
            "3 / 5 (three to five criteria: to be considered for trials of adjuvant therapy)"
        ),
        "{}",
        d.fong.text
    );
}

/// Review of surgery for colorectal liver metastases (seed 001,
/// `001_5197b5a688cbb4f5.txt` lines 263-268): PVE "is advised in patients where the
/// degree of surgical resection will result in a liver volume of less than 25%-40%
/// ... This treatment increases the expected residual liver volume by approximately
/// 20%-40% in 2-4 wk". A 20 % remnant (the consensus minimum for a normal liver) grows
/// typically to 24-28 %.
#[test]
fn seed_001_pve_growth_range() {
    let (lo, hi) = flr_after_pve(20.0);
    assert!((lo - 24.0).abs() < 1e-12 && (hi - 28.0).abs() < 1e-12);
    // through the plan: FLR exactly 20 % is borderline, and the projection is shown
    let c = Counts {
        total: 1000,
        resected: 800,
        remnant: 200,
        ..Default::default()
    };
    let a = assess(&c, 1000.0, &PlanInputs::default());
    assert_eq!(a.verdict.decision, Decision::Borderline);
    let p = a.pve.unwrap();
    assert!((p.percent.0 - 24.0).abs() < 1e-12 && (p.percent.1 - 28.0).abs() < 1e-12);
    assert!((p.remnant_ml.0 - 240.0).abs() < 1e-9 && (p.remnant_ml.1 - 280.0).abs() < 1e-9);
}
