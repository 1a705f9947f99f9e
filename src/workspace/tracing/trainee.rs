//! Trainee mode: the active layer scored against a reference mask.

use super::Editor;
use crate::segmentation::tools::Grid;
use crate::segmentation::tools::score::{Score, score};
use crate::study::Study;

/// The trainee's reference mask on the scan's grid.
#[derive(Debug, Clone)]
pub struct Reference {
    pub name: String,
    pub mask: Vec<u8>,
}

impl Editor {
    /// Trainee mode: the score of the active layer against the reference (cached per
    /// layer revision; the surface distance needs a distance transform).
    pub fn score(&mut self, study: &Study) -> Option<Score> {
        let r = self.reference.as_ref()?;
        let layer = self.settings.layer;
        if let Some((rev, l, s)) = &self.score_cache
            && *l == layer
            // while a brush stroke is painted (a new revision every frame) the score
            // of the stroke's start stands until the stroke ends
            && (*rev == study.revision || self.stroke.is_some())
        {
            return *s;
        }
        let grid = Grid::of(&study.ct.geometry);
        let s = score(&grid, &study.labels.bits, layer, &r.mask);
        self.score_cache = Some((study.revision, layer, s));
        s
    }

    pub fn set_reference(&mut self, reference: Option<Reference>) {
        self.reference = reference;
        self.score_cache = None;
        self.highlight_dirty = true;
    }
}
