use super::super::geom::Axis;
use super::super::polygon::{fill_polygon, polygon_mask};
use super::super::rules::PaintMode;
use super::{blank, count, ctx};
use crate::segmentation::Layer;
use std::f64::consts::PI;

fn area(m: &[bool]) -> usize {
    m.iter().filter(|&&b| b).count()
}

/// Rows (v) touched by the shape; the allowed error is one pixel per such row.
fn rows(nu: usize, m: &[bool]) -> usize {
    m.chunks(nu).filter(|r| r.iter().any(|&b| b)).count()
}

#[test]
fn circle_rectangle_triangle_areas() {
    let (nu, nv) = (120, 100);
    for r in [3.0, 10.0, 37.5] {
        let pts: Vec<[f64; 2]> = (0..200)
            .map(|n| {
                let t = 2.0 * PI * n as f64 / 200.0;
                [60.3 + r * t.cos(), 49.7 + r * t.sin()]
            })
            .collect();
        let m = polygon_mask(nu, nv, &pts);
        let expect = 0.5 * 200.0 * r * r * (2.0 * PI / 200.0).sin(); // the 200-gon itself
        let err = (area(&m) as f64 - expect).abs();
        assert!(
            err <= rows(nu, &m) as f64,
            "r {r}: {} vs {expect}",
            area(&m)
        );
        assert!((expect - PI * r * r).abs() / (PI * r * r) < 1e-3);
    }
    // Axis-aligned rectangle on pixel centres: exact (left/top in, right/bottom out).
    let m = polygon_mask(
        nu,
        nv,
        &[[10.0, 20.0], [40.0, 20.0], [40.0, 30.0], [10.0, 30.0]],
    );
    assert_eq!(area(&m), 300);
    assert!(m[10 + nu * 20] && !m[40 + nu * 20] && !m[10 + nu * 30]);
    // Off-grid rectangle 20.5 x 10.5.
    let m = polygon_mask(
        nu,
        nv,
        &[[10.2, 20.2], [30.7, 20.2], [30.7, 30.7], [10.2, 30.7]],
    );
    assert_eq!(area(&m), 20 * 10);
    // Triangle, area 0.5 * 60 * 40 = 1200.
    let m = polygon_mask(nu, nv, &[[5.5, 5.5], [65.5, 5.5], [5.5, 45.5]]);
    assert!(
        (area(&m) as f64 - 1200.0).abs() <= rows(nu, &m) as f64,
        "{}",
        area(&m)
    );
}

#[test]
fn even_odd_rule_and_clipping() {
    // Pentagram: the central pentagon is outside under even-odd.
    let pts: Vec<[f64; 2]> = (0..5)
        .map(|n| {
            let t = PI / 2.0 + 4.0 * PI * n as f64 / 5.0;
            [50.0 + 30.0 * t.cos(), 50.0 + 30.0 * t.sin()]
        })
        .collect();
    let m = polygon_mask(100, 100, &pts);
    assert!(!m[50 + 100 * 50]);
    assert!(area(&m) > 500);
    // A polygon larger than the slice fills the whole slice.
    let m = polygon_mask(
        30,
        20,
        &[
            [-100.0, -100.0],
            [200.0, -100.0],
            [200.0, 200.0],
            [-100.0, 200.0],
        ],
    );
    assert_eq!(area(&m), 600);
}

#[test]
fn degenerate_polygons() {
    assert_eq!(area(&polygon_mask(10, 10, &[])), 0);
    assert_eq!(area(&polygon_mask(10, 10, &[[1.0, 1.0], [8.0, 8.0]])), 0);
    assert_eq!(
        area(&polygon_mask(10, 10, &[[1.0, 1.0], [5.0, 5.0], [8.0, 8.0]])),
        0
    );
    assert_eq!(area(&polygon_mask(10, 10, &[[3.0, 3.0]; 5])), 0);
    assert_eq!(
        area(&polygon_mask(
            10,
            10,
            &[[1.0, 1.0], [f64::NAN, 5.0], [8.0, 1.0]]
        )),
        0
    );
    assert_eq!(
        area(&polygon_mask(
            10,
            10,
            &[[1e308, 1.0], [-1e308, 5.0], [8.0, f64::INFINITY]]
        )),
        0
    );
    assert_eq!(
        area(&polygon_mask(0, 10, &[[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]])),
        0
    );
    assert_eq!(
        area(&polygon_mask(
            10,
            10,
            &[[50.0, 50.0], [60.0, 50.0], [50.0, 60.0]]
        )),
        0
    );
    let _ = polygon_mask(10, 10, &[[1e308, -1e308], [-1e308, 1e308], [1e308, 1e308]]);
}

#[test]
fn fill_on_each_axis() {
    let (g, ct, mut labels) = blank([30, 40, 50], [1.0; 3]);
    let c = ctx(&g, &ct, Layer::Resection);
    let square = [[2.0, 3.0], [12.0, 3.0], [12.0, 13.0], [2.0, 13.0]];
    for (axis, s) in [(Axis::I, 7), (Axis::J, 8), (Axis::K, 9)] {
        labels.iter_mut().for_each(|v| *v = 1);
        let e = fill_polygon(&c, &mut labels, axis, s, &square, PaintMode::Paint);
        assert_eq!(e.changed_voxels(), 100);
        let (a, b) = axis.in_plane();
        for (n, &v) in labels.iter().enumerate() {
            let p = g.ijk(n);
            let inside = p[axis.n()] == s && (2..12).contains(&p[a]) && (3..13).contains(&p[b]);
            assert_eq!(v, if inside { 3 } else { 1 }, "{axis:?} {p:?}");
        }
        let e = fill_polygon(&c, &mut labels, axis, s, &square, PaintMode::Erase);
        assert_eq!(e.changed_voxels(), 100);
        assert_eq!(count(&labels, 2), 0);
    }
    assert!(fill_polygon(&c, &mut labels, Axis::K, 50, &square, PaintMode::Paint).is_empty());
    assert!(fill_polygon(&c, &mut labels, Axis::K, 3, &square[..2], PaintMode::Paint).is_empty());
}
