//! A computed but not yet applied result (interpolation, grow from seeds) that the
//! viewer can draw and the user can accept (producing an `Edit`) or discard (drop).

use super::geom::{Bbox, GridExt};
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
