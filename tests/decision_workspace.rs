//! Issue 15 review item 4: a case saved (and a PDF exported) from the app carries the
//! post-PVE growth and KGR when the surgeon loaded a post-PVE scan. Before, the scan
//! lived only in the Plan panel's state and `Workspace::fill_liver_figures` passed
//! `None`, so the saved figures never had them. Headless, through the Workspace.

mod common;
mod report_fixtures;

use remnant::segmentation::Layer;
use remnant::study::Study;
use remnant::volumetry::Counts;
use remnant::volumetry::growth::PostPveScan;
use remnant::workspace::Workspace;

#[test]
fn the_saved_case_and_pdf_carry_the_post_pve_growth_and_kgr() {
    let dir = tempfile::tempdir().unwrap();
    let (ct, map) = remnant::phantom::make();
    let g = ct.geometry.clone();
    // the scan on disk, so the case refers to a real file (and `remnant report` reopens it)
    let scan = dir.path().join("phantom.nii.gz");
    remnant::volume::nifti::write_volume(&scan, ct.as_slice(), &g, None, "phantom").unwrap();
    let mut study = Study::new(scan, ct, None);
    study.labels = map.clone();
    let mut ws = Workspace::new();
    ws.install(study);

    // the post-PVE map: the same liver, with n voxels of the resection given back to
    // the remnant, so the FLR grows by exactly 100 n / functional points
    let before = Counts::from_bits(&map.bits);
    assert!(before.resected > 0 && before.remnant > 0);
    let n = before.resected / 4;
    let r = Layer::Resection.bit();
    let mut after_bits = map.bits.clone();
    let mut moved = 0;
    for b in after_bits.iter_mut() {
        if moved == n {
            break;
        }
        if *b == Layer::Liver.bit() | r {
            *b &= !r;
            moved += 1;
        }
    }
    assert_eq!(moved, n);
    let dh = 100.0 * n as f64 / before.functional() as f64;

    // without a post-PVE scan: no growth in the figures
    ws.fill_liver_figures();
    let f = ws.report.liver.figures.clone().unwrap();
    assert_eq!(f.kgr_percent_per_week, None);

    // what the app does when the surgeon loads the scan and types 2.5 weeks since PVE
    let mut planning = ws.planning.clone();
    planning.post_pve = Some(PostPveScan {
        coverage: None,
        name: "post_pve.nii.gz".into(),
        counts: Counts::from_bits(&after_bits),
        voxel_mm3: g.voxel_volume_mm3(),
    });
    planning.weeks_since_pve = Some(2.5);
    ws.set_planning(planning);
    ws.fill_liver_figures();
    let f = ws.report.liver.figures.clone().unwrap();
    let dh_saved = f.degree_of_hypertrophy_points.unwrap();
    assert!((dh_saved - dh).abs() < 1e-9, "{dh_saved} vs {dh}");
    assert!((f.kgr_percent_per_week.unwrap() - dh / 2.5).abs() < 1e-9);
    assert!(
        f.statements
            .iter()
            .any(|s| s.contains("2.5 weeks since PVE")),
        "{:?}",
        f.statements
    );

    // saved and reopened: the planning keeps the scan and the weeks, the report the KGR
    let case = dir.path().join("case.remnant.json");
    remnant::case::save(&case, &ws.snapshot()).unwrap();
    let opened = remnant::case::open(&case).unwrap();
    assert_eq!(opened.case.planning, ws.planning);
    assert_eq!(opened.case.planning.weeks_since_pve, Some(2.5));
    let figs = opened.report.liver.figures.unwrap();
    assert!((figs.kgr_percent_per_week.unwrap() - dh / 2.5).abs() < 1e-9);

    // and the PDF exported from it prints the KGR and the growth sentence
    let pdf = remnant::report::render_pdf(&ws.report, &[]).unwrap();
    let Some(text) = report_fixtures::pdftotext(&pdf) else {
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("KGR after PVE"), "{flat}");
    assert!(flat.contains("Degree of hypertrophy"), "{flat}");
    assert!(flat.contains("weeks since PVE"), "{flat}");

    // `remnant report` recomputes the figures from the case's layers: with the
    // post-PVE scan of its planning (it passed none before)
    let out_pdf = dir.path().join("case.pdf");
    let out = std::process::Command::new(common::bin())
        .arg("report")
        .arg("--input")
        .arg(&case)
        .arg("--pdf")
        .arg(&out_pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = report_fixtures::pdftotext(&std::fs::read(&out_pdf).unwrap()).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("KGR after PVE"), "{flat}");
    assert!(flat.contains("2.5 weeks since PVE"), "{flat}");
}

/// A case saved before the post-PVE fields existed (no `post_pve`, no weeks) opens as
/// before: the planning inputs default to no comparison.
#[test]
fn older_planning_without_post_pve_fields_loads() {
    let old = r#"{"condition":"chemo","thresholds":{"normal":20.0,"chemo":30.0,"cirrhosis":40.0,"source":"x"},"height_cm":172.0,"weight_kg":70.0}"#;
    let p: remnant::volumetry::PlanInputs = serde_json::from_str(old).unwrap();
    assert_eq!(p.post_pve, None);
    assert_eq!(p.weeks_since_pve, None);
    // and a planning without a post-PVE scan writes no such keys
    let text = serde_json::to_string(&p).unwrap();
    assert!(
        !text.contains("post_pve") && !text.contains("weeks"),
        "{text}"
    );
}
