//! Putting a SEG's frames on the scan's grid. Every scan voxel centre is taken to
//! patient coordinates by the scan's affine, then to the nearest SEG frame plane
//! (within half the SEG's slice step) and that frame's nearest pixel, by the
//! frame's own position, orientation and pixel spacing: nearest neighbour, which
//! is an exact copy when the two grids are the same.

use rayon::prelude::*;

use super::SegError;
use super::read::{SegFile, SegFrame};
use crate::volume::Geometry;

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

/// RAS <-> LPS (the same map both ways).
fn flip(v: [f64; 3]) -> [f64; 3] {
    [-v[0], -v[1], v[2]]
}

/// The normal of a frame (row x column direction).
fn normal(f: &SegFrame) -> [f64; 3] {
    cross(f.row_dir, f.col_dir)
}

/// The SEG's slice step (mm along the normal): SpacingBetweenSlices / SliceThickness
/// when given, else the median step between its distinct frame planes, else 1 mm
/// (a single plane: it then covers +-0.5 mm).
pub(crate) fn plane_step(seg: &SegFile) -> f64 {
    if let Some(t) = seg.frames.iter().find_map(|f| f.thickness) {
        return t;
    }
    let Some(first) = seg.frames.first() else {
        return 1.0;
    };
    let n = normal(first);
    let mut d: Vec<f64> = seg.frames.iter().map(|f| dot(f.position, n)).collect();
    d.sort_by(f64::total_cmp);
    d.dedup_by(|a, b| (*a - *b).abs() < 1e-3);
    let mut steps: Vec<f64> = d.windows(2).map(|w| w[1] - w[0]).collect();
    steps.sort_by(f64::total_cmp);
    steps.get(steps.len() / 2).copied().unwrap_or(1.0)
}

/// One segment on the scan's grid.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    /// 0/1 per scan voxel, NIfTI order.
    pub mask: Vec<u8>,
    pub voxels: usize,
    /// The segment's set pixels in the file, and how many of them lie outside the scan.
    pub set_pixels: usize,
    pub outside_pixels: usize,
}

/// Place segment `number` on `ct`'s grid (nearest neighbour).
pub(crate) fn place_segment(
    seg: &SegFile,
    number: u16,
    ct: &Geometry,
    step: f64,
    same_grid: bool,
) -> Result<Placed, SegError> {
    let mut placed = Placed {
        mask: vec![0; ct.voxel_count()],
        voxels: 0,
        set_pixels: 0,
        outside_pixels: 0,
    };
    let Some(stack) = Stack::of_segment(seg, number)? else {
        return Ok(placed);
    };
    if same_grid {
        // every frame is a scan slice with the scan's pixels: copy
        placed.set_pixels = copy_frames(seg, &stack, ct, &mut placed.mask);
    } else {
        (placed.set_pixels, placed.outside_pixels) = count_pixels(seg, &stack, ct)?;
        let [nx, ny, _] = ct.dims;
        let nearest = Nearest {
            seg,
            stack: &stack,
            ct,
            half: step / 2.0 + 1e-4,
        };
        placed
            .mask
            .par_chunks_mut(nx * ny)
            .enumerate()
            .for_each(|(k, out)| nearest.fill_slice(k, out));
    }
    placed.voxels = placed.mask.iter().filter(|&&v| v != 0).count();
    Ok(placed)
}

/// One segment's frames as one stack, sorted along their common normal.
struct Stack<'a> {
    frames: Vec<&'a SegFrame>,
    normal: [f64; 3],
    /// Each frame's position along the normal (ascending).
    depth: Vec<f64>,
}

impl<'a> Stack<'a> {
    /// Segment `number`'s frames (None if it has none; Err if they differ in
    /// orientation or pixel spacing).
    fn of_segment(seg: &'a SegFile, number: u16) -> Result<Option<Stack<'a>>, SegError> {
        let mut frames: Vec<&SegFrame> =
            seg.frames.iter().filter(|f| f.segment == number).collect();
        let Some(first) = frames.first() else {
            return Ok(None);
        };
        let n = normal(first);
        if let Some(f) = frames
            .iter()
            .find(|f| dot(normal(f), n) < 1.0 - 1e-4 || f.spacing != first.spacing)
        {
            return Err(SegError::Geometry(format!(
                "{}: the frames of segment {number} differ in orientation or pixel spacing \
                 (e.g. the frame at {:?}): they are not one stack and are not placed",
                seg.path.display(),
                f.position
            )));
        }
        frames.sort_by(|a, b| dot(a.position, n).total_cmp(&dot(b.position, n)));
        let depth: Vec<f64> = frames.iter().map(|f| dot(f.position, n)).collect();
        Ok(Some(Stack {
            frames,
            normal: n,
            depth,
        }))
    }
}

/// Copy every frame onto the scan slice it lies on (the grids are the same);
/// returns the number of set pixels.
fn copy_frames(seg: &SegFile, stack: &Stack, ct: &Geometry, mask: &mut [u8]) -> usize {
    let [nx, ny, _] = ct.dims;
    let plane = nx * ny;
    let mut set = 0;
    for f in &stack.frames {
        let Some(x) = ct.to_index(flip(f.position)) else {
            continue;
        };
        let k = x[2].round() as usize;
        let out = &mut mask[k * plane..(k + 1) * plane];
        for (p, v) in out.iter_mut().enumerate() {
            if seg.is_set(f, p) {
                *v = 1;
                set += 1;
            }
        }
    }
    set
}

/// The stack's set pixels and how many of them lie outside the scan (forward map).
fn count_pixels(seg: &SegFile, stack: &Stack, ct: &Geometry) -> Result<(usize, usize), SegError> {
    let inv = crate::volume::geometry::inv3(&ct.linear())
        .ok_or_else(|| SegError::Geometry("the scan's affine is singular".into()))?;
    let origin = ct.origin();
    let (mut set, mut outside) = (0, 0);
    for f in &stack.frames {
        for r in 0..seg.rows {
            for c in 0..seg.cols {
                if !seg.is_set(f, r * seg.cols + c) {
                    continue;
                }
                set += 1;
                let w = [0, 1, 2].map(|a| {
                    f.position[a]
                        + c as f64 * f.spacing[1] * f.row_dir[a]
                        + r as f64 * f.spacing[0] * f.col_dir[a]
                });
                let x = crate::volume::geometry::mat_vec(&inv, sub(flip(w), origin));
                let inside = (0..3).all(|a| x[a] > -0.5 && x[a] < ct.dims[a] as f64 - 0.5);
                if !inside {
                    outside += 1;
                }
            }
        }
    }
    Ok((set, outside))
}

/// Nearest-neighbour lookup of scan voxels in a stack of frames.
struct Nearest<'a> {
    seg: &'a SegFile,
    stack: &'a Stack<'a>,
    ct: &'a Geometry,
    /// How far (mm along the normal) a voxel may lie from its nearest frame plane.
    half: f64,
}

impl Nearest<'_> {
    /// Set the voxels of scan slice `k` (`out`) whose nearest frame pixel is set.
    fn fill_slice(&self, k: usize, out: &mut [u8]) {
        let (seg, ct, d, n) = (self.seg, self.ct, &self.stack.depth, self.stack.normal);
        let [nx, ny, _] = ct.dims;
        let (rows, cols) = (seg.rows as i64, seg.cols as i64);
        for j in 0..ny {
            for i in 0..nx {
                let w = flip(ct.to_world([i as f64, j as f64, k as f64]));
                let dw = dot(w, n);
                // nearest plane
                let at = d.partition_point(|&x| x < dw);
                let best = [at.wrapping_sub(1), at]
                    .into_iter()
                    .filter(|&m| m < d.len())
                    .min_by(|&a, &b| (d[a] - dw).abs().total_cmp(&(d[b] - dw).abs()));
                let Some(m) = best else { continue };
                if (d[m] - dw).abs() > self.half {
                    continue;
                }
                let f = self.stack.frames[m];
                let rel = sub(w, f.position);
                let c = (dot(rel, f.row_dir) / f.spacing[1]).round() as i64;
                let r = (dot(rel, f.col_dir) / f.spacing[0]).round() as i64;
                if c < 0 || r < 0 || c >= cols || r >= rows {
                    continue;
                }
                if seg.is_set(f, (r * cols + c) as usize) {
                    out[i + nx * j] = 1;
                }
            }
        }
    }
}

/// How the SEG's grid differs from the scan's, or None when every frame lies on a
/// scan slice with the scan's orientation, pixel spacing and size (1e-3 mm).
pub(crate) fn grid_difference(seg: &SegFile, ct: &Geometry) -> Option<String> {
    let Ok(axes) = super::write::frame_axes(ct) else {
        return Some("the scan's grid is not one DICOM frames can describe".into());
    };
    let [nx, ny, nz] = ct.dims;
    if seg.cols != nx || seg.rows != ny {
        return Some(format!(
            "frames of {} x {} pixels, scan slices of {nx} x {ny}",
            seg.cols, seg.rows
        ));
    }
    for f in &seg.frames {
        if dot(f.row_dir, axes.row_dir) < 1.0 - 1e-6 || dot(f.col_dir, axes.col_dir) < 1.0 - 1e-6 {
            return Some("another slice orientation".into());
        }
        if (f.spacing[0] - axes.spacing[0]).abs() > 1e-3
            || (f.spacing[1] - axes.spacing[1]).abs() > 1e-3
        {
            return Some(format!(
                "pixel spacing {:.3} x {:.3} mm, scan {:.3} x {:.3} mm",
                f.spacing[0], f.spacing[1], axes.spacing[0], axes.spacing[1]
            ));
        }
        let x = ct.to_index(flip(f.position));
        let on_slice = x.is_some_and(|x| {
            x[0].abs() < 1e-3 / axes.spacing[1]
                && x[1].abs() < 1e-3 / axes.spacing[0]
                && (x[2] - x[2].round()).abs() * axes.thickness < 1e-3
                && x[2].round() >= 0.0
                && x[2].round() < nz as f64
        });
        if !on_slice {
            return Some(format!(
                "a frame at ({:.2}, {:.2}, {:.2}) mm (LPS) is not on a scan slice",
                f.position[0], f.position[1], f.position[2]
            ));
        }
    }
    None
}

/// "x a..b, y c..d, z e..f mm (RAS)" of the SEG frames with pixels set in the
/// given segments, and of the scan.
pub(crate) fn extents(seg: &SegFile, segments: &[u16], ct: &Geometry) -> (String, String) {
    let mut lo = [f64::INFINITY; 3];
    let mut hi = [f64::NEG_INFINITY; 3];
    let mut add = |w: [f64; 3]| {
        for a in 0..3 {
            lo[a] = lo[a].min(w[a]);
            hi[a] = hi[a].max(w[a]);
        }
    };
    for f in seg.frames.iter().filter(|f| segments.contains(&f.segment)) {
        for (r, c) in [
            (0, 0),
            (seg.rows - 1, 0),
            (0, seg.cols - 1),
            (seg.rows - 1, seg.cols - 1),
        ] {
            add(flip([0, 1, 2].map(|a| {
                f.position[a]
                    + c as f64 * f.spacing[1] * f.row_dir[a]
                    + r as f64 * f.spacing[0] * f.col_dir[a]
            })));
        }
    }
    let seg_box = fmt_box(lo, hi);
    let mut lo = [f64::INFINITY; 3];
    let mut hi = [f64::NEG_INFINITY; 3];
    for corner in 0..8 {
        let idx = [0, 1, 2].map(|a| {
            if corner >> a & 1 == 1 {
                ct.dims[a] as f64 - 1.0
            } else {
                0.0
            }
        });
        let w = ct.to_world(idx);
        for a in 0..3 {
            lo[a] = lo[a].min(w[a]);
            hi[a] = hi[a].max(w[a]);
        }
    }
    (seg_box, fmt_box(lo, hi))
}

fn fmt_box(lo: [f64; 3], hi: [f64; 3]) -> String {
    format!(
        "x {:.1}..{:.1}, y {:.1}..{:.1}, z {:.1}..{:.1} mm (RAS)",
        lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]
    )
}
