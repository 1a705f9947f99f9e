//! Results waiting to be accepted or discarded: fill between slices, grow from
//! seeds and the cutting plane. Accepting writes one undo step.

use super::pointer::dist2;
use super::{Editor, Tool, TracingError};
use crate::segmentation::Layer;
use crate::segmentation::plane_cut::{CutPlane, cut_voxels};
use crate::segmentation::tools::interpolate::{interpolate_slices, traced_slices};
use crate::segmentation::tools::{Axis, EditCtx, Grid, PaintRules, Preview};
use crate::study::Study;

/// What produced the result waiting to be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingKind {
    FillBetween,
    Grow,
    Cut,
    /// A named hepatectomy or set of Couinaud segments as the resection.
    Segments,
    /// A lesion found by the Lesion tool (a numbered tumour).
    Lesion,
}

impl PendingKind {
    pub fn name(self) -> &'static str {
        match self {
            PendingKind::FillBetween => "Fill between slices",
            PendingKind::Grow => "Grow from seeds",
            PendingKind::Cut => "Cut plane",
            PendingKind::Segments => "Resection by segments",
            PendingKind::Lesion => "Lesion",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Pending {
    pub kind: PendingKind,
    pub layer: Layer,
    pub preview: Preview,
    pub ml: f64,
}

impl Editor {
    /// Show a result for the user to accept or discard.
    pub fn set_pending(&mut self, study: &Study, kind: PendingKind, layer: Layer, p: Preview) {
        let grid = Grid::of(&study.ct.geometry);
        let ml = p.volume_ml(&grid);
        if kind != PendingKind::Lesion {
            self.lesion = None;
        }
        self.message = Some(format!("{}: preview of {ml:.1} mL", kind.name()));
        self.pending = Some(Pending {
            kind,
            layer,
            preview: p,
            ml,
        });
        self.highlight_dirty = true;
    }

    /// Interpolate the active layer between its traced slices along `axis`.
    pub fn fill_between(&mut self, study: &Study, axis: Axis) -> Result<usize, TracingError> {
        let grid = Grid::of(&study.ct.geometry);
        let layer = self.settings.layer;
        let keys = traced_slices(&grid, &study.labels.bits, layer, axis);
        if keys.len() < 2 {
            return Err(TracingError::TooFewSlices {
                layer: layer.name().to_lowercase(),
                traced: keys.len(),
            });
        }
        let p = interpolate_slices(&grid, &study.labels.bits, layer, axis, &keys);
        let n = keys.len();
        self.set_pending(study, PendingKind::FillBetween, layer, p);
        Ok(n)
    }

    pub(super) fn preview_cut(&mut self, study: &Study) {
        let Some(l) = self.cut else { return };
        let d = dist2(l.a, l.b);
        if d < 4.0 {
            self.cut = None;
            self.message = Some("drag a longer line to place the cutting plane".into());
            return;
        }
        let g = &study.ct.geometry;
        let wa = g.to_world(l.a);
        let wb = g.to_world(l.b);
        let n = l.axis.n();
        let normal = [g.affine[0][n], g.affine[1][n], g.affine[2][n]];
        let Some(plane) = CutPlane::swept_line(wa, wb, normal, l.remove_positive) else {
            return;
        };
        let idx = cut_voxels(&study.labels.bits, g, &plane);
        let grid = Grid::of(g);
        let p = Preview::from_indices(&grid, &idx);
        if idx.is_empty() {
            self.message = Some(
                "the plane removes no liver on that side (flip the side, or trace the liver first)"
                    .into(),
            );
        }
        self.set_pending(study, PendingKind::Cut, Layer::Resection, p);
    }

    /// Preview a cutting plane placed in 3-D as the 2-D cut tool does (a pending "Cut
    /// plane" result for the resection layer, accepted with Enter or Accept); returns
    /// the counts accepting it would leave. Accepting keeps this plane as the case's
    /// cutting plane.
    pub fn preview_cut_plane(
        &mut self,
        study: &Study,
        plane: &CutPlane,
    ) -> crate::volumetry::Counts {
        let g = &study.ct.geometry;
        let (idx, counts) = crate::mesh::cut_handles::preview(&study.labels.bits, g, plane);
        let p = Preview::from_indices(&Grid::of(g), &idx);
        self.set_pending(study, PendingKind::Cut, Layer::Resection, p);
        self.cut = None;
        self.cut3d = Some(*plane);
        counts
    }

    /// The pending cut (2-D cut tool or a plane placed in 3-D) and its plane, if one
    /// waits: what the 3-D view shows applied.
    pub fn pending_cut(&self, study: &Study) -> Option<(&Pending, CutPlane)> {
        let pending = self
            .pending
            .as_ref()
            .filter(|p| p.kind == PendingKind::Cut)?;
        let plane = self.cut_plane(study).or(self.cut3d)?;
        Some((pending, plane))
    }

    /// Remove the other side of the cutting plane.
    pub fn flip_cut(&mut self, study: &Study) {
        if let Some(l) = &mut self.cut {
            l.remove_positive = !l.remove_positive;
            self.preview_cut(study);
        }
    }

    /// The cutting plane in patient coordinates, if one is drawn.
    pub fn cut_plane(&self, study: &Study) -> Option<CutPlane> {
        let l = self.cut?;
        let g = &study.ct.geometry;
        let n = l.axis.n();
        CutPlane::swept_line(
            g.to_world(l.a),
            g.to_world(l.b),
            [g.affine[0][n], g.affine[1][n], g.affine[2][n]],
            l.remove_positive,
        )
    }

    /// Write the waiting result into its layer (one undo step).
    pub fn accept(&mut self, study: &mut Study) -> bool {
        let Some(p) = self.pending.take() else {
            // the reply names this, not the last action's message
            self.message = Some("nothing to accept: no result is pending".into());
            return false;
        };
        self.highlight_dirty = true;
        if p.kind == PendingKind::Cut {
            self.last_cut = self.cut_plane(study).or(self.cut3d.take());
            self.cut = None;
        }
        let grid = Grid::of(&study.ct.geometry);
        // Results were computed under their own rules (the cut is inside the liver by
        // construction); accepting writes them as shown.
        let ctx = EditCtx::new(&grid, study.ct.as_slice(), p.layer, PaintRules::default());
        let e = p.preview.accept(&ctx, &mut study.labels.bits);
        let name = match (p.kind, self.lesion.take()) {
            (PendingKind::Lesion, Some(d)) => format!("Tumour {}", d.number),
            _ => p.kind.name().to_string(),
        };
        let n = e.changed_voxels();
        let (e, gap) = if matches!(p.layer, Layer::Liver | Layer::Tumour) {
            self.close_gap(study, e)
        } else {
            (e, 0)
        };
        self.message = Some(match gap {
            0 => format!("{name} accepted: {n} voxels changed"),
            g => format!(
                "{name} accepted: {n} voxels changed, {g} more joined to the liver (the gap between liver and tumour)"
            ),
        });
        self.commit(study, e)
    }

    pub fn discard(&mut self) {
        self.lesion = None;
        if self.pending.take().is_some() {
            self.highlight_dirty = true;
        }
        if self.tool != Tool::CutPlane {
            self.cut = None;
        }
    }
}
