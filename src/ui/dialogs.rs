//! Every file and folder dialog of the app goes through [`Dialogs::ask`]: the
//! platform dialog (rfd) on its own thread, so the UI never blocks, or Remnant's own
//! chooser ([`file_chooser`]) when the platform dialog is unavailable or fails.
//! A dialog never fails silently: either a dialog shows or the chooser opens with the
//! reason the platform one did not.
//!
//! `REMNANT_FILE_DIALOG=inapp` forces the in-app chooser (tests, remote sessions),
//! `=native` forces the platform dialog; otherwise the platform dialog is used unless
//! it is known not to work (Linux without a session bus and without zenity).

use super::command::{AppCommand, Purpose};
pub mod file_chooser;
use crate::task::Wake;
use file_chooser::{ChooserOutcome, FileChooser};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// What a dialog is for: a file for one of the app's purposes, or a DICOM folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    File(Purpose),
    DicomFolder,
}

/// Open an existing file, name a file to write, or choose a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Open,
    Save,
    Folder,
}

/// One named filter: the endings it accepts ("nii.gz" matches "ct.nii.gz").
pub type Filter = (&'static str, &'static [&'static str]);

/// What both the platform dialog and the in-app chooser show for a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub title: &'static str,
    pub kind: Kind,
    pub filters: Vec<Filter>,
    /// The name a save dialog proposes.
    pub save_name: Option<&'static str>,
}

const NIFTI: Filter = ("NIfTI", &["nii", "nii.gz"]);

/// The title, kind, filters and proposed name of each dialog.
pub fn spec(target: Target) -> Spec {
    let open = |title, filters: Vec<Filter>| Spec {
        title,
        kind: Kind::Open,
        filters,
        save_name: None,
    };
    let save = |title, filters: Vec<Filter>, name| Spec {
        title,
        kind: Kind::Save,
        filters,
        save_name: Some(name),
    };
    let folder = |title| Spec {
        title,
        kind: Kind::Folder,
        filters: Vec::new(),
        save_name: None,
    };
    let Target::File(purpose) = target else {
        return Spec {
            title: "Open a DICOM folder (CT series)",
            kind: Kind::Folder,
            filters: Vec::new(),
            save_name: None,
        };
    };
    match purpose {
        Purpose::OpenScan => open("Open a CT scan", vec![NIFTI, ("DICOM", &["dcm"])]),
        Purpose::OpenLayers => open("Open traced layers (Remnant label map)", vec![NIFTI]),
        Purpose::ImportMask(_) => open("Import a mask as a layer", vec![NIFTI]),
        Purpose::AfterPve => open("Label map traced on the post-PVE scan", vec![NIFTI]),
        Purpose::SaveLabels => save("Save the label map", vec![NIFTI], "labels.nii.gz"),
        Purpose::Reference => open(
            "Reference mask to score the traced layer against",
            vec![NIFTI],
        ),
        Purpose::OpenCase => open("Open a case", vec![("Remnant case", &["json"])]),
        Purpose::SaveCase => save(
            "Save the case",
            vec![("Remnant case", &["json"])],
            "case.json",
        ),
        Purpose::ExportPdf => save(
            "Export the report as PDF",
            vec![("PDF", &["pdf"])],
            "report.pdf",
        ),
        Purpose::ExportPdfDicom => save(
            "Export the report to DICOM (Encapsulated PDF)",
            vec![("DICOM", &["dcm"])],
            "report.dcm",
        ),
        Purpose::AddPhoto => open("Attach a photo", vec![("Photo", &["jpg", "jpeg", "png"])]),
        Purpose::OpenSeeds => open("Open seed strokes", vec![("Remnant seeds", &["txt"])]),
        Purpose::OpenLandmarks => open(
            "Open Couinaud landmarks",
            vec![("Remnant landmarks", &["json"])],
        ),
        Purpose::SaveLandmarks => save(
            "Save Couinaud landmarks",
            vec![("Remnant landmarks", &["json"])],
            "landmarks.json",
        ),
        Purpose::SaveSegments => save(
            "Save the Couinaud segments as a label map",
            vec![("NIfTI", &["nii.gz", "nii"])],
            "segments.nii.gz",
        ),
        Purpose::SaveSeeds => save(
            "Save seed strokes",
            vec![("Remnant seeds", &["txt"])],
            "seeds.txt",
        ),
        Purpose::ExportSeg => save(
            "Export the layers as DICOM SEG",
            vec![("DICOM SEG", &["dcm"])],
            "segmentation.dcm",
        ),
        Purpose::ExportSegSr => save(
            "Export the layers as DICOM SEG, with their volumes as an SR (name-sr.dcm)",
            vec![("DICOM SEG", &["dcm"])],
            "segmentation.dcm",
        ),
        Purpose::ImportSeg => open(
            "Import a DICOM SEG as layers",
            vec![("DICOM SEG", &["dcm"]), ("any file", &["*"])],
        ),
        Purpose::OpenExercise => folder("Open an exercise (its folder)"),
        Purpose::ExportExercise => {
            folder("Export as exercise: an empty folder (or an earlier exercise) to write it into")
        }
    }
}

/// Which dialog to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Native,
    InApp,
}

/// `REMNANT_FILE_DIALOG` (inapp / native), else what is known to work here.
pub fn mode() -> Mode {
    match std::env::var("REMNANT_FILE_DIALOG").ok().as_deref() {
        Some("inapp") | Some("in-app") | Some("builtin") => return Mode::InApp,
        Some("native") => return Mode::Native,
        _ => {}
    }
    if cfg!(target_os = "linux")
        && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
        && !on_path("zenity")
    {
        return Mode::InApp;
    }
    Mode::Native
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// A platform dialog that closes this fast without an answer never showed (rfd
/// returns "cancelled" when the portal and zenity are both missing).
const TOO_FAST: Duration = Duration::from_millis(400);

/// The platform dialog's answer.
enum Native {
    Chosen(PathBuf),
    Cancelled,
    Failed(String),
}

/// The dialog in progress: a platform one on its thread, or the in-app chooser.
#[derive(Default)]
pub struct Dialogs {
    native: Option<(Target, Option<PathBuf>, Receiver<Native>)>,
    pub chooser: Option<FileChooser>,
}

impl Dialogs {
    /// Ask for a file or folder for `target`, starting in `start`.
    pub fn ask(
        &mut self,
        target: Target,
        start: Option<PathBuf>,
        recent: &[PathBuf],
        wake: Option<Wake>,
    ) {
        self.chooser = None;
        self.native = None;
        match mode() {
            Mode::InApp => self.open_chooser(target, start, recent, None),
            Mode::Native => {
                self.native = Some((target, start.clone(), ask_native(target, start, wake)))
            }
        }
    }

    fn open_chooser(
        &mut self,
        target: Target,
        start: Option<PathBuf>,
        recent: &[PathBuf],
        why: Option<String>,
    ) {
        let mut folders: Vec<PathBuf> = recent
            .iter()
            .filter_map(|p| {
                if p.is_dir() {
                    Some(p.clone())
                } else {
                    p.parent().map(Path::to_path_buf)
                }
            })
            .collect();
        folders.dedup();
        self.chooser = Some(FileChooser::new(target, spec(target), start, folders, why));
    }

    /// Whether a dialog is open.
    pub fn is_open(&self) -> bool {
        self.native.is_some() || self.chooser.is_some()
    }

    /// Once a frame: the platform dialog's answer, or the in-app chooser.
    pub fn show(&mut self, ui: &mut egui::Ui, recent: &[PathBuf]) -> Vec<AppCommand> {
        let mut out = Vec::new();
        if let Some((target, start, rx)) = &self.native
            && let Ok(answer) = rx.try_recv()
        {
            let (target, start) = (*target, start.clone());
            self.native = None;
            match answer {
                Native::Chosen(p) => out.push(chosen(target, p)),
                Native::Cancelled => {}
                Native::Failed(why) => self.open_chooser(target, start, recent, Some(why)),
            }
        }
        if let Some(c) = &mut self.chooser {
            match c.show(ui) {
                Some(ChooserOutcome::Chosen(p)) => {
                    out.push(chosen(c.target, p));
                    self.chooser = None;
                }
                Some(ChooserOutcome::Cancelled) => self.chooser = None,
                None => {}
            }
        }
        out
    }
}

/// The command a chosen path becomes.
fn chosen(target: Target, path: PathBuf) -> AppCommand {
    match target {
        Target::File(purpose) => AppCommand::FileChosen(purpose, path),
        // a folder opens through the series picker
        Target::DicomFolder => AppCommand::Open(path),
    }
}

fn ask_native(target: Target, start: Option<PathBuf>, wake: Option<Wake>) -> Receiver<Native> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let began = Instant::now();
        let answer = std::panic::catch_unwind(|| run_rfd(&spec(target), start));
        let answer = match answer {
            Ok(Some(p)) => Native::Chosen(p),
            Ok(None) if began.elapsed() < TOO_FAST => Native::Failed(
                "the system file dialog closed without showing (no file-dialog portal or zenity on this desktop?)"
                    .into(),
            ),
            Ok(None) => Native::Cancelled,
            Err(_) => Native::Failed("the system file dialog failed".into()),
        };
        let _ = tx.send(answer);
        if let Some(w) = wake {
            w();
        }
    });
    rx
}

fn run_rfd(spec: &Spec, start: Option<PathBuf>) -> Option<PathBuf> {
    let mut d = rfd::FileDialog::new().set_title(spec.title);
    for (name, endings) in &spec.filters {
        // rfd filters by the last extension: "nii.gz" -> "gz"
        let last: Vec<&str> = endings
            .iter()
            .map(|e| e.rsplit('.').next().unwrap_or(e))
            .collect();
        d = d.add_filter(*name, &last);
    }
    if let Some(dir) = start {
        d = d.set_directory(dir);
    }
    if let Some(name) = spec.save_name {
        d = d.set_file_name(name);
    }
    match spec.kind {
        Kind::Open => d.pick_file(),
        Kind::Save => d.save_file(),
        Kind::Folder => d.pick_folder(),
    }
}
