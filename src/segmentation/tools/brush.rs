//! Round brush: a sphere (3-D) or a disc on the current slice, radius in mm with
//! anisotropic spacing; a stroke is a polyline stamped every <= radius / 2.

use super::geom::{Axis, Bbox};
use super::grid::Grid;
use super::rules::{EditCtx, PaintMode};
use super::undo::{Edit, write_layer};

/// Brush footprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrushShape {
    /// Ball in 3-D.
    Sphere,
    /// Disc on the slice of the first point along this axis.
    Disc(Axis),
}

/// A stroke's footprint: a box and one byte per box voxel (non-zero = covered).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    pub bbox: Bbox,
    pub mask: Vec<u8>,
}

impl Footprint {
    /// Flat grid indices of the covered voxels.
    pub fn indices(&self, grid: &Grid) -> Vec<usize> {
        let s = self.bbox.size();
        let mut out = Vec::new();
        for (l, _) in self.mask.iter().enumerate().filter(|(_, v)| **v != 0) {
            let (i, j, k) = (l % s[0], (l / s[0]) % s[1], l / (s[0] * s[1]));
            out.push(grid.flat(
                self.bbox.lo[0] + i,
                self.bbox.lo[1] + j,
                self.bbox.lo[2] + k,
            ));
        }
        out
    }
}

/// Stamp centres (continuous voxel coordinates) along the polyline, consecutive
/// centres at most `radius_mm / 2` apart (or half the finest spacing for tiny
/// brushes). Non-finite points are skipped, segments are clipped to the volume
/// grown by the radius, and a disc stroke is flattened onto its first point's slice.
pub fn stroke_stamps(
    grid: &Grid,
    points: &[[f64; 3]],
    radius_mm: f64,
    shape: BrushShape,
) -> Vec<[f64; 3]> {
    let sp = grid.safe_spacing();
    let r = if radius_mm.is_finite() {
        radius_mm.max(0.0)
    } else {
        0.0
    };
    let min_sp = sp.iter().cloned().fold(f64::INFINITY, f64::min);
    let step = (r / 2.0).max(min_sp / 2.0);
    let mut pts: Vec<[f64; 3]> = points
        .iter()
        .filter(|p| p.iter().all(|v| v.is_finite()))
        .copied()
        .collect();
    if let (BrushShape::Disc(ax), Some(first)) = (shape, pts.first().copied()) {
        let a = ax.n();
        pts.iter_mut().for_each(|p| p[a] = first[a].round());
    }
    // Box (voxel coordinates) outside which stamps cannot touch the volume.
    let lo: [f64; 3] = [0, 1, 2].map(|a| -0.5 - r / sp[a] - 1.0);
    let hi: [f64; 3] = [0, 1, 2].map(|a| grid.dims[a] as f64 - 0.5 + r / sp[a] + 1.0);
    let diag = (0..3)
        .map(|a| ((hi[a] - lo[a]) * sp[a]).powi(2))
        .sum::<f64>()
        .sqrt();
    let max_n = ((diag / step).ceil() as usize)
        .saturating_add(1)
        .min(10_000_000);
    let mut out = Vec::new();
    if pts.len() == 1 {
        if (0..3).all(|a| pts[0][a] >= lo[a] && pts[0][a] <= hi[a]) {
            out.push(pts[0]);
        }
        return out;
    }
    for w in pts.windows(2) {
        let Some((t0, t1)) = clip_segment(w[0], w[1], lo, hi) else {
            continue;
        };
        let d = [0, 1, 2].map(|a| (w[1][a] - w[0][a]) * sp[a]);
        let len = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt() * (t1 - t0);
        // Clipped to the (grown) volume, so a segment is never longer than its
        // diagonal; the cap only guards against overflow for absurd coordinates.
        let n = ((len / step).ceil() as usize).clamp(1, max_n);
        for m in 0..=n {
            let t = t0 + (t1 - t0) * m as f64 / n as f64;
            out.push([0, 1, 2].map(|a| w[0][a] + (w[1][a] - w[0][a]) * t));
        }
    }
    out
}

/// Liang–Barsky clipping of the segment a→b to the box [lo, hi]: parameter range.
fn clip_segment(a: [f64; 3], b: [f64; 3], lo: [f64; 3], hi: [f64; 3]) -> Option<(f64, f64)> {
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for ax in 0..3 {
        let d = b[ax] - a[ax];
        if d == 0.0 {
            if a[ax] < lo[ax] || a[ax] > hi[ax] {
                return None;
            }
            continue;
        }
        let (mut ta, mut tb) = ((lo[ax] - a[ax]) / d, (hi[ax] - a[ax]) / d);
        if ta > tb {
            std::mem::swap(&mut ta, &mut tb);
        }
        t0 = t0.max(ta);
        t1 = t1.min(tb);
        if t0 > t1 {
            return None;
        }
    }
    Some((t0, t1))
}

/// Voxels covered by a stroke: centre within `radius_mm` of a stamp centre, plus
/// the voxel nearest to each stamp (so a tiny brush still paints one voxel).
pub fn footprint(grid: &Grid, points: &[[f64; 3]], radius_mm: f64, shape: BrushShape) -> Footprint {
    let stamps = stroke_stamps(grid, points, radius_mm, shape);
    let sp = grid.safe_spacing();
    let r = if radius_mm.is_finite() {
        radius_mm.max(0.0)
    } else {
        0.0
    };
    let ext = sp.map(|s| (r / s).floor() as i64 + 1);
    let flat = match shape {
        BrushShape::Disc(ax) => Some(ax.n()),
        BrushShape::Sphere => None,
    };
    let stamp_box = |c: &[f64; 3]| -> Bbox {
        let mut b = Bbox::default();
        for a in 0..3 {
            let e = if flat == Some(a) { 0 } else { ext[a] };
            let m = c[a].round() as i64;
            let l = (m - e).clamp(0, grid.dims[a] as i64);
            let h = (m + e + 1).clamp(0, grid.dims[a] as i64);
            b.lo[a] = l as usize;
            b.hi[a] = h as usize;
        }
        b
    };
    let bbox = stamps
        .iter()
        .map(stamp_box)
        .fold(Bbox::default(), |acc, b| acc.union(&b));
    if bbox.is_empty() {
        return Footprint::default();
    }
    let s = bbox.size();
    let mut mask = vec![0u8; bbox.len()];
    let r2 = r * r + 1e-9;
    for c in &stamps {
        let b = stamp_box(c);
        for k in b.lo[2]..b.hi[2] {
            let dk = (k as f64 - c[2]) * sp[2];
            for j in b.lo[1]..b.hi[1] {
                let dj = (j as f64 - c[1]) * sp[1];
                let base = (j - bbox.lo[1]) * s[0] + (k - bbox.lo[2]) * s[0] * s[1];
                for i in b.lo[0]..b.hi[0] {
                    let di = (i as f64 - c[0]) * sp[0];
                    if di * di + dj * dj + dk * dk <= r2 {
                        mask[base + i - bbox.lo[0]] = 1;
                    }
                }
            }
        }
        if let Some(p) = grid.nearest_voxel(*c) {
            let l = (p[0] - bbox.lo[0]) + s[0] * ((p[1] - bbox.lo[1]) + s[1] * (p[2] - bbox.lo[2]));
            if let Some(v) = mask.get_mut(l) {
                *v = 1;
            }
        }
    }
    Footprint { bbox, mask }
}

/// Paint or erase one stroke (one undo step). Painting respects the editable area
/// and HU range of `ctx.rules`.
pub fn paint_stroke(
    ctx: &EditCtx,
    labels: &mut [u8],
    points: &[[f64; 3]],
    radius_mm: f64,
    shape: BrushShape,
    mode: PaintMode,
) -> Edit {
    if !ctx.fits(labels) {
        return Edit::empty(ctx.grid);
    }
    let fp = footprint(ctx.grid, points, radius_mm, shape);
    let b = fp.bbox;
    let s = b.size();
    write_layer(ctx, labels, b, |_, [i, j, k]| {
        let l = (i - b.lo[0]) + s[0] * ((j - b.lo[1]) + s[1] * (k - b.lo[2]));
        (fp.mask[l] != 0).then_some(mode.want())
    })
}

/// Flat indices of the voxels of a stroke (e.g. to use as grow-from-seeds seeds).
pub fn stroke_voxels(
    grid: &Grid,
    points: &[[f64; 3]],
    radius_mm: f64,
    shape: BrushShape,
) -> Vec<usize> {
    footprint(grid, points, radius_mm, shape).indices(grid)
}
