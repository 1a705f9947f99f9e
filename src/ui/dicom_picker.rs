//! Opening a DICOM folder in the app: a native folder dialog on its own thread,
//! the folder scanned off the UI thread (progress bar, Cancel), then the series
//! picker: patient, study date, series, modality, image count, slice thickness
//! and size of every series found, with notes on what loading it does (no UID,
//! enhanced multi-frame, MR intensities, uneven spacing resampled, gaps filled,
//! gantry tilt), and how many files were skipped and why. The
//! chosen series loads like any scan (status bar progress and Cancel). Once it
//! is loaded, the empty patient fields of the report header are filled from the
//! series, and a report already made out to another patient is pointed out.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use super::app::{Loaded, RemnantApp};
use super::jobs::Job;
use crate::render::hu_histogram;
use crate::study::Study;
use crate::volume::dicom::{ScanResult, SeriesSummary, load_series, scan_folder};
use crate::volume::units::histogram_range;

/// Skipped files listed one by one in the picker (the rest are counted).
const MAX_LISTED: usize = 200;

/// The DICOM side of the app: folder dialog, scan job and picker.
#[derive(Default)]
pub struct DicomOpen {
    dialog: Option<Receiver<Option<PathBuf>>>,
    scan: Option<(PathBuf, Job<ScanResult>)>,
    /// The series picker, open once a scan found something.
    pub picker: Option<Picker>,
    /// For repainting when a load started from the picker makes progress.
    ctx: Option<egui::Context>,
    /// The series a reopened case was saved on (its key): loaded without the
    /// picker when the scan finds it.
    pub want_series: Option<String>,
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
    /// Ask for a folder on a worker thread (the native dialog never blocks the UI).
    pub fn ask_folder(&mut self, ctx: Option<egui::Context>, start: Option<PathBuf>) {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut d = rfd::FileDialog::new().set_title("Open a DICOM folder (CT series)");
            if let Some(dir) = start {
                d = d.set_directory(dir);
            }
            let _ = tx.send(d.pick_folder());
            if let Some(c) = ctx {
                c.request_repaint();
            }
        });
        self.dialog = Some(rx);
    }

    /// Whether a folder is being scanned.
    pub fn scanning(&self) -> bool {
        self.scan.is_some()
    }
}

impl RemnantApp {
    /// Scan a DICOM folder (or a DICOMDIR's folder) off the UI thread; the
    /// series picker opens when the scan is done.
    pub fn open_dicom_folder(&mut self, folder: PathBuf) {
        if let Some((_, job)) = &self.dicom.scan {
            job.cancel();
        }
        self.dicom.picker = None;
        let label = format!("Scanning {}", folder.display());
        let dir = folder.clone();
        let job = Job::spawn(label, None, move |task| {
            scan_folder(&dir, task).map_err(|e| e.to_string())
        });
        self.dicom.scan = Some((folder, job));
    }

    /// Block until a running folder scan finishes and show its result (tests).
    pub fn wait_for_scan(&mut self) {
        if let Some((folder, job)) = self.dicom.scan.take() {
            let r = job.wait();
            self.finish_scan(folder, r, false);
        }
    }

    fn finish_scan(&mut self, folder: PathBuf, r: Result<ScanResult, String>, cancelled: bool) {
        match r {
            Ok(scan) if scan.series.is_empty() => {
                self.error = Some(
                    crate::volume::dicom::choose_series(&scan, None, &folder)
                        .err()
                        .map_or_else(|| "no DICOM image series found".into(), |e| e.to_string()),
                );
            }
            Ok(scan) => {
                let wanted = self.dicom.want_series.take();
                let found = wanted
                    .as_deref()
                    .and_then(|k| scan.series.iter().position(|s| s.key == k));
                if wanted.is_some() && found.is_none() {
                    self.notice = Some(format!(
                        "the case's series {} is not in {} any more: choose a series",
                        wanted.unwrap_or_default(),
                        folder.display()
                    ));
                }
                let selected = found.or((scan.series.len() == 1).then_some(0));
                self.dicom.picker = Some(Picker {
                    folder,
                    scan,
                    selected,
                });
                if let Some(i) = found {
                    self.load_picked_series(i);
                }
            }
            Err(e) if cancelled => self.notice = Some(format!("scan cancelled ({e})")),
            Err(e) => self.error = Some(e),
        }
    }

    /// Load series `index` of the open picker off the UI thread.
    pub fn load_picked_series(&mut self, index: usize) {
        let Some(p) = self.dicom.picker.take() else {
            return;
        };
        let Some(series) = p.scan.series.get(index).cloned() else {
            return;
        };
        if let Some(job) = &self.load {
            job.cancel();
        }
        let label = format!("Opening {}", series.label());
        let folder = p.folder;
        self.load = Some(Job::spawn(label, self.dicom.ctx.clone(), move |task| {
            let ct = load_series(&series, task).map_err(|e| e.to_string())?;
            let study = Study::from_dicom(folder, ct);
            let (lo, hi, bin) = histogram_range(&study.units, study.ct.as_slice());
            let histogram = hu_histogram(study.ct.as_slice(), lo, hi, bin);
            Ok(Loaded { study, histogram })
        }));
    }

    /// Fill the empty patient fields of the report header from the open
    /// study's DICOM patient; true if a field was filled. A report already made
    /// out to another patient (ID or name differ) is pointed out in a notice.
    pub fn prefill_patient(&mut self) -> bool {
        let Some(p) = self.study.as_ref().and_then(|s| s.patient.clone()) else {
            return false;
        };
        let r = &mut self.report.patient;
        let differs = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => !a.trim().eq_ignore_ascii_case(b.trim()),
            _ => false,
        };
        if differs(&r.patient_id, &p.id) || differs(&r.name, &p.name) {
            let who = |name: &Option<String>, id: &Option<String>| {
                format!(
                    "{} (ID {})",
                    name.as_deref().unwrap_or("no name"),
                    id.as_deref().unwrap_or("none")
                )
            };
            self.notice = Some(format!(
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
        filled
    }

    /// Once a frame: the folder dialog, the scan, and the picker.
    pub fn dicom_tick(&mut self, ui: &mut egui::Ui) {
        self.dicom.ctx = Some(ui.ctx().clone());
        if let Some(rx) = &self.dicom.dialog
            && let Ok(choice) = rx.try_recv()
        {
            self.dicom.dialog = None;
            if let Some(folder) = choice {
                self.open_dicom_folder(folder);
            }
        }
        if let Some((_, job)) = &self.dicom.scan {
            if let Some(r) = job.poll() {
                let cancelled = job.is_cancelled();
                if let Some((folder, _)) = self.dicom.scan.take() {
                    self.finish_scan(folder, r, cancelled);
                }
            } else {
                scanning_modal(ui, job);
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
        let choice = self.dicom.picker.as_mut().and_then(|p| picker_modal(ui, p));
        match choice {
            Some(Choice::Load(i)) => self.load_picked_series(i),
            Some(Choice::Close) => self.dicom.picker = None,
            None => {}
        }
    }
}

fn scanning_modal(ui: &mut egui::Ui, job: &Job<ScanResult>) {
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
        let mut choice = None;
        ui.heading("Choose a series");
        ui.label(format!(
            "{}: {} image series",
            p.folder.display(),
            p.scan.series.len()
        ));
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .id_salt("dicom-series")
            .show(ui, |ui| {
                egui::Grid::new("dicom-series-grid")
                    .num_columns(8)
                    .striped(true)
                    .show(ui, |ui| {
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
                            ui.end_row();
                        }
                    });
            });
        if !p.scan.skipped.is_empty() {
            ui.separator();
            ui.label(skipped_line(&p.scan));
            egui::CollapsingHeader::new("Skipped files")
                .id_salt("dicom-skipped")
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(160.0)
                        .id_salt("dicom-skipped-list")
                        .show(ui, |ui| {
                            for (path, why) in p.scan.skipped.iter().take(MAX_LISTED) {
                                ui.label(format!("{}: {why}", path.display()));
                            }
                            if p.scan.skipped.len() > MAX_LISTED {
                                ui.label(format!(
                                    "... and {} more",
                                    p.scan.skipped.len() - MAX_LISTED
                                ));
                            }
                        });
                });
        }
        ui.separator();
        ui.horizontal(|ui| {
            let open = ui.add_enabled(p.selected.is_some(), egui::Button::new("Open series"));
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            if let Some(i) = p.selected
                && (open.clicked() || enter)
            {
                choice = Some(Choice::Load(i));
            }
            if ui.button("Cancel").clicked() {
                choice = Some(Choice::Close);
            }
        });
        choice
    });
    if modal.should_close() {
        return Some(Choice::Close);
    }
    modal.inner
}
