//! Grow from seeds: the seed strokes and the request run on a worker thread.

use super::{Editor, TracingError};
use crate::segmentation::seeds::{SeedKind, Seeds};
use crate::segmentation::tools::growcut::{GrowError, GrowParams, GrowSession};
use crate::segmentation::tools::{Grid, Preview};
use crate::study::Study;
use crate::task::Task;
use crate::volume::Volume;
use std::sync::Arc;

/// Everything grow from seeds needs, to run on a worker thread.
pub struct GrowRequest {
    pub grid: Grid,
    pub ct: Arc<Volume<i16>>,
    pub fg: Vec<usize>,
    pub bg: Vec<usize>,
    pub params: GrowParams,
    /// The scan's grower: an added stroke continues from the last grow.
    pub session: GrowSession,
}

impl GrowRequest {
    pub fn run(&self, task: Task) -> Result<Preview, GrowError> {
        let progress = |f: f32| task.report(f);
        self.session
            .grow(
                &self.grid,
                self.ct.as_slice(),
                &self.fg,
                &self.bg,
                &self.params,
                &progress,
                task.cancel,
            )
            .map(|g| g.preview)
    }
}

impl Editor {
    pub fn clear_seeds(&mut self) {
        self.seeds = Seeds::default();
        self.highlight_dirty = true;
    }

    pub fn set_seeds(&mut self, seeds: Seeds) {
        self.seeds = seeds;
        self.highlight_dirty = true;
    }

    /// What grow from seeds needs; an error says what is missing.
    pub fn grow_request(&self, study: &Study) -> Result<GrowRequest, TracingError> {
        let grid = Grid::of(&study.ct.geometry);
        self.seeds.check_on(&grid)?;
        let fg = self.seeds.voxels(&grid, SeedKind::Liver);
        if fg.is_empty() {
            return Err(TracingError::NoLiverSeeds);
        }
        Ok(GrowRequest {
            grid,
            ct: study.ct.clone(),
            fg,
            bg: self.seeds.voxels(&grid, SeedKind::Background),
            params: self.settings.grow,
            session: self.grow_session.clone(),
        })
    }
}
