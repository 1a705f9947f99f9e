//! Opening a DICOM folder in the app (the folder dialog is `dialogs.rs`): the folder scanned off the UI thread (progress bar, Cancel), then the series
//! picker: patient, study date, series, modality, image count, slice thickness
//! and size of every series found, and how many files were skipped and why. The
//! chosen series loads like any scan (status bar progress and Cancel). Once it
//! is loaded, the empty patient fields of the report header are filled from the
//! series, and a report already made out to another patient is pointed out.

use std::path::{Path, PathBuf};

use super::command::AppCommand;
use crate::task::{Job, Wake};
use crate::volume::dicom::{ScanResult, SeriesSummary, scan_folder};

/// Skipped files listed one by one in the picker (the rest are counted).
const MAX_LISTED: usize = 200;

type Scan = Result<ScanResult, String>;

/// The DICOM side of the app: scan job and picker.
#[derive(Default)]
pub struct DicomOpen {
    scan: Option<(PathBuf, Job<Scan>)>,
    /// The series picker, open once a scan found something.
    pub picker: Option<Picker>,
}

/// What the picker shows and which row is chosen.
pub struct Picker {
    pub folder: PathBuf,
    pub scan: ScanResult,
    pub selected: Option<usize>,
}

enum Choice {
    Load(usize),
    Close,
}

/// Paths the app opens through the picker: folders and DICOMDIR files. (One
/// DICOM image file opens its own series directly through `Study::open`.)
pub fn wants_picker(path: &Path) -> bool {
    path.is_dir()
        || path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.eq_ignore_ascii_case("DICOMDIR"))
}

impl DicomOpen {
    /// Whether a folder is being scanned.
    pub fn scanning(&self) -> bool {
        self.scan.is_some()
    }

    /// Scan a DICOM folder (or a DICOMDIR's folder) off the UI thread; the series
    /// picker opens when the scan is done.
    pub fn open_folder(&mut self, folder: PathBuf, wake: Option<Wake>) {
        if let Some((_, job)) = &self.scan {
            job.cancel();
        }
        self.picker = None;
        let label = format!("Scanning {}", folder.display());
        let dir = folder.clone();
        let job = Job::spawn(label, wake, move |task| {
            scan_folder(&dir, task).map_err(|e| e.to_string())
        });
        self.scan = Some((folder, job));
    }

    /// Block until a running folder scan finishes and show its result (tests).
    pub fn wait_for_scan(&mut self) -> Vec<AppCommand> {
        match self.scan.take() {
            Some((folder, job)) => {
                let r = job.wait().map_err(|e| e.to_string()).and_then(|r| r);
                self.finish_scan(folder, r, false).into_iter().collect()
            }
            None => Vec::new(),
        }
    }

    fn finish_scan(&mut self, folder: PathBuf, r: Scan, cancelled: bool) -> Option<AppCommand> {
        match r {
            Ok(scan) if scan.series.is_empty() => Some(AppCommand::Error(
                crate::volume::dicom::choose_series(&scan, None, &folder)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| "no DICOM image series found".into()),
            )),
            Ok(scan) => {
                let selected = (scan.series.len() == 1).then_some(0);
                self.picker = Some(Picker {
                    folder,
                    scan,
                    selected,
                });
                None
            }
            Err(e) if cancelled => Some(AppCommand::Notice(format!("scan cancelled ({e})"))),
            Err(e) => Some(AppCommand::Error(e)),
        }
    }

    /// Once a frame: the scan and the picker.
    pub fn tick(&mut self, ui: &mut egui::Ui) -> Vec<AppCommand> {
        let mut cmds = Vec::new();
        if let Some((_, job)) = &self.scan {
            if let Some(r) = job.poll() {
                let cancelled = job.is_cancelled();
                let r = r.map_err(|e| e.to_string()).and_then(|r| r);
                if let Some((folder, _)) = self.scan.take() {
                    cmds.extend(self.finish_scan(folder, r, cancelled));
                }
            } else {
                scanning_modal(ui, job);
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
        let choice = self.picker.as_mut().and_then(|p| picker_modal(ui, p));
        match choice {
            Some(Choice::Load(i)) => cmds.extend(self.pick(i)),
            Some(Choice::Close) => self.picker = None,
            None => {}
        }
        cmds
    }

    /// Choose series `index` of the open picker: the app loads it.
    pub fn pick(&mut self, index: usize) -> Option<AppCommand> {
        let p = self.picker.take()?;
        let series = p.scan.series.get(index).cloned()?;
        Some(AppCommand::LoadSeries(p.folder, Box::new(series)))
    }
}

fn scanning_modal(ui: &mut egui::Ui, job: &Job<Scan>) {
    egui::Modal::new(egui::Id::unique("remnant-dicom-scan")).show(ui.ctx(), |ui| {
        ui.label(&job.label);
        ui.add(
            egui::ProgressBar::new(job.progress())
                .desired_width(320.0)
                .show_percentage(),
        );
        if ui.button("Cancel").clicked() {
            job.cancel();
        }
    });
}

fn dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "-".into())
}

/// One line per skip reason, e.g. "3 not a DICOM file".
fn skipped_line(scan: &ScanResult) -> String {
    let n = scan.skipped.len();
    let why: Vec<String> = scan
        .skipped_counts()
        .iter()
        .map(|(what, k)| format!("{k} {what}"))
        .collect();
    format!(
        "{n} file{} skipped: {}",
        if n == 1 { "" } else { "s" },
        why.join(", ")
    )
}

fn series_name(s: &SeriesSummary) -> String {
    let mut t = s
        .series_number
        .map(|n| format!("#{n} "))
        .unwrap_or_default();
    t.push_str(
        s.series_description
            .as_deref()
            .unwrap_or("(no description)"),
    );
    t
}

/// The picker: a table of the series; returns what the surgeon chose.
fn picker_modal(ui: &mut egui::Ui, p: &mut Picker) -> Option<Choice> {
    let modal = egui::Modal::new(egui::Id::unique("remnant-dicom-picker")).show(ui.ctx(), |ui| {
        ui.heading("Choose a series");
        ui.label(format!(
            "{}: {} image series",
            p.folder.display(),
            p.scan.series.len()
        ));
        ui.separator();
        let mut choice = None;
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .id_salt("dicom-series")
            .show(ui, |ui| {
                egui::Grid::new("dicom-series-grid")
                    .num_columns(8)
                    .striped(true)
                    .show(ui, |ui| choice = series_table(ui, p));
            });
        if !p.scan.skipped.is_empty() {
            ui.separator();
            skipped_files(ui, &p.scan);
        }
        ui.separator();
        ui.horizontal(|ui| {
            if let Some(c) = open_or_cancel(ui, p.selected) {
                choice = Some(c);
            }
        });
        choice
    });
    if modal.should_close() {
        return Some(Choice::Close);
    }
    modal.inner
}

/// The series table's header and one row per series; a click selects a series, a
/// double click loads it.
fn series_table(ui: &mut egui::Ui, p: &mut Picker) -> Option<Choice> {
    let mut choice = None;
    for h in [
        "Series",
        "Patient",
        "Study date",
        "Modality",
        "Images",
        "Slice thickness",
        "Size",
        "Notes",
    ] {
        ui.strong(h);
    }
    ui.end_row();
    for (i, s) in p.scan.series.iter().enumerate() {
        let r = ui.selectable_label(p.selected == Some(i), series_name(s));
        if r.clicked() {
            p.selected = Some(i);
        }
        if r.double_clicked() {
            choice = Some(Choice::Load(i));
        }
        series_cells(ui, s);
        ui.end_row();
    }
    choice
}

/// A series row's cells after its name: patient, study date, modality, images,
/// slice thickness, size and notes.
fn series_cells(ui: &mut egui::Ui, s: &SeriesSummary) {
    let who = match (&s.patient_name, &s.patient_id) {
        (Some(n), Some(id)) => format!("{n} ({id})"),
        (n, id) => dash(n.clone().or(id.clone())),
    };
    ui.label(who);
    ui.label(dash(s.study_date.clone()));
    ui.label(dash(s.modality.clone()));
    ui.label(s.image_count.to_string());
    ui.label(dash(s.slice_thickness_mm.map(|t| format!("{t} mm"))));
    let mixed = if s.mixed_sizes { " (mixed)" } else { "" };
    ui.label(format!("{} x {}{mixed}", s.columns, s.rows));
    // no UID, multi-frame, MR units, resampling, gaps, tilt
    if s.notes.is_empty() {
        ui.label("-");
    } else {
        ui.label(s.notes.join("\n"));
    }
}

/// How many files were skipped, and the list (at most `MAX_LISTED`) folded.
fn skipped_files(ui: &mut egui::Ui, scan: &ScanResult) {
    ui.label(skipped_line(scan));
    egui::CollapsingHeader::new("Skipped files")
        .id_salt("dicom-skipped")
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(160.0)
                .id_salt("dicom-skipped-list")
                .show(ui, |ui| {
                    for (path, why) in scan.skipped.iter().take(MAX_LISTED) {
                        ui.label(format!("{}: {why}", path.display()));
                    }
                    if scan.skipped.len() > MAX_LISTED {
                        ui.label(format!("... and {} more", scan.skipped.len() - MAX_LISTED));
                    }
                });
        });
}

/// Open series (or Enter) loads the selected series; Cancel closes.
fn open_or_cancel(ui: &mut egui::Ui, selected: Option<usize>) -> Option<Choice> {
    let mut choice = None;
    let open = ui.add_enabled(selected.is_some(), egui::Button::new("Open series"));
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    if let Some(i) = selected
        && (open.clicked() || enter)
    {
        choice = Some(Choice::Load(i));
    }
    if ui.button("Cancel").clicked() {
        choice = Some(Choice::Close);
    }
    choice
}
