//! Couinaud landmarks on the open case, the segments they give, and a named
//! hepatectomy (or any set of segments) as the pending resection.

use super::{Workspace, WorkspaceError, file_error};
use crate::segmentation::Layer;
use crate::segmentation::tools::{Bbox, Grid, Preview};
use crate::segments::{
    Couinaud, Hepatectomy, LandmarkError, LandmarkId, Landmarks, ResectionOption, SegmentSet,
    SegmentVolume, TumourSegments,
};
use crate::workspace::tracing::PendingKind;
use std::path::Path;
use std::sync::Arc;

/// The segments of one (study revision, landmarks).
pub(super) struct SegmentsCache {
    revision: u64,
    landmarks: Landmarks,
    result: Result<Arc<Couinaud>, LandmarkError>,
}

/// What to resect by segments: a named hepatectomy or any set of segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentChoice {
    Named(Hepatectomy),
    Set(SegmentSet),
}

impl SegmentChoice {
    pub fn set(&self) -> SegmentSet {
        match self {
            SegmentChoice::Named(h) => h.segments(),
            SegmentChoice::Set(s) => *s,
        }
    }

    pub fn label(&self) -> String {
        match self {
            SegmentChoice::Named(h) => format!("{} ({})", h.label(), h.segments().describe()),
            SegmentChoice::Set(s) => format!("Segments {}", s.describe()),
        }
    }

    /// The choice an option stands for.
    pub fn of_option(o: &ResectionOption) -> SegmentChoice {
        match o.hepatectomy {
            Some(h) => SegmentChoice::Named(h),
            None => SegmentChoice::Set(o.set),
        }
    }
}

/// What the resection options are computed from: the layers' revision, the landmarks
/// and the planning inputs.
pub type OptionsKey = (u64, Landmarks, crate::volumetry::PlanInputs);

/// The resection options' inputs, copied from the open case.
pub struct OptionsRequest {
    bits: Vec<u8>,
    geometry: crate::volume::Geometry,
    couinaud: Arc<Couinaud>,
    tumours: Vec<crate::segmentation::components::Component>,
    tumour_segments: Vec<TumourSegments>,
    planning: crate::volumetry::PlanInputs,
}

impl OptionsRequest {
    pub fn run(&self) -> Vec<ResectionOption> {
        let g = &self.geometry;
        let cov = crate::volumetry::coverage::liver_coverage(&self.bits, g.dims);
        crate::segments::options::options(
            &self.bits,
            g,
            &self.couinaud.map,
            &self.tumours,
            &self.tumour_segments,
            &self.planning,
            cov,
        )
    }
}

/// The segment table of the open case.
#[derive(Debug, Clone)]
pub struct SegmentSummary {
    pub volumes: Vec<SegmentVolume>,
    pub tumours: Vec<TumourSegments>,
}

/// A press this close (mm) to a placed landmark grabs it.
pub const GRAB_MM: f64 = 6.0;

fn dist(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

fn invalid(e: impl std::fmt::Display) -> WorkspaceError {
    WorkspaceError::Invalid {
        what: "landmarks",
        message: e.to_string(),
    }
}

impl Workspace {
    /// Place, move (Some) or clear (None) one landmark: one undo step. A position
    /// outside the scan is refused and the case is unchanged.
    pub fn set_landmark(
        &mut self,
        id: LandmarkId,
        at: Option<[f64; 3]>,
    ) -> Result<String, WorkspaceError> {
        let before = self.landmarks;
        let msg = self.put_landmark(id, at)?;
        self.record_landmarks(before);
        Ok(msg)
    }

    /// [`Workspace::set_landmark`] without the undo step (a drag records one at release).
    fn put_landmark(
        &mut self,
        id: LandmarkId,
        at: Option<[f64; 3]>,
    ) -> Result<String, WorkspaceError> {
        let s = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        if let Some(p) = at {
            Landmarks::check_point(id, p, &s.ct.geometry).map_err(invalid)?;
        }
        if self.landmarks.get(id) != at {
            self.landmarks.set(id, at);
            self.touch();
        }
        Ok(match at {
            Some(p) => format!("{} at {}", id.name(), crate::volume::geometry::fmt_vec(p)),
            None => format!("{} cleared", id.name()),
        })
    }

    /// Keep the change from `before` to the current landmarks as one undo step, in
    /// order with the layer edits (nothing when they are equal).
    fn record_landmarks(&mut self, before: Landmarks) {
        if before == self.landmarks {
            return;
        }
        self.landmark_step_id += 1;
        let id = self.landmark_step_id;
        self.landmark_steps.insert(id, (before, self.landmarks));
        self.editor.push_marker(id);
    }

    /// Undo (`undo` true) or redo the landmark step `id`; its message.
    pub(super) fn replay_landmarks(&mut self, id: u64, undo: bool) -> String {
        let Some(&(before, after)) = self.landmark_steps.get(&id) else {
            return "nothing to undo".into();
        };
        self.landmarks = if undo { before } else { after };
        self.landmark_target = None;
        self.touch();
        if undo {
            "landmark change undone".into()
        } else {
            "landmark change redone".into()
        }
    }

    /// The Segments tool's press at voxel `at`: while a landmark is still to place (the
    /// chosen one, or the next missing), place it there, even beside another (the
    /// confluences lie within millimetres of each other and of the IVC; a shared trunk
    /// is the same point); once all are placed, grab the one within [`GRAB_MM`] to drag
    /// it. The press and the drag after it are one undo step (recorded at release).
    pub fn landmark_press(&mut self, at: [f64; 3]) -> Result<super::Applied, WorkspaceError> {
        let g = &self
            .study
            .as_ref()
            .ok_or(WorkspaceError::NoScan)?
            .ct
            .geometry;
        let w = g.to_world(at);
        let near = LandmarkId::ALL
            .into_iter()
            .filter_map(|l| self.landmarks.get(l).map(|p| (l, dist(p, w))))
            .filter(|(_, d)| *d <= GRAB_MM)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let placing = self.landmark_target.is_some() || self.landmarks.next_missing().is_some();
        if let (Some((l, _)), false) = (near, placing) {
            self.landmark_drag = Some(l);
            self.landmark_drag_from = Some(self.landmarks);
            return Ok(super::Applied::note(format!("dragging the {}", l.name())));
        }
        let Some(target) = self.landmark_target.or(self.landmarks.next_missing()) else {
            return Ok(super::Applied::note(
                "every landmark is placed: drag one to move it".into(),
            ));
        };
        let before = self.landmarks;
        let msg = self.put_landmark(target, Some(w))?;
        self.landmark_target = None;
        self.landmark_drag = Some(target);
        self.landmark_drag_from = Some(before);
        Ok(super::Applied::note(msg))
    }

    /// Move the landmark being dragged.
    pub fn landmark_drag_to(&mut self, at: [f64; 3]) -> Result<super::Applied, WorkspaceError> {
        let Some(l) = self.landmark_drag else {
            return Ok(super::Applied::default());
        };
        let g = &self
            .study
            .as_ref()
            .ok_or(WorkspaceError::NoScan)?
            .ct
            .geometry;
        let w = g.to_world(at);
        Ok(super::Applied::note(self.put_landmark(l, Some(w))?))
    }

    pub fn landmark_release(&mut self) -> super::Applied {
        self.landmark_drag = None;
        if let Some(before) = self.landmark_drag_from.take() {
            self.record_landmarks(before);
        }
        super::Applied::default()
    }

    /// Clear every landmark.
    pub fn clear_landmarks(&mut self) {
        if !self.landmarks.is_empty() {
            let before = self.landmarks;
            self.landmarks = Landmarks::default();
            self.touch();
            self.record_landmarks(before);
        }
    }

    /// Replace the landmarks with a `remnant.landmarks/1` file; every point placed in
    /// it must lie inside the scan (else nothing changes).
    pub fn load_landmarks(&mut self, path: &Path) -> Result<String, WorkspaceError> {
        let s = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
        let lm = Landmarks::from_json(&text).map_err(|e| file_error(path, e))?;
        for id in LandmarkId::ALL {
            if let Some(p) = lm.get(id) {
                Landmarks::check_point(id, p, &s.ct.geometry).map_err(|e| file_error(path, e))?;
            }
        }
        if lm != self.landmarks {
            let before = self.landmarks;
            self.landmarks = lm;
            self.touch();
            self.record_landmarks(before);
        }
        let n = LandmarkId::ALL
            .iter()
            .filter(|&&l| lm.get(l).is_some())
            .count();
        Ok(format!("{n} landmarks loaded from {}", path.display()))
    }

    /// Write the segments as a label map on the scan's grid (4a = 4, 4b = 9).
    pub fn save_segments(&mut self, path: &Path) -> Result<String, WorkspaceError> {
        let c = self.segments_checked()?;
        let s = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        crate::segments::save_label_map(path, &c, &s.ct.geometry, s.spatial())?;
        Ok(format!("segments saved to {}", path.display()))
    }

    /// Write the landmarks as `remnant.landmarks/1`.
    pub fn save_landmarks(&self, path: &Path) -> Result<String, WorkspaceError> {
        crate::fsutil::atomic_write(path, self.landmarks.to_json().as_bytes())?;
        Ok(format!("landmarks saved to {}", path.display()))
    }

    /// The segments of the landmarks on the current layers (None without a scan or
    /// before any landmark is placed), recomputed only when either changes.
    pub fn segments(&mut self) -> Option<Result<Arc<Couinaud>, LandmarkError>> {
        let s = self.study.as_ref()?;
        if self.landmarks.is_empty() {
            return None;
        }
        let fresh = self
            .segments
            .as_ref()
            .is_some_and(|c| c.revision == s.revision && c.landmarks == self.landmarks);
        if !fresh {
            let result = crate::segments::compute(&self.landmarks, &s.labels.bits, &s.ct.geometry)
                .map(Arc::new);
            self.segments = Some(SegmentsCache {
                revision: s.revision,
                landmarks: self.landmarks,
                result,
            });
        }
        self.segments.as_ref().map(|c| c.result.clone())
    }

    /// The segments, or why there are none, as a workspace error.
    pub fn segments_checked(&mut self) -> Result<Arc<Couinaud>, WorkspaceError> {
        match self.segments() {
            None if self.study.is_none() => Err(WorkspaceError::NoScan),
            None => Err(invalid(LandmarkError::Missing(LandmarkId::IvcInferior))),
            Some(r) => r.map_err(invalid),
        }
    }

    /// Volumes of the segments and the segments of each tumour.
    pub fn segment_summary(&mut self) -> Result<SegmentSummary, WorkspaceError> {
        let c = self.segments_checked()?;
        let tumours = self.tumours().to_vec();
        let s = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        let g = &s.ct.geometry;
        let ts = crate::segments::table::tumour_segments(&s.labels.bits, g, &c.map, &tumours);
        Ok(SegmentSummary {
            volumes: crate::segments::table::volumes(&c.map, g, &ts),
            tumours: ts,
        })
    }

    /// The resection options of the open case (every named hepatectomy and the
    /// smallest segment sets removing every tumour), judged on the planning inputs.
    pub fn resection_options(&mut self) -> Result<Vec<ResectionOption>, WorkspaceError> {
        Ok(self.options_request()?.run())
    }

    /// The key of the resection options for the open case now.
    pub fn options_key(&self) -> OptionsKey {
        let rev = self.study.as_ref().map_or(0, |s| s.revision);
        (rev, self.landmarks, self.planning.clone())
    }

    /// [`Workspace::resection_options`] prepared to run anywhere (the app: a worker
    /// thread; about 0.2 s on a full-resolution liver).
    pub fn options_request(&mut self) -> Result<OptionsRequest, WorkspaceError> {
        let couinaud = self.segments_checked()?;
        let tumours = self.tumours().to_vec();
        let summary = self.segment_summary()?;
        let s = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        Ok(OptionsRequest {
            bits: s.labels.bits.clone(),
            geometry: s.ct.geometry.clone(),
            couinaud,
            tumours,
            tumour_segments: summary.tumours,
            planning: self.planning.clone(),
        })
    }

    /// Make the liver of `choice`'s segments the pending resection (it replaces the
    /// traced resection inside the liver's box when accepted: one undo step).
    pub fn choose_resection(&mut self, choice: SegmentChoice) -> Result<String, WorkspaceError> {
        let c = self.segments_checked()?;
        let (study, ed) = self.tracing()?;
        let m = &c.map;
        let table = choice.set().code_table();
        let mask: Vec<u8> = m
            .codes
            .iter()
            .map(|&v| u8::from(v != 0 && table[v as usize]))
            .collect();
        let bbox = Bbox {
            lo: m.lo,
            hi: [0, 1, 2].map(|a| m.lo[a] + m.size[a]),
        };
        let p = Preview::new(bbox, mask, true);
        ed.set_pending(study, PendingKind::Segments, Layer::Resection, p);
        let ml = ed
            .pending
            .as_ref()
            .map_or(0.0, |p| p.preview.volume_ml(&Grid::of(&study.ct.geometry)));
        Ok(format!(
            "{}: {ml:.1} mL to resect (pending: accept or discard)",
            choice.label()
        ))
    }
}
