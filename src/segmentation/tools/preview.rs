//! A computed but not yet applied result (interpolation, grow from seeds) that the
//! viewer can draw and the user can accept (producing an `Edit`) or discard (drop).

use super::geom::Bbox;
use super::grid::Grid;
use super::rules::EditCtx;
use super::undo::{Edit, write_layer};

/// A mask over a box of the volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    bbox: Bbox,
    /// One byte per voxel of `bbox` (grid order inside the box), non-zero = in.
    mask: Vec<u8>,
    /// When true, accepting also clears the layer inside `bbox` where the mask is
    /// off; otherwise accepting only adds.
    replace: bool,
}

impl Preview {
    /// `mask` must have one byte per voxel of `bbox`; otherwise an empty preview.
    pub fn new(bbox: Bbox, mask: Vec<u8>, replace: bool) -> Preview {
        if bbox.is_empty() || mask.len() != bbox.len() {
            return Preview {
                bbox: Bbox::default(),
                mask: Vec::new(),
                replace,
            };
        }
        Preview {
            bbox,
            mask,
            replace,
        }
    }

    pub fn bbox(&self) -> Bbox {
        self.bbox
    }

    /// An additive preview of the voxels `indices` (flat, grid order); indices outside
    /// the grid are ignored.
    pub fn from_indices(grid: &Grid, indices: &[usize]) -> Preview {
        let n = grid.n_voxels();
        let [nx, ny, _] = grid.dims;
        let mut lo = [usize::MAX; 3];
        let mut hi = [0usize; 3];
        let coord = |idx: usize| [idx % nx, (idx / nx) % ny, idx / (nx * ny)];
        for &idx in indices.iter().filter(|&&i| i < n) {
            let p = coord(idx);
            for a in 0..3 {
                lo[a] = lo[a].min(p[a]);
                hi[a] = hi[a].max(p[a] + 1);
            }
        }
        if lo[0] == usize::MAX {
            return Preview::new(Bbox::default(), Vec::new(), false);
        }
        let bbox = Bbox { lo, hi };
        let s = bbox.size();
        let mut mask = vec![0u8; bbox.len()];
        for &idx in indices.iter().filter(|&&i| i < n) {
            let p = coord(idx);
            mask[(p[0] - lo[0]) + s[0] * ((p[1] - lo[1]) + s[1] * (p[2] - lo[2]))] = 1;
        }
        Preview::new(bbox, mask, false)
    }

    /// Set `out[idx] = value` for every voxel in the preview (`out` is one byte per
    /// grid voxel, e.g. a highlight drawn over the slices).
    pub fn mark(&self, grid: &Grid, out: &mut [u8], value: u8) {
        if !grid.fits(out.len()) || self.bbox.is_empty() {
            return;
        }
        let b = self.bbox;
        let s = b.size();
        let [nx, ny, _] = grid.dims;
        for k in b.lo[2]..b.hi[2] {
            for j in b.lo[1]..b.hi[1] {
                let src = s[0] * ((j - b.lo[1]) + s[1] * (k - b.lo[2]));
                let dst = nx * (j + ny * k);
                for i in b.lo[0]..b.hi[0] {
                    if self.mask[src + i - b.lo[0]] != 0 {
                        out[dst + i] = value;
                    }
                }
            }
        }
    }

    pub fn replaces(&self) -> bool {
        self.replace
    }

    /// Is voxel `p` in the preview?
    pub fn contains(&self, p: [usize; 3]) -> bool {
        if !self.bbox.contains(p) {
            return false;
        }
        let s = self.bbox.size();
        let l = (p[0] - self.bbox.lo[0])
            + s[0] * ((p[1] - self.bbox.lo[1]) + s[1] * (p[2] - self.bbox.lo[2]));
        self.mask.get(l).is_some_and(|&v| v != 0)
    }

    /// Number of voxels in the preview.
    pub fn voxel_count(&self) -> usize {
        self.mask.iter().filter(|&&v| v != 0).count()
    }

    /// Preview volume in mL.
    pub fn volume_ml(&self, grid: &Grid) -> f64 {
        self.voxel_count() as f64 * grid.voxel_ml()
    }

    /// Write the preview into `ctx.layer` (respecting `ctx.rules`) and return the edit.
    pub fn accept(&self, ctx: &EditCtx, labels: &mut [u8]) -> Edit {
        let g = ctx.grid;
        if self.bbox.is_empty() || self.bbox.clamp(g) != self.bbox {
            return Edit::empty(g);
        }
        let b = self.bbox;
        let s = b.size();
        let replace = self.replace;
        write_layer(ctx, labels, b, |_, [i, j, k]| {
            let l = (i - b.lo[0]) + s[0] * ((j - b.lo[1]) + s[1] * (k - b.lo[2]));
            let on = self.mask.get(l).is_some_and(|&v| v != 0);
            if on {
                Some(true)
            } else if replace {
                Some(false)
            } else {
                None
            }
        })
    }
}
