//! Closed polygon / freehand outline fill on a slice (scanline, even-odd rule,
//! pixel centres inside).

use super::geom::Axis;
use super::rules::{EditCtx, PaintMode};
use super::undo::{Edit, write_layer};

/// Even-odd fill of a closed polygon on an `nu` x `nv` pixel grid (index
/// `u + nu * v`; pixel centres at integer coordinates). A pixel is inside when its
/// centre is, with left/top edges inclusive and right/bottom edges exclusive.
/// Fewer than 3 finite points give an empty mask.
pub fn polygon_mask(nu: usize, nv: usize, points: &[[f64; 2]]) -> Vec<bool> {
    let Some(n) = nu.checked_mul(nv) else {
        return Vec::new();
    };
    let mut mask = vec![false; n];
    let pts: Vec<[f64; 2]> = points
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .copied()
        .collect();
    if pts.len() < 3 || nu == 0 || nv == 0 {
        return mask;
    }
    let ymin = pts.iter().map(|p| p[1]).fold(f64::INFINITY, f64::min);
    let ymax = pts.iter().map(|p| p[1]).fold(f64::NEG_INFINITY, f64::max);
    let v0 = ymin.ceil().clamp(0.0, nv as f64) as usize;
    let v1 = (ymax.floor() + 1.0).clamp(0.0, nv as f64) as usize;
    let mut xs: Vec<f64> = Vec::new();
    for v in v0..v1 {
        let y = v as f64;
        xs.clear();
        for (n, a) in pts.iter().enumerate() {
            let b = pts[(n + 1) % pts.len()];
            if (a[1] <= y) != (b[1] <= y) {
                let x = a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                if x.is_finite() {
                    xs.push(x);
                }
            }
        }
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks_exact(2) {
            let u0 = pair[0].ceil().clamp(0.0, nu as f64) as usize;
            let u1 = pair[1].ceil().clamp(0.0, nu as f64) as usize;
            for u in u0..u1 {
                mask[u + nu * v] = true;
            }
        }
    }
    mask
}

/// Fill (or erase) the polygon `points` (in-plane voxel coordinates (u, v) of the
/// two other axes, see [`Axis::in_plane`]) on slice `slice` along `axis`.
pub fn fill_polygon(
    ctx: &EditCtx,
    labels: &mut [u8],
    axis: Axis,
    slice: usize,
    points: &[[f64; 2]],
    mode: PaintMode,
) -> Edit {
    let g = ctx.grid;
    if !ctx.fits(labels) || slice >= g.dims[axis.n()] {
        return Edit::empty(g);
    }
    let (a, b) = axis.in_plane();
    let (nu, nv) = (g.dims[a], g.dims[b]);
    let mask = polygon_mask(nu, nv, points);
    let mut bbox = g.full_box();
    bbox.lo[axis.n()] = slice;
    bbox.hi[axis.n()] = slice + 1;
    write_layer(ctx, labels, bbox, |_, p| {
        mask[p[a] + nu * p[b]].then_some(mode.want())
    })
}
