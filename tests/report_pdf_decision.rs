//! The PDF says what was decided, in full: every CC text (however it wraps), and the
//! pre-operative plan block with its margins and Fong score, from a traced phantom.

mod report_fixtures;

use remnant::clinical::decide;
use remnant::pci::CcScore;
use remnant::report::render_pdf;
use remnant::segmentation::Layer;
use remnant::segmentation::components::components;
use remnant::volume::Geometry;
use remnant::volumetry::PlanInputs;

/// pdftotext output with every run of whitespace (line breaks included) as one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The PDF's text in content-stream order (`pdftotext -raw`): a wrapped value's lines
/// follow each other even where `-layout` interleaves them with the diagram beside.
fn raw_text(pdf: &[u8]) -> Option<String> {
    report_fixtures::pdftotext_with(pdf, "-raw")
}

/// Issue 15 item 3 (fails on the old code, which printed only the first wrapped line:
/// CC-3 lost "unresectable disease").
#[test]
fn every_cc_text_is_printed_in_full() {
    for cc in [CcScore::Cc0, CcScore::Cc1, CcScore::Cc2, CcScore::Cc3] {
        let mut report = report_fixtures::sample_report();
        report.cc_score = Some(cc);
        let pdf = render_pdf(&report, &[]).unwrap();
        let Some(text) = raw_text(&pdf) else {
            return;
        };
        let text = flat(&text);
        let want = format!("{} \u{2013} {}", cc.label(), cc.description());
        assert!(text.contains(&flat(&want)), "{want} not in: {text}");
    }
}

#[test]
fn the_pdf_of_a_case_shows_the_plan_block_margins_and_fong_score() {
    // 2 mm voxels; liver block; plane z = 40 mm, above it resected; two tumours:
    // one 8 mm above the plane (margin flagged), one 30 mm wide far inside.
    let g = Geometry::axis_aligned([60, 50, 50], [2.0, 2.0, 2.0], [0.0; 3]);
    let mut bits = vec![0u8; g.voxel_count()];
    let (l, r, t) = (
        Layer::Liver.bit(),
        Layer::Resection.bit(),
        Layer::Tumour.bit(),
    );
    for k in 2..48 {
        for j in 2..48 {
            for i in 2..58 {
                let p = g.to_world([i as f64, j as f64, k as f64]);
                let mut b = l;
                if p[2] > 40.0 {
                    b |= r;
                }
                for (c, rad) in [([30.0, 50.0, 54.0], 6.0), ([80.0, 50.0, 70.0], 15.0)] {
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
    let mut inputs = PlanInputs {
        plan_date: Some("2026-11-20".into()),
        height_cm: Some(175.0),
        weight_kg: Some(70.0),
        ..Default::default()
    };
    inputs.fong.node_positive_primary = Some(true);
    let d = decide(&bits, &g, &inputs, &tumours, Some(7), None);
    let mut report = report_fixtures::sample_report();
    report.liver.figures = Some(remnant::case::liver_figures(&d, &inputs));
    let pdf = render_pdf(&report, &[]).unwrap();
    let Some(text) = report_fixtures::pdftotext(&pdf) else {
        return;
    };
    let text = flat(&text);
    assert!(text.contains("pre-operative plan (2026-11-20)"), "{text}");
    assert!(text.contains("Required FLR"), "{text}");
    assert!(!text.contains("Minimum safe FLR"), "{text}");
    assert!(text.contains("Judged on sFLR"), "{text}");
    assert!(text.contains("sTLV (Vauthey 2002)"), "{text}");
    // margins: tumour #2 (the smaller one) is within a voxel of 8 mm from the plane; on
    // 2 mm voxels it is printed to the mm with +/- 2 mm (one voxel spacing)
    let m = d.margins.iter().find(|m| m.id == 2).unwrap();
    let shown = format!(
        "margin {:.0} ± 2.0 mm (one voxel spacing) to the resection boundary, < 10 mm (planned geometric distance on the scan, not the histological margin",
        m.margin_mm.unwrap()
    );
    assert!(m.margin_mm.unwrap() + 2.0 < 10.0, "{m:?}");
    assert!(text.contains(&shown), "{shown} not in {text}");
    // the Fong score from the traced tumours (2 tumours: 1 point) + node-positive (1 point)
    assert!(
        text.contains("Fong clinical risk score at least 2 / 5"),
        "{text}"
    );
    assert!(
        text.contains("more than one tumour yes (from tracing: 2 traced)"),
        "{text}"
    );
    // the functional caveat, once
    assert_eq!(text.matches("Volume is not function").count(), 1, "{text}");
    // every statement of the decision is in the PDF, word for word
    for s in &d.sentences {
        assert!(text.contains(&flat(&s.text)), "missing: {}", s.text);
    }
}
