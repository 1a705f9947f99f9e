//! A lesion's diameters in mm, from its voxels and the scan's affine: the largest 3-D
//! extent, and on the transverse slice where it is widest the long axis and the widest
//! extent perpendicular to it (the RECIST-style pair).

use crate::segmentation::tools::Preview;
use crate::volume::Geometry;

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Diameters {
    /// Largest distance across the lesion in 3-D.
    pub max_3d_mm: f64,
    /// Longest diameter on a transverse (axial) slice.
    pub long_axis_mm: f64,
    /// Widest extent perpendicular to the long axis on that slice.
    pub short_axis_mm: f64,
}

/// Extent of one voxel (a parallelepiped) along unit direction `u`.
fn voxel_extent(lin: &[[f64; 3]; 3], u: [f64; 3]) -> f64 {
    (0..3)
        .map(|c| (u[0] * lin[0][c] + u[1] * lin[1][c] + u[2] * lin[2][c]).abs())
        .sum()
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn norm(a: [f64; 3]) -> f64 {
    (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).sqrt()
}

/// The longest pair of `pts`: (length between centres, unit direction).
fn longest(pts: &[[f64; 3]]) -> (f64, [f64; 3]) {
    let step = (pts.len() / 2500).max(1);
    let mut best = (0.0, [1.0, 0.0, 0.0]);
    for (n, a) in pts.iter().enumerate().step_by(step) {
        for b in &pts[n + 1..] {
            let d = sub(*b, *a);
            let l = norm(d);
            if l > best.0 {
                best = (l, d.map(|x| x / l));
            }
        }
    }
    best
}

/// The diameters of the voxels of `p` on the grid of `g`.
pub fn diameters(p: &Preview, g: &Geometry) -> Diameters {
    let b = p.bbox();
    let lin = g.linear();
    let inside = |v: [isize; 3]| {
        (0..3).all(|a| v[a] >= 0) && p.contains([v[0] as usize, v[1] as usize, v[2] as usize])
    };
    // the voxel axis closest to the patient's S axis: its slices are transverse
    let slice_axis = (0..3)
        .max_by(|&x, &y| {
            let s = g.spacing();
            (lin[2][x] / s[x])
                .abs()
                .total_cmp(&(lin[2][y] / s[y]).abs())
        })
        .unwrap_or(2);
    let mut surface = Vec::new();
    let mut by_slice: std::collections::BTreeMap<usize, Vec<[f64; 3]>> = Default::default();
    for k in b.lo[2]..b.hi[2] {
        for j in b.lo[1]..b.hi[1] {
            for i in b.lo[0]..b.hi[0] {
                let v = [i as isize, j as isize, k as isize];
                if !inside(v) {
                    continue;
                }
                let n6 = (0..3).all(|a| {
                    let (mut lo, mut hi) = (v, v);
                    lo[a] -= 1;
                    hi[a] += 1;
                    inside(lo) && inside(hi)
                });
                let w = g.to_world([i as f64, j as f64, k as f64]);
                if !n6 {
                    surface.push(w);
                    by_slice.entry([i, j, k][slice_axis]).or_default().push(w);
                }
            }
        }
    }
    if surface.is_empty() {
        return Diameters {
            max_3d_mm: 0.0,
            long_axis_mm: 0.0,
            short_axis_mm: 0.0,
        };
    }
    let (l3, u3) = longest(&surface);
    let mut best = (0.0, 0.0);
    for pts in by_slice.values() {
        let (l, u) = longest(pts);
        let long = l + voxel_extent(&lin, u);
        if long > best.0 {
            best = (long, short_axis(pts, u, &lin, slice_axis));
        }
    }
    Diameters {
        max_3d_mm: l3 + voxel_extent(&lin, u3),
        long_axis_mm: best.0,
        short_axis_mm: best.1,
    }
}

/// Widest extent of the slice's points perpendicular to `u`, in the slice plane.
fn short_axis(pts: &[[f64; 3]], u: [f64; 3], lin: &[[f64; 3]; 3], slice_axis: usize) -> f64 {
    let n = [lin[0][slice_axis], lin[1][slice_axis], lin[2][slice_axis]];
    // w = n x u, in the slice plane and perpendicular to the long axis
    let w = [
        n[1] * u[2] - n[2] * u[1],
        n[2] * u[0] - n[0] * u[2],
        n[0] * u[1] - n[1] * u[0],
    ];
    let l = norm(w);
    if l == 0.0 {
        return 0.0;
    }
    let w = w.map(|x| x / l);
    let proj = pts.iter().map(|p| p[0] * w[0] + p[1] * w[1] + p[2] * w[2]);
    let (lo, hi) = proj.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    hi - lo + voxel_extent(lin, w)
}
