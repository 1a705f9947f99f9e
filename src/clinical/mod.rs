//! Every clinical sentence Remnant prints: the graded verdict, what it was judged on,
//! the PVE projection, post-PVE growth, scan coverage and plausibility, margins, the
//! Fong score and the resectability checklist. The Plan panel, `remnant volumetry`
//! (table and JSON) and the PDF all print these strings and nothing else, so they
//! cannot disagree. The numbers come from `volumetry`; this module only words them,
//! saying no more than they show ("associated with", never "predicts"; volume is not
//! function; a threshold the user edited is theirs).

pub mod card;
pub mod checklist;
pub mod fong;
pub mod plan;
pub mod segments;

pub use card::{DecisionCard, Figure, card};
pub use checklist::{CheckLine, CheckStatus, ChecklistInputs, checklist};
pub use fong::{Fong, FongInputs, fong};
pub use plan::{AfterPve, PlanDecision, decide};

use crate::volumetry::assessment::{Assessment, Decision, grade};
use crate::volumetry::coverage::Coverage;
use crate::volumetry::flr::{
    BORDERLINE_SOURCE, DH_MIN, DH_SHINDOH, FLR_BW_MIN_PERCENT, FLR_BW_SOURCE, FUNCTION_SOURCE,
    KGR_MIN, STLV_PLAUSIBLE_FRACTION,
};
use crate::volumetry::growth::{Growth, GrowthError};
use crate::volumetry::margins::{
    MARGIN_MIN_MM, MarginClass, Placement, TumourMargin, fmt_mm, margin_class,
};
use serde::{Deserialize, Serialize};

/// What a sentence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Verdict,
    /// Two-stage hepatectomy: the FLR of each stage.
    Stages,
    Basis,
    Caveat,
    Warning,
    Pve,
    Growth,
    Margin,
    Fong,
    Checklist,
}

/// How it is shown: plain, good news, a caution, an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Info,
    Good,
    Caution,
    Alert,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub topic: Topic,
    pub level: Level,
    pub text: String,
}

fn say(topic: Topic, level: Level, text: impl Into<String>) -> Sentence {
    Sentence {
        topic,
        level,
        text: text.into(),
    }
}

/// The liver assessment with its sentences: the figures and grade from
/// `volumetry::measure`, then the verdict, why the grade was lowered and the two-stage
/// sentence, all written here.
pub fn assess(
    counts: &crate::volumetry::Counts,
    voxel_mm3: f64,
    inp: &crate::volumetry::PlanInputs,
) -> Assessment {
    finish(crate::volumetry::measure(counts, voxel_mm3, inp))
}

/// The sentences of a measured assessment: why the grade was lowered, the verdict and
/// the two-stage sentence.
fn finish(mut a: Assessment) -> Assessment {
    if let Some(bw) = a.verdict.lowered_by_flr_bw {
        a.verdict.lowered_because.push(flr_bw_lowered_reason(bw));
    }
    a.verdict.text = verdict_sentence(&a);
    if let Some(text) = two_stage_sentence(&a)
        && let Some(t) = a.two_stage.as_mut()
    {
        t.text = text;
    }
    a
}

/// Why a liver touching the border of the scan gets no graded verdict.
pub fn coverage_missing(c: &Coverage) -> String {
    format!(
        "the liver touches {} of the scan: part of it may lie outside the scanned field, so the FLR % can be off in either direction (the missing liver may belong to the remnant or to the resection); scan or load the whole liver before grading",
        c.describe()
    )
}

/// `assess` with the scan-coverage check: a liver that touches a border of the scan
/// keeps its figures but gets no graded verdict (and no PVE projection).
pub fn assess_with_coverage(
    counts: &crate::volumetry::Counts,
    voxel_mm3: f64,
    inp: &crate::volumetry::PlanInputs,
    coverage: Coverage,
) -> Assessment {
    let mut a = crate::volumetry::measure(counts, voxel_mm3, inp).with_coverage(coverage);
    if coverage.touches() {
        a.verdict.missing.push(coverage_missing(&coverage));
        a.verdict.decision = Decision::NoVerdict;
        a.verdict.lowered_by_flr_bw = None;
        a.pve = None;
        if let Some(t) = a.two_stage.as_mut() {
            t.stage1_decision = Decision::NoVerdict;
        }
    }
    finish(a)
}

/// The assessment of a post-PVE scan: its verdict says it is after PVE (it never
/// advises the embolisation again) and it carries no PVE projection; a liver touching
/// that scan's edge (`coverage`) gets no graded verdict.
pub fn assess_after_pve(
    counts: &crate::volumetry::Counts,
    voxel_mm3: f64,
    inp: &crate::volumetry::PlanInputs,
    coverage: Option<Coverage>,
) -> Assessment {
    let mut a = match coverage {
        Some(c) => assess_with_coverage(counts, voxel_mm3, inp, c),
        None => assess(counts, voxel_mm3, inp),
    };
    a.pve = None;
    a.verdict.text = verdict_text(&a, true);
    a
}

/// The post-PVE comparison with its sentence (figures from `volumetry::growth`).
pub fn compare(
    before: &Assessment,
    after: &Assessment,
    timing: crate::volumetry::growth::Timing,
) -> Result<crate::volumetry::growth::Growth, crate::volumetry::growth::GrowthError> {
    let mut g = crate::volumetry::growth::measure_growth(before, after, timing)?;
    g.text = growth_sentence(
        &g.basis,
        g.before_percent,
        g.after_percent,
        g.degree_of_hypertrophy_points,
        g.kgr_percent_per_week,
        g.weeks,
        g.kgr_is_lower_bound,
    );
    Ok(g)
}

/// Why FLR / body weight lowered the grade.
pub fn flr_bw_lowered_reason(bw: f64) -> String {
    format!(
        "FLR / body weight {bw:.2} % < {FLR_BW_MIN_PERCENT} % (Truant 2007, non-cirrhotic livers)"
    )
}

/// The one-sentence verdict of a plan before PVE: what was judged, against which
/// threshold, the grade, the source.
pub fn verdict_sentence(a: &Assessment) -> String {
    verdict_text(a, false)
}

/// The verdict; `after_pve` for the scan taken after the embolisation.
pub fn verdict_text(a: &Assessment, after_pve: bool) -> String {
    let v = &a.verdict;
    let Some(p) = v
        .judged_percent
        .filter(|_| v.decision != Decision::NoVerdict)
    else {
        return format!("No verdict yet: {}", v.missing.join("; "));
    };
    let mut head = match (&a.body, a.flr_percent) {
        (Some(b), Some(f)) => format!("sFLR {:.1} % (measured FLR {f:.1} %)", b.sflr_percent),
        _ => format!("FLR {p:.1} %"),
    };
    if a.two_stage.is_some() {
        head.push_str(" after both stages of the two-stage plan");
    }
    let th = &v.threshold_label;
    let phrase = a.condition.phrase();
    let obj = a.condition.object();
    let (cmp, source) = match grade(p, v.threshold_percent) {
        Decision::Insufficient => (format!("< {th} required {phrase}"), v.source.clone()),
        Decision::Borderline => (
            format!(">= {th} required {phrase} by less than 5 points"),
            format!("{}; {BORDERLINE_SOURCE}", v.source),
        ),
        _ => (format!(">= {th} required {phrase}"), v.source.clone()),
    };
    let concl = match (v.decision, after_pve) {
        (Decision::Adequate, false) => format!("remnant volume adequate for {obj}"),
        (Decision::Borderline, false) => {
            format!("remnant volume borderline for {obj}: discuss portal vein embolisation")
        }
        (_, false) => {
            format!("remnant volume insufficient for {obj}: consider portal vein embolisation")
        }
        (Decision::Adequate, true) => format!("remnant volume adequate for {obj} after PVE"),
        (Decision::Borderline, true) => format!(
            "remnant volume still borderline for {obj} after PVE: discuss the resection with the team"
        ),
        (_, true) => format!(
            "remnant volume still insufficient for {obj} after PVE: the planned resection is not supported by volume; discuss the options with the team"
        ),
    };
    let mut s = String::new();
    if a.counts.tumour_outside_resection > 0 {
        s.push_str(&format!(
            "Plan incomplete: {:.1} mL of tumour is left in the remnant (outside the planned resection). By volume only: ",
            a.volumes.tumour_outside_resection_ml
        ));
    }
    s.push_str(&format!("{head} {cmp}: {concl} ({source})"));
    for r in &v.lowered_because {
        s.push_str(&format!("; graded down one step: {r}"));
    }
    s
}

/// Where the two-stage figures come from.
pub const TWO_STAGE_SOURCE: &str = "two-stage hepatectomy: Adam et al., Ann Surg 2000; minor wedge resection at the first stage, major hepatectomy after PVE at the second, and the 20-30 % who do not reach it: Akgül et al., World J Gastroenterol 2014";

/// The FLR of each stage of a two-stage plan, in one sentence (None for one stage).
pub fn two_stage_sentence(a: &Assessment) -> Option<String> {
    let s = a.two_stage.as_ref()?;
    let (basis, p1, p2) = match &a.body {
        Some(_) => ("sFLR", s.stage1_sflr_percent, s.stage2_sflr_percent),
        None => ("FLR", s.stage1_flr_percent, s.stage2_flr_percent),
    };
    let pct = |p: Option<f64>| p.map_or("not measurable".to_string(), |p| format!("{p:.1} %"));
    let th = &a.verdict.threshold_label;
    let grade1 = match s.stage1_decision {
        Decision::NoVerdict => "not graded".to_string(),
        d => format!("{} by volume against {th}", d.word()),
    };
    Some(format!(
        "Two-stage hepatectomy: stage 1 removes {:.0} mL of liver and {:.1} mL of tumour, leaving {basis} {} ({grade1}); stage 2 removes {:.0} mL more, leaving the final remnant, {basis} {} (judged in the verdict). The final remnant is measured on this scan, before the regrowth after stage 1 and PVE: re-assess it on a scan before stage 2; about 20-30 % of patients do not reach the second stage because of disease progression ({TWO_STAGE_SOURCE})",
        s.stage1_resected_ml,
        s.stage1_tumour_ml,
        pct(p1),
        s.stage2_resected_ml,
        pct(p2),
    ))
}

/// Post-PVE growth in one sentence. The cut-offs (KGR 2 %/week, Shindoh 2013; DH 5
/// points, Ribero 2007, and 7.5 points, Shindoh 2013) are defined on the standardised
/// FLR: on the measured FLR they are not applied, and a KGR known only as a lower bound
/// is compared with 2 %/week only when even the bound reaches it.
pub fn growth_sentence(
    basis: &str,
    before: f64,
    after: f64,
    dh: f64,
    kgr: f64,
    weeks: f64,
    lower_bound: bool,
) -> String {
    let when = if lower_bound {
        format!("{weeks:.1} weeks between the scans")
    } else {
        format!("{weeks:.1} weeks since PVE")
    };
    let kgr_part = if lower_bound {
        format!(
            "KGR at least {kgr:.2} %/week (a lower bound: the weeks since PVE are not entered, the scan interval is used)"
        )
    } else {
        format!("KGR {kgr:.2} %/week")
    };
    let mut s = format!(
        "{basis} {before:.1} % -> {after:.1} % at {when}: degree of hypertrophy {dh:.1} points, {kgr_part}"
    );
    if basis != "sFLR" {
        s.push_str(&format!(
            ". The KGR cut-off ({KGR_MIN:.0} %/week, Shindoh 2013) and the DH cut-offs ({DH_MIN:.0} points, Ribero 2007; {DH_SHINDOH} points, Shindoh 2013) are defined on the standardised FLR, so they are not applied to the measured FLR: enter height and weight to compare with them"
        ));
        return s;
    }
    match (kgr >= KGR_MIN, lower_bound) {
        (true, false) => s.push_str(&format!(" (>= {KGR_MIN:.0} %/week)")),
        (true, true) => s.push_str(&format!(
            "; at least {KGR_MIN:.0} %/week even as a lower bound"
        )),
        (false, false) => s.push_str(&format!(
            " (< {KGR_MIN:.0} %/week: a KGR below {KGR_MIN:.0} %/week is associated with more liver insufficiency after resection, Shindoh 2013)"
        )),
        (false, true) => s.push_str(&format!(
            "; a lower bound below {KGR_MIN:.0} %/week says nothing about Shindoh's cut-off (the KGR since PVE may be above it): enter the weeks since PVE to compare with {KGR_MIN:.0} %/week"
        )),
    }
    if dh <= DH_MIN {
        s.push_str(&format!(
            "; degree of hypertrophy <= {DH_MIN:.0} points: associated with more postoperative liver dysfunction (Ribero 2007), and below the {DH_SHINDOH} points Shindoh 2013 reported as its best DH cut-off"
        ));
    } else if dh <= DH_SHINDOH {
        s.push_str(&format!(
            "; degree of hypertrophy above Ribero's {DH_MIN:.0} points (Ribero 2007) but not above the {DH_SHINDOH} points Shindoh 2013 reported as its best DH cut-off: the two published cut-offs disagree here"
        ));
    }
    s
}

/// Whether the growth sentence carries a caution: a KGR known to be below 2 %/week, or a
/// degree of hypertrophy at or below either published cut-off (sFLR only).
pub fn growth_flagged(g: &Growth) -> bool {
    g.basis == "sFLR"
        && (g.kgr_adequate == Some(false) || g.degree_of_hypertrophy_points <= DH_SHINDOH)
}

/// Everything the decision says, in reading order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    pub growth: Option<&'a Result<Growth, GrowthError>>,
    /// The post-PVE scan's own assessment (its FLR is itself judged).
    pub after: Option<&'a Assessment>,
    pub margins: Option<&'a [TumourMargin]>,
    pub fong: Option<&'a Fong>,
    pub checklist: Option<&'a [CheckLine]>,
}

pub fn verdict_level(d: Decision) -> Level {
    match d {
        Decision::Adequate => Level::Good,
        Decision::Borderline => Level::Caution,
        Decision::Insufficient => Level::Alert,
        Decision::NoVerdict => Level::Info,
    }
}

/// The level of a verdict sentence: never good news while the plan leaves tumour in
/// the remnant.
pub fn headline_level(a: &Assessment) -> Level {
    if a.counts.tumour_outside_resection > 0 {
        Level::Alert
    } else {
        verdict_level(a.verdict.decision)
    }
}

/// The sentences of a plan, in the order every output prints them. After a post-PVE
/// scan is compared, its verdict comes first and the first scan's verdict is marked as
/// the one before PVE; the +20-40 % projection is then left out (the post-PVE scan
/// measures what it projected).
pub fn sentences(a: &Assessment, ctx: Context) -> Vec<Sentence> {
    let post = match (ctx.growth, ctx.after) {
        (Some(Ok(g)), Some(after)) => Some((g, after)),
        _ => None,
    };
    let mut out = Vec::new();
    if let Some((_, after)) = post {
        out.push(say(
            Topic::Verdict,
            headline_level(after),
            format!("Post-PVE scan: {}", after.verdict.text),
        ));
        out.push(say(
            Topic::Verdict,
            Level::Info,
            format!("First scan, before PVE: {}", a.verdict.text),
        ));
    } else {
        out.push(say(Topic::Verdict, headline_level(a), &a.verdict.text));
    }
    let judged = a.verdict.decision != Decision::NoVerdict;
    if let Some(s) = &a.two_stage {
        out.push(say(
            Topic::Stages,
            verdict_level(s.stage1_decision),
            &s.text,
        ));
    }
    // What it was judged on, and what is missing.
    if judged {
        match &a.body {
            Some(b) => out.push(say(
                Topic::Basis,
                Level::Info,
                format!(
                    "Judged on the standardised FLR: remnant / sTLV {:.0} mL (BSA {:.2} m², Mosteller; sTLV = -794.41 + 1267.28 x BSA, Vauthey 2002); threshold {} ({})",
                    b.stlv_ml, b.bsa_m2, a.verdict.threshold_label, a.verdict.source
                ),
            )),
            None => out.push(say(
                Topic::Basis,
                Level::Caution,
                format!(
                    "Judged on the measured FLR (remnant / functional liver). Missing: height and weight for the standardised FLR (sFLR, Vauthey 2002); the {} threshold is applied to the measured FLR",
                    a.verdict.threshold_label
                ),
            )),
        }
    }
    if let Some(bw) = a.flr_bw_percent {
        let ok = bw >= FLR_BW_MIN_PERCENT;
        let text = if a.flr_bw_used {
            format!(
                "FLR / body weight {bw:.2} % ({} {FLR_BW_MIN_PERCENT} %; {FLR_BW_SOURCE}){}",
                if ok { ">=" } else { "<" },
                if ok || !judged || a.verdict.lowered_because.is_empty() {
                    ""
                } else {
                    ": the grade is lowered one step"
                }
            )
        } else {
            format!(
                "FLR / body weight {bw:.2} %: shown, not used for the grade (the {FLR_BW_MIN_PERCENT} % rule, Truant 2007, is for non-cirrhotic livers)"
            )
        };
        let level = if ok || !a.flr_bw_used {
            Level::Info
        } else {
            Level::Caution
        };
        out.push(say(Topic::Basis, level, text));
    }
    // Warnings about the tracing and the scan.
    if a.counts.tumour_outside_resection > 0 {
        out.push(say(
            Topic::Warning,
            Level::Alert,
            format!(
                "Tumour left in the remnant: {:.1} mL of traced tumour lies outside the planned resection, so this plan is not a complete resection whatever the remnant volume",
                a.volumes.tumour_outside_resection_ml
            ),
        ));
    }
    if let Some(c) = a.coverage.filter(|c| c.touches()) {
        out.push(say(
            Topic::Warning,
            Level::Caution,
            format!(
                "The liver touches {} of the scan: it may extend beyond the scanned field. The total liver volume is then a lower bound and the FLR % can be off in either direction, so no verdict is graded",
                c.describe()
            ),
        ));
    }
    if let (true, Some(d), Some(b)) = (a.stlv_implausible(), a.functional_vs_stlv_percent, &a.body)
    {
        let why = if d < 0.0 {
            "incomplete tracing, a liver beyond the scanned field, or a small liver"
        } else {
            "tracing that includes neighbouring tissue or vessels, or a large liver (e.g. steatosis)"
        };
        out.push(say(
            Topic::Warning,
            Level::Caution,
            format!(
                "Traced liver without tumour {:.0} mL is {:.0} % {} the sTLV {:.0} mL (more than {:.0} % off; the sTLV estimates a whole liver from body size, Vauthey 2002, and tumour is left out of this comparison): {why}; check the tracing",
                a.volumes.functional_ml,
                d.abs(),
                if d < 0.0 { "below" } else { "above" },
                b.stlv_ml,
                STLV_PLAUSIBLE_FRACTION * 100.0
            ),
        ));
    }
    if judged {
        out.push(say(
            Topic::Caveat,
            Level::Info,
            format!(
                "Volume is not function: the remnant must also keep at least two adjacent segments with their own inflow, outflow and biliary drainage ({FUNCTION_SOURCE}); Remnant does not check this, nor liver function"
            ),
        ));
    }
    if let (Some(p), None) = (&a.pve, post) {
        let basis = a.verdict.basis.as_deref().unwrap_or("FLR");
        let mut s = format!(
            "After PVE the remnant typically grows by 20-40 % in 2-4 weeks ({}): {basis} typically {:.1}-{:.1} % (remnant {:.0}-{:.0} mL), a projection to re-assess on a post-PVE scan",
            p.source, p.percent.0, p.percent.1, p.remnant_ml.0, p.remnant_ml.1
        );
        if !p.reaches_threshold_at_best {
            s.push_str(&format!(
                ". Even +40 % would stay below {}: options to discuss include PVE with re-assessment and, for bilobar disease, two-stage hepatectomy (Adam et al., Ann Surg 2000)",
                a.verdict.threshold_label
            ));
        }
        out.push(say(Topic::Pve, Level::Info, s));
    }
    match ctx.growth {
        Some(Ok(g)) => {
            let level = if growth_flagged(g) {
                Level::Caution
            } else if g.basis == "sFLR" {
                Level::Good
            } else {
                Level::Info
            };
            out.push(say(
                Topic::Growth,
                level,
                format!(
                    "{} (Shindoh et al., J Am Coll Surg 2013; Ribero et al., Br J Surg 2007)",
                    g.text
                ),
            ));
        }
        Some(Err(e)) => out.push(say(
            Topic::Growth,
            Level::Info,
            format!("Post-PVE comparison: {e}"),
        )),
        None => {}
    }
    if let Some(ms) = ctx.margins {
        for m in ms {
            out.push(say(Topic::Margin, margin_level(m), margin_sentence(m)));
        }
    }
    if let Some(f) = ctx.fong {
        out.push(say(Topic::Fong, Level::Info, f.text.clone()));
    }
    if let Some(lines) = ctx.checklist {
        for l in lines {
            let level = match l.status {
                CheckStatus::Met => Level::Good,
                CheckStatus::NotMet => Level::Alert,
                CheckStatus::Unknown => Level::Info,
            };
            out.push(say(Topic::Checklist, level, l.text()));
        }
    }
    out
}

/// Where the OncoSurge margin and the < 10 mm prognostic factor come from.
pub const MARGIN_SOURCE: &str = "OncoSurge: margin > 1 cm; a margin < 10 mm is a prognostic factor; both as quoted by Akgül et al., World J Gastroenterol 2014";

/// What a margin measured on the scan is, every time it is printed.
pub const MARGIN_KIND: &str = "planned geometric distance on the scan, not the histological margin";

/// The level of a margin sentence.
pub fn margin_level(m: &TumourMargin) -> Level {
    match (m.placement, m.margin_mm) {
        (Placement::Resected, Some(d)) => match margin_class(d, m.resolution_mm) {
            MarginClass::Below => Level::Alert,
            MarginClass::Uncertain => Level::Caution,
            MarginClass::Above => Level::Info,
        },
        (Placement::Resected, None) => Level::Info,
        _ => Level::Alert,
    }
}

/// "Tumour #1 (...): planned margin 6 ± 3.0 mm ... < 10 mm ...".
pub fn margin_sentence(m: &TumourMargin) -> String {
    let r = m.resolution_mm;
    let size = format!(
        "axial diameter {} mm, largest 3-D diameter {} mm",
        fmt_mm(m.axial_diameter_mm, r),
        fmt_mm(m.extent_3d_mm, r)
    );
    // in a two-stage plan, which stage removes it and which boundary the margin is to
    let (size, boundary) = match m.stage {
        Some(1) => (
            format!("removed at stage 1; {size}"),
            "the stage-1 resection boundary",
        ),
        Some(n) => (
            format!("removed at stage {n}; {size}"),
            "the final resection boundary",
        ),
        None => (size, "the resection boundary"),
    };
    match m.placement {
        Placement::InRemnant => format!(
            "Tumour #{} ({size}) lies in the remnant: this plan does not remove it",
            m.id
        ),
        Placement::Crosses => format!(
            "Tumour #{} ({size}) crosses the resection boundary: margin 0 mm, part of it is left in the remnant",
            m.id
        ),
        Placement::Resected => match m.margin_mm {
            Some(d) => {
                let value = format!("{} ± {r:.1} mm (one voxel spacing)", fmt_mm(d, r));
                match margin_class(d, r) {
                    MarginClass::Below => format!(
                        "Tumour #{} ({size}): margin {value} to {boundary}, < {MARGIN_MIN_MM:.0} mm ({MARGIN_KIND}; {MARGIN_SOURCE})",
                        m.id
                    ),
                    MarginClass::Uncertain => format!(
                        "Tumour #{} ({size}): margin {value} to {boundary}: {MARGIN_MIN_MM:.0} mm lies within the uncertainty, so it may be under {MARGIN_MIN_MM:.0} mm ({MARGIN_KIND}; {MARGIN_SOURCE})",
                        m.id
                    ),
                    MarginClass::Above => format!(
                        "Tumour #{} ({size}): margin {value} to {boundary} ({MARGIN_KIND})",
                        m.id
                    ),
                }
            }
            None => format!(
                "Tumour #{} ({size}): margin more than {:.0} mm to {boundary} ({MARGIN_KIND})",
                m.id, m.search_mm
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DH exactly 5 points is flagged (Ribero 2007: the favourable group is DH > 5);
    /// just above is not. KGR exactly 2.0 is not flagged; just below is.
    #[test]
    fn dh_and_kgr_boundaries_in_the_growth_sentence() {
        let s = growth_sentence("sFLR", 18.0, 23.0, 5.0, 2.5, 2.0, false);
        assert!(s.contains("degree of hypertrophy <= 5 points"), "{s}");
        let s = growth_sentence("sFLR", 18.0, 23.01, 5.01, 2.5, 2.0, false);
        assert!(!s.contains("<= 5 points"), "{s}");
        let s = growth_sentence("sFLR", 18.0, 26.0, 8.0, 2.0, 4.0, false);
        assert!(
            s.contains("(>= 2 %/week)") && !s.contains("associated"),
            "{s}"
        );
        let s = growth_sentence("sFLR", 18.0, 26.0, 8.0, 1.999, 4.0, false);
        assert!(
            s.contains("is associated with more liver insufficiency"),
            "{s}"
        );
        assert!(!s.contains("predicts"), "{s}");
    }
}
