//! Trainee score of a traced layer against a reference mask: Dice, volume
//! difference, mean symmetric surface distance, 95 % Hausdorff distance, and a
//! per-voxel disagreement map.

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

/// Score `layer` of `labels` against `reference` (non-zero = in). `None` when the
/// buffers do not match the grid.
pub fn score(grid: &Grid, labels: &[u8], layer: Layer, reference: &[u8]) -> Option<Score> {
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
    let v = grid.voxel_ml();
    let (nt, nr) = (tp + fp, tp + fneg);
    let dice = if nt + nr == 0 {
        1.0
    } else {
        2.0 * tp as f64 / (nt + nr) as f64
    };
    let (msd, hd95) = match surface_distances(grid, labels, bit, reference) {
        Some(mut d) if !d.is_empty() => {
            let mean = d.iter().map(|&x| x as f64).sum::<f64>() / d.len() as f64;
            d.sort_by(f32::total_cmp);
            let r = ((0.95 * d.len() as f64).ceil() as usize).clamp(1, d.len()) - 1;
            (Some(mean), Some(d[r] as f64))
        }
        _ => (None, None),
    };
    Some(Score {
        dice,
        traced_ml: nt as f64 * v,
        reference_ml: nr as f64 * v,
        volume_diff_ml: (nt as f64 - nr as f64) * v,
        volume_diff_pct: (nr > 0).then(|| 100.0 * (nt as f64 - nr as f64) / nr as f64),
        mean_surface_distance_mm: msd,
        hausdorff95_mm: hd95,
        true_positive: tp,
        false_positive: fp,
        false_negative: fneg,
    })
}

/// Distances (mm) from each surface voxel of either mask to the other mask's
/// surface (both directions pooled). `None` if a mask is empty.
fn surface_distances(grid: &Grid, labels: &[u8], bit: u8, reference: &[u8]) -> Option<Vec<f32>> {
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
    let da = sq_edt(s, grid.safe_spacing(), |l| sa[l]);
    let db = sq_edt(s, grid.safe_spacing(), |l| sb[l]);
    let mut out: Vec<f32> = (0..b.len())
        .filter(|&l| sa[l])
        .map(|l| db[l].sqrt())
        .collect();
    out.extend((0..b.len()).filter(|&l| sb[l]).map(|l| da[l].sqrt()));
    Some(out)
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
