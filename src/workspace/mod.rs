//! The open case, without any UI: the scan and its layers, the tracing session, the
//! planning inputs, the report, the accepted cutting plane and the case file it was
//! opened from or saved to. The desktop app holds one `Workspace`; case saves, the
//! autosave and the headless session all write the same [`Snapshot`] of it.
//!
//! One revision counter says what changed: it only grows (it is never rewound when a
//! scan or a case is opened), and "unsaved changes" is simply "the revision is not the
//! one last saved". Caches keyed on a [`Study`]'s revision cannot mix two patients'
//! figures either: a study's revision is unique in the process (see `Study::touch`).

pub mod command;
mod guide;
mod lesion;
mod seg;
mod segments;
pub use segments::{OptionsKey, OptionsRequest};
pub mod tracing;

pub use command::{Applied, CaseSave, Command, LayerStep, SavedCase, ScriptedStroke, TraceAction};
pub use guide::{Guide, GuideStep, StepState};

pub use crate::snapshot::{ScanSnapshot, Snapshot};

use crate::autosave::{self, Pending};
use crate::fsutil::FileStamp;
use crate::report::Report;
use crate::segmentation::components::{Component, components};
use crate::segmentation::{LabelMap, Layer};
use crate::study::Study;
use crate::volume::nifti::MaskSelect;
use crate::volumetry::PlanInputs;
use std::path::{Path, PathBuf};
use tracing::{Editor, Reference};

/// Why an action on the workspace did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("open a scan first")]
    NoScan,
    #[error(transparent)]
    Io(#[from] crate::segmentation::io::IoError),
    #[error(transparent)]
    Seg(#[from] crate::seg::SegError),
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    #[error("{what}: {message}")]
    Invalid { what: &'static str, message: String },
    #[error(transparent)]
    Write(#[from] crate::fsutil::AtomicWriteError),
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// Another running Remnant holds the case (its lock file names it).
    #[error(transparent)]
    Locked(#[from] crate::case_lock::LockError),
    #[error(
        "{} is open read-only (another Remnant holds it): it is never saved over here; \
         save under another name (Save case as)",
        .0.display()
    )]
    ReadOnly(PathBuf),
    #[error(transparent)]
    Exercise(#[from] crate::trainee::export::ExportError),
}

fn file_error(path: &Path, e: impl std::fmt::Display) -> WorkspaceError {
    WorkspaceError::File {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// A scan to load for an opened case: its path and the DICOM series key, if any.
pub type ScanToOpen = (PathBuf, Option<String>);

/// The case file this work was opened from or saved to, and what it held then (a
/// save over a case another program changed since is refused).
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub path: PathBuf,
    pub stamp: FileStamp,
    /// Opened read-only (another running Remnant holds it): saving over it is refused.
    pub read_only: bool,
}

pub struct Workspace {
    pub study: Option<Study>,
    pub report: Report,
    pub planning: PlanInputs,
    /// The tracing session: tool, settings, undo history, previews; its `last_cut` is
    /// the accepted cutting plane.
    pub editor: Editor,
    pub case: Option<CaseFile>,
    /// The lock this process holds on a case file (see `crate::case_lock`): the open
    /// case's, or the one last saved to.
    case_lock: Option<crate::case_lock::Lock>,
    /// Rulers placed on the planes (saved with the case and the autosave).
    pub rulers: Vec<crate::measure::Ruler>,
    /// The Couinaud landmarks placed (saved with the case and the autosave).
    pub landmarks: crate::segments::Landmarks,
    /// The landmark the Segments tool places next (None: the first not placed).
    pub landmark_target: Option<crate::segments::LandmarkId>,
    /// The landmark being dragged with the Segments tool.
    landmark_drag: Option<crate::segments::LandmarkId>,
    /// The landmarks when the press that started the drag came (one undo step at release).
    landmark_drag_from: Option<crate::segments::Landmarks>,
    /// Landmark changes in the undo history: marker id -> (before, after).
    landmark_steps:
        std::collections::HashMap<u64, (crate::segments::Landmarks, crate::segments::Landmarks)>,
    landmark_step_id: u64,
    /// Segments of the landmarks on the layers, keyed on (study revision, landmarks).
    segments: Option<segments::SegmentsCache>,
    /// Layers to load once the scan that is loading has arrived (an opened case or a
    /// restored autosave).
    pending_layers: Option<PathBuf>,
    /// The pending layers come from an autosave: the restored work stays unsaved.
    restoring: bool,
    revision: u64,
    saved_revision: Option<u64>,
    /// The study revision last folded into `revision`.
    seen_layers: u64,
    tumours: Option<(u64, Vec<Component>)>,
    /// The counts the cut placed in 3-D would leave (while it is pending).
    cut_preview: Option<crate::volumetry::Counts>,
    /// Stamps of the files saved from this workspace (labels, layers, report), so a
    /// save over one another program changed since is refused.
    written: std::collections::HashMap<PathBuf, FileStamp>,
    /// The guided path, for the revision it was computed at.
    guide: Option<(u64, guide::Guide)>,
    /// The case registry a case save updates (the app and `remnant session`: the
    /// one in the config folder; None: no registry).
    pub registry: Option<PathBuf>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace::new()
    }
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            study: None,
            report: Report::default(),
            planning: PlanInputs::default(),
            editor: Editor::new(),
            case: None,
            case_lock: None,
            rulers: Vec::new(),
            landmarks: Default::default(),
            segments: None,
            landmark_target: None,
            landmark_drag: None,
            landmark_drag_from: None,
            landmark_steps: Default::default(),
            landmark_step_id: 0,
            pending_layers: None,
            restoring: false,
            revision: 0,
            saved_revision: Some(0),
            seen_layers: 0,
            tumours: None,
            cut_preview: None,
            written: Default::default(),
            guide: None,
            registry: None,
        }
    }

    /// The revision of everything a save keeps (layers, report, planning, cut plane).
    pub fn revision(&self) -> u64 {
        let layers_changed = self
            .study
            .as_ref()
            .is_some_and(|s| s.revision != self.seen_layers);
        self.revision + u64::from(layers_changed)
    }

    /// Fold a change of the layers into the revision (call after edits).
    fn sync(&mut self) {
        if let Some(s) = &self.study
            && s.revision != self.seen_layers
        {
            self.seen_layers = s.revision;
            self.revision += 1;
        }
    }

    /// Something a save keeps changed (report, planning, cut plane).
    pub fn touch(&mut self) {
        self.sync();
        self.revision += 1;
    }

    /// True when there is work a save would keep that is not saved yet.
    pub fn has_unsaved_changes(&self) -> bool {
        self.saved_revision != Some(self.revision())
    }

    /// What is in memory now is what was saved (or deliberately discarded).
    pub fn mark_saved(&mut self) {
        self.sync();
        self.saved_revision = Some(self.revision);
    }

    /// What is in memory now is not saved anywhere (e.g. restored from an autosave).
    pub fn mark_unsaved(&mut self) {
        self.saved_revision = None;
    }

    /// Replace the report (from a panel's edit); a change counts as unsaved work.
    pub fn set_report(&mut self, report: Report) {
        if report != self.report {
            self.report = report;
            self.touch();
        }
    }

    /// Replace the planning inputs; a change counts as unsaved work.
    pub fn set_planning(&mut self, planning: PlanInputs) {
        if planning != self.planning {
            self.planning = planning;
            self.touch();
        }
    }

    /// The folder of the open scan (where file dialogs start).
    pub fn scan_folder(&self) -> Option<PathBuf> {
        self.study
            .as_ref()
            .and_then(|s| s.path.parent().map(Path::to_path_buf))
    }

    /// The accepted cutting plane.
    pub fn cut(&self) -> Option<crate::segmentation::plane_cut::CutPlane> {
        self.editor.last_cut
    }

    /// What a case save, the autosave and the headless session write. (A case save
    /// calls [`Workspace::fill_liver_figures`] first; the autosave, written after every
    /// accepted edit, does not pay for the clinical decision: the figures are derived
    /// from the layers and planning it keeps.)
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            scan: self.study.as_ref().map(ScanSnapshot::of),
            planning: self.planning.clone(),
            cut: self.cut(),
            rulers: self.rulers.clone(),
            landmarks: self.landmarks,
            report: self.report.clone(),
            case_path: self.case.as_ref().map(|c| c.path.clone()),
            revision: self.revision(),
        }
    }

    /// Add a ruler placed on a plane (unsaved work).
    pub fn add_ruler(&mut self, r: crate::measure::Ruler) {
        self.rulers.push(r);
        self.touch();
    }

    /// Delete ruler `i` (0-based); None when there is no such ruler.
    pub fn delete_ruler(&mut self, i: usize) -> Option<crate::measure::Ruler> {
        (i < self.rulers.len()).then(|| {
            let r = self.rulers.remove(i);
            self.touch();
            r
        })
    }

    /// Drop the rulers that do not fit the open scan (a case opened onto another
    /// grid); one note per ruler dropped, naming it and why.
    fn check_rulers(&mut self) -> Vec<String> {
        let Some(s) = &self.study else {
            return Vec::new();
        };
        let mut notes = Vec::new();
        let mut kept = Vec::new();
        for (i, r) in self.rulers.iter().enumerate() {
            match r.check(&s.ct.geometry) {
                Ok(()) => kept.push(*r),
                Err(e) => notes.push(format!(
                    "ruler {} ({}) was not loaded: {e}",
                    i + 1,
                    r.plane.name()
                )),
            }
        }
        self.rulers = kept;
        notes
    }

    /// Put the current liver figures into the report's liver section.
    pub fn fill_liver_figures(&mut self) {
        let tumours = self.tumours().to_vec();
        let pci = self.pci_total();
        let segments = self.segment_summary().ok();
        if let Some(s) = &mut self.study
            && s.counts().total > 0
        {
            let d = crate::clinical::decide(
                &s.labels.bits,
                &s.ct.geometry,
                &self.planning,
                &tumours,
                pci,
                crate::clinical::plan::after_pve(&self.planning),
            );
            let mut f = crate::case::liver_figures(&d, &self.planning);
            if let Some(summary) = segments {
                f.segments = summary
                    .volumes
                    .iter()
                    .map(|v| crate::report::SegmentFigure {
                        segment: v.id.name().to_string(),
                        volume_ml: v.volume_ml,
                        percent: v.percent,
                        tumours: v.tumours.clone(),
                    })
                    .collect();
                f.segments_caveat = Some(crate::clinical::segments::SEGMENTS_CAVEAT.to_string());
            }
            self.report.liver.figures = Some(f);
        }
    }

    /// The case's PCI when any region is scored (for the resectability checklist).
    pub fn pci_total(&self) -> Option<u32> {
        self.report.pci.scored_total()
    }

    /// Tumour lesions of the open study, recomputed only when its layers change.
    pub fn tumours(&mut self) -> &[Component] {
        let Some(s) = &self.study else {
            self.tumours = None;
            return &[];
        };
        if self
            .tumours
            .as_ref()
            .is_none_or(|(rev, _)| *rev != s.revision)
        {
            let t = components(&s.labels.bits, Layer::Tumour.bit(), &s.ct.geometry);
            self.tumours = Some((s.revision, t));
        }
        self.tumours.as_ref().map_or(&[], |(_, t)| t)
    }

    /// The scan being loaded comes with the layers of an autosave being restored.
    pub fn is_restoring(&self) -> bool {
        self.restoring && self.pending_layers.is_some()
    }

    /// Take a freshly loaded scan. Layers waiting for it (an opened case, a restored
    /// autosave) are loaded onto it; returns notes for the user (never an error: a
    /// scan without its layers still opens, and the note says why).
    pub fn install(&mut self, study: Study) -> Vec<String> {
        let (mut notes, layers) = self.install_scan(study);
        match layers {
            Some(Ok(n)) => notes.push(n),
            Some(Err(e)) => notes.push(format!("the traced layers were not loaded: {e}")),
            None => {}
        }
        notes
    }

    /// [`Workspace::install`] for the command line and the headless session, where
    /// layers that do not load are an error (the scan stays open without them). The
    /// notes are warnings only (a ruler dropped, another patient's report).
    pub fn install_checked(&mut self, study: Study) -> Result<Vec<String>, WorkspaceError> {
        let (notes, layers) = self.install_scan(study);
        if let Some(l) = layers {
            l?;
        }
        Ok(notes)
    }

    /// The scan goes in; the notes, and how loading the waiting layers went (if any).
    fn install_scan(
        &mut self,
        study: Study,
    ) -> (Vec<String>, Option<Result<String, WorkspaceError>>) {
        let mut notes = Vec::new();
        let clean = !self.has_unsaved_changes();
        self.sync();
        self.seen_layers = study.revision; // opening a scan is not itself a change
        self.study = Some(study);
        self.tumours = None;
        self.cut_preview = None;
        // DICOM patient fields fill the report header's empty fields; that alone is
        // not unsaved work (it comes back with the images).
        let (filled, note) = self.prefill_patient();
        notes.extend(note);
        if filled && clean {
            self.mark_saved();
        }
        // a case's cutting plane was read before its scan: keep it
        let case_cut = self
            .editor
            .last_cut
            .filter(|_| self.pending_layers.is_some());
        self.editor.reset_for_new_scan();
        self.editor.last_cut = case_cut;
        // a case's (or autosave's) rulers were read before its scan: keep those that
        // fit it; another scan starts without rulers
        if self.pending_layers.is_some() {
            notes.extend(self.check_rulers());
        } else {
            self.rulers.clear();
            self.landmarks = Default::default();
        }
        self.segments = None;
        let mut layers = None;
        if let Some(lp) = self.pending_layers.take() {
            layers = Some(self.open_layers(&lp));
            self.editor.clear_history();
            if std::mem::take(&mut self.restoring) {
                // restored work stays "unsaved" until the surgeon saves a case
                self.mark_unsaved();
            } else {
                self.mark_saved(); // a case's own layers are not an unsaved change
            }
        }
        (notes, layers)
    }

    /// Open a case with its scan and layers now (the command line): the scan is read
    /// only when the case names one and its layers file is there (a case without
    /// them is its report alone). Returns the warnings (moved or changed scan...) and
    /// notes.
    pub fn open_case_now(
        &mut self,
        path: &Path,
        read_only: bool,
    ) -> Result<Vec<String>, WorkspaceError> {
        let (scan, mut notes) = self.open_case_parts(path, read_only)?;
        let layers_there = self.pending_layers.as_ref().is_some_and(|p| p.exists());
        if let (Some((sp, series)), true) = (scan, layers_there) {
            let study = Study::open_series(&sp, series.as_deref(), crate::task::Task::none())
                .map_err(|e| file_error(&sp, e))?;
            notes.extend(self.install_checked(study)?);
        } else {
            self.pending_layers = None;
        }
        Ok(notes)
    }

    /// Fill the report header's empty patient fields from the DICOM series; says so
    /// when the report is made out to another patient. Returns whether a field was
    /// filled, and the note.
    pub fn prefill_patient(&mut self) -> (bool, Option<String>) {
        let Some(p) = self.study.as_ref().and_then(|s| s.patient.clone()) else {
            return (false, None);
        };
        let r = &mut self.report.patient;
        let differs = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => !a.trim().eq_ignore_ascii_case(b.trim()),
            _ => false,
        };
        let mut note = None;
        if differs(&r.patient_id, &p.id) || differs(&r.name, &p.name) {
            let who = |name: &Option<String>, id: &Option<String>| {
                format!(
                    "{} (ID {})",
                    name.as_deref().unwrap_or("no name"),
                    id.as_deref().unwrap_or("none")
                )
            };
            note = Some(format!(
                "Check the patient: the report is for {}, the scan for {}",
                who(&r.name, &r.patient_id),
                who(&p.name, &p.id)
            ));
        }
        let mut filled = false;
        for (field, value) in [
            (&mut r.name, &p.name),
            (&mut r.patient_id, &p.id),
            (&mut r.birth_date, &p.birth_date),
            (&mut r.sex, &p.sex),
            (&mut r.study_date, &p.study_date),
            (&mut r.accession, &p.accession_number),
        ] {
            if field.as_deref().is_none_or(|f| f.trim().is_empty()) && value.is_some() {
                *field = value.clone();
                filled = true;
            }
        }
        if filled {
            self.touch();
        }
        (filled, note)
    }

    /// Open a case file: report, planning and cut plane now; returns the scan to load
    /// (its layers follow once it has loaded) and notes (moved or changed scan...).
    /// The scan is returned with the DICOM series key the case names (a folder
    /// holding several series reopens that one). `read_only`: without taking its lock
    /// (a case another running Remnant holds, [`WorkspaceError::Locked`]); saving over
    /// it is then refused.
    pub fn open_case(
        &mut self,
        path: &Path,
    ) -> Result<(Option<ScanToOpen>, String), WorkspaceError> {
        self.open_case_as(path, false)
    }

    /// [`Workspace::open_case`], read-only or not.
    pub fn open_case_as(
        &mut self,
        path: &Path,
        read_only: bool,
    ) -> Result<(Option<ScanToOpen>, String), WorkspaceError> {
        let (scan, warnings) = self.open_case_parts(path, read_only)?;
        let mut msg = format!("case opened from {}", path.display());
        if read_only {
            msg.push_str(" read-only: it cannot be saved over, Save case as keeps a copy");
        }
        for w in &warnings {
            msg.push_str("; ");
            msg.push_str(w);
        }
        Ok((scan, msg))
    }

    /// [`Workspace::open_case`]: the scan to load and the warnings, apart.
    fn open_case_parts(
        &mut self,
        path: &Path,
        read_only: bool,
    ) -> Result<(Option<ScanToOpen>, Vec<String>), WorkspaceError> {
        let lock = if read_only {
            None
        } else {
            Some(self.lock_case(path)?)
        };
        let o = crate::case::open(path).map_err(|e| file_error(path, e))?;
        self.case_lock = lock;
        self.report = o.report;
        self.planning = o.case.planning.clone();
        self.case = Some(CaseFile {
            path: path.to_path_buf(),
            stamp: o.stamp.clone(),
            read_only,
        });
        self.editor.last_cut = o.case.cut_plane;
        self.rulers = o.case.rulers.clone();
        self.landmarks = o.case.landmarks;
        self.touch();
        self.pending_layers = o.scan_path.as_ref().and(o.layers_path);
        self.restoring = false;
        self.mark_saved();
        let series = o.scan_series.clone();
        Ok((o.scan_path.map(|p| (p, series)), o.warnings))
    }

    /// Take back the work an autosave holds: report, planning and cut plane now;
    /// returns the scan to load (its layers follow once it has loaded).
    pub fn restore(&mut self, pending: Pending) -> Result<PathBuf, WorkspaceError> {
        let report = autosave::report_of(&pending.session)
            .map_err(|e| file_error(&pending.layers, format!("the autosaved report: {e}")))?;
        self.report = report;
        self.planning = pending.session.planning.clone();
        self.editor.last_cut = pending.session.cut_plane;
        self.rulers = pending.session.rulers.clone();
        self.landmarks = pending.session.landmarks;
        self.case = None;
        if let Some(p) = &pending.session.case_path {
            // the case it came from, if still there: later saves go back to it (unless
            // another running Remnant holds it: then it is read-only here)
            if let Ok(Some(stamp)) = FileStamp::of(p) {
                let lock = self.lock_case(p).ok();
                let read_only = lock.is_none();
                self.case_lock = lock;
                self.case = Some(CaseFile {
                    path: p.clone(),
                    stamp,
                    read_only,
                });
            }
        }
        // keep the autosaved layers safe while they are being restored
        let keep = pending.layers.with_file_name("restoring.layers.nii.gz");
        let layers = match std::fs::copy(&pending.layers, &keep) {
            Ok(_) => keep,
            Err(_) => pending.layers.clone(),
        };
        self.pending_layers = Some(layers);
        self.restoring = true;
        self.touch();
        self.mark_unsaved();
        Ok(pending.session.scan.clone())
    }

    /// The lock of the case file `path`: the one held already, or taken now (refused
    /// when another running Remnant holds it).
    fn lock_case(&mut self, path: &Path) -> Result<crate::case_lock::Lock, WorkspaceError> {
        if let Some(l) = self.case_lock.take() {
            if l.target() == path {
                return Ok(l);
            }
            self.case_lock = Some(l);
        }
        Ok(crate::case_lock::Lock::case(path)?)
    }

    /// The open case is read-only here (another running Remnant holds it).
    pub fn is_read_only(&self) -> bool {
        self.case.as_ref().is_some_and(|c| c.read_only)
    }

    fn study_mut(&mut self) -> Result<&mut Study, WorkspaceError> {
        self.study.as_mut().ok_or(WorkspaceError::NoScan)
    }

    /// Replace the layers with a Remnant label map (one undo step).
    pub fn open_layers(&mut self, path: &Path) -> Result<String, WorkspaceError> {
        use crate::segmentation::io;
        let study = self.study.as_mut().ok_or(WorkspaceError::NoScan)?;
        let m = io::load_label_map(path, &study.ct.geometry, crate::task::Task::none())?;
        let before = std::mem::replace(&mut study.labels, m);
        self.editor.record_external(study, &before.bits);
        study.touch();
        Ok(format!("layers loaded from {}", path.display()))
    }

    /// Import a binary mask as a layer (one undo step).
    pub fn import_mask(&mut self, path: &Path, layer: Layer) -> Result<String, WorkspaceError> {
        use crate::segmentation::io;
        let study = self.study.as_mut().ok_or(WorkspaceError::NoScan)?;
        let before = study.labels.bits.clone();
        let n = io::import_mask(
            path,
            MaskSelect::NonZero,
            layer,
            &mut study.labels,
            crate::task::Task::none(),
        )?;
        self.editor.record_external(study, &before);
        study.touch();
        Ok(format!(
            "{n} voxels imported into the {} layer",
            layer.name()
        ))
    }

    /// Trainee mode: the reference mask the active layer is scored against.
    pub fn load_reference(&mut self, path: &Path) -> Result<String, WorkspaceError> {
        use crate::segmentation::io;
        let study = self.study_mut()?;
        let mask = io::read_mask_on_grid(
            path,
            MaskSelect::NonZero,
            &study.ct.geometry,
            crate::task::Task::none(),
        )?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.editor.set_reference(Some(Reference { name, mask }));
        Ok(format!("reference mask loaded from {}", path.display()))
    }

    /// Seed strokes from a seeds file.
    pub fn open_seeds(&mut self, path: &Path) -> Result<String, WorkspaceError> {
        let study = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
        let seeds =
            crate::segmentation::seeds::Seeds::parse(&text).map_err(|e| file_error(path, e))?;
        seeds
            .check_on(&crate::segmentation::tools::Grid::of(&study.ct.geometry))
            .map_err(|e| file_error(path, e))?;
        let n = seeds.strokes.len();
        self.editor.set_seeds(seeds);
        Ok(format!("{n} seed strokes loaded from {}", path.display()))
    }

    /// Save the seed strokes.
    pub fn save_seeds(&self, path: &Path) -> Result<String, WorkspaceError> {
        crate::fsutil::atomic_write(path, self.editor.seeds.to_text().as_bytes())
            .map_err(|e| file_error(path, e))?;
        Ok(format!("seed strokes saved to {}", path.display()))
    }

    /// Save the layers as an interchange label map.
    pub fn save_labels(&self, path: &Path) -> Result<String, WorkspaceError> {
        let study = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        let w = crate::segmentation::io::save_labels(path, &study.labels, study.spatial())?;
        let mut m = format!("label map saved to {}", path.display());
        if let Some(w) = w {
            m.push_str(&format!(" ({w})"));
        }
        Ok(m)
    }

    /// A Remnant label map traced on another scan (post-PVE), read on its own grid.
    pub fn read_other_label_map(path: &Path) -> Result<LabelMap, WorkspaceError> {
        let (vol, _) = crate::volume::nifti::read_labels(path, crate::task::Task::none())
            .map_err(|e| file_error(path, e))?;
        LabelMap::from_labels(vol.geometry.clone(), vol.as_slice()).map_err(|e| file_error(path, e))
    }
}

#[cfg(test)]
mod tests;
