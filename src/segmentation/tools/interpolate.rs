//! "Fill between slices": shape-based interpolation of a layer traced on some
//! slices, by linear blending of the 2-D signed distance maps (exact anisotropic
//! EDT) of the two nearest traced slices.

use super::edt::signed_distance_2d;
use super::geom::{Axis, Bbox};
use super::grid::Grid;
use super::preview::Preview;
use crate::segmentation::Layer;
use rayon::prelude::*;

/// Slices along `axis` that contain at least one voxel of `layer`.
pub fn traced_slices(grid: &Grid, labels: &[u8], layer: Layer, axis: Axis) -> Vec<usize> {
    if !grid.fits(labels.len()) {
        return Vec::new();
    }
    let bit = layer.bit();
    let n = grid.dims[axis.n()];
    let mut has = vec![false; n];
    let [nx, ny, nz] = grid.dims;
    for k in 0..nz {
        for j in 0..ny {
            let start = grid.flat(0, j, k);
            let row = &labels[start..start + nx];
            match axis {
                Axis::I => row
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v & bit != 0)
                    .for_each(|(i, _)| has[i] = true),
                Axis::J if row.iter().any(|v| v & bit != 0) => has[j] = true,
                Axis::K if row.iter().any(|v| v & bit != 0) => has[k] = true,
                _ => {}
            }
        }
    }
    (0..n).filter(|&s| has[s]).collect()
}

/// In-plane box (u, v ranges) of the layer on one slice.
fn slice_box(grid: &Grid, labels: &[u8], bit: u8, axis: Axis, s: usize) -> Option<[usize; 4]> {
    let (a, b) = axis.in_plane();
    let mut r: Option<[usize; 4]> = None;
    for v in 0..grid.dims[b] {
        for u in 0..grid.dims[a] {
            let p = axis.voxel(s, u, v);
            if labels[grid.flat(p[0], p[1], p[2])] & bit != 0 {
                let q = r.get_or_insert([u, u + 1, v, v + 1]);
                *q = [q[0].min(u), q[1].max(u + 1), q[2].min(v), q[3].max(v + 1)];
            }
        }
    }
    r
}

/// Interpolate `layer` on the slices strictly between consecutive `key_slices`
/// (typically [`traced_slices`]). Returns an additive preview (nothing is written).
pub fn interpolate_slices(
    grid: &Grid,
    labels: &[u8],
    layer: Layer,
    axis: Axis,
    key_slices: &[usize],
) -> Preview {
    let empty = Preview::new(Bbox::default(), Vec::new(), false);
    if !grid.fits(labels.len()) {
        return empty;
    }
    let bit = layer.bit();
    let n_ax = grid.dims[axis.n()];
    let mut keys: Vec<usize> = key_slices.iter().copied().filter(|&s| s < n_ax).collect();
    keys.sort_unstable();
    keys.dedup();
    let boxes: Vec<Option<[usize; 4]>> = keys
        .par_iter()
        .map(|&s| slice_box(grid, labels, bit, axis, s))
        .collect();
    // Pairs of consecutive non-empty key slices with a gap.
    let (a, b) = axis.in_plane();
    let sp = grid.safe_spacing();
    let mut pairs = Vec::new();
    for w in 0..keys.len().saturating_sub(1) {
        if let (Some(ba), Some(bb)) = (boxes[w], boxes[w + 1])
            && keys[w + 1] > keys[w] + 1
        {
            let u = [
                ba[0].min(bb[0]).saturating_sub(1),
                (ba[1].max(bb[1]) + 1).min(grid.dims[a]),
            ];
            let v = [
                ba[2].min(bb[2]).saturating_sub(1),
                (ba[3].max(bb[3]) + 1).min(grid.dims[b]),
            ];
            pairs.push((keys[w], keys[w + 1], u, v));
        }
    }
    if pairs.is_empty() {
        return empty;
    }
    let mut bbox = Bbox::default();
    for &(s0, s1, u, v) in &pairs {
        let mut pb = Bbox::default();
        pb.lo[axis.n()] = s0 + 1;
        pb.hi[axis.n()] = s1;
        (pb.lo[a], pb.hi[a], pb.lo[b], pb.hi[b]) = (u[0], u[1], v[0], v[1]);
        bbox = bbox.union(&pb);
    }
    let size = bbox.size();
    let mut mask = vec![0u8; bbox.len()];
    for &(s0, s1, u, v) in &pairs {
        let (nu, nv) = (u[1] - u[0], v[1] - v[0]);
        let sd = |s: usize| {
            let inside: Vec<bool> = (0..nu * nv)
                .map(|l| {
                    let p = axis.voxel(s, u[0] + l % nu, v[0] + l / nu);
                    labels[grid.flat(p[0], p[1], p[2])] & bit != 0
                })
                .collect();
            signed_distance_2d(nu, nv, [sp[a], sp[b]], &inside)
        };
        let (d0, d1) = rayon::join(|| sd(s0), || sd(s1));
        let slices: Vec<(usize, Vec<bool>)> = (s0 + 1..s1)
            .into_par_iter()
            .map(|s| {
                let w = (s - s0) as f32 / (s1 - s0) as f32;
                let m = d0
                    .iter()
                    .zip(&d1)
                    .map(|(&x, &y)| (1.0 - w) * x + w * y < 0.0)
                    .collect();
                (s, m)
            })
            .collect();
        for (s, m) in slices {
            for (l, _) in m.iter().enumerate().filter(|(_, on)| **on) {
                let p = axis.voxel(s, u[0] + l % nu, v[0] + l / nu);
                let q = [0, 1, 2].map(|x| p[x] - bbox.lo[x]);
                mask[q[0] + size[0] * (q[1] + size[1] * q[2])] = 1;
            }
        }
    }
    Preview::new(bbox, mask, false)
}
