use super::super::brush::{BrushShape, footprint, paint_stroke, stroke_stamps, stroke_voxels};
use super::super::geom::Axis;
use super::super::grid::Grid;
use super::super::rules::{EditCtx, PaintMode, PaintRules};
use super::{blank, count, ctx};
use crate::segmentation::Layer;
use std::f64::consts::PI;

#[test]
fn sphere_volume_respects_anisotropic_spacing() {
    let (g, ct, mut labels) = blank([80, 80, 30], [0.5, 0.5, 2.0]);
    let c = ctx(&g, &ct, Layer::Liver);
    let r = 12.0;
    let e = paint_stroke(
        &c,
        &mut labels,
        &[[40.0, 40.0, 15.0]],
        r,
        BrushShape::Sphere,
        PaintMode::Paint,
    );
    let n = count(&labels, 1) as f64;
    let expect = 4.0 / 3.0 * PI * r.powi(3) / (0.5 * 0.5 * 2.0);
    assert!((n - expect).abs() / expect < 0.03, "{n} vs {expect}");
    assert_eq!(e.changed_voxels() as f64, n);
    // Extent: 24 voxels in i, 6 in k from the centre.
    let b = e.bbox();
    assert_eq!((b.lo[0], b.hi[0]), (16, 65));
    assert_eq!((b.lo[2], b.hi[2]), (9, 22));
}

#[test]
fn disc_stays_on_its_slice() {
    let (g, ct, mut labels) = blank([60, 50, 40], [0.7, 0.7, 2.5]);
    let c = ctx(&g, &ct, Layer::Resection);
    let r = 10.0;
    for axis in [Axis::I, Axis::J, Axis::K] {
        labels.iter_mut().for_each(|v| *v = 0);
        let e = paint_stroke(
            &c,
            &mut labels,
            &[[30.2, 25.0, 19.6]],
            r,
            BrushShape::Disc(axis),
            PaintMode::Paint,
        );
        let fixed = [30usize, 25, 20][axis.n()];
        for (n, &v) in labels.iter().enumerate() {
            if v != 0 {
                assert_eq!(g.ijk(n)[axis.n()], fixed);
            }
        }
        let (a, b) = axis.in_plane();
        let expect = PI * r * r / (g.spacing[a] * g.spacing[b]);
        let n = count(&labels, 2) as f64;
        assert!(
            (n - expect).abs() / expect < 0.06,
            "{axis:?}: {n} vs {expect}"
        );
        assert_eq!(e.changed_voxels() as f64, n);
    }
}

#[test]
fn stroke_stamps_are_close_enough() {
    let g = Grid {
        dims: [100, 100, 50],
        spacing: [0.8, 0.8, 3.0],
    };
    let pts = [[10.0, 10.0, 5.0], [90.0, 20.0, 30.0], [50.0, 90.0, 45.0]];
    for r in [0.3, 2.0, 7.5] {
        let s = stroke_stamps(&g, &pts, r, BrushShape::Sphere);
        assert!(s.len() > 2);
        for w in s.windows(2) {
            let d: f64 = (0..3)
                .map(|a| ((w[1][a] - w[0][a]) * g.spacing[a]).powi(2))
                .sum::<f64>()
                .sqrt();
            assert!(d <= (r / 2.0).max(0.4) + 1e-9, "r {r}: gap {d}");
        }
    }
    // A stroke paints a continuous band: every voxel along the polyline is covered.
    let fp = footprint(&g, &pts[..2], 2.0, BrushShape::Sphere);
    for t in 0..=100 {
        let t = t as f64 / 100.0;
        let p: Vec<usize> = (0..3)
            .map(|a| (pts[0][a] + (pts[1][a] - pts[0][a]) * t).round() as usize)
            .collect();
        let s = fp.bbox.size();
        let l = (p[0] - fp.bbox.lo[0])
            + s[0] * ((p[1] - fp.bbox.lo[1]) + s[1] * (p[2] - fp.bbox.lo[2]));
        assert_eq!(fp.mask[l], 1);
    }
}

#[test]
fn rules_and_other_bits() {
    let (g, mut ct, _) = blank([30, 30, 10], [1.0; 3]);
    // Liver (bit 0) on the left half; HU 100 for j < 10, 300 for 10 <= j < 15.
    let mut labels: Vec<u8> = (0..g.n_voxels())
        .map(|n| if g.ijk(n)[0] < 15 { 1 | 8 } else { 8 })
        .collect();
    for (n, v) in ct.iter_mut().enumerate() {
        let j = g.ijk(n)[1];
        *v = if j < 10 {
            100
        } else if j < 15 {
            300
        } else {
            0
        };
    }
    let rules = PaintRules {
        editable: Some(1),
        hu: Some((50, 150)),
    };
    let c = EditCtx::new(&g, &ct, Layer::Tumour, rules);
    paint_stroke(
        &c,
        &mut labels,
        &[[15.0, 15.0, 5.0]],
        8.0,
        BrushShape::Sphere,
        PaintMode::Paint,
    );
    let painted: Vec<usize> = (0..g.n_voxels()).filter(|&n| labels[n] & 4 != 0).collect();
    assert!(!painted.is_empty());
    for &n in &painted {
        let p = g.ijk(n);
        assert!(p[0] < 15 && p[1] < 10, "{p:?}");
    }
    assert!(labels.iter().all(|&v| v & 8 != 0), "bit 3 untouched");
    // Erasing is not restricted, and only clears the tumour bit.
    let c2 = EditCtx::new(
        &g,
        &ct,
        Layer::Tumour,
        PaintRules {
            editable: Some(2),
            hu: Some((1000, 1000)),
        },
    );
    let e = paint_stroke(
        &c2,
        &mut labels,
        &[[15.0, 15.0, 5.0]],
        20.0,
        BrushShape::Sphere,
        PaintMode::Erase,
    );
    assert_eq!(e.changed_voxels(), painted.len());
    assert_eq!(count(&labels, 4), 0);
    assert_eq!(count(&labels, 1), g.n_voxels() / 2);
}

#[test]
fn brush_edge_cases() {
    let (g, ct, mut labels) = blank([20, 20, 20], [1.0; 3]);
    let c = ctx(&g, &ct, Layer::Liver);
    let mut paint = |pts: &[[f64; 3]], r: f64, shape| {
        paint_stroke(&c, &mut labels, pts, r, shape, PaintMode::Paint)
    };
    assert!(paint(&[], 5.0, BrushShape::Sphere).is_empty());
    assert!(paint(&[[-50.0, 5.0, 5.0]], 5.0, BrushShape::Sphere).is_empty());
    assert!(paint(&[[f64::NAN, 5.0, 5.0]], 5.0, BrushShape::Sphere).is_empty());
    assert!(paint(&[[5.0, 5.0, 5.0]], f64::NAN, BrushShape::Disc(Axis::K)).changed_voxels() == 1);
    // Absurd coordinates: no panic, bounded work.
    let _ = paint(
        &[[1e300, -1e300, 5.0], [-1e300, 1e300, 5.0]],
        1.0,
        BrushShape::Sphere,
    );
    assert!(paint(&[[5.0, 5.0, 99.0]], 3.0, BrushShape::Disc(Axis::K)).is_empty());
    // Radius 0 paints the voxel under the point.
    let e = paint(&[[10.4, 9.6, 3.2]], 0.0, BrushShape::Sphere);
    assert_eq!(e.changed_voxels(), 1);
    // A stroke partly outside the volume paints the inside part.
    assert!(
        !paint(
            &[[-30.0, 15.0, 15.0], [10.0, 15.0, 15.0]],
            2.0,
            BrushShape::Sphere
        )
        .is_empty()
    );
    // Mismatched label buffer: nothing happens.
    let mut short = vec![0u8; 7];
    assert!(
        paint_stroke(
            &c,
            &mut short,
            &[[1.0, 1.0, 1.0]],
            3.0,
            BrushShape::Sphere,
            PaintMode::Paint
        )
        .is_empty()
    );
    let empty = Grid {
        dims: [0, 5, 5],
        spacing: [1.0; 3],
    };
    assert!(stroke_voxels(&empty, &[[0.0, 0.0, 0.0]], 3.0, BrushShape::Sphere).is_empty());
}
