use super::super::geom::Axis;
use super::super::grid::Grid;
use super::super::interpolate::{interpolate_slices, traced_slices};
use super::super::polygon::fill_polygon;
use super::super::rules::PaintMode;
use super::{blank, count, ctx};
use crate::segmentation::Layer;
use std::f64::consts::PI;

fn circle(cx: f64, cy: f64, r: f64) -> Vec<[f64; 2]> {
    (0..200)
        .map(|n| {
            let t = 2.0 * PI * n as f64 / 200.0;
            [cx + r * t.cos(), cy + r * t.sin()]
        })
        .collect()
}

fn slice_count(g: &Grid, labels: &[u8], bit: u8, k: usize) -> usize {
    (0..g.dims[0] * g.dims[1])
        .filter(|&n| labels[n + k * g.dims[0] * g.dims[1]] & bit != 0)
        .count()
}

#[test]
fn circles_interpolate_to_a_frustum() {
    // In-plane 0.7 mm, 2.5 mm slices: radii 10 and 20 voxels on slices 0 and 10.
    let (g, ct, mut labels) = blank([64, 60, 14], [0.7, 0.7, 2.5]);
    let c = ctx(&g, &ct, Layer::Liver);
    fill_polygon(
        &c,
        &mut labels,
        Axis::K,
        0,
        &circle(31.5, 29.5, 10.0),
        PaintMode::Paint,
    );
    fill_polygon(
        &c,
        &mut labels,
        Axis::K,
        10,
        &circle(31.5, 29.5, 20.0),
        PaintMode::Paint,
    );
    let keys = traced_slices(&g, &labels, Layer::Liver, Axis::K);
    assert_eq!(keys, vec![0, 10]);
    let before = labels.clone();
    let pv = interpolate_slices(&g, &labels, Layer::Liver, Axis::K, &keys);
    assert_eq!(labels, before, "a preview writes nothing");
    let e = pv.accept(&c, &mut labels);
    assert_eq!(e.changed_voxels(), pv.voxel_count());
    // Frustum between the traced slices (continuous, h = 10 slices), compared
    // with the filled volume of slices 0..=10 less half of each end slice.
    let frustum = PI / 3.0 * 10.0 * (10.0f64 * 10.0 + 10.0 * 20.0 + 20.0 * 20.0);
    let ends = 0.5 * (slice_count(&g, &labels, 1, 0) + slice_count(&g, &labels, 1, 10)) as f64;
    let filled = count(&labels, 1) as f64 - ends;
    assert!(
        (filled - frustum).abs() / frustum < 0.05,
        "{filled} vs {frustum}"
    );
    // Each slice: radius grows linearly, area within 5 %.
    for k in 1..10 {
        let r = 10.0 + k as f64;
        let a = slice_count(&g, &labels, 1, k) as f64;
        assert!(
            (a - PI * r * r).abs() / (PI * r * r) < 0.05,
            "slice {k}: {a}"
        );
    }
    assert_eq!(slice_count(&g, &labels, 1, 11), 0);
}

#[test]
fn shapes_shift_between_slices_and_respect_explicit_keys() {
    let (g, ct, mut labels) = blank([60, 40, 20], [1.0; 3]);
    let c = ctx(&g, &ct, Layer::Tumour);
    let sq = |x: f64| [[x, 10.0], [x + 10.0, 10.0], [x + 10.0, 20.0], [x, 20.0]];
    fill_polygon(&c, &mut labels, Axis::K, 2, &sq(5.0), PaintMode::Paint);
    fill_polygon(&c, &mut labels, Axis::K, 12, &sq(10.0), PaintMode::Paint);
    fill_polygon(&c, &mut labels, Axis::K, 18, &sq(35.0), PaintMode::Paint);
    // Only slices 2 and 12 as keys: nothing beyond 12 is filled.
    let pv = interpolate_slices(&g, &labels, Layer::Tumour, Axis::K, &[12, 2, 2, 99]);
    pv.accept(&c, &mut labels);
    for k in 3..12 {
        let a = slice_count(&g, &labels, 4, k);
        assert!((70..=115).contains(&a), "slice {k}: {a}");
        // The square moves right by half a voxel per slice.
        let xs: Vec<usize> = (0..g.n_voxels())
            .filter(|&n| labels[n] & 4 != 0 && g.ijk(n)[2] == k)
            .map(|n| g.ijk(n)[0])
            .collect();
        let mean = xs.iter().sum::<usize>() as f64 / xs.len() as f64;
        let expect = 9.5 + 0.5 * (k - 2) as f64;
        assert!(
            (mean - expect).abs() < 1.0,
            "slice {k}: centre {mean} vs {expect}"
        );
    }
    for k in 13..18 {
        assert_eq!(slice_count(&g, &labels, 4, k), 0);
    }
}

#[test]
fn interpolation_along_i_and_edge_cases() {
    let (g, ct, mut labels) = blank([12, 30, 30], [2.0, 0.5, 0.5]);
    let c = ctx(&g, &ct, Layer::Resection);
    let sq = [[5.0, 5.0], [25.0, 5.0], [25.0, 25.0], [5.0, 25.0]];
    fill_polygon(&c, &mut labels, Axis::I, 1, &sq, PaintMode::Paint);
    fill_polygon(&c, &mut labels, Axis::I, 9, &sq, PaintMode::Paint);
    let keys = traced_slices(&g, &labels, Layer::Resection, Axis::I);
    assert_eq!(keys, vec![1, 9]);
    let pv = interpolate_slices(&g, &labels, Layer::Resection, Axis::I, &keys);
    assert_eq!(pv.voxel_count(), 7 * 400);
    assert!(pv.contains([5, 10, 10]) && !pv.contains([5, 2, 2]) && !pv.contains([1, 10, 10]));
    // Nothing to interpolate.
    assert_eq!(
        interpolate_slices(&g, &labels, Layer::Resection, Axis::I, &[]).voxel_count(),
        0
    );
    assert_eq!(
        interpolate_slices(&g, &labels, Layer::Resection, Axis::I, &[1]).voxel_count(),
        0
    );
    assert_eq!(
        interpolate_slices(&g, &labels, Layer::Liver, Axis::I, &[1, 9]).voxel_count(),
        0
    );
    assert_eq!(
        interpolate_slices(&g, &labels[1..], Layer::Resection, Axis::I, &[1, 9]).voxel_count(),
        0
    );
    assert!(traced_slices(&g, &labels[1..], Layer::Resection, Axis::I).is_empty());
    let empty = Grid {
        dims: [0, 0, 0],
        spacing: [1.0; 3],
    };
    assert!(traced_slices(&empty, &[], Layer::Liver, Axis::K).is_empty());
    // Accepting an empty preview is an empty edit.
    let pv = interpolate_slices(&g, &labels, Layer::Liver, Axis::I, &[1, 9]);
    assert!(pv.accept(&c, &mut labels).is_empty());
}
