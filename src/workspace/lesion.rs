//! [`Command::Lesion`](super::Command::Lesion): the Lesion tool at points given in
//! patient millimetres (the headless session; the app's clicks go through `Press`).

use super::command::{Applied, LayerStep};
use super::{Workspace, WorkspaceError};

impl Workspace {
    /// Find the lesion at `points` (RAS+ mm): it becomes the pending result. A point
    /// outside the scan or the liver, or in parenchyma, is an error that changes
    /// nothing (unless a pending lesion was accepted first, which the message says).
    pub(super) fn lesion(&mut self, points: &[[f64; 3]]) -> Result<Applied, WorkspaceError> {
        let (study, ed) = self.tracing()?;
        let g = &study.ct.geometry;
        let mut voxels = Vec::with_capacity(points.len());
        for &w in points {
            let v = g.to_index(w).ok_or_else(|| WorkspaceError::Invalid {
                what: "lesion",
                message: "the scan's affine cannot be inverted".into(),
            })?;
            voxels.push(v);
        }
        let out = ed.lesion_at(study, &voxels);
        match out.error {
            Some(e) if !out.accepted => Err(WorkspaceError::Invalid {
                what: "lesion",
                message: e,
            }),
            _ => Ok(Applied::layers(
                out.accepted,
                LayerStep::Edit,
                ed.message.clone(),
            )),
        }
    }
}
