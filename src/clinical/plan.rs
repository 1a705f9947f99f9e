//! The whole pre-operative decision of one case, computed once from the layers and the
//! inputs, for the panel, the CLI and the report alike.

use super::{CheckLine, Context, Fong, Sentence, checklist, fong, sentences};
use super::{assess_after_pve, assess_with_coverage, compare};
use crate::clinical::fong::TracedTumours;
use crate::segmentation::components::Component;
use crate::volume::Geometry;
use crate::volumetry::coverage::liver_coverage;
use crate::volumetry::growth::{Growth, Timing};
use crate::volumetry::margins::{TumourMargin, margins};
use crate::volumetry::{Assessment, Counts, PlanInputs};
use serde::Serialize;

/// A post-PVE scan to compare with: its counts and voxel volume, and the timing.
#[derive(Debug, Clone, Copy)]
pub struct AfterPve {
    /// Which borders of the post-PVE scan its liver touches, when known: a liver at
    /// the edge gets no graded post-PVE verdict, as on the first scan.
    pub coverage: Option<crate::volumetry::coverage::Coverage>,
    pub counts: Counts,
    pub voxel_mm3: f64,
    pub timing: Timing,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDecision {
    pub assessment: Assessment,
    pub margins: Vec<TumourMargin>,
    pub fong: Fong,
    pub checklist: Vec<CheckLine>,
    pub growth: Option<Growth>,
    /// Why the post-PVE comparison could not be made.
    pub growth_error: Option<String>,
    /// The post-PVE scan's own assessment.
    pub after: Option<Assessment>,
    /// Every clinical sentence, in reading order.
    pub sentences: Vec<Sentence>,
}

/// The post-PVE comparison the planning inputs hold (scan and timing), if any.
pub fn after_pve(inputs: &PlanInputs) -> Option<AfterPve> {
    inputs.post_pve.as_ref().map(|s| AfterPve {
        coverage: s.coverage,
        counts: s.counts,
        voxel_mm3: s.voxel_mm3,
        timing: inputs.timing(),
    })
}

impl PlanDecision {
    /// The assessment the plan stands on now: the post-PVE scan's once it was compared,
    /// else this scan's.
    pub fn current(&self) -> &Assessment {
        match (&self.after, &self.growth) {
            (Some(after), Some(_)) => after,
            _ => &self.assessment,
        }
    }

    /// True when the plan stands on a compared post-PVE scan.
    pub fn is_post_pve(&self) -> bool {
        self.after.is_some() && self.growth.is_some()
    }

    /// The headline: the first sentence (the current verdict).
    pub fn headline(&self) -> Option<&Sentence> {
        self.sentences.first()
    }
}

/// The decision from the layer bits. `tumours` are the tumour layer's components (as
/// `components` gives them); `pci_total` the case's PCI when any region is scored.
pub fn decide(
    bits: &[u8],
    g: &Geometry,
    inputs: &PlanInputs,
    tumours: &[Component],
    pci_total: Option<u32>,
    after: Option<AfterPve>,
) -> PlanDecision {
    let counts = Counts::from_bits(bits);
    let mut a = assess_with_coverage(
        &counts,
        g.voxel_volume_mm3(),
        inputs,
        liver_coverage(bits, g.dims),
    );
    let ms = margins(bits, g, tumours);
    let traced = (!tumours.is_empty()).then(|| TracedTumours {
        count: tumours.len(),
        largest_axial_mm: ms.iter().map(|m| m.axial_diameter_mm).fold(0.0, f64::max),
        largest_extent_mm: tumours.iter().map(|t| t.diameter_mm).fold(0.0, f64::max),
    });
    let f = fong(&inputs.fong, traced);
    let cl = checklist(&inputs.checklist, &a, &ms, pci_total);
    let (after_a, growth) = match after {
        Some(p) => {
            let aa = assess_after_pve(&p.counts, p.voxel_mm3, inputs, p.coverage);
            let g = compare(&a, &aa, p.timing);
            (Some(aa), Some(g))
        }
        None => (None, None),
    };
    let ok_after = matches!(growth, Some(Ok(_)));
    if ok_after {
        // the post-PVE scan measures what the +20-40 % projection guessed
        a.pve = None;
    }
    let s = sentences(
        &a,
        Context {
            growth: growth.as_ref(),
            after: after_a.as_ref().filter(|_| ok_after),
            margins: Some(&ms),
            fong: Some(&f),
            checklist: Some(&cl),
        },
    );
    let (growth, growth_error) = match growth {
        Some(Ok(g)) => (Some(g), None),
        Some(Err(e)) => (None, Some(e.to_string())),
        None => (None, None),
    };
    PlanDecision {
        assessment: a,
        margins: ms,
        fong: f,
        checklist: cl,
        growth,
        growth_error,
        after: after_a,
        sentences: s,
    }
}
