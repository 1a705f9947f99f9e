use super::super::geom::Axis;
use super::super::grid::Grid;
use super::super::region::{
    fill_holes_2d, fill_holes_3d, flood_fill, grow_shrink, keep_largest_component, remove_islands,
};
use super::super::rules::{EditCtx, PaintMode, PaintRules};
use super::{blank, count, ctx};
use crate::segmentation::Layer;

/// Two cubes of 100 HU (8^3 and 4^3) in 0 HU, touching nothing.
fn two_cubes() -> (Grid, Vec<i16>, Vec<u8>) {
    let (g, mut ct, labels) = blank([24, 20, 16], [1.0, 1.0, 2.0]);
    for (n, v) in ct.iter_mut().enumerate() {
        let p = g.ijk(n);
        let big = (2..10).contains(&p[0]) && (2..10).contains(&p[1]) && (2..10).contains(&p[2]);
        let small = (14..18).contains(&p[0]) && (12..16).contains(&p[1]) && (4..8).contains(&p[2]);
        if big || small {
            *v = 100;
        }
    }
    (g, ct, labels)
}

#[test]
fn flood_fill_3d_and_2d() {
    let (g, ct, mut labels) = two_cubes();
    let c = ctx(&g, &ct, Layer::Liver);
    let e = flood_fill(
        &c,
        &mut labels,
        [5, 5, 5],
        (50, 150),
        None,
        PaintMode::Paint,
    );
    assert_eq!(e.changed_voxels(), 512);
    assert_eq!(count(&labels, 1), 512);
    assert!(labels[g.flat(15, 13, 5)] == 0);
    // 2-D on slice k = 5 through the seed.
    labels.iter_mut().for_each(|v| *v = 0);
    let e = flood_fill(
        &c,
        &mut labels,
        [5, 5, 5],
        (50, 150),
        Some(Axis::K),
        PaintMode::Paint,
    );
    assert_eq!(e.changed_voxels(), 64);
    assert!(
        (0..g.n_voxels())
            .filter(|&n| labels[n] != 0)
            .all(|n| g.ijk(n)[2] == 5)
    );
    // Erase the same region.
    let e = flood_fill(
        &c,
        &mut labels,
        [5, 5, 5],
        (50, 150),
        Some(Axis::K),
        PaintMode::Erase,
    );
    assert_eq!(e.changed_voxels(), 64);
    // Background flood: everything but the cubes.
    let e = flood_fill(
        &c,
        &mut labels,
        [0, 0, 0],
        (-10, 10),
        None,
        PaintMode::Paint,
    );
    assert_eq!(e.changed_voxels(), g.n_voxels() - 512 - 64);
}

#[test]
fn flood_fill_rules_and_edge_cases() {
    let (g, ct, mut labels) = two_cubes();
    // Editable area: only i < 6 carries bit 0; fill the tumour layer inside it.
    for (n, v) in labels.iter_mut().enumerate() {
        if g.ijk(n)[0] < 6 {
            *v = 1;
        }
    }
    let c = EditCtx::new(
        &g,
        &ct,
        Layer::Tumour,
        PaintRules {
            editable: Some(1),
            hu: None,
        },
    );
    let e = flood_fill(
        &c,
        &mut labels,
        [3, 5, 5],
        (50, 150),
        None,
        PaintMode::Paint,
    );
    assert_eq!(e.changed_voxels(), 4 * 8 * 8);
    // Seeds outside the volume or the range, and a wrong CT size: nothing.
    for seed in [[-1, 0, 0], [24, 0, 0], [0, 0, i64::MAX], [i64::MIN, 3, 3]] {
        assert!(flood_fill(&c, &mut labels, seed, (50, 150), None, PaintMode::Paint).is_empty());
    }
    assert!(
        flood_fill(
            &c,
            &mut labels,
            [0, 0, 0],
            (50, 150),
            None,
            PaintMode::Paint
        )
        .is_empty()
    );
    assert!(
        flood_fill(
            &c,
            &mut labels,
            [5, 5, 5],
            (150, 50),
            None,
            PaintMode::Paint
        )
        .is_empty()
    );
    let c2 = EditCtx::new(&g, &ct[1..], Layer::Liver, PaintRules::default());
    assert!(
        flood_fill(
            &c2,
            &mut labels,
            [5, 5, 5],
            (50, 150),
            None,
            PaintMode::Paint
        )
        .is_empty()
    );
}

#[test]
fn components_largest_and_islands() {
    let (g, ct, mut labels) = two_cubes();
    for (n, v) in labels.iter_mut().enumerate() {
        *v = if ct[n] > 0 { 1 | 2 } else { 2 };
    }
    let voxel_ml = g.voxel_ml(); // 0.002 mL
    let c = ctx(&g, &ct, Layer::Liver);
    let mut l2 = labels.clone();
    // Islands under 0.2 mL (the 64-voxel cube = 0.128 mL) go, the 1.024 mL cube stays.
    let e = remove_islands(&c, &mut l2, 0.2);
    assert_eq!(e.changed_voxels(), 64);
    assert_eq!(count(&l2, 1), 512);
    assert!(remove_islands(&c, &mut l2, 64.0 * voxel_ml * 0.5).is_empty());
    let e = keep_largest_component(&c, &mut labels);
    assert_eq!(e.changed_voxels(), 64);
    assert_eq!(labels, l2);
    assert_eq!(count(&labels, 2), g.n_voxels(), "other layer untouched");
    // Empty layer: nothing to do.
    let (g3, ct3, mut l3) = blank([5, 5, 5], [1.0; 3]);
    let c3 = ctx(&g3, &ct3, Layer::Tumour);
    assert!(keep_largest_component(&c3, &mut l3).is_empty());
    assert!(remove_islands(&c3, &mut l3, 1.0).is_empty());
    assert!(fill_holes_3d(&c3, &mut l3).is_empty());
    assert!(grow_shrink(&c3, &mut l3, 5.0).is_empty());
}

#[test]
fn holes_3d_and_2d() {
    let (g, ct, mut labels) = blank([20, 20, 20], [1.0; 3]);
    // Hollow cube shell 4..16 with a 6^3 cavity, plus an open tube along k.
    for (n, v) in labels.iter_mut().enumerate() {
        let p = g.ijk(n);
        let shell = p.iter().all(|&x| (4..16).contains(&x));
        let cavity = p.iter().all(|&x| (7..13).contains(&x));
        if shell && !cavity {
            *v = 1;
        }
    }
    let c = ctx(&g, &ct, Layer::Liver);
    let mut l3 = labels.clone();
    let e = fill_holes_3d(&c, &mut l3);
    assert_eq!(e.changed_voxels(), 216);
    // Drill a tunnel from the cavity to the outside: no longer a 3-D hole.
    for i in 0..8 {
        labels[g.flat(i, 10, 10)] = 0;
    }
    let mut l3 = labels.clone();
    assert!(fill_holes_3d(&c, &mut l3).is_empty());
    // Per slice (axis K) the cavity is still a hole, except on the tunnel's slice.
    let e = fill_holes_2d(&c, &mut labels, Axis::K);
    assert_eq!(e.changed_voxels(), 5 * 36);
    // Along I the tunnel slices (i = 4..7) have a 1-voxel hole each.
    let mut l4 = l3.clone();
    let e = fill_holes_2d(&c, &mut l4, Axis::I);
    assert_eq!(e.changed_voxels(), 6 * 36 + 3);
}

#[test]
fn grow_and_shrink_by_margin() {
    let (g, ct, mut labels) = blank([30, 30, 20], [0.6, 0.9, 2.0]);
    let centre = [15, 15, 10];
    labels[g.flat(15, 15, 10)] = 1;
    let c = ctx(&g, &ct, Layer::Liver);
    let m = 4.5;
    grow_shrink(&c, &mut labels, m);
    let expect = (0..g.n_voxels())
        .filter(|&n| {
            let p = g.ijk(n);
            let d2: f64 = (0..3)
                .map(|a| ((p[a] as f64 - centre[a] as f64) * g.spacing[a]).powi(2))
                .sum();
            d2 <= m * m
        })
        .count();
    assert_eq!(count(&labels, 1), expect);
    // Shrink a 10^3 box by one voxel along every axis (limited by the widest spacing).
    labels.iter_mut().for_each(|v| *v = 0);
    for (n, v) in labels.iter_mut().enumerate() {
        if g.ijk(n).iter().all(|&x| (5..15).contains(&x)) {
            *v = 1;
        }
    }
    let e = grow_shrink(&c, &mut labels, -0.6);
    assert_eq!(count(&labels, 1), 8 * 10 * 10);
    assert_eq!(e.changed_voxels(), 200);
    // -2 mm strips the voxels within 2 mm of the outside: 3 in i, 2 in j, 1 in k.
    let e = grow_shrink(&c, &mut labels, -2.0);
    assert_eq!(count(&labels, 1), (8 - 6) * (10 - 4) * (10 - 2));
    assert!(e.changed_voxels() > 0);
    assert!(grow_shrink(&c, &mut labels, f64::NAN).is_empty());
    assert!(grow_shrink(&c, &mut labels, 0.0).is_empty());
}
