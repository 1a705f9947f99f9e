//! The decision card: what the Plan tab opens with and the planning report's first
//! block. One line of verdict (what it was judged on comes with it), the four figures a
//! surgeon reads first (FLR %, sFLR %, FLR / body weight, remnant mL), the alerts that
//! change the plan (tumour left in the remnant, the liver at the scan's edge, implausible
//! inputs) and the next step. Everything else (basis, PVE, margins, Fong, checklists,
//! sources) folds below it.
//!
//! The verdict and the alerts are the plan's own sentences (`PlanDecision::sentences`);
//! the next step is Remnant's own workflow rule, written here, not a source's advice.

use super::{Level, Sentence, Topic, plan::PlanDecision};
use crate::volumetry::Decision;
use serde::Serialize;

/// One of the card's figures: its value as printed, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub label: &'static str,
    /// "31.2 %", "612 mL", or what is missing ("enter height and weight").
    pub value: String,
    /// False when `value` says what is missing.
    pub known: bool,
}

/// The card of one plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionCard {
    /// The current verdict (the post-PVE scan's once one is compared).
    pub verdict: Sentence,
    pub figures: Vec<Figure>,
    /// Sentences that change the plan: tumour in the remnant, scan edge, tracing and
    /// input problems.
    pub alerts: Vec<Sentence>,
    /// What to do next (Remnant's own workflow rule).
    pub next_step: String,
}

fn figure(label: &'static str, v: Option<String>, missing: &str) -> Figure {
    Figure {
        label,
        known: v.is_some(),
        value: v.unwrap_or_else(|| missing.to_string()),
    }
}

/// The card of a plan.
pub fn card(d: &PlanDecision) -> DecisionCard {
    let now = d.current();
    let verdict = d.headline().cloned().unwrap_or_else(|| Sentence {
        topic: Topic::Verdict,
        level: Level::Info,
        text: now.verdict.text.clone(),
    });
    let figures = vec![
        figure(
            "FLR",
            now.flr_percent.map(|f| format!("{f:.1} %")),
            "trace the liver and the resection",
        ),
        figure(
            "sFLR",
            now.body
                .as_ref()
                .map(|b| format!("{:.1} %", b.sflr_percent)),
            "enter height and weight",
        ),
        figure(
            "FLR / body weight",
            now.flr_bw_percent.map(|f| format!("{f:.2} %")),
            "enter weight",
        ),
        figure(
            "Remnant",
            (now.counts.total > 0).then(|| format!("{:.0} mL", now.volumes.remnant_ml)),
            "trace the liver",
        ),
    ];
    let alerts = d
        .sentences
        .iter()
        .skip(1)
        .filter(|s| {
            s.topic == Topic::Warning || (s.topic == Topic::Verdict && s.level == Level::Alert)
        })
        .cloned()
        .chain(now.input_errors.iter().map(|e| Sentence {
            topic: Topic::Warning,
            level: Level::Alert,
            text: e.clone(),
        }))
        .collect();
    DecisionCard {
        verdict,
        figures,
        alerts,
        next_step: next_step(d),
    }
}

/// Remnant's own rule for the next step: what is missing first (liver, valid inputs,
/// what the verdict lacks), then a plan that leaves tumour, then the grade.
pub fn next_step(d: &PlanDecision) -> String {
    let now = d.current();
    if now.counts.total == 0 {
        return "Next: trace the whole liver (Tools: Seeds and Grow from seeds, or the brush)"
            .into();
    }
    if !now.input_errors.is_empty() {
        return "Next: correct the inputs the alerts name; no verdict is given from them".into();
    }
    let missing = &now.verdict.missing;
    if now.verdict.decision == Decision::NoVerdict && !missing.is_empty() {
        return format!("Next: {}", missing.join("; "));
    }
    if now.counts.tumour_outside_resection > 0 {
        return "Next: extend the resection over every traced tumour, or trace a two-stage plan (stage-1 resection)".into();
    }
    if now.verdict.decision == Decision::NoVerdict {
        return "Next: see the alerts: no verdict is graded until they are resolved".into();
    }
    match now.verdict.decision {
        Decision::Insufficient if d.is_post_pve() => {
            "Next: the remnant is still below the threshold after PVE; take the plan to the multidisciplinary meeting (see growth below)".into()
        }
        Decision::Insufficient => {
            "Next: discuss portal vein embolisation or a two-stage plan before resection (see PVE below)".into()
        }
        Decision::Borderline => {
            "Next: a borderline remnant: weigh liver function and the options below with the team before resection".into()
        }
        _ if now.body.is_none() => {
            "Next: enter height and weight for the standardised FLR, then review margins and checklists below".into()
        }
        _ => "Next: review the margins and the checklists below, then export the plan".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segmentation::Layer;
    use crate::segmentation::components::components;
    use crate::volume::Geometry;
    use crate::volumetry::PlanInputs;

    /// A 40 x 40 x 40 mm liver inside a 60 mm grid (1 mm voxels), its left 60 % resected;
    /// a 6 mm tumour in the resection and, with `leave`, one in the remnant too.
    fn block_plan(leave: bool) -> PlanDecision {
        let g = Geometry::axis_aligned([60, 60, 60], [1.0; 3], [0.0; 3]);
        let mut bits = vec![0u8; 60 * 60 * 60];
        for k in 10..50 {
            for j in 10..50 {
                for i in 10..50 {
                    let mut b = Layer::Liver.bit();
                    if i < 34 {
                        b |= Layer::Resection.bit();
                    }
                    let in_ball = |c: [usize; 3]| {
                        (i as f64 - c[0] as f64).powi(2)
                            + (j as f64 - c[1] as f64).powi(2)
                            + (k as f64 - c[2] as f64).powi(2)
                            <= 9.0
                    };
                    if in_ball([20, 30, 30]) || (leave && in_ball([42, 30, 30])) {
                        b |= Layer::Tumour.bit();
                    }
                    bits[i + 60 * (j + 60 * k)] = b;
                }
            }
        }
        let tumours = components(&bits, Layer::Tumour.bit(), &g);
        crate::clinical::decide(&bits, &g, &PlanInputs::default(), &tumours, None, None)
    }

    #[test]
    fn the_card_holds_the_verdict_the_four_figures_and_the_alerts() {
        // a tumour left outside the resection, no height and weight
        let d = block_plan(true);
        let c = card(&d);
        assert_eq!(c.verdict.text, d.sentences[0].text);
        assert_eq!(c.figures.len(), 4);
        assert!(c.figures[0].known, "{:?}", c.figures[0]);
        assert!(!c.figures[1].known && c.figures[1].value.contains("height"));
        assert!(
            c.alerts
                .iter()
                .any(|a| a.text.starts_with("Tumour left in the remnant")),
            "{:?}",
            c.alerts
        );
        assert_ne!(
            c.verdict.level,
            Level::Good,
            "no green headline with tumour left"
        );
        assert!(
            c.next_step.contains("extend the resection"),
            "{}",
            c.next_step
        );
        // every tumour in the resection: no such alert, and the next step moves on
        let c = card(&block_plan(false));
        assert!(!c.alerts.iter().any(|a| a.text.starts_with("Tumour left")));
        assert!(
            !c.next_step.contains("extend the resection"),
            "{}",
            c.next_step
        );
    }
}
