//! What the panels, menus, keys and background jobs ask the app to do. Panels read
//! state and return these; `RemnantApp::apply` is the one place that carries them
//! out (the pattern of rerun's `SystemCommand`).

use super::plane_view::PlaneInput;
use crate::render::Plane;
use crate::report::Report;
use crate::segmentation::Layer;
use crate::segmentation::tools::Preview;
use crate::study::Study;
use crate::volumetry::PlanInputs;
use std::path::PathBuf;

/// A scan loaded on a worker thread, with what the panels need precomputed.
pub struct Loaded {
    pub study: Study,
    pub histogram: Vec<(f64, u64)>,
}

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    OpenScan,
    OpenLayers,
    SaveLabels,
    ImportMask(Layer),
    AfterPve,
    OpenCase,
    SaveCase,
    ExportPdf,
    /// The report PDF as a DICOM Encapsulated PDF.
    ExportPdfDicom,
    AddPhoto,
    /// Trainee mode: a reference mask to score against.
    Reference,
    OpenSeeds,
    SaveSeeds,
    /// The layers as a DICOM Segmentation (SEG).
    ExportSeg,
    /// The SEG and its measurement report (SR) beside it.
    ExportSegSr,
    /// A DICOM SEG made elsewhere, as layers.
    ImportSeg,
    /// Couinaud landmarks (`remnant.landmarks/1`) to read, or to write.
    OpenLandmarks,
    SaveLandmarks,
    /// The Couinaud segments as a label map.
    SaveSegments,
    /// A folder holding an exercise (File > Open exercise).
    OpenExercise,
    /// A folder to write the open case into as a de-identified exercise.
    ExportExercise,
}

/// The work panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Tools,
    Plan,
    Pci,
    Report,
    /// The case registry: every case saved.
    Registry,
}

/// The answer to "unsaved changes" when closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseChoice {
    Save,
    Discard,
    KeepWorking,
}

pub enum AppCommand {
    /// Open a scan (NIfTI file, DICOM image file) or, for a folder / DICOMDIR, scan it
    /// and show the series picker.
    Open(PathBuf),
    /// Ask for a file with the platform dialog.
    AskFile(Purpose),
    AskDicomFolder,
    /// Load a series the DICOM picker offered (the folder it was found in).
    LoadSeries(PathBuf, Box<crate::volume::dicom::SeriesSummary>),
    /// A file was chosen (dialog, drag and drop, tests).
    FileChosen(Purpose, PathBuf),
    /// Save the case where it was saved last, or ask where.
    SaveCase,
    CancelLoad,
    StartGrow,
    CancelGrow,
    /// An action on the open case (layers, report, planning, rulers, files), carried
    /// out by `Workspace::apply` as in `remnant session`.
    Case(Command),
    /// What the pointer did on the planes this frame (tools), and a double click:
    /// turned into `Command::Press` / `Drag` / `Release` for the active tool.
    PlaneInputs(Vec<(Plane, PlaneInput)>, bool),
    /// Show a ruler: the crosshair to its middle, its plane active (Tools tab).
    ShowRuler(usize),
    /// Page Up / Down on the active plane.
    StepSlice(isize),
    ResetView,
    /// F5 / F6 / F7: four views, the plane under the pointer alone, 3-D alone.
    LayoutKey(egui::Key),
    ToggleHelp,
    /// File > Open sample exercise / Open exercise: the exercise in this folder (the
    /// bundled sample, or one exported with Export as exercise), its reference hidden.
    OpenExercise(PathBuf),
    /// Open a case another running Remnant holds, read-only (saving over it refused).
    OpenCaseReadOnly(PathBuf),
    /// Do not open the case another running Remnant holds.
    CancelLockedCase,
    /// Score my tracing: score the exercise's attempt and log it.
    ScoreExercise,
    RestoreAutosave,
    DiscardAutosave,
    Close(CloseChoice),
    Error(String),
    Notice(String),
    // Results of background work.
    Loaded(Result<Box<Loaded>, String>, bool),
    Saved(Result<crate::workspace::SavedCase, String>),
    Autosaved(Result<(), String>),
    Grown(Result<Preview, String>, Layer),
    /// Compute the Plan tab's resection options for the open case (worker thread).
    RefreshOptions,
    /// The resection options computed for this key.
    OptionsReady(
        Box<(
            crate::workspace::OptionsKey,
            Result<Vec<crate::segments::ResectionOption>, String>,
        )>,
    ),
    /// A Lesion tool search finished (run on a worker thread).
    LesionFound(Result<Box<LesionResult>, String>),
}

/// A lesion search and what it found.
pub type LesionResult = (
    crate::workspace::tracing::LesionRequest,
    Result<crate::segmentation::lesion::Lesion, crate::segmentation::lesion::LesionError>,
);

pub use crate::workspace::{Command, TraceAction};

impl AppCommand {
    /// A panel edited the report.
    pub fn set_report(r: Report) -> AppCommand {
        AppCommand::Case(Command::SetReport(Box::new(r)))
    }

    /// A panel edited the planning inputs.
    pub fn set_planning(p: PlanInputs) -> AppCommand {
        AppCommand::Case(Command::SetPlanning(Box::new(p)))
    }

    /// An action of the Tools tab on the tracing session.
    pub fn trace(a: TraceAction) -> AppCommand {
        AppCommand::Case(Command::Trace(a))
    }
}
