//! Trainee score of a traced layer against a reference mask: Dice, volume
//! difference, mean symmetric surface distance, 95 % and maximum (Hausdorff)
//! surface distance, and a per-voxel disagreement map.
//!
//! [`score_on`] measures in the scan's true geometry: volumes from |det| of the
//! affine's 3x3, distances between the voxel centres' patient positions (exact
//! Euclidean distance transform when the voxel axes are orthogonal, oblique ones
//! included; an exact nearest-neighbour search over the surface points when the grid
//! is sheared, e.g. a tilted gantry). [`score`] takes the spacing alone.

use super::edt::sq_edt;
use super::geom::Bbox;
use super::grid::Grid;
use crate::segmentation::Layer;
use rayon::prelude::*;

/// Agreement scores. Distances are `None` when either mask is empty.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Score {
    pub dice: f64,
    pub traced_ml: f64,
    pub reference_ml: f64,
    /// traced - reference.
    pub volume_diff_ml: f64,
    /// 100 * (traced - reference) / reference (`None` for an empty reference).
    pub volume_diff_pct: Option<f64>,
    pub mean_surface_distance_mm: Option<f64>,
    pub hausdorff95_mm: Option<f64>,
    /// The largest surface distance, both directions (Hausdorff distance).
    pub hausdorff_mm: Option<f64>,
    pub true_positive: usize,
    pub false_positive: usize,
    pub false_negative: usize,
}

/// Per-voxel disagreement class (values of [`disagreement_map`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Disagreement {
    Agree = 0,
    /// Traced but not in the reference.
    FalsePositive = 1,
    /// In the reference but not traced.
    FalseNegative = 2,
}

/// Score `layer` of `labels` against `reference` (non-zero = in) on an axis-aligned
/// grid of `grid.spacing`. `None` when the buffers do not match the grid.
pub fn score(grid: &Grid, labels: &[u8], layer: Layer, reference: &[u8]) -> Option<Score> {
    score_with(grid, labels, layer, reference, None)
}

/// Score `layer` of `labels` against `reference` on the scan's true geometry (see the
/// module notes). `None` when the buffers do not match the grid.
pub fn score_on(
    geometry: &crate::volume::Geometry,
    labels: &[u8],
    layer: Layer,
    reference: &[u8],
) -> Option<Score> {
    let grid = Grid::of(geometry);
    score_with(&grid, labels, layer, reference, Some(geometry.linear()))
}

fn score_with(
    grid: &Grid,
    labels: &[u8],
    layer: Layer,
    reference: &[u8],
    linear: Option<[[f64; 3]; 3]>,
) -> Option<Score> {
    if !grid.fits(labels.len()) || reference.len() != labels.len() {
        return None;
    }
    let bit = layer.bit();
    let (tp, fp, fneg) = labels
        .par_iter()
        .zip(reference.par_iter())
        .fold(
            || (0usize, 0usize, 0usize),
            |(tp, fp, fneg), (&l, &r)| match (l & bit != 0, r != 0) {
                (true, true) => (tp + 1, fp, fneg),
                (true, false) => (tp, fp + 1, fneg),
                (false, true) => (tp, fp, fneg + 1),
                _ => (tp, fp, fneg),
            },
        )
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let v = match linear {
        // Volume = voxel count x |det| of the affine's 3x3 (exact for any grid)
        Some(m) => crate::volume::geometry::det3(&m).abs() / 1000.0,
        None => grid.voxel_ml(),
    };
    let (nt, nr) = (tp + fp, tp + fneg);
    let dice = if nt + nr == 0 {
        1.0
    } else {
        2.0 * tp as f64 / (nt + nr) as f64
    };
    let (msd, hd95, hd) = match surface_distances(grid, labels, bit, reference, linear) {
        Some(mut d) if !d.is_empty() => {
            let mean = d.iter().map(|&x| x as f64).sum::<f64>() / d.len() as f64;
            d.sort_by(f32::total_cmp);
            let r = ((0.95 * d.len() as f64).ceil() as usize).clamp(1, d.len()) - 1;
            (Some(mean), Some(d[r] as f64), Some(d[d.len() - 1] as f64))
        }
        _ => (None, None, None),
    };
    Some(Score {
        dice,
        traced_ml: nt as f64 * v,
        reference_ml: nr as f64 * v,
        volume_diff_ml: (nt as f64 - nr as f64) * v,
        volume_diff_pct: (nr > 0).then(|| 100.0 * (nt as f64 - nr as f64) / nr as f64),
        mean_surface_distance_mm: msd,
        hausdorff95_mm: hd95,
        hausdorff_mm: hd,
        true_positive: tp,
        false_positive: fp,
        false_negative: fneg,
    })
}

/// Distances (mm) from each surface voxel of either mask to the other mask's
/// surface (both directions pooled). `None` if a mask is empty. `linear`: the
/// affine's 3x3 (None: an axis-aligned grid of `grid.spacing`).
fn surface_distances(
    grid: &Grid,
    labels: &[u8],
    bit: u8,
    reference: &[u8],
    linear: Option<[[f64; 3]; 3]>,
) -> Option<Vec<f32>> {
    let ba = Bbox::of_mask(grid, labels, |v| v & bit != 0);
    let bb = Bbox::of_mask(grid, reference, |v| v != 0);
    if ba.is_empty() || bb.is_empty() {
        return None;
    }
    let b = ba.union(&bb).expand([1, 1, 1], grid);
    let s = b.size();
    let at = |l: usize| {
        [
            b.lo[0] + l % s[0],
            b.lo[1] + (l / s[0]) % s[1],
            b.lo[2] + l / (s[0] * s[1]),
        ]
    };
    let in_a = |p: [usize; 3]| labels[grid.flat(p[0], p[1], p[2])] & bit != 0;
    let in_b = |p: [usize; 3]| reference[grid.flat(p[0], p[1], p[2])] != 0;
    // Surface: a mask voxel with a 6-neighbour outside the mask or the volume.
    let surface = |inside: &(dyn Fn([usize; 3]) -> bool + Sync), p: [usize; 3]| {
        inside(p)
            && (0..3).any(|a| {
                let mut lo = p;
                let mut hi = p;
                hi[a] += 1;
                p[a] == 0 || hi[a] >= grid.dims[a] || !inside(hi) || {
                    lo[a] -= 1;
                    !inside(lo)
                }
            })
    };
    let sa: Vec<bool> = (0..b.len())
        .into_par_iter()
        .map(|l| surface(&in_a, at(l)))
        .collect();
    let sb: Vec<bool> = (0..b.len())
        .into_par_iter()
        .map(|l| surface(&in_b, at(l)))
        .collect();
    let spacing = match linear {
        Some(m) if !orthogonal(&m) => {
            // sheared grid: exact nearest surface point in patient space
            let points = |m_: &[bool]| -> Vec<[f64; 3]> {
                (0..b.len())
                    .filter(|&l| m_[l])
                    .map(|l| mul(&m, at(l)))
                    .collect()
            };
            let (pa, pb) = (points(&sa), points(&sb));
            let (ta, tb) = (KdTree::new(pa.clone()), KdTree::new(pb.clone()));
            let mut out: Vec<f32> = pa
                .par_iter()
                .map(|p| tb.nearest_sq(*p).sqrt() as f32)
                .collect();
            out.par_extend(pb.par_iter().map(|p| ta.nearest_sq(*p).sqrt() as f32));
            return Some(out);
        }
        Some(m) => {
            [0, 1, 2].map(|c| (m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]).sqrt())
        }
        None => grid.safe_spacing(),
    };
    let da = sq_edt(s, spacing, |l| sa[l]);
    let db = sq_edt(s, spacing, |l| sb[l]);
    let mut out: Vec<f32> = (0..b.len())
        .filter(|&l| sa[l])
        .map(|l| db[l].sqrt())
        .collect();
    out.extend((0..b.len()).filter(|&l| sb[l]).map(|l| da[l].sqrt()));
    Some(out)
}

/// True when the voxel axes (the columns) are orthogonal: the distance between two
/// voxels is then that of their index offsets scaled by the spacing.
fn orthogonal(m: &[[f64; 3]; 3]) -> bool {
    let col = |c: usize| [m[0][c], m[1][c], m[2][c]];
    let dot = |a: [f64; 3], b: [f64; 3]| a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    [(0, 1), (0, 2), (1, 2)].iter().all(|&(i, j)| {
        let (a, b) = (col(i), col(j));
        dot(a, b).abs() <= 1e-9 * (dot(a, a) * dot(b, b)).sqrt()
    })
}

/// Patient offset (mm) of a voxel index: the affine's 3x3 times the index.
fn mul(m: &[[f64; 3]; 3], p: [usize; 3]) -> [f64; 3] {
    let p = p.map(|v| v as f64);
    [0, 1, 2].map(|r| m[r][0] * p[0] + m[r][1] * p[1] + m[r][2] * p[2])
}

/// A 3-d tree over points (median splits on the widest axis), for exact nearest
/// neighbour distances.
struct KdTree {
    /// Points reordered so that every subtree is a contiguous range whose middle
    /// element is its splitting point.
    pts: Vec<[f64; 3]>,
    axis: Vec<u8>,
}

impl KdTree {
    fn new(mut pts: Vec<[f64; 3]>) -> KdTree {
        let mut axis = vec![0u8; pts.len()];
        fn build(pts: &mut [[f64; 3]], axis: &mut [u8]) {
            if pts.len() <= 1 {
                return;
            }
            let mut lo = [f64::INFINITY; 3];
            let mut hi = [f64::NEG_INFINITY; 3];
            for p in pts.iter() {
                for a in 0..3 {
                    lo[a] = lo[a].min(p[a]);
                    hi[a] = hi[a].max(p[a]);
                }
            }
            let a = (0..3)
                .max_by(|&x, &y| (hi[x] - lo[x]).total_cmp(&(hi[y] - lo[y])))
                .unwrap_or(0);
            let mid = pts.len() / 2;
            pts.select_nth_unstable_by(mid, |p, q| p[a].total_cmp(&q[a]));
            axis[mid] = a as u8;
            let (l, r) = pts.split_at_mut(mid);
            let (al, ar) = axis.split_at_mut(mid);
            build(l, al);
            build(&mut r[1..], &mut ar[1..]);
        }
        build(&mut pts, &mut axis);
        KdTree { pts, axis }
    }

    /// Squared distance from `q` to the nearest point (infinite for no points).
    fn nearest_sq(&self, q: [f64; 3]) -> f64 {
        fn go(pts: &[[f64; 3]], axis: &[u8], q: [f64; 3], best: &mut f64) {
            if pts.is_empty() {
                return;
            }
            let mid = pts.len() / 2;
            let p = pts[mid];
            let d = (0..3).map(|a| (p[a] - q[a]) * (p[a] - q[a])).sum::<f64>();
            *best = best.min(d);
            let a = axis[mid] as usize;
            let diff = q[a] - p[a];
            let (near, far, an, af) = if diff < 0.0 {
                (&pts[..mid], &pts[mid + 1..], &axis[..mid], &axis[mid + 1..])
            } else {
                (&pts[mid + 1..], &pts[..mid], &axis[mid + 1..], &axis[..mid])
            };
            go(near, an, q, best);
            if diff * diff < *best {
                go(far, af, q, best);
            }
        }
        let mut best = f64::INFINITY;
        go(&self.pts, &self.axis, q, &mut best);
        best
    }
}

/// Per-voxel [`Disagreement`] as bytes (grid order); empty on size mismatch.
pub fn disagreement_map(grid: &Grid, labels: &[u8], layer: Layer, reference: &[u8]) -> Vec<u8> {
    if !grid.fits(labels.len()) || reference.len() != labels.len() {
        return Vec::new();
    }
    let bit = layer.bit();
    labels
        .par_iter()
        .zip(reference.par_iter())
        .map(|(&l, &r)| match (l & bit != 0, r != 0) {
            (true, false) => Disagreement::FalsePositive as u8,
            (false, true) => Disagreement::FalseNegative as u8,
            _ => Disagreement::Agree as u8,
        })
        .collect()
}
