use super::super::grid::Grid;
use super::super::score::{Disagreement, disagreement_map, score};
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

/// Brute-force symmetric surface distances (6-neighbour surface).
fn brute_surface(g: &Grid, a: &[u8], b: &[u8]) -> Vec<f64> {
    let surf = |m: &[u8]| -> Vec<[usize; 3]> {
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
    };
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
