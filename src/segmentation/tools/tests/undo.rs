use super::super::brush::{BrushShape, paint_stroke};
use super::super::geom::{Axis, Bbox};
use super::super::grid::Grid;
use super::super::interpolate::{interpolate_slices, traced_slices};
use super::super::polygon::fill_polygon;
use super::super::region::{fill_holes_3d, flood_fill, grow_shrink};
use super::super::rules::{EditCtx, PaintMode, PaintRules};
use super::super::undo::{Edit, UndoStack, diff, write_layer};
use super::{Rng, blank, count, ctx};
use crate::segmentation::Layer;

#[test]
fn xor_record_roundtrip_and_tight_box() {
    let g = Grid {
        dims: [20, 10, 8],
        spacing: [1.0; 3],
    };
    let mut rng = Rng(7);
    let before: Vec<u8> = (0..g.n_voxels()).map(|_| (rng.next() % 8) as u8).collect();
    let mut after = before.clone();
    for &(i, j, k) in &[(3, 2, 1), (15, 7, 5), (4, 4, 4)] {
        after[g.flat(i, j, k)] ^= 0b101;
    }
    let e = diff(&before, &after, &g);
    assert_eq!(e.changed_voxels(), 3);
    assert_eq!(
        e.bbox(),
        Bbox {
            lo: [3, 2, 1],
            hi: [16, 8, 6]
        }
    );
    let mut x = before.clone();
    assert!(e.apply(&mut x));
    assert_eq!(x, after);
    assert!(e.apply(&mut x));
    assert_eq!(x, before);
    // Wrong buffer size: refused, untouched.
    let mut short = vec![0u8; 10];
    assert!(!e.apply(&mut short));
    assert_eq!(short, vec![0u8; 10]);
    assert!(diff(&before, &after[1..], &g).is_empty());
    assert!(diff(&before, &before, &g).is_empty());
}

/// Nine edits of every kind on every layer, each pushed on the stack; the
/// labels after each (the first: before any).
fn mixed_edits(g: &Grid, ct: &[i16], labels: &mut Vec<u8>) -> (UndoStack, Vec<Vec<u8>>) {
    let liver = ctx(g, ct, Layer::Liver);
    let inside_liver = EditCtx::new(
        g,
        ct,
        Layer::Tumour,
        PaintRules {
            editable: Some(1),
            hu: Some((0, 200)),
        },
    );
    let resect = ctx(g, ct, Layer::Resection);
    let mut stack = UndoStack::new();
    let mut snaps = vec![labels.clone()];
    let mut step = |stack: &mut UndoStack, labels: &mut Vec<u8>, e: Edit| {
        assert!(!e.is_empty());
        stack.push(e);
        snaps.push(labels.clone());
    };
    let e = flood_fill(
        &liver,
        labels,
        [20, 18, 12],
        (20, 200),
        None,
        PaintMode::Paint,
    );
    step(&mut stack, labels, e);
    let e = paint_stroke(
        &inside_liver,
        labels,
        &[[15.0, 15.0, 12.0], [25.0, 20.0, 12.0]],
        3.0,
        BrushShape::Sphere,
        PaintMode::Paint,
    );
    step(&mut stack, labels, e);
    let e = fill_polygon(
        &resect,
        labels,
        Axis::K,
        10,
        &[[0.0, 0.0], [30.0, 5.0], [10.0, 30.0]],
        PaintMode::Paint,
    );
    step(&mut stack, labels, e);
    let e = fill_polygon(
        &resect,
        labels,
        Axis::K,
        14,
        &[[2.0, 2.0], [28.0, 6.0], [12.0, 28.0]],
        PaintMode::Paint,
    );
    step(&mut stack, labels, e);
    let keys = traced_slices(g, labels, Layer::Resection, Axis::K);
    let e = interpolate_slices(g, labels, Layer::Resection, Axis::K, &keys).accept(&resect, labels);
    step(&mut stack, labels, e);
    let e = grow_shrink(&liver, labels, 1.7);
    step(&mut stack, labels, e);
    let e = paint_stroke(
        &liver,
        labels,
        &[[20.0, 18.0, 12.0]],
        4.0,
        BrushShape::Disc(Axis::K),
        PaintMode::Erase,
    );
    step(&mut stack, labels, e);
    let e = fill_holes_3d(&liver, labels);
    step(&mut stack, labels, e);
    let e = grow_shrink(&liver, labels, -2.5);
    step(&mut stack, labels, e);
    (stack, snaps)
}

/// Mixed edits on every layer, then undo all / redo all with exact bytes.
#[test]
fn undo_redo_mixed_edits_exact_bytes() {
    let (g, mut ct, mut labels) = blank([40, 36, 24], [0.8, 0.8, 2.0]);
    let mut rng = Rng(99);
    for (n, v) in ct.iter_mut().enumerate() {
        let p = g.ijk(n);
        let r2 = (p[0] as f64 - 20.0).powi(2)
            + (p[1] as f64 - 18.0).powi(2)
            + ((p[2] as f64 - 12.0) * 2.5).powi(2);
        *v = if r2 < 150.0 { 60 } else { -50 } + (rng.normal(5.0) as i16);
    }
    // Pre-existing unrelated bits must survive everything.
    for v in labels.iter_mut() {
        *v = (rng.next() % 256) as u8 & 0b1111_1000;
    }
    let (mut stack, snaps) = mixed_edits(&g, &ct, &mut labels);
    let liver = ctx(&g, &ct, Layer::Liver);
    let n = snaps.len() - 1;
    assert_eq!(stack.len(), n);
    for s in (0..n).rev() {
        assert!(stack.undo(&mut labels));
        assert_eq!(labels, snaps[s], "undo to step {s}");
    }
    assert!(!stack.undo(&mut labels));
    for (s, snap) in snaps.iter().enumerate().skip(1) {
        assert!(stack.redo(&mut labels));
        assert_eq!(&labels, snap, "redo to step {s}");
    }
    assert!(!stack.redo(&mut labels));
    // Undo two, then a new edit drops the redo list.
    stack.undo(&mut labels);
    stack.undo(&mut labels);
    let e = paint_stroke(
        &liver,
        &mut labels,
        &[[5.0, 5.0, 5.0]],
        2.0,
        BrushShape::Sphere,
        PaintMode::Paint,
    );
    stack.push(e);
    assert!(!stack.can_redo());
    // The unrelated high bits never changed.
    assert!(
        labels
            .iter()
            .zip(&snaps[0])
            .all(|(a, b)| a & 0b1111_1000 == b & 0b1111_1000)
    );
}

#[test]
fn large_edit_is_compact() {
    // A 60 mm-radius ball on a 256^3 grid of 1 mm: ~905 k voxels changed.
    let (g, ct, mut labels) = blank([256, 256, 256], [1.0; 3]);
    let c = ctx(&g, &ct, Layer::Liver);
    let e = paint_stroke(
        &c,
        &mut labels,
        &[[128.0, 128.0, 128.0]],
        60.0,
        BrushShape::Sphere,
        PaintMode::Paint,
    );
    let n = count(&labels, 1);
    assert_eq!(e.changed_voxels(), n);
    assert!(n > 850_000);
    let bytes = e.memory_bytes();
    eprintln!(
        "large edit: {n} voxels changed, record {bytes} bytes, volume {} bytes",
        g.n_voxels()
    );
    assert!(bytes < g.n_voxels() / 100, "record {bytes} bytes");
    let mut stack = UndoStack::new();
    stack.push(e);
    assert!(stack.undo(&mut labels));
    assert_eq!(count(&labels, 1), 0);
}

#[test]
fn stack_limits() {
    let (g, ct, mut labels) = blank([64, 64, 64], [1.0; 3]);
    let c = ctx(&g, &ct, Layer::Liver);
    let dab = |labels: &mut Vec<u8>, x: f64, mode| {
        paint_stroke(
            &c,
            labels,
            &[[x, 32.0, 32.0]],
            2.0,
            BrushShape::Sphere,
            mode,
        )
    };
    // Default keeps at least 50 small steps.
    let mut stack = UndoStack::new();
    for n in 0..60 {
        let mode = if n % 2 == 0 {
            PaintMode::Paint
        } else {
            PaintMode::Erase
        };
        stack.push(dab(&mut labels, 32.0, mode));
    }
    assert!(stack.len() >= 50);
    // A byte budget drops the oldest.
    let one = dab(&mut labels, 10.0, PaintMode::Paint).memory_bytes();
    let mut small = UndoStack::with_limits(1000, one * 3);
    for n in 0..10 {
        small.push(dab(&mut labels, 12.0 + 3.0 * n as f64, PaintMode::Paint));
    }
    assert!(small.len() <= 3 && small.len() >= 2, "{}", small.len());
    assert!(small.memory_bytes() <= one * 3 + 64);
    // Empty edits are not recorded; a mismatched buffer is refused.
    let before = small.len();
    small.push(Edit::empty(&g));
    assert_eq!(small.len(), before);
    let mut wrong = vec![0u8; 5];
    assert!(!small.undo(&mut wrong));
    assert_eq!(small.len(), before);
}

#[test]
fn write_layer_only_touches_its_bit() {
    let (g, ct, _) = blank([8, 8, 8], [1.0; 3]);
    let mut labels = vec![0b1010_1010u8; g.n_voxels()];
    let c = ctx(&g, &ct, Layer::Tumour);
    let e = write_layer(&c, &mut labels, g.full_box(), |_, p| Some(p[0] < 4));
    assert_eq!(e.changed_voxels(), g.n_voxels() / 2);
    for (n, &v) in labels.iter().enumerate() {
        let want = if g.ijk(n)[0] < 4 {
            0b1010_1110
        } else {
            0b1010_1010
        };
        assert_eq!(v, want);
    }
    let e = write_layer(&c, &mut labels, g.full_box(), |_, _| Some(false));
    assert_eq!(e.changed_voxels(), g.n_voxels() / 2);
    assert!(labels.iter().all(|&v| v == 0b1010_1010));
}
