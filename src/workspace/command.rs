//! Every action on the open case, as data: the desktop app (its panels, keys and
//! dialogs wrap these in `AppCommand::Case`) and the headless `remnant session` (which
//! parses text lines into them) both hand a [`Command`] to [`Workspace::apply`], the
//! one place the case changes. So both share one undo history (the tracing editor's),
//! one snapshot and one save path, and the same actions give the same case file.
//!
//! A case save is the one action in two halves, because the app writes it off the UI
//! thread: [`Workspace::begin_save`] fills the liver figures and takes the snapshot,
//! [`CaseSave::run`] writes it (anywhere), [`Workspace::finish_save`] records the
//! outcome. [`Workspace::save_case_now`] does all three in turn.

use super::{CaseFile, Workspace, WorkspaceError, file_error};
use crate::fsutil::FileStamp;
use crate::measure::Ruler;
use crate::report::Report;
use crate::segmentation::Layer;
use crate::segmentation::plane_cut::CutPlane;
use crate::segmentation::tools::Axis;
use crate::segmentation::tools::Undone;
use crate::segments::LandmarkId;
use crate::snapshot::Snapshot;
use crate::volumetry::{Counts, PlanInputs};
pub use crate::workspace::segments::SegmentChoice;
use crate::workspace::tracing::RegionOp;
pub use crate::workspace::tracing::ScriptedStroke;
use std::path::{Path, PathBuf};

/// Actions of the Tools tab on the tracing session (`workspace::tracing`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TraceAction {
    /// Write the pending preview into its layer.
    Accept,
    Discard,
    /// Remove the other side of the drawn cutting plane.
    FlipCut,
    /// Interpolate the active layer between its traced slices along an axis.
    FillBetween(Axis),
    Region(RegionOp),
    ClearSeeds,
    RemoveReference,
}

/// One action on the open case.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// The primary button went down on a plane at voxel coordinates `at`, on slice
    /// `slice` of voxel axis `axis` (the active tool acts: brush, outline, fill...).
    Press {
        axis: Axis,
        slice: usize,
        at: [f64; 3],
    },
    /// The pointer moved with the button down.
    Drag([f64; 3]),
    /// The button came up (a stroke becomes one undo step; a ruler is placed).
    Release,
    Stroke(ScriptedStroke),
    Trace(TraceAction),
    Undo,
    Redo,
    /// Enter: close the outline being traced, or accept the pending result.
    Confirm,
    /// A double click with the polygon tool: close the outline being traced, if any.
    CloseOutline,
    /// Esc: drop the outline or ruler being placed, or discard the pending result.
    Escape,
    /// The Lesion tool at points in patient mm (RAS+; a click, or a stroke's points):
    /// the lesion found there becomes the pending result, a numbered tumour.
    Lesion(Vec<[f64; 3]>),
    /// A cutting plane placed in the 3-D view: its resection becomes the pending
    /// result (the counts after it are [`Workspace::cut_preview`]).
    PreviewCut(CutPlane),
    OpenLayers(PathBuf),
    ImportMask(PathBuf, Layer),
    ImportSeg(PathBuf),
    /// Trainee mode: the reference mask the active layer is scored against.
    LoadReference(PathBuf),
    OpenSeeds(PathBuf),
    /// A Remnant label map traced on the post-PVE scan: its counts join the planning.
    LoadPostPve(PathBuf),
    SetReport(Box<Report>),
    SetPlanning(Box<PlanInputs>),
    AddPhoto(PathBuf),
    AddRuler(Ruler),
    /// Place or move (Some, patient RAS mm) or clear (None) one Couinaud landmark.
    SetLandmark(LandmarkId, Option<[f64; 3]>),
    ClearLandmarks,
    /// Replace the landmarks with a `remnant.landmarks/1` file.
    LoadLandmarks(PathBuf),
    SaveLandmarks(PathBuf),
    /// The Couinaud segments as a label map (value = segment, 4a = 4, 4b = 9).
    SaveSegments(PathBuf),
    /// A named hepatectomy or set of segments becomes the pending resection (accept
    /// writes it: one undo step).
    ChooseResection(SegmentChoice),
    /// Delete ruler `i` (0-based).
    DeleteRuler(usize),
    SaveLabels(PathBuf),
    /// The layer bits, exact (Remnant's own format).
    SaveLayers(PathBuf),
    SaveReport(PathBuf),
    SaveSeeds(PathBuf),
    ExportSeg(PathBuf),
    /// The SEG and, beside it, its TID 1500 measurement report.
    ExportSegSr(PathBuf),
    ExportPdf(PathBuf),
    /// The report PDF as a DICOM Encapsulated PDF.
    ExportPdfDicom(PathBuf),
    /// The case as a de-identified exercise in a folder, the trainee to trace `layer`
    /// (`crate::trainee::export`).
    ExportExercise {
        dir: PathBuf,
        layer: Layer,
    },
}

impl Command {
    /// A file action, whose outcome the app shows as a notice (tool actions show
    /// theirs in the Tools panel).
    pub fn is_file_action(&self) -> bool {
        use Command as C;
        matches!(
            self,
            C::OpenLayers(_)
                | C::ImportMask(..)
                | C::ImportSeg(_)
                | C::LoadReference(_)
                | C::OpenSeeds(_)
                | C::LoadPostPve(_)
                | C::SaveLabels(_)
                | C::SaveLayers(_)
                | C::SaveReport(_)
                | C::SaveSeeds(_)
                | C::ExportSeg(_)
                | C::ExportSegSr(_)
                | C::ExportPdf(_)
                | C::ExportPdfDicom(_)
                | C::ExportExercise { .. }
                | C::LoadLandmarks(_)
                | C::SaveLandmarks(_)
                | C::SaveSegments(_)
        )
    }
}

/// What a layer change did to the undo history (so a change the caller cannot keep,
/// e.g. one whose autosave failed, can be taken back exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerStep {
    /// A new undo step.
    Edit,
    Undo,
    Redo,
}

/// What [`Workspace::apply`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// The layers changed, and how (the app autosaves at once after one).
    pub layers: Option<LayerStep>,
    /// The rulers changed (placed or deleted).
    pub rulers: bool,
    /// A line for the user.
    pub message: Option<String>,
}

impl Applied {
    pub(super) fn note(message: String) -> Applied {
        Applied {
            message: Some(message),
            ..Applied::default()
        }
    }

    pub(super) fn layers(changed: bool, step: LayerStep, message: Option<String>) -> Applied {
        Applied {
            layers: changed.then_some(step),
            message,
            ..Applied::default()
        }
    }

    /// Worth an autosave at once (the app writes other changes on its interval).
    pub fn autosave_now(&self) -> bool {
        self.layers.is_some() || self.rulers
    }
}

/// What a command may change besides the layers, kept to take the command back.
pub struct Checkpoint {
    report: Report,
    planning: PlanInputs,
    rulers: Vec<Ruler>,
    landmarks: crate::segments::Landmarks,
    cut: Option<CutPlane>,
}

/// A case save prepared on the workspace, to run anywhere (the app: a worker thread).
pub struct CaseSave {
    pub path: PathBuf,
    /// The case file's stamp when this program last read or wrote it (a save over a
    /// file another program changed since is refused).
    pub last: Option<FileStamp>,
    pub snapshot: Snapshot,
    /// The case registry to record the saved case in (`Workspace::registry`).
    pub registry: Option<PathBuf>,
}

/// A case save that succeeded.
#[derive(Debug, Clone)]
pub struct SavedCase {
    pub path: PathBuf,
    /// The stamp of the written case file.
    pub stamp: FileStamp,
    /// Why the registry row could not be updated (the case itself is saved).
    pub registry_error: Option<String>,
}

impl CaseSave {
    /// Write the layers and the case file, then update the case's registry row (a
    /// registry that cannot be written does not fail the save: it is reported).
    pub fn run(self) -> Result<SavedCase, String> {
        let stamp = crate::case::save_checked(&self.path, self.last.as_ref(), &self.snapshot)
            .map_err(|e| e.to_string())?;
        let registry_error = self
            .registry
            .as_deref()
            .and_then(|reg| crate::registry::record(reg, &self.path).err())
            .map(|e| e.to_string());
        Ok(SavedCase {
            path: self.path,
            stamp,
            registry_error,
        })
    }
}

impl Workspace {
    /// Carry out one action on the open case. Errors leave the case as it was.
    pub fn apply(&mut self, cmd: Command) -> Result<Applied, WorkspaceError> {
        let mut out = self.apply_tracing(cmd)?;
        // the ruler tool places a ruler with the pointer
        if let Some(r) = self.editor.placed_ruler.take() {
            self.add_ruler(r);
            out.rulers = true;
        }
        self.sync();
        Ok(out)
    }

    /// Pointer, brush, undo and pending-result actions; the rest go on to
    /// [`Workspace::apply_files`].
    fn apply_tracing(&mut self, cmd: Command) -> Result<Applied, WorkspaceError> {
        use Command as C;
        if self.editor.tool == crate::workspace::tracing::Tool::Segments {
            match cmd {
                C::Press { at, .. } => return self.landmark_press(at),
                C::Drag(at) => return self.landmark_drag_to(at),
                C::Release => return Ok(self.landmark_release()),
                _ => {}
            }
        }
        Ok(match cmd {
            C::Press { axis, slice, at } => {
                let (study, ed) = self.tracing()?;
                let changed = ed.press(study, axis, slice, at);
                Applied::layers(changed, LayerStep::Edit, None)
            }
            C::Drag(at) => {
                let (study, ed) = self.tracing()?;
                ed.drag(study, at);
                Applied::default()
            }
            C::Release => {
                let (study, ed) = self.tracing()?;
                let changed = ed.release(study);
                Applied::layers(changed, LayerStep::Edit, None)
            }
            C::Stroke(s) => {
                let (study, ed) = self.tracing()?;
                let n = ed.scripted_stroke(study, &s);
                let msg = match n {
                    0 => "nothing changed".to_string(),
                    n => format!("{n} voxels changed"),
                };
                Applied::layers(n > 0, LayerStep::Edit, Some(msg))
            }
            C::Trace(action) => self.trace(action)?,
            C::Undo => self.undo_or_redo(true)?,
            C::Redo => self.undo_or_redo(false)?,
            C::Confirm => {
                let (study, ed) = self.tracing()?;
                let changed = if ed.outline.is_some() {
                    ed.close_outline(study)
                } else {
                    ed.pending.is_some() && ed.accept(study)
                };
                Applied::layers(changed, LayerStep::Edit, None)
            }
            C::CloseOutline => {
                let (study, ed) = self.tracing()?;
                let changed = ed.outline.is_some() && ed.close_outline(study);
                Applied::layers(changed, LayerStep::Edit, None)
            }
            C::Escape => {
                let ed = &mut self.editor;
                if ed.outline.is_some() {
                    ed.outline = None;
                } else if ed.ruler.is_some() {
                    ed.ruler = None;
                } else {
                    ed.discard();
                }
                Applied::default()
            }
            C::Lesion(points) => self.lesion(&points)?,
            C::PreviewCut(plane) => {
                let (study, ed) = self.tracing()?;
                let counts = ed.preview_cut_plane(study, &plane);
                self.cut_preview = Some(counts);
                Applied::default()
            }
            other => self.apply_files(other)?,
        })
    }

    /// Take back (`undo`) or do again the newest step: a layer edit here, a landmark
    /// change through its marker.
    fn undo_or_redo(&mut self, undo: bool) -> Result<Applied, WorkspaceError> {
        let (study, ed) = self.tracing()?;
        let u = if undo {
            ed.undo_step(study)
        } else {
            ed.redo_step(study)
        };
        Ok(match u {
            Some(Undone::Marker(id)) => Applied::note(self.replay_landmarks(id, undo)),
            u => {
                let (step, done, none) = if undo {
                    (LayerStep::Undo, "undone", "nothing to undo")
                } else {
                    (LayerStep::Redo, "redone", "nothing to redo")
                };
                let msg = if u.is_some() { done } else { none };
                Applied::layers(u.is_some(), step, Some(msg.into()))
            }
        })
    }

    /// Files read into the case; the rest go on to [`Workspace::apply_case_data`].
    fn apply_files(&mut self, cmd: Command) -> Result<Applied, WorkspaceError> {
        use Command as C;
        Ok(match cmd {
            C::OpenLayers(p) => Applied::layers(true, LayerStep::Edit, Some(self.open_layers(&p)?)),
            C::ImportMask(p, layer) => {
                Applied::layers(true, LayerStep::Edit, Some(self.import_mask(&p, layer)?))
            }
            C::ImportSeg(p) => Applied::layers(true, LayerStep::Edit, Some(self.import_seg(&p)?)),
            C::LoadReference(p) => Applied::note(self.load_reference(&p)?),
            C::OpenSeeds(p) => Applied::note(self.open_seeds(&p)?),
            C::LoadPostPve(p) => Applied::note(self.load_post_pve(&p)?),
            other => self.apply_case_data(other)?,
        })
    }

    /// Report, planning and rulers; the rest go on to [`Workspace::apply_saves`].
    fn apply_case_data(&mut self, cmd: Command) -> Result<Applied, WorkspaceError> {
        use Command as C;
        Ok(match cmd {
            C::SetReport(r) => {
                self.set_report(*r);
                Applied::default()
            }
            C::SetPlanning(p) => {
                self.set_planning(*p);
                Applied::default()
            }
            C::AddPhoto(p) => {
                let mut r = self.report.clone();
                r.photos.push(crate::report::Photo::from_file(&p));
                self.set_report(r);
                Applied::default()
            }
            C::AddRuler(r) => {
                let s = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
                r.check(&s.ct.geometry)
                    .map_err(|e| WorkspaceError::Invalid {
                        what: "ruler",
                        message: e.to_string(),
                    })?;
                self.add_ruler(r);
                let mut a = Applied::note(format!("ruler {} placed", self.rulers.len()));
                a.rulers = true;
                a
            }
            C::DeleteRuler(i) => match self.delete_ruler(i) {
                Some(_) => Applied {
                    rulers: true,
                    ..Applied::note(format!("ruler {} deleted", i + 1))
                },
                None => {
                    return Err(WorkspaceError::Invalid {
                        what: "ruler",
                        message: format!(
                            "there is no ruler {} ({} placed)",
                            i + 1,
                            self.rulers.len()
                        ),
                    });
                }
            },
            other => self.apply_segments(other)?,
        })
    }

    /// Landmarks and resections by segments; the rest go on to
    /// [`Workspace::apply_saves`].
    fn apply_segments(&mut self, cmd: Command) -> Result<Applied, WorkspaceError> {
        use Command as C;
        Ok(match cmd {
            C::SetLandmark(id, at) => Applied::note(self.set_landmark(id, at)?),
            C::ClearLandmarks => {
                self.clear_landmarks();
                Applied::note("landmarks cleared".into())
            }
            C::LoadLandmarks(p) => Applied::note(self.load_landmarks(&p)?),
            C::SaveLandmarks(p) => Applied::note(self.save_landmarks(&p)?),
            C::SaveSegments(p) => Applied::note(self.save_segments(&p)?),
            C::ChooseResection(choice) => Applied::note(self.choose_resection(choice)?),
            other => self.apply_saves(other)?,
        })
    }

    /// Files written from the case (a case save is [`Workspace::begin_save`]).
    fn apply_saves(&mut self, cmd: Command) -> Result<Applied, WorkspaceError> {
        use Command as C;
        Ok(match cmd {
            C::SaveLabels(p) => Applied::note(self.checked_save(&p, |ws| ws.save_labels(&p))?),
            C::SaveLayers(p) => Applied::note(self.checked_save(&p, |ws| ws.save_layers(&p))?),
            C::SaveReport(p) => Applied::note(self.checked_save(&p, |ws| ws.save_report(&p))?),
            C::SaveSeeds(p) => Applied::note(self.save_seeds(&p)?),
            C::ExportSeg(p) => Applied::note(self.export_seg(&p)?),
            C::ExportSegSr(p) => Applied::note(self.export_seg_sr(&p)?),
            C::ExportPdf(p) => Applied::note(self.export_pdf(&p, None)?),
            C::ExportPdfDicom(p) => Applied::note(self.export_pdf_dicom(&p, None, None)?),
            C::ExportExercise { dir, layer } => Applied::note(self.export_exercise(&dir, layer)?),
            other => {
                return Err(WorkspaceError::Invalid {
                    what: "command",
                    message: format!("{other:?} is not an action on the case"),
                });
            }
        })
    }

    /// The scan and the tracing editor, for an action that needs a scan.
    pub(super) fn tracing(
        &mut self,
    ) -> Result<(&mut crate::study::Study, &mut super::tracing::Editor), WorkspaceError> {
        match (&mut self.study, &mut self.editor) {
            (Some(s), ed) => Ok((s, ed)),
            (None, _) => Err(WorkspaceError::NoScan),
        }
    }

    fn trace(&mut self, action: TraceAction) -> Result<Applied, WorkspaceError> {
        let (study, ed) = self.tracing()?;
        let changed = match action {
            TraceAction::Accept => ed.accept(study),
            TraceAction::Discard => {
                ed.discard();
                false
            }
            TraceAction::FlipCut => {
                ed.flip_cut(study);
                false
            }
            TraceAction::FillBetween(axis) => {
                if let Err(e) = ed.fill_between(study, axis) {
                    ed.message = Some(e.to_string());
                }
                false
            }
            TraceAction::Region(op) => ed.region(study, op),
            TraceAction::ClearSeeds => {
                ed.clear_seeds();
                false
            }
            TraceAction::RemoveReference => {
                ed.set_reference(None);
                false
            }
        };
        let msg = ed.message.clone();
        Ok(Applied::layers(changed, LayerStep::Edit, msg))
    }

    /// The counts a cut placed with [`Command::PreviewCut`] would leave, while it is
    /// the pending result.
    pub fn cut_preview(&self) -> Option<Counts> {
        self.cut_preview.filter(|_| self.editor.cut3d.is_some())
    }

    /// What a command may change besides the layers (see [`Workspace::take_back`]).
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            report: self.report.clone(),
            planning: self.planning.clone(),
            rulers: self.rulers.clone(),
            landmarks: self.landmarks,
            cut: self.editor.last_cut,
        }
    }

    /// Take back a command the caller could not keep (its autosave failed): the
    /// report, planning, rulers and cut as at `c`, and its layer step undone without
    /// a trace in the redo history.
    pub fn take_back(&mut self, c: Checkpoint, applied: &Applied) {
        if let Some(study) = &mut self.study {
            match applied.layers {
                Some(LayerStep::Edit) => self.editor.take_back_last(study),
                Some(LayerStep::Undo) => {
                    self.editor.redo(study);
                }
                Some(LayerStep::Redo) => {
                    self.editor.undo(study);
                }
                None => {}
            }
        }
        self.report = c.report;
        self.planning = c.planning;
        self.rulers = c.rulers;
        self.landmarks = c.landmarks;
        self.editor.last_cut = c.cut;
        self.touch();
    }

    /// Run `save` for a file this workspace may have written before: refused when
    /// another program changed it since; its new stamp is kept.
    fn checked_save(
        &mut self,
        path: &Path,
        save: impl FnOnce(&Self) -> Result<String, WorkspaceError>,
    ) -> Result<String, WorkspaceError> {
        crate::fsutil::check_unchanged(path, self.written.get(path))?;
        let out = save(self)?;
        match FileStamp::of(path) {
            Ok(Some(st)) => {
                self.written.insert(path.to_path_buf(), st);
            }
            _ => {
                self.written.remove(path);
            }
        }
        Ok(out)
    }

    /// Prepare a case save to `path`: the liver figures are filled in and the
    /// snapshot taken; the work counts as saved from now (a failed save says so
    /// through [`Workspace::finish_save`]). Refused, with nothing written, over a case
    /// opened read-only or one another running Remnant holds (its lock, see
    /// `crate::case_lock`); the lock of `path` is kept from now.
    pub fn begin_save(&mut self, path: &Path) -> Result<CaseSave, WorkspaceError> {
        let open = self.case.as_ref().filter(|c| c.path == path);
        if open.is_some_and(|c| c.read_only) {
            return Err(WorkspaceError::ReadOnly(path.to_path_buf()));
        }
        let last = open.map(|c| c.stamp.clone());
        let lock = self.lock_case(path)?;
        self.case_lock = Some(lock);
        self.fill_liver_figures();
        let snapshot = self.snapshot();
        self.mark_saved();
        Ok(CaseSave {
            path: path.to_path_buf(),
            last,
            snapshot,
            registry: self.registry.clone(),
        })
    }

    /// Record how a case save ended: the case file later saves go to, or unsaved work.
    pub fn finish_save(&mut self, result: Result<SavedCase, String>) -> Result<String, String> {
        match result {
            Ok(saved) => {
                let mut msg = format!("case saved to {}", saved.path.display());
                if let Some(e) = &saved.registry_error {
                    msg.push_str(&format!("; its registry row was NOT updated: {e}"));
                }
                self.case = Some(CaseFile {
                    path: saved.path,
                    stamp: saved.stamp,
                    read_only: false,
                });
                Ok(msg)
            }
            Err(e) => {
                self.mark_unsaved();
                Err(format!("the case was NOT saved: {e}"))
            }
        }
    }

    /// Save the case to `path` now (the headless session, the command line).
    pub fn save_case_now(&mut self, path: &Path) -> Result<String, String> {
        let save = self
            .begin_save(path)
            .map_err(|e| format!("the case was NOT saved: {e}"))?;
        let r = save.run();
        self.finish_save(r)
    }

    /// Save the layer bits, exact (Remnant's own format).
    pub fn save_layers(&self, path: &Path) -> Result<String, WorkspaceError> {
        let study = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        crate::segmentation::io::save_bits(path, &study.labels, study.spatial())?;
        Ok(format!("layers saved to {}", path.display()))
    }

    /// Save the report JSON.
    pub fn save_report(&self, path: &Path) -> Result<String, WorkspaceError> {
        self.report.save_checked(path, None)?;
        let mut msg = format!("report saved to {}", path.display());
        // its registry row, as for a case (a registry that cannot be written is named)
        if let Some(e) = self
            .registry
            .as_deref()
            .and_then(|reg| crate::registry::record(reg, path).err())
        {
            msg.push_str(&format!("; its registry row was NOT updated: {e}"));
        }
        Ok(msg)
    }

    /// Write the report PDF (key slices, liver figures) to `path`: of `kind`, or (None)
    /// the kind the case calls for (the liver plan, the operative report, or both).
    pub fn export_pdf(
        &mut self,
        path: &Path,
        kind: Option<crate::report::ReportKind>,
    ) -> Result<String, WorkspaceError> {
        let (pdf, _) = self.render_pdf(path, kind)?;
        crate::fsutil::atomic_write(path, &pdf)?;
        Ok(format!("report exported to {}", path.display()))
    }

    /// The report as a DICOM Encapsulated PDF (in the CT's study and patient when
    /// the scan came from DICOM, `seg::write_pdf_document`); `also_pdf`: the same
    /// PDF bytes written there as well (one rendering for both files).
    pub fn export_pdf_dicom(
        &mut self,
        path: &Path,
        kind: Option<crate::report::ReportKind>,
        also_pdf: Option<&Path>,
    ) -> Result<String, WorkspaceError> {
        let (pdf, kind) = self.render_pdf(path, kind)?;
        if let Some(p) = also_pdf {
            crate::fsutil::atomic_write(p, &pdf)?;
        }
        let refs = self.study.as_ref().and_then(|s| s.dicom_refs.as_ref());
        let w = crate::seg::write_pdf_document(path, &pdf, kind, refs, &self.report.patient)?;
        let mut m = format!(
            "report saved to {} as a DICOM Encapsulated PDF ({}, study {})",
            path.display(),
            crate::seg::document_title(kind),
            w.study_instance_uid
        );
        for warning in &w.warnings {
            m.push_str(&format!(". Note: {warning}"));
        }
        Ok(m)
    }

    /// The report PDF's bytes, with the liver figures filled in first, and the
    /// kind it holds (`kind`, or what the report holds); `path` names errors.
    fn render_pdf(
        &mut self,
        path: &Path,
        kind: Option<crate::report::ReportKind>,
    ) -> Result<(Vec<u8>, crate::report::ReportKind), WorkspaceError> {
        self.fill_liver_figures();
        let images = self
            .study
            .as_ref()
            .map(|s| crate::case::key_images(s, &self.rulers))
            .unwrap_or_default();
        let kind = kind.unwrap_or_else(|| crate::report::ReportKind::for_report(&self.report));
        let pdf = crate::report::render_report_pdf(&self.report, &images, kind)
            .map_err(|e| file_error(path, e))?;
        Ok((pdf, kind))
    }

    /// Write the case as a de-identified exercise in `dir` (the CT, the `layer` traced
    /// as the reference, every layer, the report's numbers): see `crate::trainee::export`.
    pub fn export_exercise(&mut self, dir: &Path, layer: Layer) -> Result<String, WorkspaceError> {
        self.fill_liver_figures();
        let study = self
            .study
            .as_ref()
            .ok_or(crate::trainee::export::ExportError::NoScan)?;
        let m = crate::trainee::export::export(study, &self.report, layer, dir)?;
        Ok(format!(
            "exercise exported to {} (trace the {}; reference {}), without the patient's identifiers; \
             File > Open exercise opens it",
            dir.display(),
            layer.name().to_lowercase(),
            m.reference
        ))
    }

    /// A label map traced on the post-PVE scan: its counts are kept with the planning,
    /// so a saved case and its PDF carry the growth.
    pub fn load_post_pve(&mut self, path: &Path) -> Result<String, WorkspaceError> {
        let map = Workspace::read_other_label_map(path)?;
        let mut planning = self.planning.clone();
        planning.post_pve = Some(crate::volumetry::growth::PostPveScan {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            counts: Counts::from_bits(&map.bits),
            voxel_mm3: map.geometry.voxel_volume_mm3(),
            coverage: Some(crate::volumetry::coverage::liver_coverage(
                &map.bits,
                map.geometry.dims,
            )),
        });
        self.set_planning(planning);
        Ok(format!("post-PVE label map loaded from {}", path.display()))
    }
}
