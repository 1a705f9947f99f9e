use super::super::grid::Grid;
use super::super::score::{Disagreement, disagreement_map, score, score_on};
use super::blank;
use crate::segmentation::Layer;

fn cube(g: &Grid, lo: [usize; 3], hi: [usize; 3], v: u8) -> Vec<u8> {
    (0..g.n_voxels())
        .map(|n| {
            let p = g.ijk(n);
            if (0..3).all(|a| p[a] >= lo[a] && p[a] < hi[a]) {
                v
            } else {
                0
            }
        })
        .collect()
}

/// Voxels of `m` with a 6-neighbour outside it (or on the grid's border).
fn surface_voxels(g: &Grid, m: &[u8]) -> Vec<[usize; 3]> {
    (0..g.n_voxels())
        .filter(|&n| m[n] != 0)
        .map(|n| g.ijk(n))
        .filter(|p| {
            (0..3).any(|ax| {
                let mut lo = *p;
                let mut hi = *p;
                hi[ax] += 1;
                p[ax] == 0 || hi[ax] >= g.dims[ax] || m[g.flat(hi[0], hi[1], hi[2])] == 0 || {
                    lo[ax] -= 1;
                    m[g.flat(lo[0], lo[1], lo[2])] == 0
                }
            })
        })
        .collect()
}

/// Brute-force symmetric surface distances (6-neighbour surface).
fn brute_surface(g: &Grid, a: &[u8], b: &[u8]) -> Vec<f64> {
    let surf = |m: &[u8]| surface_voxels(g, m);
    let (sa, sb) = (surf(a), surf(b));
    let d = |p: &[usize; 3], q: &[usize; 3]| -> f64 {
        (0..3)
            .map(|ax| ((p[ax] as f64 - q[ax] as f64) * g.spacing[ax]).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let near = |p: &[usize; 3], set: &[[usize; 3]]| {
        set.iter().map(|q| d(p, q)).fold(f64::INFINITY, f64::min)
    };
    let mut out: Vec<f64> = sa.iter().map(|p| near(p, &sb)).collect();
    out.extend(sb.iter().map(|p| near(p, &sa)));
    out
}

/// Score distances agree with the brute force for `traced` vs `reference`.
fn check_distances(g: &Grid, traced: &[u8], reference: &[u8]) -> (f64, f64) {
    let s = score(g, traced, Layer::Liver, reference).expect("sizes match");
    let mut b = brute_surface(
        g,
        &traced.iter().map(|v| v & 1).collect::<Vec<_>>(),
        reference,
    );
    let mean = b.iter().sum::<f64>() / b.len() as f64;
    b.sort_by(f64::total_cmp);
    let p95 = b[((0.95 * b.len() as f64).ceil() as usize).clamp(1, b.len()) - 1];
    let msd = s.mean_surface_distance_mm.expect("both non-empty");
    let hd = s.hausdorff95_mm.expect("both non-empty");
    assert!((msd - mean).abs() < 1e-4, "{msd} vs {mean}");
    assert!((hd - p95).abs() < 1e-4, "{hd} vs {p95}");
    let max = b[b.len() - 1];
    let hmax = s.hausdorff_mm.expect("both non-empty");
    assert!((hmax - max).abs() < 1e-4, "{hmax} vs {max}");
    (msd, hd)
}

#[test]
fn asymmetric_surface_distances() {
    let (g, _, _) = blank([30, 16, 14], [1.2, 0.8, 2.0]);
    let small = cube(&g, [3, 3, 3], [9, 9, 9], 1);
    let long = cube(&g, [3, 3, 3], [27, 12, 9], 1);
    let (msd, hd) = check_distances(&g, &small, &long);
    assert!(msd > 1.0 && hd > 10.0, "{msd} {hd}");
    let (msd2, hd2) = check_distances(&g, &long, &small);
    assert!((msd - msd2).abs() < 1e-9 && (hd - hd2).abs() < 1e-9);
}

#[test]
fn shifted_cubes() {
    let (g, _, _) = blank([24, 22, 20], [1.5, 1.0, 2.5]);
    let traced = cube(&g, [4, 5, 6], [14, 15, 16], 1 | 8);
    let reference = cube(&g, [5, 5, 6], [15, 15, 16], 1);
    let s = score(&g, &traced, Layer::Liver, &reference).expect("sizes match");
    assert!((s.dice - 0.9).abs() < 1e-12, "{}", s.dice);
    assert_eq!(
        (s.true_positive, s.false_positive, s.false_negative),
        (900, 100, 100)
    );
    assert!(s.volume_diff_ml.abs() < 1e-12);
    assert!((s.traced_ml - 1000.0 * 1.5 * 2.5 / 1000.0).abs() < 1e-9);
    assert_eq!(s.volume_diff_pct, Some(0.0));
    let mut b = brute_surface(
        &g,
        &traced.iter().map(|v| v & 1).collect::<Vec<_>>(),
        &reference,
    );
    let mean = b.iter().sum::<f64>() / b.len() as f64;
    b.sort_by(f64::total_cmp);
    let p95 = b[((0.95 * b.len() as f64).ceil() as usize).clamp(1, b.len()) - 1];
    let msd = s.mean_surface_distance_mm.expect("both non-empty");
    let hd = s.hausdorff95_mm.expect("both non-empty");
    assert!((msd - mean).abs() < 1e-4, "{msd} vs {mean}");
    assert!((hd - p95).abs() < 1e-4, "{hd} vs {p95}");
    assert!(msd > 0.0 && hd >= 1.5);
    let map = disagreement_map(&g, &traced, Layer::Liver, &reference);
    let fp = map
        .iter()
        .filter(|&&v| v == Disagreement::FalsePositive as u8)
        .count();
    let fneg = map
        .iter()
        .filter(|&&v| v == Disagreement::FalseNegative as u8)
        .count();
    assert_eq!((fp, fneg), (100, 100));
    assert_eq!(map[g.flat(4, 7, 8)], Disagreement::FalsePositive as u8);
    assert_eq!(map[g.flat(14, 7, 8)], Disagreement::FalseNegative as u8);
}

#[test]
fn identical_larger_and_empty() {
    let (g, _, _) = blank([16, 16, 16], [1.0; 3]);
    let a = cube(&g, [3, 3, 3], [9, 9, 9], 1);
    let s = score(&g, &a, Layer::Liver, &a).expect("sizes");
    assert_eq!(s.dice, 1.0);
    assert_eq!(s.mean_surface_distance_mm, Some(0.0));
    assert_eq!(s.hausdorff95_mm, Some(0.0));
    // Traced twice the volume.
    let big = cube(&g, [3, 3, 3], [15, 9, 9], 1);
    let s = score(&g, &big, Layer::Liver, &a).expect("sizes");
    assert!((s.volume_diff_pct.unwrap_or(0.0) - 100.0).abs() < 1e-9);
    assert!((s.dice - 2.0 * 216.0 / (216.0 + 432.0)).abs() < 1e-12);
    // Empty cases.
    let none = vec![0u8; g.n_voxels()];
    let s = score(&g, &none, Layer::Liver, &none).expect("sizes");
    assert_eq!(
        (s.dice, s.mean_surface_distance_mm, s.volume_diff_pct),
        (1.0, None, None)
    );
    let s = score(&g, &none, Layer::Liver, &a).expect("sizes");
    assert_eq!((s.dice, s.hausdorff95_mm), (0.0, None));
    assert_eq!(s.volume_diff_pct, Some(-100.0));
    assert!(score(&g, &a[1..], Layer::Liver, &a).is_none());
    assert!(disagreement_map(&g, &a, Layer::Liver, &a[1..]).is_empty());
    // The traced layer is the requested bit only.
    let other = cube(&g, [3, 3, 3], [9, 9, 9], 2);
    assert_eq!(
        score(&g, &other, Layer::Liver, &a).map(|s| s.dice),
        Some(0.0)
    );
    assert_eq!(
        score(&g, &other, Layer::Resection, &a).map(|s| s.dice),
        Some(1.0)
    );
}

/// A grid given by its 3x3 (columns: the voxel axes in mm) and dims, with a mask of
/// the voxels whose centres lie within `r` mm of `c` (patient space).
fn ball(geo: &crate::volume::Geometry, c: [f64; 3], r: f64) -> Vec<u8> {
    (0..geo.voxel_count())
        .map(|n| {
            let [nx, ny, _] = geo.dims;
            let p = geo.to_world([
                (n % nx) as f64,
                ((n / nx) % ny) as f64,
                (n / (nx * ny)) as f64,
            ]);
            let d2: f64 = (0..3).map(|a| (p[a] - c[a]).powi(2)).sum();
            u8::from(d2 <= r * r)
        })
        .collect()
}

/// Brute-force symmetric surface distances in patient space (6-neighbour surface).
fn brute_world(geo: &crate::volume::Geometry, a: &[u8], b: &[u8]) -> Vec<f64> {
    let g = Grid::of(geo);
    let surf = |m: &[u8]| -> Vec<[f64; 3]> {
        surface_voxels(&g, m)
            .into_iter()
            .map(|p| geo.to_world(p.map(|v| v as f64)))
            .collect()
    };
    let (sa, sb) = (surf(a), surf(b));
    let near = |p: &[f64; 3], set: &[[f64; 3]]| {
        set.iter()
            .map(|q| (0..3).map(|x| (p[x] - q[x]).powi(2)).sum::<f64>().sqrt())
            .fold(f64::INFINITY, f64::min)
    };
    let mut out: Vec<f64> = sa.iter().map(|p| near(p, &sb)).collect();
    out.extend(sb.iter().map(|p| near(p, &sa)));
    out.sort_by(f64::total_cmp);
    out
}

/// Two concentric balls of radii 9 and 15 mm: every surface distance is 6 mm up to
/// the voxel size, Dice 2 x 9^3 / (9^3 + 15^3) = 0.3553 up to the voxelisation.
/// `linear` is the affine's 3x3 (columns = voxel axes).
fn concentric(linear: [[f64; 3]; 3], dims: [usize; 3]) {
    let mut geo = crate::volume::Geometry::axis_aligned(dims, [1.0; 3], [0.0; 3]);
    for r in 0..3 {
        for c in 0..3 {
            geo.affine[r][c] = linear[r][c];
        }
    }
    let centre = geo.to_world(dims.map(|d| (d as f64 - 1.0) / 2.0));
    let inner = ball(&geo, centre, 9.0);
    let outer = ball(&geo, centre, 15.0);
    let s = score_on(&geo, &inner, Layer::Liver, &outer).expect("sizes match");
    let voxel_ml = geo.voxel_volume_mm3() / 1000.0;
    let n_in = inner.iter().filter(|&&v| v != 0).count();
    let n_out = outer.iter().filter(|&&v| v != 0).count();
    // volumes: voxel count x |det|, and close to the balls' true volumes
    assert!((s.traced_ml - n_in as f64 * voxel_ml).abs() < 1e-9);
    assert!((s.reference_ml - n_out as f64 * voxel_ml).abs() < 1e-9);
    let true_ml = |r: f64| 4.0 / 3.0 * std::f64::consts::PI * r.powi(3) / 1000.0;
    assert!(
        (s.traced_ml / true_ml(9.0) - 1.0).abs() < 0.05,
        "{}",
        s.traced_ml
    );
    assert!(
        (s.reference_ml / true_ml(15.0) - 1.0).abs() < 0.03,
        "{}",
        s.reference_ml
    );
    assert!(
        (s.dice - 2.0 * 729.0 / (729.0 + 3375.0)).abs() < 0.02,
        "{}",
        s.dice
    );
    // distances: 6 mm up to the largest voxel step; exact against a brute force
    let (msd, hd95, hd) = (
        s.mean_surface_distance_mm.expect("non-empty"),
        s.hausdorff95_mm.expect("non-empty"),
        s.hausdorff_mm.expect("non-empty"),
    );
    let step = geo.spacing().into_iter().fold(0.0, f64::max);
    assert!((msd - 6.0).abs() < 0.5 * step, "mean {msd}");
    assert!(
        hd95 <= hd && (hd - 6.0).abs() < step,
        "HD95 {hd95}, HD {hd}"
    );
    let b = brute_world(&geo, &inner, &outer);
    let mean = b.iter().sum::<f64>() / b.len() as f64;
    let p95 = b[((0.95 * b.len() as f64).ceil() as usize).clamp(1, b.len()) - 1];
    assert!((msd - mean).abs() < 1e-4, "{msd} vs {mean}");
    assert!((hd95 - p95).abs() < 1e-4, "{hd95} vs {p95}");
    assert!(
        (hd - b[b.len() - 1]).abs() < 1e-4,
        "{hd} vs {}",
        b[b.len() - 1]
    );
}

#[test]
fn concentric_balls_on_an_anisotropic_grid() {
    concentric(
        [[0.8, 0.0, 0.0], [0.0, 1.3, 0.0], [0.0, 0.0, 2.0]],
        [44, 28, 18],
    );
}

#[test]
fn concentric_balls_on_an_oblique_grid() {
    // rotated 30 degrees about the z axis and mirrored in x: the EDT on the spacing is exact
    let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
    concentric(
        [
            [-0.9 * c, -1.2 * s, 0.0],
            [-0.9 * s, 1.2 * c, 0.0],
            [0.0, 0.0, 2.0],
        ],
        [40, 32, 18],
    );
}

#[test]
fn concentric_balls_on_a_sheared_grid() {
    // a tilted gantry: the slice axis leans along j; the spacing alone would put the
    // slices 2.19 mm apart and count 2.28 mm^3 voxels instead of 2.08
    concentric(
        [[0.8, 0.0, 0.0], [0.0, 1.3, 0.9], [0.0, 0.0, 2.0]],
        [44, 40, 18],
    );
}
