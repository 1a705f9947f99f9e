//! Region tools: HU-range flood fill (2-D or 3-D), largest component, island
//! removal, hole filling (2-D and 3-D) and margin grow/shrink (exact EDT).

use super::edt::sq_edt;
use super::geom::{Axis, Bbox};
use super::grid::Grid;
use super::rules::{EditCtx, PaintMode};
use super::undo::{Edit, write_layer};
use rayon::prelude::*;

/// Box-local linear index.
#[inline]
fn local(b: &Bbox, p: [usize; 3]) -> usize {
    let s = b.size();
    (p[0] - b.lo[0]) + s[0] * ((p[1] - b.lo[1]) + s[1] * (p[2] - b.lo[2]))
}

/// The layer as a box-local mask.
fn box_mask(grid: &Grid, labels: &[u8], bit: u8, b: &Bbox) -> Vec<bool> {
    let s = b.size();
    let mut m = vec![false; b.len()];
    m.par_chunks_mut(s[0] * s[1].max(1))
        .enumerate()
        .for_each(|(kk, slab)| {
            for jj in 0..s[1] {
                let start = grid.flat(b.lo[0], b.lo[1] + jj, b.lo[2] + kk);
                for (ii, v) in labels[start..start + s[0]].iter().enumerate() {
                    slab[ii + s[0] * jj] = v & bit != 0;
                }
            }
        });
    m
}

/// 6-neighbours (4 when `plane` fixes an axis) of box-local voxel `p` in size `s`.
fn neighbours(s: [usize; 3], p: [usize; 3], plane: Option<usize>, mut f: impl FnMut([usize; 3])) {
    for a in 0..3 {
        if plane == Some(a) {
            continue;
        }
        if p[a] > 0 {
            let mut q = p;
            q[a] -= 1;
            f(q);
        }
        if p[a] + 1 < s[a] {
            let mut q = p;
            q[a] += 1;
            f(q);
        }
    }
}

/// Connected components (6-connected) of `mask` over a box of size `s`:
/// per-voxel component id (0 = not in mask) and the size of each component (id-1).
pub fn components(s: [usize; 3], mask: &[bool]) -> (Vec<u32>, Vec<usize>) {
    let n = s[0].checked_mul(s[1]).and_then(|v| v.checked_mul(s[2]));
    if n != Some(mask.len()) {
        return (Vec::new(), Vec::new());
    }
    let n = mask.len();
    let mut id = vec![0u32; n];
    let mut sizes = Vec::new();
    let mut stack = Vec::new();
    for start in 0..n {
        if !mask[start] || id[start] != 0 {
            continue;
        }
        let c = sizes.len() as u32 + 1;
        let mut count = 0;
        id[start] = c;
        stack.push(start);
        while let Some(l) = stack.pop() {
            count += 1;
            let p = [l % s[0], (l / s[0]) % s[1], l / (s[0] * s[1])];
            neighbours(s, p, None, |q| {
                let m = q[0] + s[0] * (q[1] + s[1] * q[2]);
                if mask[m] && id[m] == 0 {
                    id[m] = c;
                    stack.push(m);
                }
            });
        }
        sizes.push(count);
    }
    (id, sizes)
}

/// Flood fill from `seed` through voxels with HU in `hu` (6-connected in 3-D, or
/// 4-connected on the seed's slice when `plane` is given). When painting, the
/// region also stays inside the voxels `ctx.rules` allow. Seeds outside the
/// volume or outside the range give an empty edit.
pub fn flood_fill(
    ctx: &EditCtx,
    labels: &mut [u8],
    seed: [i64; 3],
    hu: (i16, i16),
    plane: Option<Axis>,
    mode: PaintMode,
) -> Edit {
    let g = ctx.grid;
    let empty = Edit::empty(g);
    if !ctx.fits(labels) || ctx.ct.len() != labels.len() {
        return empty;
    }
    let Some(s0) = g.checked_flat(seed) else {
        return empty;
    };
    let ok = |idx: usize| {
        let v = ctx.ct[idx];
        v >= hu.0 && v <= hu.1 && (mode == PaintMode::Erase || ctx.may_set(idx, labels[idx]))
    };
    if !ok(s0) {
        return empty;
    }
    let full = g.full_box();
    let mut seen = vec![0u64; g.n_voxels().div_ceil(64)];
    let mark = |seen: &mut Vec<u64>, i: usize| seen[i / 64] |= 1 << (i % 64);
    let is = |seen: &Vec<u64>, i: usize| seen[i / 64] >> (i % 64) & 1 == 1;
    mark(&mut seen, s0);
    let mut bbox = Bbox::voxel(g.ijk(s0));
    let mut stack = vec![s0];
    let fixed = plane.map(Axis::n);
    while let Some(l) = stack.pop() {
        let p = g.ijk(l);
        bbox = bbox.union(&Bbox::voxel(p));
        neighbours(g.dims, p, fixed, |q| {
            let m = local(&full, q);
            if !is(&seen, m) && ok(m) {
                mark(&mut seen, m);
                stack.push(m);
            }
        });
    }
    write_layer(ctx, labels, bbox, |idx, _| {
        is(&seen, idx).then_some(mode.want())
    })
}

/// Clear every voxel of a component whose size fails `keep(size, is_largest)`.
fn filter_components(ctx: &EditCtx, labels: &mut [u8], keep: impl Fn(usize, bool) -> bool) -> Edit {
    let g = ctx.grid;
    if !ctx.fits(labels) {
        return Edit::empty(g);
    }
    let bit = ctx.layer.bit();
    let b = Bbox::of_mask(g, labels, |v| v & bit != 0);
    if b.is_empty() {
        return Edit::empty(g);
    }
    let (id, sizes) = components(b.size(), &box_mask(g, labels, bit, &b));
    let largest = (0..sizes.len()).max_by_key(|&c| (sizes[c], usize::MAX - c));
    let kept: Vec<bool> = (0..sizes.len())
        .map(|c| keep(sizes[c], Some(c) == largest))
        .collect();
    write_layer(ctx, labels, b, |_, p| {
        let c = id[local(&b, p)] as usize;
        (c > 0 && !kept[c - 1]).then_some(false)
    })
}

/// Keep only the largest 6-connected component of the layer.
pub fn keep_largest_component(ctx: &EditCtx, labels: &mut [u8]) -> Edit {
    filter_components(ctx, labels, |_, largest| largest)
}

/// Remove 6-connected islands smaller than `min_ml` millilitres.
pub fn remove_islands(ctx: &EditCtx, labels: &mut [u8], min_ml: f64) -> Edit {
    if min_ml.is_nan() {
        return Edit::empty(ctx.grid);
    }
    let v = ctx.grid.voxel_ml();
    filter_components(ctx, labels, |n, _| n as f64 * v >= min_ml)
}

/// Background of `mask` (box size `s`) not connected to the box faces (4-/6-conn.).
fn holes(s: [usize; 3], mask: &[bool], plane: Option<usize>) -> Vec<bool> {
    let mut outside = vec![false; mask.len()];
    let mut stack = Vec::new();
    for l in 0..mask.len() {
        let p = [l % s[0], (l / s[0]) % s[1], l / (s[0] * s[1])];
        let face = (0..3).any(|a| plane != Some(a) && (p[a] == 0 || p[a] + 1 == s[a]));
        if face && !mask[l] {
            outside[l] = true;
            stack.push(l);
        }
    }
    while let Some(l) = stack.pop() {
        let p = [l % s[0], (l / s[0]) % s[1], l / (s[0] * s[1])];
        neighbours(s, p, plane, |q| {
            let m = q[0] + s[0] * (q[1] + s[1] * q[2]);
            if !mask[m] && !outside[m] {
                outside[m] = true;
                stack.push(m);
            }
        });
    }
    mask.iter().zip(&outside).map(|(&m, &o)| !m && !o).collect()
}

/// Fill 3-D holes: background not 6-connected to the border of the volume.
pub fn fill_holes_3d(ctx: &EditCtx, labels: &mut [u8]) -> Edit {
    fill_holes(ctx, labels, None)
}

/// Fill holes on every slice along `axis` (background not 4-connected to the
/// slice border).
pub fn fill_holes_2d(ctx: &EditCtx, labels: &mut [u8], axis: Axis) -> Edit {
    fill_holes(ctx, labels, Some(axis))
}

fn fill_holes(ctx: &EditCtx, labels: &mut [u8], axis: Option<Axis>) -> Edit {
    let g = ctx.grid;
    if !ctx.fits(labels) {
        return Edit::empty(g);
    }
    let bit = ctx.layer.bit();
    let b = Bbox::of_mask(g, labels, |v| v & bit != 0);
    let mut m = [1, 1, 1];
    if let Some(a) = axis {
        m[a.n()] = 0;
    }
    let b = b.expand(m, g);
    if b.is_empty() {
        return Edit::empty(g);
    }
    // Box faces on the volume border are border too: the expanded box reaches
    // either the volume border or one voxel beyond the layer.
    let h = holes(b.size(), &box_mask(g, labels, bit, &b), axis.map(Axis::n));
    write_layer(ctx, labels, b, |_, p| h[local(&b, p)].then_some(true))
}

/// Grow (`margin_mm` > 0) or shrink (< 0) the layer: set every voxel whose centre
/// is within the margin of a layer voxel centre, or clear every layer voxel within
/// |margin| of a non-layer voxel (anisotropic exact EDT).
pub fn grow_shrink(ctx: &EditCtx, labels: &mut [u8], margin_mm: f64) -> Edit {
    let g = ctx.grid;
    if !ctx.fits(labels) || !margin_mm.is_finite() || margin_mm == 0.0 {
        return Edit::empty(g);
    }
    let bit = ctx.layer.bit();
    let sp = g.safe_spacing();
    let lb = Bbox::of_mask(g, labels, |v| v & bit != 0);
    if lb.is_empty() {
        return Edit::empty(g);
    }
    let m = margin_mm.abs();
    let ext = if margin_mm > 0.0 {
        sp.map(|s| ((m / s).ceil() as usize).saturating_add(1))
    } else {
        [1, 1, 1]
    };
    let b = lb.expand(ext, g);
    let mask = box_mask(g, labels, bit, &b);
    let grow = margin_mm > 0.0;
    let d = sq_edt(b.size(), sp, |l| mask[l] == grow);
    let lim = (m * m * (1.0 + 1e-9) + 1e-9) as f32;
    write_layer(ctx, labels, b, |_, p| {
        let l = local(&b, p);
        match (grow, mask[l], d[l] <= lim) {
            (true, false, true) => Some(true),
            (false, true, true) => Some(false),
            _ => None,
        }
    })
}
