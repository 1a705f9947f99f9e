//! Rulers kept in the case (old case files without them still open), checked
//! against the scan they are opened onto, and drawn with their length in the PDF's
//! key images (the app's export and `remnant report --pdf`).

mod common;
mod report_fixtures;
use common::*;
use remnant::case;
use remnant::measure::Ruler;
use remnant::render::Plane;
use remnant::report::{KeyImage, Report, render_pdf};
use remnant::study::Study;
use remnant::task::Task;
use remnant::volumetry::PlanInputs;
use remnant::workspace::{Snapshot, Workspace};
use std::process::Command;

/// Distance of two voxel positions through a row-major affine, written out here
/// (not the app's code).
fn by_hand(m: &[[f64; 4]; 4], a: [f64; 3], b: [f64; 3]) -> f64 {
    let w = |p: [f64; 3]| -> Vec<f64> {
        (0..3)
            .map(|r| m[r][0] * p[0] + m[r][1] * p[1] + m[r][2] * p[2] + m[r][3])
            .collect()
    };
    let (wa, wb) = (w(a), w(b));
    ((wa[0] - wb[0]).powi(2) + (wa[1] - wb[1]).powi(2) + (wa[2] - wb[2]).powi(2)).sqrt()
}

fn axial(k: f64) -> Ruler {
    Ruler {
        plane: Plane::Axial,
        a: [20.0, 30.0, k],
        b: [60.0, 50.0, k],
    }
}

fn snapshot_with(s: &Study, rulers: Vec<Ruler>) -> Snapshot {
    let mut snap = Snapshot::of_parts(
        Some((&s.path, &s.labels)),
        &PlanInputs::default(),
        None,
        &Report::default(),
    );
    snap.rulers = rulers;
    snap
}

#[test]
fn a_case_file_without_rulers_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let s = phantom_study(dir.path());
    let cp = dir.path().join("old.json");
    case::save(&cp, &snapshot_with(&s, Vec::new())).unwrap();
    // the layout of a case saved before rulers existed: no "rulers" key at all
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&cp).unwrap()).unwrap();
    assert!(
        v.get("rulers").is_none(),
        "no rulers: the field is left out"
    );
    v.as_object_mut().unwrap().remove("rulers");
    std::fs::write(&cp, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    let o = case::open(&cp).unwrap();
    assert!(o.case.rulers.is_empty());
    // and through the workspace, as the app opens it
    let mut ws = Workspace::new();
    let (scan, _) = ws.open_case(&cp).unwrap();
    let (scan, _) = scan.expect("the case names its scan");
    let notes = ws.install(Study::open(&scan, Task::none()).unwrap());
    assert!(ws.rulers.is_empty());
    assert!(!notes.iter().any(|n| n.contains("ruler")), "{notes:?}");
    assert!(!ws.has_unsaved_changes());
}

#[test]
fn rulers_round_trip_through_a_case_and_ones_off_the_grid_are_dropped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let s = phantom_study(dir.path());
    let coronal = Ruler {
        plane: Plane::Coronal,
        a: [10.25, 40.0, 5.5],
        b: [70.0, 40.0, 30.0],
    };
    let outside = Ruler {
        a: [20.0, 30.0, 12.0],
        b: [120.0, 30.0, 12.0],
        plane: Plane::Axial,
    };
    let rulers = vec![axial(12.0), coronal, outside];
    let cp = dir.path().join("case.json");
    case::save(&cp, &snapshot_with(&s, rulers.clone())).unwrap();
    let text = std::fs::read_to_string(&cp).unwrap();
    assert!(text.contains("\"rulers\""), "{text}");
    let o = case::open(&cp).unwrap();
    assert_eq!(o.case.rulers, rulers, "end points come back exactly");
    let mut ws = Workspace::new();
    let (scan, _) = ws.open_case(&cp).unwrap();
    let notes = ws.install(Study::open(&scan.unwrap().0, Task::none()).unwrap());
    assert_eq!(ws.rulers, vec![axial(12.0), coronal]);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("ruler 3 (Axial) was not loaded")
                && n.contains("outside the scan's 96 x 80 x 40 voxel grid")),
        "{notes:?}"
    );
    // the lengths from the phantom's affine (1.5 x 1.5 x 3 mm, i and j reversed)
    let g = &ws.study.as_ref().unwrap().ct.geometry;
    let m = g.affine;
    assert!((ws.rulers[0].length_mm(&m) - (60.0f64.powi(2) + 30.0f64.powi(2)).sqrt()).abs() < 1e-9);
    assert!((ws.rulers[1].length_mm(&m) - by_hand(&m, coronal.a, coronal.b)).abs() < 1e-9);
    // a snapshot (case save, autosave) keeps them
    assert_eq!(ws.snapshot().rulers, ws.rulers);
    // deleting one is unsaved work
    assert!(!ws.has_unsaved_changes());
    assert_eq!(ws.delete_ruler(0), Some(axial(12.0)));
    assert!(ws.has_unsaved_changes());
    assert_eq!(ws.delete_ruler(5), None);
    // another scan opened on its own starts without the case's rulers
    ws.install(Study::open(&sample("ct.nii.gz"), Task::none()).unwrap());
    assert!(ws.rulers.is_empty());
}

/// The slice (0-based) of a key image from its caption "Axial slice N/M ...".
fn caption_slice(k: &KeyImage) -> usize {
    let n: usize = k
        .caption
        .split_whitespace()
        .nth(2)
        .and_then(|t| t.split('/').next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("caption {}", k.caption));
    n - 1
}

/// The images of a PDF as `pdfimages` extracts them: (width, height, RGB).
fn pdf_images(pdf: &[u8]) -> Option<Vec<(usize, usize, Vec<u8>)>> {
    let pdfimages = report_fixtures::tools::tool("pdfimages")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    // (PPM is pdfimages' default output)
    report_fixtures::tools::run(
        Command::new(pdfimages)
            .arg(&path)
            .arg(dir.path().join("img")),
    );
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ppm"))
        .collect();
    names.sort();
    Some(
        names
            .iter()
            .map(|p| {
                let b = std::fs::read(p).unwrap();
                // P6\nW H\n255\n then RGB
                let mut fields = Vec::new();
                let mut i = 0;
                while fields.len() < 4 {
                    while b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    let s = i;
                    while !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    fields.push(String::from_utf8_lossy(&b[s..i]).into_owned());
                }
                let (w, h): (usize, usize) =
                    (fields[1].parse().unwrap(), fields[2].parse().unwrap());
                (w, h, b[i + 1..].to_vec())
            })
            .collect(),
    )
}

#[test]
fn the_pdf_key_image_shows_the_ruler_with_its_length() {
    let dir = tempfile::tempdir().unwrap();
    let s = phantom_study(dir.path());
    let plain = case::key_images(&s, &[]);
    let k = caption_slice(&plain[0]);
    assert!(plain[0].caption.starts_with("Axial"));
    let ruler = axial(k as f64);
    let with = case::key_images(&s, &[ruler]);
    assert_eq!(
        with.len(),
        plain.len(),
        "the ruler is on the axial key slice"
    );
    let (a, b) = (&plain[0], &with[0]);
    assert_eq!((a.width, a.height), (b.width, b.height));
    // the phantom: i to the screen's right, j downwards, 1.5 x 1.5 mm pixels, so
    // voxel (i, j) is pixel (i, j): the line runs from (20, 30) to (60, 50)
    let w = a.width as usize;
    let px = |img: &KeyImage, x: usize, y: usize| -> [u8; 3] {
        let i = (y * w + x) * 3;
        [img.rgb[i], img.rgb[i + 1], img.rgb[i + 2]]
    };
    for t in 0..=10 {
        let (x, y) = (20 + 4 * t, 30 + 2 * t);
        assert_eq!(px(b, x, y), [255, 215, 0], "yellow at ({x}, {y})");
    }
    let mut changed = 0;
    for y in 0..a.height as usize {
        for x in 0..w {
            if px(a, x, y) != px(b, x, y) {
                changed += 1;
                // on the segment or its end ticks: within 4 px of the line
                let (dx, dy) = (x as f64 - 20.0, y as f64 - 30.0);
                let t = ((dx * 40.0 + dy * 20.0) / 2000.0).clamp(0.0, 1.0);
                let d = ((dx - 40.0 * t).powi(2) + (dy - 20.0 * t).powi(2)).sqrt();
                assert!(
                    d <= 4.0,
                    "pixel ({x}, {y}) changed, {d:.1} px off the ruler"
                );
            }
        }
    }
    assert!(changed >= 40, "{changed} pixels drawn");
    // the coronal key image and the 3-D snapshot are untouched
    for (p, q) in plain.iter().zip(&with).skip(1) {
        assert_eq!(p, q);
    }
    // its length, by hand: 40 and 20 voxels of 1.5 mm
    let mm = by_hand(&s.ct.geometry.affine, ruler.a, ruler.b);
    let label = format!("{mm:.1} mm");
    assert_eq!(label, "67.1 mm");
    assert_eq!(b.labels.len(), 1);
    assert_eq!(b.labels[0].text, label);
    assert!(
        b.caption.contains("ruler (yellow): 67.1 mm"),
        "{}",
        b.caption
    );

    let report = Report::default();
    let pdf_plain = render_pdf(&report, &plain).unwrap();
    let pdf_with = render_pdf(&report, &with).unwrap();
    if let (Some(ip), Some(iw)) = (pdf_images(&pdf_plain), pdf_images(&pdf_with)) {
        assert_eq!(ip.len(), iw.len());
        // the PDF's axial key image is the one drawn, pixel for pixel
        assert_eq!((iw[0].0, iw[0].1), (w, a.height as usize));
        assert_eq!(iw[0].2, b.rgb);
        assert_eq!(ip[0].2, a.rgb);
        assert_ne!(ip[0].2, iw[0].2);
    }
    let (Some(tp), Some(tw)) = (
        report_fixtures::pdftotext(&pdf_plain),
        report_fixtures::pdftotext(&pdf_with),
    ) else {
        return;
    };
    assert!(!tp.contains("67.1 mm"), "{tp}");
    assert!(
        tw.matches("67.1 mm").count() >= 2,
        "the length over the image and in the caption: {tw}"
    );
}

#[test]
fn a_ruler_on_another_slice_gets_its_own_key_image() {
    let dir = tempfile::tempdir().unwrap();
    let s = phantom_study(dir.path());
    let plain = case::key_images(&s, &[]);
    let coronal_key = caption_slice(&plain[1]);
    let j = if coronal_key == 10 { 11 } else { 10 };
    let r = Ruler {
        plane: Plane::Coronal,
        a: [10.0, j as f64, 5.0],
        b: [70.0, j as f64, 30.0],
    };
    // one off the grid is not drawn anywhere (and does not break the export)
    let bad = Ruler {
        b: [70.0, j as f64, 99.0],
        ..r
    };
    let with = case::key_images(&s, &[r, bad]);
    assert_eq!(with.len(), plain.len() + 1);
    let extra = with
        .iter()
        .find(|k| {
            k.caption
                .starts_with(&format!("Coronal slice {}/80", j + 1))
        })
        .expect("an image of the ruler's slice");
    let mm = by_hand(&s.ct.geometry.affine, r.a, r.b);
    assert!(
        extra.caption.contains(&format!("{mm:.1} mm")),
        "{}",
        extra.caption
    );
    assert_eq!(extra.labels.len(), 1);
}

#[test]
fn report_cli_draws_the_cases_rulers() {
    let dir = tempfile::tempdir().unwrap();
    let s = phantom_study(dir.path());
    let k = caption_slice(&case::key_images(&s, &[])[0]);
    let cp = dir.path().join("case.json");
    case::save(&cp, &snapshot_with(&s, vec![axial(k as f64)])).unwrap();
    let pdf = dir.path().join("out.pdf");
    let out = Command::new(bin())
        .args(["report", "--input"])
        .arg(&cp)
        .arg("--pdf")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let Some(text) = report_fixtures::pdftotext(&std::fs::read(&pdf).unwrap()) else {
        return;
    };
    assert!(text.contains("67.1 mm"), "{text}");
}
