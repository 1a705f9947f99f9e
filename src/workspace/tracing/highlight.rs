//! The per-voxel overlay the planes draw: seed strokes and a pending preview, or the
//! trainee's disagreement with the reference. Values only; the UI picks the colours.

use super::Editor;
use crate::segmentation::seeds::SeedKind;
use crate::segmentation::tools::Grid;
use crate::segmentation::tools::brush::stroke_voxels;
use crate::segmentation::tools::score::disagreement_map;
use crate::study::Study;

/// What the highlight's values mean, so the UI can colour them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighlightKind {
    /// [`HL_SEED_LIVER`], [`HL_SEED_BACKGROUND`] and [`HL_PREVIEW`].
    Tool,
    /// Trainee disagreement: 1 traced but not in the reference, 2 missed.
    Disagreement,
}

/// A highlight to draw: one value per voxel, what the values mean, and a revision
/// that changes with it.
pub type HighlightView<'a> = (&'a [u8], HighlightKind, u64);

/// Highlight values of [`HighlightKind::Tool`].
pub const HL_SEED_LIVER: u8 = 1;
pub const HL_SEED_BACKGROUND: u8 = 2;
pub const HL_PREVIEW: u8 = 3;

impl Editor {
    pub(super) fn mark_seed_segment(&mut self, study: &Study, points: &[[f64; 3]]) {
        let grid = Grid::of(&study.ct.geometry);
        let Some(s) = self.seeds.strokes.last() else {
            return;
        };
        if self.highlight_dirty || self.showing_disagreement() {
            self.highlight_dirty = true;
            return;
        }
        let value = match s.kind {
            SeedKind::Liver => HL_SEED_LIVER,
            SeedKind::Background => HL_SEED_BACKGROUND,
        };
        for i in stroke_voxels(&grid, points, s.radius_mm, s.shape) {
            if let Some(h) = self.highlight.get_mut(i) {
                *h = value;
            }
        }
        self.highlight_rev += 1;
    }

    pub(super) fn showing_disagreement(&self) -> bool {
        self.reference.is_some() && self.show_disagreement && self.pending.is_none()
    }

    /// The per-voxel highlight to draw over the slices (seeds and a pending preview, or
    /// the trainee's disagreement), with its palette and a revision that changes with it.
    pub fn highlight(&mut self, study: &Study) -> Option<HighlightView<'_>> {
        let disagreement = self.showing_disagreement();
        if disagreement {
            // follows every edit of the layer
            let key = study.revision ^ ((self.settings.layer.bit() as u64) << 56);
            // not rebuilt on every frame of a brush stroke, only when it ends
            let stale = self.highlight_dirty || self.hl_key != Some(key);
            let painting = self.stroke.is_some() && self.hl_key.is_some();
            if stale && !painting {
                let grid = Grid::of(&study.ct.geometry);
                let r = self.reference.as_ref()?;
                self.highlight =
                    disagreement_map(&grid, &study.labels.bits, self.settings.layer, &r.mask);
                self.hl_key = Some(key);
                self.highlight_dirty = false;
                self.highlight_rev += 1;
            }
            return Some((
                &self.highlight,
                HighlightKind::Disagreement,
                self.highlight_rev,
            ));
        }
        if self.seeds.is_empty() && self.pending.is_none() {
            return None;
        }
        let n = study.ct.geometry.voxel_count();
        if self.highlight_dirty || self.highlight.len() != n || self.hl_key.is_some() {
            let grid = Grid::of(&study.ct.geometry);
            self.highlight.clear();
            self.highlight.resize(n, 0);
            for kind in [SeedKind::Background, SeedKind::Liver] {
                let value = match kind {
                    SeedKind::Liver => HL_SEED_LIVER,
                    SeedKind::Background => HL_SEED_BACKGROUND,
                };
                for i in self.seeds.voxels(&grid, kind) {
                    self.highlight[i] = value;
                }
            }
            if let Some(p) = &self.pending {
                p.preview.mark(&grid, &mut self.highlight, HL_PREVIEW);
            }
            self.hl_key = None;
            self.highlight_dirty = false;
            self.highlight_rev += 1;
        }
        Some((&self.highlight, HighlightKind::Tool, self.highlight_rev))
    }
}
