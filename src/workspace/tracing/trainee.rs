//! Trainee mode: the active layer scored against a reference mask, live, or as an
//! attempt of the sample exercise (`crate::trainee`).

use super::Editor;
use crate::segmentation::tools::score::{Score, score_on};
use crate::study::Study;
use crate::trainee::{Attempt, ExerciseError};

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
        let s = score_on(&study.ct.geometry, &study.labels.bits, layer, &r.mask);
        self.score_cache = Some((study.revision, layer, s));
        s
    }

    /// The exercise's attempt now: the active layer scored against the hidden
    /// reference on the scan's true geometry, with the time taken. The disagreement
    /// is shown from then on.
    pub fn exercise_attempt(&mut self, study: &Study) -> Result<Attempt, ExerciseError> {
        let (Some(ex), Some(r)) = (&self.exercise, &self.reference) else {
            return Err(ExerciseError::NoExercise);
        };
        if self.pending.is_some() {
            return Err(ExerciseError::PreviewPending);
        }
        let layer = self.settings.layer;
        let s = score_on(&study.ct.geometry, &study.labels.bits, layer, &r.mask)
            .ok_or(ExerciseError::GridMismatch)?;
        let attempt = ex.attempt(&s, layer.name());
        self.show_disagreement = true;
        self.highlight_dirty = true;
        Ok(attempt)
    }

    /// A new reference (or none) ends the exercise traced against the old one.
    pub fn set_reference(&mut self, reference: Option<Reference>) {
        self.reference = reference;
        self.exercise = None;
        self.score_cache = None;
        self.highlight_dirty = true;
    }
}
