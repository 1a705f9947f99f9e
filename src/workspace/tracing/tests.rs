//! Tests of the tracing session on a phantom.

use super::*;
use std::path::PathBuf;

fn phantom_study() -> Study {
    let (ct, map) = crate::phantom::make();
    let mut s = Study::new(PathBuf::from("phantom.nii.gz"), ct, None);
    s.labels = map;
    s
}

fn count(s: &Study, bit: u8) -> usize {
    s.labels.bits.iter().filter(|&&b| b & bit != 0).count()
}

#[test]
fn a_line_drawn_on_a_slice_cuts_the_liver_on_the_chosen_side() {
    let mut s = phantom_study();
    // start from no resection: the cut alone makes it
    for b in &mut s.labels.bits {
        *b &= !Layer::Resection.bit();
    }
    let [nx, ny, nz] = s.ct.dims();
    let mut ed = Editor::new();
    ed.tool = Tool::CutPlane;
    let x = 40.3;
    ed.press(&mut s, Axis::K, nz / 2, [x, 2.0, (nz / 2) as f64]);
    ed.drag(&mut s, [x, ny as f64 - 3.0, (nz / 2) as f64]);
    assert!(!ed.release(&mut s), "a cut is previewed, not applied");
    // the plane through the line along the slice normal is i = x: count by hand
    let liver_bits = Layer::Liver.bit() | Layer::Tumour.bit();
    let side = |pos: bool| {
        let mut n = 0;
        for k in 0..nz {
            for j in 0..ny {
                for i in 0..nx {
                    let b = s.labels.bits[i + nx * (j + ny * k)];
                    if b & liver_bits != 0 && ((i as f64) > x) == pos {
                        n += 1;
                    }
                }
            }
        }
        n
    };
    let first = ed.pending.as_ref().unwrap().preview.voxel_count();
    ed.flip_cut(&s);
    let other = ed.pending.as_ref().unwrap().preview.voxel_count();
    let (a, b) = (side(true), side(false));
    assert!(
        (first, other) == (a, b) || (first, other) == (b, a),
        "{first}/{other} vs {a}/{b}"
    );
    assert!(ed.accept(&mut s));
    assert_eq!(count(&s, Layer::Resection.bit()), other);
    assert!(ed.undo(&mut s));
    assert_eq!(count(&s, Layer::Resection.bit()), 0);
}

#[test]
fn a_brush_stroke_is_one_undo_step_and_respects_the_liver_area() {
    let mut s = phantom_study();
    let before = s.labels.bits.clone();
    let mut ed = Editor::new();
    ed.tool = Tool::Brush;
    ed.settings.layer = Layer::Tumour;
    ed.settings.radius_mm = 12.0;
    let k = s.ct.dims()[2] / 2;
    let kf = k as f64;
    ed.press(&mut s, Axis::K, k, [5.0, 5.0, kf]);
    for x in 6..60 {
        ed.drag(&mut s, [x as f64, 30.0, kf]);
    }
    assert!(ed.release(&mut s));
    assert_eq!(ed.undo_steps(), 1);
    // only inside the liver, only on slice k, only the tumour bit was set
    let [nx, ny, _] = s.ct.dims();
    for (idx, (&a, &b)) in before.iter().zip(&s.labels.bits).enumerate() {
        if a != b {
            assert_eq!(a ^ b, Layer::Tumour.bit());
            assert_ne!(a & Layer::Liver.bit(), 0, "outside the liver at {idx}");
            assert_eq!(idx / (nx * ny), k);
        }
    }
    assert_ne!(before, s.labels.bits);
    assert!(ed.undo(&mut s));
    assert_eq!(before, s.labels.bits);
    assert!(ed.redo(&mut s));
    assert_ne!(before, s.labels.bits);
}

#[test]
fn the_trainee_score_is_recomputed_when_a_stroke_ends_not_on_every_frame() {
    let mut s = phantom_study();
    let reference: Vec<u8> = s.labels.bits.iter().map(|&b| b & 1).collect();
    for b in &mut s.labels.bits {
        *b = 0;
    }
    let mut ed = Editor::new();
    ed.set_reference(Some(Reference {
        name: "ref".into(),
        mask: reference,
    }));
    assert_eq!(ed.score(&s).map(|x| x.traced_ml), Some(0.0));
    let hl_rev = ed.highlight(&s).map(|h| h.2);
    ed.tool = Tool::Brush;
    ed.settings.radius_mm = 10.0;
    let k = s.ct.dims()[2] / 2;
    let rev0 = s.revision;
    ed.press(&mut s, Axis::K, k, [40.0, 40.0, k as f64]);
    ed.drag(&mut s, [50.0, 40.0, k as f64]);
    assert_ne!(s.revision, rev0, "the stroke painted");
    assert_eq!(
        ed.score(&s).map(|x| x.traced_ml),
        Some(0.0),
        "kept mid-stroke"
    );
    assert_eq!(
        ed.highlight(&s).map(|h| h.2),
        hl_rev,
        "not rebuilt mid-stroke"
    );
    assert!(ed.release(&mut s));
    assert!(
        ed.score(&s).is_some_and(|x| x.traced_ml > 0.0),
        "updated after"
    );
    assert_ne!(ed.highlight(&s).map(|h| h.2), hl_rev);
}

#[test]
fn region_fill_takes_its_range_from_the_clicked_tissue() {
    let mut s = phantom_study();
    for b in &mut s.labels.bits {
        *b = 0;
    }
    let mut ed = Editor::new();
    ed.tool = Tool::RegionFill;
    // the phantom's liver is ~60 HU parenchyma in ~-100 HU fat
    let [nx, ny, nz] = s.ct.dims();
    let (c, _) = crate::phantom::make();
    let liver_voxel = (0..nx * ny * nz)
        .find(|&i| {
            let (i0, j0, k0) = (i % nx, (i / nx) % ny, i / (nx * ny));
            k0 == nz / 2 && c.as_slice()[i] > 40 && i0 > 30 && j0 > 30
        })
        .unwrap();
    let v = [
        liver_voxel % nx,
        (liver_voxel / nx) % ny,
        liver_voxel / (nx * ny),
    ];
    let changed = ed.press(
        &mut s,
        Axis::K,
        v[2],
        [v[0] as f64, v[1] as f64, v[2] as f64],
    );
    assert!(changed, "{:?}", ed.message);
    let (lo, hi) = ed.settings.hu;
    assert!(lo > -50 && hi < 200 && lo < hi, "{lo}..{hi}");
    // the fill stayed in the tissue of that range
    for (i, &b) in s.labels.bits.iter().enumerate() {
        if b != 0 {
            let hu = s.ct.as_slice()[i];
            assert!(hu >= lo && hu <= hi);
        }
    }
    assert!(count(&s, Layer::Liver.bit()) > 1000);
}
