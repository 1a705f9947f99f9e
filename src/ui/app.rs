//! The Remnant window: menu, case panel, the three planes, status bar. It holds the
//! open study (core state) and turns user actions into core calls.

use super::jobs::Job;
use super::pci_panel::{self, PciState};
use super::plan_panel::{self, AfterScan, PlanState};
use super::plane_view::{self, PlaneCache};
use super::report_panel::{self, ReportState};
use super::side_panel;
use super::tools_panel;
use super::view_state::{Layout, ViewState, plane_index};
use crate::render::{Plane, hu_histogram};
use crate::report::Report;
use crate::segmentation::Layer;
use crate::segmentation::components::{Component, components};
use crate::segmentation::editor::{Editor, PendingKind, Reference, Tool};
use crate::segmentation::tools::Preview;
use crate::study::Study;
use crate::volume::nifti::MaskSelect;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

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
    AddPhoto,
    /// Trainee mode: a reference mask to score against.
    Reference,
    OpenSeeds,
    SaveSeeds,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Tools,
    Plan,
    Pci,
    Report,
}

pub struct RemnantApp {
    pub study: Option<Study>,
    pub view: Option<ViewState>,
    pub caches: [PlaneCache; 3],
    pub histogram: Vec<(f64, u64)>,
    pub load: Option<Job<Loaded>>,
    /// The last error, shown in a banner until dismissed.
    pub error: Option<String>,
    pub notice: Option<String>,
    pub recent: Vec<PathBuf>,
    pub show_help: bool,
    pub tab: Tab,
    pub plan: PlanState,
    /// Tracing tools: tool, settings, undo history, previews (core logic).
    pub editor: Editor,
    /// Grow from seeds running off the UI thread, and the layer it grows.
    grow_job: Option<(Job<Preview>, Layer)>,
    /// Voxel coordinates under the pointer last frame (brush outline).
    last_hover: Option<[f64; 3]>,
    /// The primary button went down on a plane with a tool, and is not released yet.
    tool_pressed: bool,
    tumours: (u64, Vec<Component>),
    /// Layers to load once the scan of an opened case has loaded.
    pending_layers: Option<PathBuf>,
    /// The open work came from an autosave: it is unsaved until saved as a case.
    restored: bool,
    pub report: Report,
    pub pci_state: PciState,
    pub report_state: ReportState,
    pub case_path: Option<PathBuf>,
    /// Fingerprint of what was last saved (None: nothing saved yet).
    saved: Option<String>,
    /// The window asked to close with unsaved changes: ask first.
    pub confirm_close: bool,
    save_job: Option<Job<(PathBuf, crate::fsutil::FileStamp)>>,
    /// What the case file held when this app last opened or saved it: a save over a
    /// case another program changed since is refused.
    case_stamp: Option<(PathBuf, crate::fsutil::FileStamp)>,
    /// Where autosaves go (None: autosave off, e.g. in tests that do not ask for it).
    pub autosave_dir: Option<PathBuf>,
    autosave_job: Option<Job<()>>,
    autosaved: String,
    last_autosave: std::time::Instant,
    /// Set after an accepted tool action: autosave now rather than at the interval.
    pub autosave_now: bool,
    /// A session left by a crash or kill, offered for restoring at start.
    pub restore_offer: Option<(crate::autosave::Session, PathBuf)>,
    /// DICOM folders: folder dialog, scan job, series picker (`dicom_picker`).
    pub dicom: super::dicom_picker::DicomOpen,
    dialog: Option<(Purpose, Receiver<Option<PathBuf>>)>,
    ctx: Option<egui::Context>,
}

/// The sample CT bundled with the source tree.
pub fn bundled_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join("ct.nii.gz")
}

impl RemnantApp {
    pub fn new(ctx: Option<egui::Context>) -> RemnantApp {
        RemnantApp {
            study: None,
            view: None,
            caches: Default::default(),
            histogram: Vec::new(),
            load: None,
            error: None,
            notice: None,
            recent: crate::recent::load(),
            show_help: false,
            tab: Tab::Plan,
            plan: PlanState::default(),
            editor: Editor::new(),
            grow_job: None,
            last_hover: None,
            tool_pressed: false,
            tumours: (u64::MAX, Vec::new()),
            pending_layers: None,
            restored: false,
            report: Report::default(),
            pci_state: PciState::default(),
            report_state: ReportState::default(),
            case_path: None,
            saved: None,
            confirm_close: false,
            save_job: None,
            case_stamp: None,
            autosave_dir: None,
            autosave_job: None,
            autosaved: String::new(),
            last_autosave: std::time::Instant::now(),
            autosave_now: false,
            restore_offer: None,
            dicom: Default::default(),
            dialog: None,
            ctx,
        }
    }

    /// Start loading a scan off the UI thread; the current study stays until it succeeds.
    pub fn open(&mut self, path: PathBuf) {
        if super::dicom_picker::wants_picker(&path) {
            return self.open_dicom_folder(path); // scan, then the series picker
        }
        if let Some(job) = &self.load {
            job.cancel();
        }
        let label = format!("Opening {}", path.display());
        self.load = Some(Job::spawn(label, self.ctx.clone(), move |task| {
            let study = Study::open(&path, task)?;
            let histogram = hu_histogram(study.ct.as_slice(), -1000, 1500, 10);
            Ok(Loaded { study, histogram })
        }));
    }

    /// What a save would write, as text: changes when the report, planning or layers change.
    fn fingerprint(&self) -> String {
        format!(
            "{}|{:?}|{}",
            self.report.to_json().unwrap_or_default(),
            self.plan.inputs,
            self.study.as_ref().map_or(0, |s| s.revision)
        )
    }

    /// True when there is work a save would keep that is not saved yet.
    pub fn has_unsaved_changes(&self) -> bool {
        match &self.saved {
            Some(s) => *s != self.fingerprint(),
            None => {
                self.report != Report::default()
                    || self.study.as_ref().is_some_and(|s| s.revision > 0)
            }
        }
    }

    /// The case's PCI when any region is scored (for the resectability checklist).
    fn pci_total(&self) -> Option<u32> {
        let p = &self.report.pci;
        (p.unscored_count() < crate::pci::REGIONS.len()).then(|| u32::from(p.total()))
    }

    fn fill_liver_figures(&mut self) {
        let tumours = self.tumours().to_vec();
        let pci = self.pci_total();
        if let Some(s) = &mut self.study
            && s.counts().total > 0
        {
            let inputs = self.plan.inputs.clone();
            let d = self
                .plan
                .decision(s.revision, &s.labels.bits, &s.ct.geometry, &tumours, pci);
            self.report.liver.figures = Some(crate::case::liver_figures(d, &inputs));
        }
    }

    /// Save the case (report + planning + layers) to `path` off the UI thread.
    pub fn save_case(&mut self, path: PathBuf) {
        self.fill_liver_figures();
        let fp = self.fingerprint();
        let report = self.report.clone();
        let planning = self.plan.inputs.clone();
        let scan = self.study.as_ref().map(|s| {
            (
                s.path.clone(),
                s.labels.clone(),
                s.header.as_ref().map(|h| h.spatial.clone()),
            )
        });
        self.saved = Some(fp);
        let last = self
            .case_stamp
            .as_ref()
            .filter(|(p, _)| *p == path)
            .map(|(_, st)| st.clone());
        let cut = self.editor.last_cut;
        self.save_job = Some(Job::spawn("Saving case", self.ctx.clone(), move |_task| {
            let cs = scan.as_ref().map(|(p, l, sp)| crate::case::CaseScan {
                path: p,
                labels: l,
                spatial: sp.as_ref(),
            });
            let stamp =
                crate::case::save_checked(&path, last.as_ref(), cs, &planning, cut, &report)?;
            Ok((path, stamp))
        }));
    }

    /// Open a case: report and planning now, then the scan and its layers.
    pub fn open_case(&mut self, path: &Path) {
        match crate::case::open(path) {
            Err(e) => self.error = Some(e),
            Ok(o) => {
                self.report = o.report;
                self.report_state.reset();
                self.plan.inputs = o.case.planning.clone();
                self.plan.height_text = o
                    .case
                    .planning
                    .height_cm
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                self.plan.weight_text = o
                    .case
                    .planning
                    .weight_kg
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                self.case_path = Some(path.to_path_buf());
                self.case_stamp = Some((path.to_path_buf(), o.stamp.clone()));
                self.editor.last_cut = o.case.cut_plane;
                let mut msg = format!("case opened from {}", path.display());
                for w in &o.warnings {
                    msg.push_str("; ");
                    msg.push_str(w);
                }
                self.notice = Some(msg);
                if let Some(sp) = o.scan_path {
                    self.pending_layers = o.layers_path;
                    self.open(sp);
                }
                self.saved = Some(self.fingerprint());
            }
        }
    }

    /// Turn autosave on in `dir` and look there for work left by a crash.
    pub fn enable_autosave(&mut self, dir: PathBuf) {
        self.restore_offer = crate::autosave::pending(&dir);
        self.autosave_dir = Some(dir);
    }

    /// Restore the work a crashed or killed run left in the autosave folder.
    pub fn restore_autosave(&mut self) {
        let Some((session, layers)) = self.restore_offer.take() else {
            return;
        };
        match crate::autosave::report_of(&session) {
            Ok(r) => self.report = r,
            Err(e) => self.error = Some(format!("the autosaved report could not be read: {e}")),
        }
        self.report_state.reset();
        self.plan.inputs = session.planning.clone();
        self.plan.height_text = session
            .planning
            .height_cm
            .map(|v| v.to_string())
            .unwrap_or_default();
        self.plan.weight_text = session
            .planning
            .weight_kg
            .map(|v| v.to_string())
            .unwrap_or_default();
        self.case_path = session.case_path.clone();
        // keep the autosaved layers safe while they are being restored
        let keep = layers.with_file_name("restoring.layers.nii.gz");
        let layers = match std::fs::copy(&layers, &keep) {
            Ok(_) => keep,
            Err(_) => layers,
        };
        self.pending_layers = Some(layers);
        self.restored = true;
        self.open(session.scan.clone());
    }

    /// Write an autosave off the UI thread when there are unsaved changes and either an
    /// action was just accepted or the interval has passed.
    fn autosave_tick(&mut self) {
        let Some(dir) = self.autosave_dir.clone() else {
            return;
        };
        if let Some(job) = &self.autosave_job
            && let Some(r) = job.poll()
        {
            self.autosave_job = None;
            if let Err(e) = r {
                self.notice = Some(format!("autosave failed: {e}"));
            }
        }
        if self.autosave_job.is_some() || self.study.is_none() || self.restore_offer.is_some() {
            return;
        }
        let due = self.autosave_now
            || self.last_autosave.elapsed()
                >= std::time::Duration::from_secs(crate::autosave::INTERVAL_SECS);
        if !due || !self.has_unsaved_changes() {
            return;
        }
        let fp = self.fingerprint();
        if fp == self.autosaved {
            self.autosave_now = false;
            return;
        }
        let Some(s) = &self.study else { return };
        let (scan, labels, spatial) = (s.path.clone(), s.labels.clone(), s.spatial().cloned());
        let (plan, report, case) = (
            self.plan.inputs.clone(),
            self.report.clone(),
            self.case_path.clone(),
        );
        self.autosaved = fp;
        self.autosave_now = false;
        self.last_autosave = std::time::Instant::now();
        self.autosave_job = Some(Job::spawn("Autosave", None, move |_| {
            crate::autosave::write(
                &dir,
                &scan,
                &labels,
                spatial.as_ref(),
                &plan,
                &report,
                case.as_deref(),
            )
        }));
    }

    /// Block until a running autosave finishes (tests).
    pub fn wait_for_autosave(&mut self) {
        if let Some(job) = self.autosave_job.take()
            && let Err(e) = job.wait()
        {
            self.notice = Some(format!("autosave failed: {e}"));
        }
    }

    /// Block until a running save finishes (tests).
    pub fn wait_for_save(&mut self) {
        if let Some(job) = self.save_job.take() {
            let r = job.wait();
            self.finish_save(r);
        }
    }

    fn finish_save(&mut self, r: Result<(PathBuf, crate::fsutil::FileStamp), String>) {
        match r {
            Ok((p, stamp)) => {
                self.case_stamp = Some((p.clone(), stamp));
                if let Some(d) = &self.autosave_dir {
                    crate::autosave::clear(d);
                }
                self.notice = Some(format!("case saved to {}", p.display()));
                self.case_path = Some(p);
            }
            Err(e) => {
                self.saved = None;
                self.error = Some(format!("the case was NOT saved: {e}"));
            }
        }
    }

    /// Block until the running load finishes (tests).
    pub fn wait_for_load(&mut self) {
        if let Some(job) = self.load.take() {
            let r = job.wait();
            self.finish_load(r, false);
        }
    }

    fn finish_load(&mut self, result: Result<Loaded, String>, cancelled: bool) {
        match result {
            Ok(l) => {
                let dims = l.study.ct.dims();
                if let Err(e) = crate::recent::remember(&mut self.recent, &l.study.path) {
                    self.notice = Some(format!("could not remember recent files: {e}"));
                }
                let keep_window = self.view.as_ref().map(|v| v.window);
                let mut view = ViewState::new(dims);
                if let Some(w) = keep_window {
                    view.window = w;
                }
                self.view = Some(view);
                self.study = Some(l.study);
                // DICOM patient fields fill the report header's empty fields; that
                // alone is not unsaved work (it comes back with the images).
                let clean = !self.has_unsaved_changes();
                if self.prefill_patient() && clean {
                    self.saved = Some(self.fingerprint());
                }
                // a case's cutting plane was read before its scan: keep it
                let case_cut = self
                    .editor
                    .last_cut
                    .filter(|_| self.pending_layers.is_some());
                self.editor.reset_for_new_scan();
                self.editor.last_cut = case_cut;
                if let Some((job, _)) = self.grow_job.take() {
                    job.cancel();
                }
                self.histogram = l.histogram;
                self.caches = Default::default();
                self.error = None;
                if let Some(lp) = self.pending_layers.take() {
                    self.file_chosen(Purpose::OpenLayers, lp);
                    self.editor.clear_history();
                    if self.restored {
                        // restored work stays "unsaved" until the surgeon saves a case
                        self.restored = false;
                        self.saved = None;
                        self.autosaved = self.fingerprint();
                    } else {
                        if let Some(s) = &mut self.study {
                            s.revision = 0; // a case's own layers are not an unsaved change
                        }
                        self.saved = Some(self.fingerprint());
                    }
                }
            }
            Err(e) if cancelled => self.notice = Some(format!("loading cancelled ({e})")),
            Err(e) => self.error = Some(e),
        }
    }

    fn poll_grow(&mut self) {
        let Some((job, layer)) = &self.grow_job else {
            return;
        };
        let Some(r) = job.poll() else { return };
        let layer = *layer;
        self.grow_job = None;
        self.finish_grow(r, layer);
    }

    /// Show a finished grow as a preview, or say why there is none.
    fn finish_grow(&mut self, r: Result<Preview, String>, layer: Layer) {
        match (r, &self.study) {
            (Ok(p), Some(study)) => self.editor.set_pending(study, PendingKind::Grow, layer, p),
            (Err(e), _) => self.editor.message = Some(format!("grow from seeds: {e}")),
            _ => {}
        }
    }

    /// Start grow from seeds off the UI thread.
    pub fn start_grow(&mut self) {
        let Some(study) = &self.study else { return };
        match self.editor.grow_request(study) {
            Ok(req) => {
                let layer = self.editor.settings.layer;
                self.editor.message = Some("growing from seeds...".into());
                let job = Job::spawn("Growing from seeds", self.ctx.clone(), move |task| {
                    req.run(task)
                });
                self.grow_job = Some((job, layer));
            }
            Err(e) => self.editor.message = Some(e),
        }
    }

    /// Block until grow from seeds finishes (tests).
    pub fn wait_for_grow(&mut self) {
        if let Some((job, layer)) = self.grow_job.take() {
            let r = job.wait();
            self.finish_grow(r, layer);
        }
    }

    fn poll_jobs(&mut self) {
        self.poll_grow();
        if let Some(job) = &self.save_job
            && let Some(r) = job.poll()
        {
            self.save_job = None;
            self.finish_save(r);
        }
        if let Some(job) = &self.load
            && let Some(r) = job.poll()
        {
            let cancelled = job.is_cancelled();
            self.load = None;
            self.finish_load(r, cancelled);
        }
        if let Some((purpose, rx)) = &self.dialog
            && let Ok(choice) = rx.try_recv()
        {
            let purpose = *purpose;
            self.dialog = None;
            if let Some(p) = choice {
                self.file_chosen(purpose, p);
            }
        }
    }

    /// Ask for a file on a worker thread (the native dialog never blocks the UI).
    fn ask_file(&mut self, purpose: Purpose) {
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = self.ctx.clone();
        let start = self
            .study
            .as_ref()
            .and_then(|s| s.path.parent().map(Path::to_path_buf));
        std::thread::spawn(move || {
            let mut d = rfd::FileDialog::new().add_filter("NIfTI", &["nii", "gz"]);
            if let Some(dir) = start {
                d = d.set_directory(dir);
            }
            let pick = match purpose {
                Purpose::OpenScan => d.set_title("Open a CT scan").pick_file(),
                Purpose::OpenLayers => d
                    .set_title("Open traced layers (Remnant label map)")
                    .pick_file(),
                Purpose::ImportMask(_) => d.set_title("Import a mask as a layer").pick_file(),
                Purpose::AfterPve => d
                    .set_title("Label map traced on the post-PVE scan")
                    .pick_file(),
                Purpose::SaveLabels => d
                    .set_title("Save the label map")
                    .set_file_name("labels.nii.gz")
                    .save_file(),
                Purpose::OpenCase => rfd::FileDialog::new()
                    .add_filter("Remnant case", &["json"])
                    .set_title("Open a case")
                    .pick_file(),
                Purpose::SaveCase => rfd::FileDialog::new()
                    .add_filter("Remnant case", &["json"])
                    .set_title("Save the case")
                    .set_file_name("case.json")
                    .save_file(),
                Purpose::ExportPdf => rfd::FileDialog::new()
                    .add_filter("PDF", &["pdf"])
                    .set_title("Export the report as PDF")
                    .set_file_name("report.pdf")
                    .save_file(),
                Purpose::AddPhoto => rfd::FileDialog::new()
                    .add_filter("Photo", &["jpg", "jpeg", "png"])
                    .set_title("Attach a photo")
                    .pick_file(),
                Purpose::Reference => d
                    .set_title("Reference mask to score the traced layer against")
                    .pick_file(),
                Purpose::OpenSeeds => rfd::FileDialog::new()
                    .add_filter("Remnant seeds", &["txt"])
                    .set_title("Open seed strokes")
                    .pick_file(),
                Purpose::SaveSeeds => rfd::FileDialog::new()
                    .add_filter("Remnant seeds", &["txt"])
                    .set_title("Save seed strokes")
                    .set_file_name("seeds.txt")
                    .save_file(),
            };
            let _ = tx.send(pick);
            if let Some(c) = ctx {
                c.request_repaint();
            }
        });
        self.dialog = Some((purpose, rx));
    }

    /// Act on a chosen file (also the entry point for tests and drag-and-drop).
    pub fn file_chosen(&mut self, purpose: Purpose, path: PathBuf) {
        use crate::segmentation::io;
        use crate::task::Task;
        match purpose {
            Purpose::OpenScan => return self.open(path),
            Purpose::OpenCase => return self.open_case(&path),
            Purpose::SaveCase => return self.save_case(path),
            Purpose::AddPhoto => {
                self.report.photos.push(report_panel::photo(&path));
                return;
            }
            Purpose::ExportPdf => return self.export_pdf(&path),
            _ => {}
        }
        let Some(study) = &mut self.study else {
            self.error = Some("open a scan first".into());
            return;
        };
        let result: Result<String, String> = match purpose {
            Purpose::OpenScan
            | Purpose::OpenCase
            | Purpose::SaveCase
            | Purpose::AddPhoto
            | Purpose::ExportPdf => return,
            Purpose::OpenLayers => {
                io::load_label_map(&path, &study.ct.geometry, Task::none()).map(|m| {
                    let before = std::mem::replace(&mut study.labels, m);
                    self.editor.record_external(study, &before.bits);
                    study.touch();
                    self.autosave_now = true;
                    format!("layers loaded from {}", path.display())
                })
            }
            Purpose::ImportMask(layer) => {
                let before = study.labels.bits.clone();
                io::import_mask(
                    &path,
                    MaskSelect::NonZero,
                    layer,
                    &mut study.labels,
                    Task::none(),
                )
                .map(|n| {
                    self.editor.record_external(study, &before);
                    study.touch();
                    self.autosave_now = true;
                    format!("{n} voxels imported into the {} layer", layer.name())
                })
            }
            Purpose::Reference => {
                io::read_mask_on_grid(&path, MaskSelect::NonZero, &study.ct.geometry, Task::none())
                    .map(|mask| {
                        let name = path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        self.editor.set_reference(Some(Reference { name, mask }));
                        format!("reference mask loaded from {}", path.display())
                    })
            }
            Purpose::OpenSeeds => std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: {e}", path.display()))
                .and_then(|t| crate::segmentation::seeds::Seeds::parse(&t))
                .and_then(|seeds| {
                    seeds.check_on(&crate::segmentation::tools::Grid::of(&study.ct.geometry))?;
                    let n = seeds.strokes.len();
                    self.editor.set_seeds(seeds);
                    Ok(format!("{n} seed strokes loaded from {}", path.display()))
                }),
            Purpose::SaveSeeds => {
                crate::fsutil::atomic_write(&path, self.editor.seeds.to_text().as_bytes())
                    .map_err(|e| e.to_string())
                    .map(|()| format!("seed strokes saved to {}", path.display()))
            }
            Purpose::SaveLabels => {
                io::save_labels(&path, &study.labels, study.spatial()).map(|w| {
                    let mut m = format!("label map saved to {}", path.display());
                    if let Some(w) = w {
                        m.push_str(&format!(" ({w})"));
                    }
                    m
                })
            }
            Purpose::AfterPve => crate::volume::nifti::read_labels(&path, Task::none())
                .map_err(|e| e.to_string())
                .and_then(|(vol, _)| {
                    let g = vol.geometry.clone();
                    let map = crate::segmentation::LabelMap::from_labels(g.clone(), vol.as_slice())
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    self.plan.after = Some(AfterScan {
                        name: path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        counts: crate::volumetry::Counts::from_bits(&map.bits),
                        voxel_mm3: g.voxel_volume_mm3(),
                    });
                    Ok(format!("post-PVE label map loaded from {}", path.display()))
                }),
        };
        match result {
            Ok(m) => self.notice = Some(m),
            Err(e) => self.error = Some(e),
        }
    }

    /// The whole window. Called every frame by eframe (and by tests through kittest).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        if self.ctx.is_none() {
            self.ctx = Some(ui.ctx().clone());
        }
        self.poll_jobs();
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.open(p);
        }
        self.keyboard(ui);
        egui::Panel::top("menu").show(ui, |ui| self.menu(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status(ui));
        egui::Panel::right("work")
            .default_size(400.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| self.work_panel(ui));
            });
        if self.study.is_some() {
            egui::Panel::left("case")
                .default_size(330.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.case_panel(ui));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| self.central(ui));
        if self.show_help {
            self.help_window(ui);
        }
        self.close_guard(ui);
        self.restore_prompt(ui);
        self.dicom_tick(ui);
        self.autosave_tick();
        if self.load.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn menu(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open scan...").clicked() {
                    self.ask_file(Purpose::OpenScan);
                    ui.close();
                }
                if ui.button("Open DICOM folder...").clicked() {
                    let start = self
                        .study
                        .as_ref()
                        .and_then(|s| s.path.parent().map(Path::to_path_buf));
                    self.dicom.ask_folder(self.ctx.clone(), start);
                    ui.close();
                }
                if ui.button("Open bundled sample").clicked() {
                    self.open(bundled_sample());
                    ui.close();
                }
                ui.menu_button("Recent", |ui| {
                    if self.recent.is_empty() {
                        ui.label("(none yet)");
                    }
                    let mut pick = None;
                    for p in &self.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            pick = Some(p.clone());
                        }
                    }
                    if let Some(p) = pick {
                        self.open(p);
                        ui.close();
                    }
                });
                ui.separator();
                if ui.button("Open case...").clicked() {
                    self.ask_file(Purpose::OpenCase);
                    ui.close();
                }
                if ui.button("Save case (Ctrl+S)").clicked() {
                    self.save_or_ask();
                    ui.close();
                }
                if ui.button("Save case as...").clicked() {
                    self.ask_file(Purpose::SaveCase);
                    ui.close();
                }
                if ui.button("Export report PDF...").clicked() {
                    self.ask_file(Purpose::ExportPdf);
                    ui.close();
                }
                ui.separator();
                let has = self.study.is_some();
                if ui
                    .add_enabled(has, egui::Button::new("Open layers..."))
                    .clicked()
                {
                    self.ask_file(Purpose::OpenLayers);
                    ui.close();
                }
                if ui
                    .add_enabled(has, egui::Button::new("Save label map..."))
                    .clicked()
                {
                    self.ask_file(Purpose::SaveLabels);
                    ui.close();
                }
                ui.menu_button("Import mask as layer", |ui| {
                    for layer in Layer::ALL {
                        if ui
                            .add_enabled(has, egui::Button::new(format!("{}...", layer.name())))
                            .clicked()
                        {
                            self.ask_file(Purpose::ImportMask(layer));
                            ui.close();
                        }
                    }
                });
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("View", |ui| {
                if let Some(view) = &mut self.view {
                    ui.radio_value(&mut view.layout, Layout::Three, "Three planes");
                    for p in Plane::ALL {
                        ui.radio_value(
                            &mut view.layout,
                            Layout::Single(p),
                            format!("{} only", p.name()),
                        );
                    }
                    ui.separator();
                    if ui.button("Reset view (Home)").clicked()
                        && let Some(s) = &self.study
                    {
                        view.reset(s.ct.dims());
                    }
                } else {
                    ui.label("Open a scan first");
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Shortcuts").clicked() {
                    self.show_help = true;
                    ui.close();
                }
            });
        });
    }

    /// Write the report PDF (with key slices and the liver figures) to `path`.
    pub fn export_pdf(&mut self, path: &Path) {
        self.fill_liver_figures();
        let images = self
            .study
            .as_ref()
            .map(crate::case::key_images)
            .unwrap_or_default();
        let r = crate::report::render_pdf(&self.report, &images)
            .map_err(|e| e.to_string())
            .and_then(|pdf| crate::fsutil::atomic_write(path, &pdf).map_err(|e| e.to_string()));
        match r {
            Ok(()) => self.notice = Some(format!("report exported to {}", path.display())),
            Err(e) => self.error = Some(e),
        }
    }

    fn save_or_ask(&mut self) {
        match self.case_path.clone() {
            Some(p) => self.save_case(p),
            None => self.ask_file(Purpose::SaveCase),
        }
    }

    fn keyboard(&mut self, ui: &mut egui::Ui) {
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)) {
            self.save_or_ask();
        }
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        self.edit_keys(ui);
        let (Some(view), Some(study)) = (&mut self.view, &self.study) else {
            return;
        };
        let dims = study.ct.dims();
        let axes = crate::render::PlaneAxes::new(&study.ct.geometry, view.active);
        let (up, down, home, f1) = ui.input(|i| {
            let n = |k| i.num_presses(k) as isize;
            (
                n(egui::Key::PageUp) + n(egui::Key::ArrowUp),
                n(egui::Key::PageDown) + n(egui::Key::ArrowDown),
                i.key_pressed(egui::Key::Home),
                i.key_pressed(egui::Key::F1),
            )
        });
        let step = up - down;
        if step != 0 {
            let n = dims[axes.normal] as isize;
            view.cursor[axes.normal] =
                (view.cursor[axes.normal] as isize + step).clamp(0, n - 1) as usize;
        }
        if home {
            view.reset(dims);
        }
        if f1 {
            self.show_help = !self.show_help;
        }
    }

    /// Undo / redo, and Enter / Esc for outlines and previews.
    fn edit_keys(&mut self, ui: &mut egui::Ui) {
        let Some(study) = &mut self.study else { return };
        let shift_cmd = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
        let (redo, undo, enter, esc) = ui.input_mut(|i| {
            let redo = i.consume_key(shift_cmd, egui::Key::Z)
                || i.consume_key(egui::Modifiers::COMMAND, egui::Key::Y);
            let undo = i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z);
            (
                redo,
                undo,
                i.key_pressed(egui::Key::Enter),
                i.key_pressed(egui::Key::Escape),
            )
        });
        let mut changed = false;
        if undo {
            changed |= self.editor.undo(study);
        }
        if redo {
            changed |= self.editor.redo(study);
        }
        if enter {
            if self.editor.outline.is_some() {
                changed |= self.editor.close_outline(study);
            } else if self.editor.pending.is_some() {
                changed |= self.editor.accept(study);
            }
        }
        if esc {
            if self.editor.outline.is_some() {
                self.editor.outline = None;
            } else {
                self.editor.discard();
            }
        }
        self.autosave_now |= changed;
    }

    fn status(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(job) = &self.load {
                ui.label(&job.label);
                ui.add(
                    egui::ProgressBar::new(job.progress())
                        .desired_width(220.0)
                        .show_percentage(),
                );
                if ui.button("Cancel").clicked() {
                    job.cancel();
                }
                ui.separator();
            }
            if let (Some(view), Some(study)) = (&self.view, &self.study) {
                if let Some((v, hu)) = view.hover {
                    let w = study
                        .ct
                        .geometry
                        .to_world([v[0] as f64, v[1] as f64, v[2] as f64]);
                    ui.monospace(format!(
                        "voxel ({}, {}, {})  {hu} HU  RAS ({:.1}, {:.1}, {:.1}) mm",
                        v[0], v[1], v[2], w[0], w[1], w[2]
                    ));
                } else {
                    ui.monospace(format!(
                        "W {:.0} / L {:.0}",
                        view.window.width, view.window.level
                    ));
                }
                let ms: f64 = self
                    .caches
                    .iter()
                    .map(|c| c.last_render_ms)
                    .fold(0.0, f64::max);
                ui.separator();
                ui.small(format!("slice render {ms:.2} ms"));
            }
        });
    }

    fn case_panel(&mut self, ui: &mut egui::Ui) {
        let (Some(study), Some(view)) = (&mut self.study, &mut self.view) else {
            return;
        };
        ui.heading("Case");
        side_panel::case_info(ui, study);
        ui.separator();
        ui.strong("Window / level");
        side_panel::window_level(ui, view);
        ui.separator();
        ui.strong("Layers");
        side_panel::layers(ui, view);
        ui.separator();
        ui.strong("Volumes");
        side_panel::volumes(ui, study);
        ui.separator();
        ui.strong("HU histogram");
        side_panel::histogram(ui, &self.histogram, view.window);
    }

    /// Tumour lesions, recomputed only when the layers change.
    pub fn tumours(&mut self) -> &[Component] {
        if let Some(s) = &self.study
            && self.tumours.0 != s.revision
        {
            self.tumours = (
                s.revision,
                components(&s.labels.bits, Layer::Tumour.bit(), &s.ct.geometry),
            );
        }
        &self.tumours.1
    }

    fn work_panel(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, Tab::Tools, "Tools");
            ui.selectable_value(&mut self.tab, Tab::Plan, "Plan");
            ui.selectable_value(&mut self.tab, Tab::Pci, "PCI");
            ui.selectable_value(&mut self.tab, Tab::Report, "Report");
        });
        ui.separator();
        match self.tab {
            Tab::Tools => self.tools_tab(ui),
            Tab::Plan => {
                let tumours = self.tumours().to_vec();
                let pci = self.pci_total();
                let Some(study) = &self.study else { return };
                let d = self
                    .plan
                    .decision(
                        study.revision,
                        &study.labels.bits,
                        &study.ct.geometry,
                        &tumours,
                        pci,
                    )
                    .clone();
                if plan_panel::show(ui, &mut self.plan, &d, &tumours) {
                    self.ask_file(Purpose::AfterPve);
                }
            }
            Tab::Pci => {
                pci_panel::show(
                    ui,
                    &mut self.pci_state,
                    &mut self.report.pci,
                    &mut self.report.cc_score,
                );
            }
            Tab::Report => {
                let (_, photo) = report_panel::show(ui, &mut self.report_state, &mut self.report);
                if photo {
                    self.ask_file(Purpose::AddPhoto);
                }
            }
        }
    }

    fn tools_tab(&mut self, ui: &mut egui::Ui) {
        let Some(study) = &mut self.study else {
            ui.label("Open a scan to trace on it.");
            return;
        };
        let grow = self
            .grow_job
            .as_ref()
            .map(|(j, _)| tools_panel::GrowStatus {
                progress: j.progress(),
                seconds: j.started.elapsed().as_secs_f64(),
            });
        let act = tools_panel::show(ui, &mut self.editor, study, grow);
        self.autosave_now |= act.accepted;
        if act.start_grow {
            self.start_grow();
        }
        if act.cancel_grow
            && let Some((j, _)) = &self.grow_job
        {
            j.cancel();
        }
        if act.load_reference {
            self.ask_file(Purpose::Reference);
        }
        if act.open_seeds {
            self.ask_file(Purpose::OpenSeeds);
        }
        if act.save_seeds {
            self.ask_file(Purpose::SaveSeeds);
        }
        if self.grow_job.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// Tool graphics for a plane: the outline being traced, the cut line, the brush.
    fn overlay_for(
        &self,
        plane: Plane,
        study: &Study,
        hover: Option<[f64; 3]>,
    ) -> plane_view::Overlay {
        let mut o = plane_view::Overlay::default();
        let axes = crate::render::PlaneAxes::new(&study.ct.geometry, plane);
        let slice = self.view.as_ref().map_or(0, |v| v.cursor[axes.normal]);
        let on_this = |n: usize, s: f64| n == axes.normal && (s - slice as f64).abs() < 0.5;
        if let Some(ol) = &self.editor.outline
            && on_this(ol.axis.n(), ol.slice as f64)
        {
            o.polyline = ol.points.clone();
            if self.editor.tool == Tool::Polygon
                && let (Some(h), Some(last)) = (hover, ol.points.last())
            {
                o.lines.push((*last, h));
            }
        }
        if let Some(c) = &self.editor.cut
            && on_this(c.axis.n(), c.a[c.axis.n()])
        {
            o.lines.push((c.a, c.b));
        }
        if matches!(self.editor.tool, Tool::Brush | Tool::Eraser | Tool::Seeds)
            && self.view.as_ref().is_some_and(|v| v.active == plane)
        {
            o.circle = hover.map(|h| (h, self.editor.settings.radius_mm));
        }
        o
    }

    fn central(&mut self, ui: &mut egui::Ui) {
        if let Some(e) = self.error.clone() {
            ui.horizontal(|ui| {
                ui.colored_label(egui::Color32::from_rgb(240, 90, 80), format!("Error: {e}"));
                if ui.button("Dismiss").clicked() {
                    self.error = None;
                }
            });
        }
        if let Some(n) = self.notice.clone() {
            ui.horizontal(|ui| {
                ui.label(n);
                if ui.button("OK").clicked() {
                    self.notice = None;
                }
            });
        }
        if self.study.is_none() || self.view.is_none() {
            ui.centered_and_justified(|ui| {
                if self.load.is_some() {
                    ui.label("Loading...");
                } else {
                    ui.label("Open a CT scan (File > Open, or drop a .nii / .nii.gz file or a DICOM folder here)");
                }
            });
            return;
        };
        let Some(layout) = self.view.as_ref().map(|v| v.layout) else {
            return;
        };
        let planes: Vec<Plane> = match layout {
            Layout::Three => Plane::ALL.to_vec(),
            Layout::Single(p) => vec![p],
        };
        let hover = self.last_hover;
        let overlays: Vec<plane_view::Overlay> = match &self.study {
            Some(study) => planes
                .iter()
                .map(|&p| self.overlay_for(p, study, hover))
                .collect(),
            None => return,
        };
        let painting = self.editor.tool.uses_pointer();
        let avail = ui.available_size();
        let n = planes.len() as f32;
        let gap = 4.0;
        let w = (avail.x - gap * (n - 1.0)) / n;
        let mut inputs = Vec::new();
        {
            let (Some(study), Some(view)) = (&self.study, &mut self.view) else {
                return;
            };
            let hl = self.editor.highlight(study);
            let mut highlight =
                hl.map(|(data, palette, _)| crate::render::Highlight { data, palette });
            let mut highlight_rev = hl.map_or(0, |(_, _, rev)| rev);
            if highlight.is_none()
                && let Some((ring, rev)) =
                    self.plan
                        .margin_ring(study.revision, &study.labels.bits, &study.ct.geometry)
            {
                highlight = Some(crate::render::margin_ring_highlight(ring));
                highlight_rev = rev;
            }
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = gap;
                for (p, overlay) in planes.iter().zip(&overlays) {
                    ui.allocate_ui(egui::vec2(w, avail.y), |ui| {
                        let cache = &mut self.caches[plane_index(*p)];
                        let extras = plane_view::Extras {
                            highlight: highlight.as_ref(),
                            highlight_rev,
                            painting,
                            overlay,
                        };
                        let input = plane_view::show(ui, *p, study, view, cache, extras);
                        inputs.push((*p, input));
                    });
                }
            });
        }
        let double = ui.input(|i| {
            i.pointer
                .button_double_clicked(egui::PointerButton::Primary)
        });
        self.tool_input(&inputs, double);
    }

    /// Hand what the pointer did on the planes to the active tool.
    fn tool_input(&mut self, inputs: &[(Plane, plane_view::PlaneInput)], double: bool) {
        if let Some(h) = inputs.iter().find_map(|(_, i)| i.hover) {
            self.last_hover = Some(h);
        } else if inputs.iter().all(|(_, i)| i.hover.is_none()) {
            self.last_hover = None;
        }
        let Some(study) = &mut self.study else { return };
        if !self.editor.tool.uses_pointer() {
            return;
        }
        let mut changed = false;
        for (p, input) in inputs {
            let axes = crate::render::PlaneAxes::new(&study.ct.geometry, *p);
            let axis = Editor::axis(axes.normal);
            let at = |v: [usize; 3]| {
                input
                    .hover
                    .unwrap_or([v[0] as f64, v[1] as f64, v[2] as f64])
            };
            match (input.primary, input.clicked) {
                (Some((v, true)), _) => {
                    changed |= self.editor.press(study, axis, v[axes.normal], at(v));
                    self.tool_pressed = true;
                }
                (Some((v, false)), _) if self.tool_pressed => self.editor.drag(study, at(v)),
                // a quick click (press and release within one frame) is a press here
                (None, Some(v)) if !self.tool_pressed => {
                    changed |= self.editor.press(study, axis, v[axes.normal], at(v));
                    self.tool_pressed = true;
                }
                _ => {}
            }
        }
        if self.tool_pressed && inputs.iter().any(|(_, i)| i.released) {
            changed |= self.editor.release(study);
            self.tool_pressed = false;
        }
        if double && self.editor.tool == Tool::Polygon && self.editor.outline.is_some() {
            changed |= self.editor.close_outline(study);
        }
        self.autosave_now |= changed;
    }

    /// Never lose work on close: ask to save when there are unsaved changes.
    fn close_guard(&mut self, ui: &mut egui::Ui) {
        if ui.input(|i| i.viewport().close_requested()) && !self.confirm_close {
            if self.has_unsaved_changes() {
                ui.ctx()
                    .send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.confirm_close = true;
            } else if let Some(d) = &self.autosave_dir {
                // a clean exit: nothing to restore next time
                crate::autosave::clear(d);
            }
        }
        if !self.confirm_close {
            return;
        }
        let modal =
            egui::Modal::new(egui::Id::unique("remnant-unsaved-changes")).show(ui.ctx(), |ui| {
                ui.heading("Unsaved changes");
                ui.label("The traced layers, planning or report have changes that are not saved.");
                let mut choice = None;
                ui.horizontal(|ui| {
                    if ui.button("Save case").clicked() {
                        choice = Some(0);
                    }
                    if ui.button("Discard and close").clicked() {
                        choice = Some(1);
                    }
                    if ui.button("Keep working").clicked() {
                        choice = Some(2);
                    }
                });
                choice
            });
        match modal.inner {
            Some(0) => {
                self.confirm_close = false;
                self.save_or_ask();
            }
            Some(1) => {
                if let Some(d) = &self.autosave_dir {
                    crate::autosave::clear(d);
                }
                self.saved = Some(self.fingerprint());
                self.confirm_close = false;
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(_) => self.confirm_close = false,
            None => {}
        }
    }

    fn restore_prompt(&mut self, ui: &mut egui::Ui) {
        let Some((s, _)) = &self.restore_offer else {
            return;
        };
        let text = format!(
            "Remnant was not closed normally. Unsaved work on {} can be restored.",
            s.scan.display()
        );
        let modal = egui::Modal::new(egui::Id::unique("remnant-restore")).show(ui.ctx(), |ui| {
            ui.heading("Restore unsaved work?");
            ui.label(text);
            let mut choice = None;
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    choice = Some(true);
                }
                if ui.button("Discard it").clicked() {
                    choice = Some(false);
                }
            });
            choice
        });
        match modal.inner {
            Some(true) => self.restore_autosave(),
            Some(false) => {
                self.restore_offer = None;
                if let Some(d) = &self.autosave_dir {
                    crate::autosave::clear(d);
                }
            }
            None => {}
        }
    }

    fn help_window(&mut self, ui: &mut egui::Ui) {
        let mut open = true;
        egui::Window::new("Shortcuts")
            .open(&mut open)
            .show(ui.ctx(), |ui| {
                egui::Grid::new("keys")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (k, what) in SHORTCUTS {
                            ui.monospace(*k);
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
            });
        self.show_help = open;
    }
}

pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Mouse wheel", "next / previous slice"),
    (
        "Page Up / Page Down, Up / Down arrows",
        "next / previous slice in the plane under the pointer",
    ),
    ("Ctrl + wheel", "zoom about the pointer"),
    ("Middle drag, Space + drag", "pan"),
    ("Right drag", "window (left-right) / level (up-down)"),
    (
        "Left click / drag",
        "move the crosshair (other planes follow)",
    ),
    ("Home", "reset zoom, pan and crosshair"),
    ("Ctrl + Z", "undo the last edit of the layers"),
    ("Ctrl + Shift + Z, Ctrl + Y", "redo"),
    ("Enter", "close the polygon being traced / accept a preview"),
    ("Esc", "cancel the outline / discard a preview"),
    ("F1", "this list"),
];

impl eframe::App for RemnantApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }
}
