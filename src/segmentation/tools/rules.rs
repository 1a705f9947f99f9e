//! Painting rules and the editing context shared by the tools.

use super::grid::Grid;
use crate::segmentation::Layer;

/// Restrictions on where a tool may SET its layer bit (erasing is never restricted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaintRules {
    /// "Editable area": only set where this label bit is already set.
    pub editable: Option<u8>,
    /// Only set where the CT value (HU) lies in `[lo, hi]`.
    pub hu: Option<(i16, i16)>,
}

/// What an editing tool works on: geometry, CT, target layer and rules.
#[derive(Clone, Copy, Debug)]
pub struct EditCtx<'a> {
    pub grid: &'a Grid,
    /// CT in HU, same length as the grid (only read when `rules.hu` is set).
    pub ct: &'a [i16],
    pub layer: Layer,
    pub rules: PaintRules,
}

impl<'a> EditCtx<'a> {
    pub fn new(grid: &'a Grid, ct: &'a [i16], layer: Layer, rules: PaintRules) -> Self {
        EditCtx {
            grid,
            ct,
            layer,
            rules,
        }
    }

    /// May the layer bit be set in voxel `idx` whose current label byte is `label`?
    #[inline]
    pub fn may_set(&self, idx: usize, label: u8) -> bool {
        if let Some(b) = self.rules.editable
            && label & b == 0
        {
            return false;
        }
        if let Some((lo, hi)) = self.rules.hu {
            return match self.ct.get(idx) {
                Some(&v) => v >= lo && v <= hi,
                None => false,
            };
        }
        true
    }

    /// True when `labels` matches the grid.
    pub fn fits(&self, labels: &[u8]) -> bool {
        self.grid.fits(labels.len())
    }
}

/// Whether a tool sets or clears its layer bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaintMode {
    Paint,
    Erase,
}

impl PaintMode {
    /// The `want` value for voxels covered by the tool.
    pub fn want(self) -> bool {
        self == PaintMode::Paint
    }
}
