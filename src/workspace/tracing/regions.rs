//! Region tools of the Tools panel (one undo step each).

use super::{Editor, MAX_MARGIN_MM};
use crate::segmentation::Layer;
use crate::segmentation::tools::Axis;
use crate::segmentation::tools::region::{
    fill_holes_2d, fill_holes_3d, grow_shrink, keep_largest_component, remove_islands,
};
use crate::study::Study;

/// Region tools of the Tools panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RegionOp {
    KeepLargest,
    RemoveIslands,
    FillHoles3d,
    FillHoles2d(Axis),
    Grow,
    Shrink,
}

impl Editor {
    /// Run a region tool on the active layer (one undo step).
    pub fn region(&mut self, study: &mut Study, op: RegionOp) -> bool {
        let margin = self.settings.margin_mm.clamp(0.0, MAX_MARGIN_MM);
        let island_ml = self.settings.island_ml;
        let e = self.edit_with(study, |ctx, labels| match op {
            RegionOp::KeepLargest => keep_largest_component(ctx, labels),
            RegionOp::RemoveIslands => remove_islands(ctx, labels, island_ml),
            RegionOp::FillHoles3d => fill_holes_3d(ctx, labels),
            RegionOp::FillHoles2d(axis) => fill_holes_2d(ctx, labels, axis),
            RegionOp::Grow => grow_shrink(ctx, labels, margin),
            RegionOp::Shrink => grow_shrink(ctx, labels, -margin),
        });
        let n = e.changed_voxels();
        let (e, gap) = match (op, self.settings.layer) {
            (RegionOp::Shrink, _) | (_, Layer::Resection | Layer::Stage1) => (e, 0),
            _ => self.close_gap(study, e),
        };
        self.message = Some(match gap {
            0 => format!("{n} voxels changed"),
            g => format!(
                "{n} voxels changed, {g} more joined to the liver (the gap around a tumour)"
            ),
        });
        self.commit(study, e)
    }
}
