//! [`Command::Lesion`](super::Command::Lesion): the Lesion tool at points given in
//! patient millimetres (the headless session; the app's clicks go through `Press`).

use super::command::{Applied, LayerStep};
use super::tracing::LesionRequest;
use super::{Workspace, WorkspaceError};
use crate::segmentation::lesion::{Lesion, LesionError};

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

    /// The search the Lesion tool's last release left for the caller (the app: with
    /// `editor.defer_lesions`), prepared: the Applied says whether a pending lesion
    /// was accepted on the way (the layers changed); an error is already the message.
    pub fn lesion_request(&mut self) -> Option<(Applied, Result<LesionRequest, String>)> {
        let points = self.editor.lesion_wanted.take()?;
        let (study, ed) = self.tracing().ok()?;
        let (accepted, req) = ed.lesion_prepare(study, &points);
        match &req {
            Ok(_) => ed.message = Some("Lesion: finding the lesion...".into()),
            Err(e) => {
                ed.lesion_failed(accepted, e.clone());
            }
        }
        self.sync();
        Some((Applied::layers(accepted, LayerStep::Edit, None), req))
    }

    /// The result of a [`Workspace::lesion_request`] run elsewhere: the pending lesion,
    /// or the reason there is none in the editor's message.
    pub fn lesion_found(
        &mut self,
        req: LesionRequest,
        result: Result<Lesion, LesionError>,
    ) -> Result<(), WorkspaceError> {
        let (study, ed) = self.tracing()?;
        ed.lesion_finish(study, req, result, false);
        Ok(())
    }
}
