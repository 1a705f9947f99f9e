//! Issue 28 item 1: the wrong outputs a review of the decision texts found, each with a
//! test that failed on the code before the fix (each test names what the old code said).
//! Only the public decision API is used (`decide`, `assess`, `compare`, the report's
//! `liver_figures` and the PDF), so the file also builds against the old code.

mod report_fixtures;

use remnant::clinical::plan::AfterPve;
use remnant::clinical::{Level, PlanDecision, Topic, assess, compare, decide};
use remnant::segmentation::Layer;
use remnant::segmentation::components::components;
use remnant::volume::Geometry;
use remnant::volumetry::growth::Timing;
use remnant::volumetry::{Counts, Decision, PlanInputs};

/// A box liver on 1.5 x 1.5 x 3 mm voxels: liver i 2..38, j 2..28, k 2..28 (clear of
/// every border unless `edge`, which extends it to the first slice); the Resection
/// layer is i < `cut`; `tumours` are boxes (lo, hi) of the Tumour layer.
fn scene(cut: usize, tumours: &[([usize; 3], [usize; 3])], edge: bool) -> (Geometry, Vec<u8>) {
    let g = Geometry::axis_aligned([40, 30, 30], [1.5, 1.5, 3.0], [0.0; 3]);
    let (l, r, t) = (
        Layer::Liver.bit(),
        Layer::Resection.bit(),
        Layer::Tumour.bit(),
    );
    let inb = |v: usize, a: usize, b: usize| v >= a && v < b;
    let k0 = if edge { 0 } else { 2 };
    let mut bits = vec![0u8; g.voxel_count()];
    for k in 0..30 {
        for j in 0..30 {
            for i in 0..40 {
                if !(inb(i, 2, 38) && inb(j, 2, 28) && inb(k, k0, 28)) {
                    continue;
                }
                let mut b = l;
                if i < cut {
                    b |= r;
                }
                for (lo, hi) in tumours {
                    if inb(i, lo[0], hi[0]) && inb(j, lo[1], hi[1]) && inb(k, lo[2], hi[2]) {
                        b |= t;
                    }
                }
                bits[g.index(i, j, k)] = b;
            }
        }
    }
    (g, bits)
}

fn plan(
    g: &Geometry,
    bits: &[u8],
    inputs: &PlanInputs,
    pci: Option<u32>,
    after: Option<AfterPve>,
) -> PlanDecision {
    let tumours = components(bits, Layer::Tumour.bit(), g);
    decide(bits, g, inputs, &tumours, pci, after)
}

fn texts(d: &PlanDecision) -> Vec<String> {
    d.sentences.iter().map(|s| s.text.clone()).collect()
}

fn body() -> PlanInputs {
    PlanInputs {
        height_cm: Some(180.0),
        weight_kg: Some(80.0),
        ..Default::default()
    }
}

/// Counts of a plan with `remnant` and `resected` voxels (1 mm³ each).
fn counts(remnant: u64, resected: u64, tumour: u64) -> Counts {
    Counts {
        total: remnant + resected + tumour,
        tumour,
        resected,
        remnant,
        ..Default::default()
    }
}

/// The PDF of a report holding this plan, as flat text (None without pdftotext).
fn pdf_text(d: &PlanDecision, inputs: &PlanInputs) -> Option<String> {
    let mut report = report_fixtures::sample_report();
    report.liver.figures = Some(remnant::case::liver_figures(d, inputs));
    let pdf = remnant::report::render_pdf(&report, &[]).unwrap();
    let text = report_fixtures::pdftotext(&pdf)?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Old code: the post-PVE verdict said "consider portal vein embolisation" (the pre-PVE
/// wording reused), the +20-40 % projection stayed, and the report's grade and verdict
/// were the first scan's.
#[test]
fn after_pve_the_verdict_is_the_post_pve_scans_and_never_advises_pve_again() {
    // first scan: remnant i 30..38 of 36 columns: FLR 22.2 %, cirrhosis (40 %): insufficient
    let (g, bits) = scene(30, &[], false);
    let inputs = PlanInputs {
        condition: remnant::volumetry::flr::LiverCondition::Cirrhosis,
        weeks_since_pve: Some(3.0),
        ..Default::default()
    };
    // post-PVE scan (1 mm³ voxels): still insufficient (35 %), and adequate (50 %)
    for (remnant_vox, want) in [
        (350_000u64, Decision::Insufficient),
        (500_000, Decision::Adequate),
    ] {
        let after = AfterPve {
            coverage: None,
            counts: counts(remnant_vox, 1_000_000 - remnant_vox, 0),
            voxel_mm3: 1.0,
            timing: inputs.timing(),
        };
        let d = plan(&g, &bits, &inputs, None, Some(after));
        assert_eq!(d.assessment.verdict.decision, Decision::Insufficient);
        let t = texts(&d);
        let post: Vec<&String> = t.iter().filter(|s| s.contains("Post-PVE scan")).collect();
        assert_eq!(post.len(), 1, "{t:#?}");
        assert!(!post[0].contains("embolisation"), "{}", post[0]);
        assert!(post[0].contains("after PVE"), "{}", post[0]);
        // the headline is the post-PVE verdict; the first scan's is marked as before PVE
        assert!(t[0].starts_with("Post-PVE scan:"), "{t:#?}");
        assert!(
            t.iter().any(|s| s.starts_with("First scan, before PVE:")),
            "{t:#?}"
        );
        assert!(
            !t.iter().any(|s| s.contains("typically grows by 20-40 %")),
            "{t:#?}"
        );
        // the report (and so the PDF) carries the post-PVE grade and verdict
        let f = remnant::case::liver_figures(&d, &inputs);
        assert_eq!(f.grade.as_deref(), Some(want.word()));
        assert!(f.verdict.starts_with("Post-PVE scan:"), "{}", f.verdict);
        assert!(!f.verdict.contains("embolisation"), "{}", f.verdict);
        if let Some(pdf) = pdf_text(&d, &inputs) {
            assert!(!pdf.contains("typically grows by 20-40 %"), "{pdf}");
            assert!(pdf.contains("Post-PVE scan:"), "{pdf}");
        }
    }
}

/// sTLV 1740.15 mL (180 cm, 80 kg): an sFLR of 18 % before PVE, and 26 % six weeks
/// later by the scan interval only: KGR at least 8 / 6 = 1.33 %/week.
fn lower_bound_growth(after_remnant: u64) -> remnant::volumetry::growth::Growth {
    let inp = body();
    let before = assess(&counts(313_227, 1_200_000, 0), 1.0, &inp);
    let after = assess(&counts(after_remnant, 1_100_000, 0), 1.0, &inp);
    compare(
        &before,
        &after,
        Timing {
            weeks_since_pve: None,
            weeks_between_scans: Some(6.0),
        },
    )
    .unwrap()
}

/// Old code: a lower bound below 2 %/week was reported as "< 2 %/week ... associated
/// with more liver insufficiency" and `kgr_adequate: false`; the PDF dropped "at least".
#[test]
fn a_kgr_lower_bound_below_2_is_not_reported_as_below_2() {
    let g = lower_bound_growth(313_227 + 139_212); // + 8 points
    assert!(g.kgr_is_lower_bound);
    assert!((g.kgr_percent_per_week - 8.0 / 6.0).abs() < 1e-3);
    assert!(g.text.contains("KGR at least 1.33 %/week"), "{}", g.text);
    assert!(!g.text.contains("associated with more liver"), "{}", g.text);
    assert!(!g.text.contains("(< 2 %/week"), "{}", g.text);
    assert!(g.text.contains("enter the weeks since PVE"), "{}", g.text);
    let json = serde_json::to_value(&g).unwrap();
    assert!(json["kgr_adequate"].is_null(), "{json}");
    // a lower bound of at least 2 %/week does tell: 18 points in 6 weeks = 3 %/week
    let g = lower_bound_growth(313_227 + 313_227);
    assert!(
        g.text.contains("at least 2 %/week even as a lower bound"),
        "{}",
        g.text
    );
    assert_eq!(serde_json::to_value(&g).unwrap()["kgr_adequate"], true);

    // through a plan: the growth sentence is not a caution, and the PDF says "at least"
    let (geo, bits) = scene(20, &[], false);
    let inputs = PlanInputs {
        weeks_between_scans: Some(6.0),
        ..body()
    };
    let c = remnant::volumetry::Counts::from_bits(&bits);
    let after = AfterPve {
        coverage: None,
        counts: Counts {
            remnant: c.remnant + c.remnant / 10,
            resected: c.resected - c.remnant / 10,
            ..c
        },
        voxel_mm3: geo.voxel_volume_mm3(),
        timing: inputs.timing(),
    };
    let d = plan(&geo, &bits, &inputs, None, Some(after));
    let growth = d.growth.as_ref().expect("compared");
    assert!(growth.kgr_is_lower_bound && growth.kgr_percent_per_week < 2.0);
    let s = d
        .sentences
        .iter()
        .find(|s| s.topic == Topic::Growth)
        .unwrap();
    assert!(!s.text.contains("associated with more liver"), "{}", s.text);
    if let Some(pdf) = pdf_text(&d, &inputs) {
        assert!(pdf.contains("KGR after PVE at least"), "{pdf}");
    }
}

/// Without height and weight the sFLR cut-offs (Shindoh's KGR 2 %/week and DH 7.5,
/// Ribero's DH 5) are not applied to the measured FLR, and it says so. Old code: "KGR
/// below 2 %/week is associated with more liver insufficiency" on the measured FLR.
#[test]
fn sflr_cut_offs_are_not_applied_silently_to_the_measured_flr() {
    let flr = |remnant: u64| {
        assess(
            &counts(remnant, 1000 - remnant, 0),
            1000.0,
            &PlanInputs::default(),
        )
    };
    // FLR 20 % -> 24 % in 4 weeks: DH 4, KGR 1
    let g = compare(
        &flr(200),
        &flr(240),
        Timing {
            weeks_since_pve: Some(4.0),
            weeks_between_scans: None,
        },
    )
    .unwrap();
    assert_eq!(g.basis, "FLR");
    assert!(!g.text.contains("associated with"), "{}", g.text);
    assert!(
        g.text.contains("not applied to the measured FLR"),
        "{}",
        g.text
    );
    assert!(serde_json::to_value(&g).unwrap()["kgr_adequate"].is_null());
}

/// Old code flagged DH <= 5 (Ribero 2007) without a word on the 7.5 points the quoted
/// Shindoh 2013 abstract gives; a DH of 6 points said nothing.
#[test]
fn the_dh_sentence_says_which_cut_off_and_names_both() {
    let sflr = |p: f64| p / 100.0 * 1740.15e3; // voxels of 1 mm³ for an sFLR of p %
    let inp = body();
    let scan = |p: f64| assess(&counts(sflr(p).round() as u64, 1_100_000, 0), 1.0, &inp);
    let since = Timing {
        weeks_since_pve: Some(2.0),
        weeks_between_scans: None,
    };
    // DH 6 points (KGR 3): above Ribero's 5, not above Shindoh's 7.5
    let g = compare(&scan(20.0), &scan(26.0), since).unwrap();
    assert!(g.text.contains("7.5 points"), "{}", g.text);
    assert!(g.text.contains("Ribero"), "{}", g.text);
    // DH 4 points: below both
    let g = compare(&scan(20.0), &scan(24.0), since).unwrap();
    assert!(g.text.contains("<= 5 points"), "{}", g.text);
    assert!(g.text.contains("7.5 points"), "{}", g.text);
    // DH 10 points: neither
    let g = compare(&scan(20.0), &scan(30.0), since).unwrap();
    assert!(!g.text.contains("7.5"), "{}", g.text);
}

/// Plan states that between them print every kind of sentence with a source.
fn many_plans() -> Vec<(PlanDecision, PlanInputs)> {
    let mut out = Vec::new();
    let tumours = [([14, 10, 10], [17, 14, 14]), ([30, 10, 10], [33, 14, 14])];
    for cut in [10, 26, 33] {
        for inputs in [PlanInputs::default(), body()] {
            for pci in [None, Some(12)] {
                let (g, bits) = scene(cut, &tumours, false);
                let d = plan(&g, &bits, &inputs, pci, None);
                out.push((d, inputs.clone()));
            }
        }
    }
    // a post-PVE comparison and a two-stage plan
    let (g, bits) = scene(33, &[], false);
    let inputs = PlanInputs {
        weeks_since_pve: Some(3.0),
        ..Default::default()
    };
    let after = AfterPve {
        coverage: None,
        counts: counts(250, 750, 0),
        voxel_mm3: 1000.0,
        timing: inputs.timing(),
    };
    out.push((plan(&g, &bits, &inputs, None, Some(after)), inputs));
    let (g, mut bits) = scene(20, &[([30, 10, 10], [32, 12, 12])], false);
    for k in 8..14 {
        for j in 8..14 {
            for i in 28..34 {
                bits[g.index(i, j, k)] |= Layer::Stage1.bit();
            }
        }
    }
    out.push((
        plan(&g, &bits, &PlanInputs::default(), None, None),
        PlanInputs::default(),
    ));
    out
}

/// Old code cited "seed 001", "collected abstracts, seed 003" in sentences and the PDF.
#[test]
fn no_sentence_or_pdf_cites_a_seed_file() {
    let mut seen = 0;
    for (d, inputs) in many_plans() {
        for s in texts(&d) {
            assert!(!s.to_lowercase().contains("seed"), "{s}");
            assert!(!s.contains("collected abstracts"), "{s}");
            seen += 1;
        }
        let f = remnant::case::liver_figures(&d, &inputs);
        assert!(!f.threshold_source.unwrap_or_default().contains("seed"));
        if let Some(pdf) = pdf_text(&d, &inputs) {
            assert!(!pdf.to_lowercase().contains("seed 0"), "{pdf}");
        }
    }
    assert!(seen > 50, "{seen}");
}

/// Old README: "exactly at the threshold counts as adequate", while the code grades it
/// borderline.
#[test]
fn the_readme_grades_thresholds_as_the_code_does() {
    use remnant::volumetry::assessment::grade;
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/clinical-methods.md"
    ))
    .unwrap()
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ");
    assert!(!readme.contains("exactly at the threshold counts as adequate"));
    for th in [20.0, 30.0, 40.0] {
        assert_eq!(grade(th, th), Decision::Borderline);
        assert_eq!(grade(th - 0.01, th), Decision::Insufficient);
        assert_eq!(grade(th + 5.0, th), Decision::Adequate);
    }
    assert!(
        readme.contains("exactly at the threshold is borderline, not adequate"),
        "the README must say how the threshold itself is graded"
    );
    assert!(readme.contains("from 5 points above *adequate*"));
}

/// Old code: a traced total above the sTLV was explained as incomplete tracing, and
/// the total includes tumour, so a large tumour burden alone triggered it.
#[test]
fn a_large_tumour_does_not_trigger_the_stlv_warning() {
    // sTLV 1740.15 mL; liver without tumour 1600 mL (8 % off), tumour 900 mL: the
    // total 2500 mL is 44 % above the sTLV
    let a = assess(&counts(600_000, 1_000_000, 900_000), 1.0, &body());
    let s = remnant::clinical::sentences(&a, Default::default());
    assert!(
        !s.iter()
            .any(|s| s.text.contains("sTLV") && s.topic == Topic::Warning),
        "{s:#?}"
    );
    // a liver without tumour far below the sTLV is still flagged, and says why
    let a = assess(&counts(300_000, 600_000, 0), 1.0, &body());
    let s = remnant::clinical::sentences(&a, Default::default());
    let w = s
        .iter()
        .find(|s| s.topic == Topic::Warning && s.text.contains("sTLV"))
        .expect("flagged");
    assert!(
        w.text.contains("below") && w.text.contains("incomplete tracing"),
        "{}",
        w.text
    );
    // and far above: no "incomplete tracing"
    let a = assess(&counts(1_000_000, 1_500_000, 0), 1.0, &body());
    let s = remnant::clinical::sentences(&a, Default::default());
    let w = s
        .iter()
        .find(|s| s.topic == Topic::Warning && s.text.contains("sTLV"))
        .expect("flagged");
    assert!(!w.text.contains("incomplete tracing"), "{}", w.text);
}

/// Old code: JSCCR (5) "the function of the remaining liver will be adequate: met",
/// judged from the volume alone.
#[test]
fn jsccr_5_is_never_met_from_volume_alone() {
    let (g, bits) = scene(10, &[], false); // FLR 77.8 %: adequate
    let d = plan(&g, &bits, &PlanInputs::default(), None, None);
    assert_eq!(d.assessment.verdict.decision, Decision::Adequate);
    let l = d
        .checklist
        .iter()
        .find(|l| l.criterion.starts_with("(5)"))
        .unwrap();
    assert_ne!(
        l.status,
        remnant::clinical::CheckStatus::Met,
        "{}",
        l.text()
    );
    assert!(l.text().contains("not its function"), "{}", l.text());
}

/// Old code: a plan leaving tumour in the remnant still had a green "adequate" headline.
#[test]
fn tumour_left_in_the_remnant_is_never_a_green_headline() {
    let (g, bits) = scene(10, &[([30, 10, 10], [33, 14, 14])], false);
    let d = plan(&g, &bits, &PlanInputs::default(), None, None);
    assert_eq!(d.assessment.verdict.decision, Decision::Adequate);
    let h = &d.sentences[0];
    assert_eq!(h.topic, Topic::Verdict);
    assert_eq!(h.level, Level::Alert, "{}", h.text);
    assert!(h.text.starts_with("Plan incomplete:"), "{}", h.text);
}

/// Old code: a liver touching the scan's edge still got a graded verdict.
#[test]
fn a_liver_at_the_edge_of_the_scan_gets_no_graded_verdict() {
    let (g, bits) = scene(10, &[], true);
    let d = plan(&g, &bits, &PlanInputs::default(), None, None);
    assert_eq!(d.assessment.verdict.decision, Decision::NoVerdict);
    let t = texts(&d);
    assert!(t[0].starts_with("No verdict yet"), "{}", t[0]);
    assert!(t[0].contains("the first slice"), "{}", t[0]);
    assert!(t[0].contains("either direction"), "{}", t[0]);
    assert!(!t.iter().any(|s| s.contains("lower bound, ")), "{t:#?}");
    assert!(!t.iter().any(|s| s.contains("typically grows")), "{t:#?}");
}

/// Old code printed "margin 4.5 mm < 10 mm" on a 3 mm slice grid, without uncertainty
/// and without saying it is a planned, geometric distance.
#[test]
fn margins_are_printed_to_the_grid_with_their_uncertainty_and_called_planned() {
    // tumour i 14..17 resected (cut at i 20): 4.5 mm face to face along i
    let (g, bits) = scene(20, &[([14, 10, 10], [17, 14, 14])], false);
    let d = plan(&g, &bits, &PlanInputs::default(), None, None);
    let m = d
        .sentences
        .iter()
        .find(|s| s.topic == Topic::Margin)
        .unwrap();
    assert!(!m.text.contains("4.5 mm"), "{}", m.text);
    assert!(m.text.contains("± 3.0 mm"), "{}", m.text);
    assert!(m.text.contains("not the histological margin"), "{}", m.text);
    assert!(m.text.contains("< 10 mm"), "{}", m.text);
    // 9 mm (i 12..14 to the cut at 20): 10 mm lies within the 3 mm uncertainty
    let (g, bits) = scene(20, &[([11, 10, 10], [14, 14, 14])], false);
    let d = plan(&g, &bits, &PlanInputs::default(), None, None);
    let m = d
        .sentences
        .iter()
        .find(|s| s.topic == Topic::Margin)
        .unwrap();
    assert!(m.text.contains("may be under 10 mm"), "{}", m.text);
    assert_eq!(m.level, Level::Caution);
    let l = &d.checklist[0];
    assert_eq!(
        l.status,
        remnant::clinical::CheckStatus::Unknown,
        "{}",
        l.text()
    );
}

/// Old code judged Fong's "largest tumour > 5 cm" on the axial diameter only: a tumour
/// 6 mm across and 60 mm head to foot was "no".
#[test]
fn fong_largest_tumour_uses_the_largest_3d_diameter() {
    let (g, bits) = scene(20, &[([10, 10, 6], [14, 14, 26])], false);
    let d = plan(&g, &bits, &PlanInputs::default(), None, None);
    let c = &d.fong.criteria[3];
    assert_eq!(c.name, "largest tumour > 5 cm");
    assert_eq!(c.value, Some(true), "{}", d.fong.text);
    assert!(
        d.fong.text.contains("largest 3-D diameter"),
        "{}",
        d.fong.text
    );
}

/// Old code: with PCI > 0 the checklist said only that CRS-HIPEC "is an option".
#[test]
fn peritoneal_disease_gives_the_sources_limits() {
    let tumours = [
        ([4, 4, 4], [6, 6, 6]),
        ([4, 10, 4], [6, 12, 6]),
        ([4, 16, 4], [6, 18, 6]),
        ([10, 4, 4], [12, 6, 6]),
    ];
    let (g, bits) = scene(20, &tumours, false);
    let d = plan(&g, &bits, &PlanInputs::default(), Some(8), None);
    let l = d
        .checklist
        .iter()
        .find(|l| l.criterion.starts_with("(4)"))
        .unwrap();
    let t = l.text();
    assert!(t.contains("three or fewer well-resectable"), "{t}");
    assert!(t.contains("contraindication"), "{t}");
    assert!(t.contains("4 traced liver tumours"), "{t}");
}

/// Old code credited the 5-point borderline band to the consensus; and offered ALPPS
/// and liver venous deprivation with no source.
#[test]
fn remnants_own_rules_say_so_and_unsourced_options_are_gone() {
    let (g, bits) = scene(30, &[], false); // FLR 22.2 %: borderline for a normal liver
    let d = plan(&g, &bits, &PlanInputs::default(), None, None);
    assert_eq!(d.assessment.verdict.decision, Decision::Borderline);
    assert!(
        d.assessment.verdict.text.contains("Remnant's own rule"),
        "{}",
        d.assessment.verdict.text
    );
    let inputs = PlanInputs {
        condition: remnant::volumetry::flr::LiverCondition::Cirrhosis,
        ..Default::default()
    };
    let (g, bits) = scene(35, &[], false); // FLR 8.3 %: even +40 % stays below 40 %
    let d = plan(&g, &bits, &inputs, None, None);
    let t = texts(&d).join("\n");
    assert!(t.contains("Even +40 %"), "{t}");
    assert!(
        !t.contains("ALPPS") && !t.contains("venous deprivation"),
        "{t}"
    );
}

/// Bad input gets a sentence saying what is wrong, never a verdict computed from it.
/// Old code: an absurd weight was dropped silently and the plan graded on the measured
/// FLR; weeks since PVE longer than the scan interval gave a KGR.
#[test]
fn bad_input_is_named_and_never_graded() {
    let (g, bits) = scene(20, &[], false);
    let inputs = PlanInputs {
        height_cm: Some(180.0),
        weight_kg: Some(900.0),
        ..Default::default()
    };
    let d = plan(&g, &bits, &inputs, None, None);
    assert_eq!(d.assessment.verdict.decision, Decision::NoVerdict);
    assert!(
        d.sentences[0].text.contains("weight 900 kg is outside"),
        "{}",
        d.sentences[0].text
    );
}

/// Old code: weeks since PVE longer than the weeks between the scans (impossible: the
/// first scan is before PVE) gave a KGR.
#[test]
fn weeks_since_pve_longer_than_the_scan_interval_are_refused() {
    let (g, bits) = scene(20, &[], false);
    let inputs = PlanInputs {
        weeks_since_pve: Some(6.0),
        weeks_between_scans: Some(4.0),
        ..Default::default()
    };
    let c = Counts::from_bits(&bits);
    let after = AfterPve {
        coverage: None,
        counts: c,
        voxel_mm3: g.voxel_volume_mm3(),
        timing: inputs.timing(),
    };
    let d = plan(&g, &bits, &inputs, None, Some(after));
    assert!(d.growth.is_none());
    let t = texts(&d);
    assert!(
        t.iter().any(
            |s| s.contains("weeks since PVE (6) are more than the weeks between the scans (4)")
        ),
        "{t:#?}"
    );
    assert!(!t.iter().any(|s| s.contains("KGR")), "{t:#?}");
}

/// A post-PVE scan without a resection: what is missing, and no post-PVE verdict (this
/// one already held on the old code; kept so it stays so).
#[test]
fn a_post_pve_scan_without_a_resection_gets_no_verdict() {
    let (g, bits) = scene(20, &[], false);
    let inputs = PlanInputs {
        weeks_since_pve: Some(3.0),
        ..Default::default()
    };
    let after = AfterPve {
        coverage: None,
        counts: counts(1000, 0, 0),
        voxel_mm3: 1000.0,
        timing: inputs.timing(),
    };
    let d = plan(&g, &bits, &inputs, None, Some(after));
    let t = texts(&d);
    assert!(
        t.iter()
            .any(|s| s.contains("trace the planned resection on the post-PVE scan")),
        "{t:#?}"
    );
    assert!(!t.iter().any(|s| s.contains("Post-PVE scan:")), "{t:#?}");
}

/// Old code: "PCI 27 > 20: in colorectal cancer this is widely taken as a
/// contraindication to CRS/HIPEC", credited to "expert practice" (no source).
#[test]
fn the_pci_limit_of_20_is_marked_as_remnants_own() {
    use remnant::pci::{LesionSize, Pci, PciFlagKind};
    let mut p = Pci::new();
    for r in 0..9 {
        p.set(r, LesionSize::Ls3).unwrap();
    }
    let f = p
        .flags()
        .into_iter()
        .find(|f| f.kind == PciFlagKind::HighTotal)
        .expect("PCI 27 is flagged");
    assert!(!f.message.contains("widely"), "{}", f.message);
    assert!(f.message.contains("Remnant's own flag"), "{}", f.message);
    assert!(f.source.starts_with("Remnant's own flag"), "{}", f.source);
}

/// Old code: the PDF's data check cited "the review of colorectal peritoneal
/// metastases (seed 002)".
#[test]
fn the_operative_reports_data_checks_cite_no_seed_file() {
    let mut report = report_fixtures::sample_report();
    report.cc_score = Some(remnant::pci::CcScore::Cc2);
    report.hipec = Some(Default::default());
    let problems: Vec<String> = report.validate().iter().map(|p| p.to_string()).collect();
    let hipec: Vec<&String> = problems
        .iter()
        .filter(|p| p.contains("HIPEC recorded with"))
        .collect();
    assert_eq!(hipec.len(), 1, "{problems:#?}");
    assert!(!hipec[0].contains("seed"), "{}", hipec[0]);
}

/// A post-PVE scan whose liver touches that scan's edge got a graded verdict (only its
/// counts were kept): now its coverage is kept with the post-PVE scan and, as on the
/// first scan, no graded verdict is given; the sentence says why.
#[test]
fn a_post_pve_liver_at_the_edge_of_its_scan_gets_no_graded_verdict() {
    let (g, bits) = scene(30, &[], false);
    let inputs = PlanInputs {
        weeks_since_pve: Some(3.0),
        ..Default::default()
    };
    let edge = remnant::volumetry::coverage::Coverage {
        first_slice: true,
        ..Default::default()
    };
    for (coverage, graded) in [
        (None, true),
        (Some(Default::default()), true),
        (Some(edge), false),
    ] {
        let after = AfterPve {
            coverage,
            counts: counts(500_000, 500_000, 0),
            voxel_mm3: 1.0,
            timing: inputs.timing(),
        };
        let d = plan(&g, &bits, &inputs, None, Some(after));
        let now = d.current();
        assert_eq!(
            now.verdict.decision != Decision::NoVerdict,
            graded,
            "{coverage:?}: {:?}",
            now.verdict.text
        );
        if !graded {
            let t = texts(&d);
            assert!(t[0].starts_with("Post-PVE scan:"), "{t:#?}");
            assert!(t[0].contains("first slice"), "{t:#?}");
        }
    }
}
