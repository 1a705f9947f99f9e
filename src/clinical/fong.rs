//! Fong clinical risk score (Fong, Fortner, Sun, Brennan, Blumgart, Ann Surg 1999;
//! 1001 liver resections for colorectal metastases):
//! one point each for a node-positive primary, a disease-free interval from the
//! primary to the metastases < 12 months, more than one hepatic tumour, the largest
//! hepatic tumour > 5 cm, and CEA > 200 ng/mL. "Patients with up to two criteria can
//! have a favorable outcome. Patients with three, four, or five criteria should be
//! considered for experimental adjuvant trials."
//!
//! The two tumour criteria are filled from the traced tumours ("largest tumour > 5 cm"
//! on the largest 3-D diameter, which a tumour elongated head to foot can have beyond
//! its axial diameter; the axial diameter is shown beside it); the surgeon can
//! override them, and an override is marked.

use serde::{Deserialize, Serialize};

pub const FONG_SOURCE: &str = "Fong et al., Ann Surg 1999";

pub use crate::volumetry::decision_inputs::FongInputs;

/// Where a criterion's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Traced,
    Overridden,
    Entered,
    NotEntered,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FongCriterion {
    pub name: String,
    pub value: Option<bool>,
    pub origin: Origin,
    /// e.g. "2 traced tumours" or "largest axial diameter 61.0 mm (3-D extent 70.2 mm)".
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fong {
    pub criteria: Vec<FongCriterion>,
    /// Points from the criteria that are known.
    pub score: u8,
    /// Criteria neither traced nor entered.
    pub unknown: u8,
    pub text: String,
    pub source: String,
}

/// The traced tumours, as the score reads them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TracedTumours {
    pub count: usize,
    pub largest_axial_mm: f64,
    pub largest_extent_mm: f64,
}

pub fn fong(inp: &FongInputs, traced: Option<TracedTumours>) -> Fong {
    let entered = |name: &str, v: Option<bool>| FongCriterion {
        name: name.to_string(),
        value: v,
        origin: if v.is_some() {
            Origin::Entered
        } else {
            Origin::NotEntered
        },
        detail: String::new(),
    };
    let from_trace = |name: &str, over: Option<bool>, t: Option<(bool, String)>| match (over, t) {
        (Some(v), t) => FongCriterion {
            name: name.to_string(),
            value: Some(v),
            origin: Origin::Overridden,
            detail: t.map_or(String::new(), |(_, d)| format!("tracing: {d}")),
        },
        (None, Some((v, d))) => FongCriterion {
            name: name.to_string(),
            value: Some(v),
            origin: Origin::Traced,
            detail: d,
        },
        (None, None) => FongCriterion {
            name: name.to_string(),
            value: None,
            origin: Origin::NotEntered,
            detail: "no tumour traced".into(),
        },
    };
    let traced = traced.filter(|t| t.count > 0);
    let criteria = vec![
        entered("node-positive primary", inp.node_positive_primary),
        entered(
            "disease-free interval < 12 months",
            inp.disease_free_interval_under_12_months,
        ),
        from_trace(
            "more than one tumour",
            inp.more_than_one_tumour,
            traced.map(|t| (t.count > 1, format!("{} traced", t.count))),
        ),
        from_trace(
            "largest tumour > 5 cm",
            inp.largest_over_5_cm,
            traced.map(|t| {
                (
                    t.largest_extent_mm.max(t.largest_axial_mm) > 50.0,
                    format!(
                        "largest 3-D diameter {:.0} mm (largest axial diameter {:.0} mm)",
                        t.largest_extent_mm.max(t.largest_axial_mm),
                        t.largest_axial_mm
                    ),
                )
            }),
        ),
        entered("CEA > 200 ng/mL", inp.cea_over_200),
    ];
    let score = criteria.iter().filter(|c| c.value == Some(true)).count() as u8;
    let unknown = criteria.iter().filter(|c| c.value.is_none()).count() as u8;
    let text = fong_text(&criteria, score, unknown);
    Fong {
        criteria,
        score,
        unknown,
        text,
        source: FONG_SOURCE.into(),
    }
}

/// The score's sentence: the score (or its range while criteria are missing),
/// what it means, each criterion and where it came from, and the source.
fn fong_text(criteria: &[FongCriterion], score: u8, unknown: u8) -> String {
    let parts: Vec<String> = criteria
        .iter()
        .map(|c| {
            let v = match c.value {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not entered",
            };
            let how = match c.origin {
                Origin::Traced => format!(" (from tracing: {})", c.detail),
                Origin::Overridden => format!(" (overridden by the user; {})", c.detail),
                _ => String::new(),
            };
            format!("{} {v}{how}", c.name)
        })
        .collect();
    let meaning = |s: u8| {
        if s <= 2 {
            "up to two criteria: a favourable outcome is possible"
        } else {
            "three to five criteria: to be considered for trials of adjuvant therapy"
        }
    };
    let head = if unknown == 0 {
        format!("Fong clinical risk score {score} / 5 ({})", meaning(score))
    } else {
        let hi = score + unknown;
        let m = if meaning(score) == meaning(hi) {
            format!(" ({})", meaning(score))
        } else {
            String::new()
        };
        format!(
            "Fong clinical risk score at least {score} / 5, at most {hi} ({unknown} criteria not entered){m}"
        )
    };
    format!("{head}: {} ({FONG_SOURCE})", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fong et al., Ann Surg 1999 (abstract): "assigning one
    /// point for each criterion" of node-positive primary, disease-free interval < 12
    /// months, > 1 tumour, largest > 5 cm, CEA > 200 ng/ml; "Patients with up to two
    /// criteria can have a favorable outcome. Patients with three, four, or five criteria
    /// should be considered for experimental adjuvant trials."
    #[test]
    fn fong_1999_scoring_as_published() {
        let yes = FongInputs {
            node_positive_primary: Some(true),
            disease_free_interval_under_12_months: Some(true),
            cea_over_200: Some(true),
            ..Default::default()
        };
        let t = TracedTumours {
            count: 3,
            largest_axial_mm: 62.0,
            largest_extent_mm: 66.0,
        };
        let f = fong(&yes, Some(t));
        assert_eq!((f.score, f.unknown), (5, 0));
        assert!(
            f.text.contains("5 / 5 (three to five criteria"),
            "{}",
            f.text
        );
        let two = FongInputs {
            node_positive_primary: Some(false),
            disease_free_interval_under_12_months: Some(false),
            cea_over_200: Some(false),
            ..Default::default()
        };
        let f = fong(&two, Some(t));
        assert_eq!(f.score, 2);
        assert!(
            f.text
                .contains("(up to two criteria: a favourable outcome is possible)")
        );
        let mut three = two;
        three.cea_over_200 = Some(true);
        assert!(fong(&three, Some(t)).text.contains("3 / 5 (three to five"));
    }

    #[test]
    fn score_counts_known_points_and_says_what_is_missing() {
        let t = TracedTumours {
            count: 2,
            largest_axial_mm: 61.0,
            largest_extent_mm: 70.2,
        };
        let f = fong(&FongInputs::default(), Some(t));
        assert_eq!((f.score, f.unknown), (2, 3));
        assert!(
            f.text.starts_with(
                "Fong clinical risk score at least 2 / 5, at most 5 (3 criteria not entered)"
            ),
            "{}",
            f.text
        );
        assert!(
            f.text
                .contains("largest 3-D diameter 70 mm (largest axial diameter 61 mm)"),
            "{}",
            f.text
        );
        let all = FongInputs {
            node_positive_primary: Some(true),
            disease_free_interval_under_12_months: Some(false),
            cea_over_200: Some(false),
            largest_over_5_cm: Some(false),
            ..Default::default()
        };
        let f = fong(&all, Some(t));
        assert_eq!((f.score, f.unknown), (2, 0));
        assert!(
            f.text
                .starts_with("Fong clinical risk score 2 / 5 (up to two criteria"),
            "{}",
            f.text
        );
        assert!(
            f.text
                .contains("largest tumour > 5 cm no (overridden by the user"),
            "{}",
            f.text
        );
        // exactly 50 mm is not "> 5 cm"
        let f = fong(
            &FongInputs::default(),
            Some(TracedTumours {
                count: 1,
                largest_axial_mm: 40.0,
                largest_extent_mm: 50.0,
            }),
        );
        assert_eq!(f.criteria[3].value, Some(false));
        assert_eq!(f.criteria[2].value, Some(false));
        // issue 28: a tumour 40 mm across on its axial slices and 55 mm head to foot is
        // "> 5 cm" (the old code read the axial diameter only and said no)
        let f = fong(
            &FongInputs::default(),
            Some(TracedTumours {
                count: 1,
                largest_axial_mm: 40.0,
                largest_extent_mm: 55.0,
            }),
        );
        assert_eq!(f.criteria[3].value, Some(true), "{}", f.text);
        assert!(f.text.contains("largest 3-D diameter 55 mm"), "{}", f.text);
        let none = fong(&FongInputs::default(), None);
        assert_eq!(none.unknown, 5);
    }
}
