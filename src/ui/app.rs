//! The Remnant window: the frame layout (menu, case panel, planes, work panel,
//! status bar) and the one place that applies commands. The open case lives in the
//! UI-free [`Workspace`]; panels read it and return [`AppCommand`]s.

use super::command::{AppCommand, CloseChoice, Loaded, Purpose, Tab};
use super::dicom_picker::{DicomOpen, wants_picker};
use super::jobs::Jobs;
use super::plane_view::PlaneCache;
use super::planes::{self, Pointer};
use super::tools_panel::GrowStatus;
use super::view_state::ViewState;
use super::work_panel::{self, WorkState};
use super::{keys, menu, modals, side_panel, status};
use crate::autosave::Pending;
use crate::render::{PlaneAxes, hu_histogram};
use crate::segmentation::editor::PendingKind;
use crate::study::Study;
use crate::task::Wake;
use crate::workspace::{CaseFile, Workspace};
use std::path::{Path, PathBuf};

pub struct RemnantApp {
    /// The open case (core state).
    pub ws: Workspace,
    pub view: Option<ViewState>,
    pub caches: [PlaneCache; 3],
    /// The 3-D view: camera, surfaces, meshing job.
    pub view3d: super::view3d::View3d,
    pub histogram: Vec<(f64, u64)>,
    pub jobs: Jobs,
    pub dicom: DicomOpen,
    /// Every file and folder dialog (platform or in-app chooser).
    pub dialogs: super::dialogs::Dialogs,
    pub work: WorkState,
    pub tab: Tab,
    pointer: Pointer,
    /// The last error, shown in a banner until dismissed; and the last notice.
    pub error: Option<String>,
    pub notice: Option<String>,
    pub recent: Vec<PathBuf>,
    pub show_help: bool,
    /// The window asked to close with unsaved changes: ask first.
    pub confirm_close: bool,
    /// Work a crashed or killed run left for this scan, offered for restoring.
    pub restore_offer: Option<Pending>,
    /// The surgeon chose to close without saving.
    close_now: bool,
}

/// The sample CT bundled with the source tree.
pub fn bundled_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join("ct.nii.gz")
}

impl RemnantApp {
    /// `wake` asks the window to repaint (None in tests that step frames themselves).
    pub fn new(wake: Option<Wake>) -> RemnantApp {
        RemnantApp {
            ws: Workspace::new(),
            view: None,
            caches: Default::default(),
            view3d: Default::default(),
            histogram: Vec::new(),
            jobs: Jobs {
                wake,
                ..Default::default()
            },
            dicom: DicomOpen::default(),
            dialogs: Default::default(),
            work: WorkState::default(),
            tab: Tab::Plan,
            pointer: Pointer::default(),
            error: None,
            notice: None,
            recent: crate::recent::load(),
            show_help: false,
            confirm_close: false,
            restore_offer: None,
            close_now: false,
        }
    }

    /// Turn autosave on in `dir`. Work a crashed run left there is offered for
    /// restoring only if it belongs to the scan about to open (`scan`; None: the one
    /// autosaved) and that scan is unchanged; otherwise it is moved aside, named in a
    /// notice, and never restored onto another scan.
    pub fn enable_autosave(&mut self, dir: PathBuf, scan: Option<&Path>) {
        if let Some(p) = crate::autosave::pending(&dir) {
            let fits = match scan {
                Some(s) => p.belongs_to(s),
                None => p.scan_unchanged(),
            };
            match fits {
                Ok(()) => self.restore_offer = Some(p),
                Err(why) => {
                    self.notice = Some(match crate::autosave::set_aside(&p) {
                        Ok(kept) => format!(
                            "Unsaved work from a run that did not end normally was not restored ({why}); it is kept in {}",
                            kept.display()
                        ),
                        Err(e) => format!(
                            "Unsaved work from a run that did not end normally was not restored ({why}); moving it aside failed: {e}"
                        ),
                    })
                }
            }
        }
        self.jobs.autosave.dir = Some(dir);
    }

    /// Carry out one command: the only place the app's state changes.
    pub fn apply(&mut self, cmd: AppCommand) {
        use AppCommand as C;
        let wake = self.jobs.wake.clone();
        let result: Result<Option<String>, String> = match cmd {
            C::Open(p) if wants_picker(&p) => {
                self.dicom.open_folder(p, wake);
                Ok(None)
            }
            C::Open(p) => {
                self.jobs
                    .spawn_load(format!("Opening {}", p.display()), move |task| {
                        Study::open(&p, task).map(loaded).map_err(|e| e.to_string())
                    });
                Ok(None)
            }
            C::LoadSeries(folder, series) => {
                self.jobs
                    .spawn_load(format!("Opening {}", series.label()), move |task| {
                        let ct = crate::volume::dicom::load_series(&series, task)
                            .map_err(|e| e.to_string())?;
                        Ok(loaded(Study::from_dicom(folder, ct)))
                    });
                Ok(None)
            }
            C::AskFile(purpose) => {
                let start = self.ws.scan_folder();
                let target = super::dialogs::Target::File(purpose);
                self.dialogs.ask(target, start, &self.recent, wake);
                Ok(None)
            }
            C::AskDicomFolder => {
                let start = self.ws.scan_folder();
                let target = super::dialogs::Target::DicomFolder;
                self.dialogs.ask(target, start, &self.recent, wake);
                Ok(None)
            }
            C::FileChosen(purpose, path) => self.file_chosen(purpose, path),
            C::SaveCase => {
                match self.ws.case.as_ref().map(|c| c.path.clone()) {
                    Some(p) => self.apply(C::FileChosen(Purpose::SaveCase, p)),
                    None => self.apply(C::AskFile(Purpose::SaveCase)),
                }
                Ok(None)
            }
            C::CancelLoad => {
                self.jobs.load.iter().for_each(|j| j.cancel());
                Ok(None)
            }
            C::StartGrow => self.start_grow(),
            C::CancelGrow => {
                self.jobs.grow.iter().for_each(|(j, _)| j.cancel());
                Ok(None)
            }
            C::SetReport(r) => {
                self.ws.set_report(*r);
                Ok(None)
            }
            C::SetPlanning(p) => {
                self.ws.set_planning(p);
                Ok(None)
            }
            C::Accepted => {
                self.jobs.autosave.now = true;
                Ok(None)
            }
            C::PlaneInputs(inputs, double) => {
                self.jobs.autosave.now |=
                    planes::apply_pointer(&mut self.ws, &mut self.pointer, &inputs, double);
                Ok(None)
            }
            C::Undo | C::Redo | C::Confirm | C::Escape => {
                self.jobs.autosave.now |= edit_key(&mut self.ws, &cmd);
                Ok(None)
            }
            C::StepSlice(step) => {
                if let (Some(view), Some(study)) = (&mut self.view, &self.ws.study) {
                    let n = PlaneAxes::new(&study.ct.geometry, view.active).normal;
                    let max = study.ct.dims()[n] as isize - 1;
                    view.cursor[n] = (view.cursor[n] as isize + step).clamp(0, max) as usize;
                }
                Ok(None)
            }
            C::LayoutKey(key) => {
                if let Some(view) = &mut self.view
                    && let Some(l) = super::view_state::Layout::for_key(key, view.active)
                {
                    view.layout = l;
                }
                Ok(None)
            }
            C::ResetView => {
                if let (Some(view), Some(study)) = (&mut self.view, &self.ws.study) {
                    view.reset(study.ct.dims());
                }
                Ok(None)
            }
            C::ToggleHelp => {
                self.show_help = !self.show_help;
                Ok(None)
            }
            C::RestoreAutosave => match self.restore_offer.take() {
                Some(p) => self
                    .ws
                    .restore(p)
                    .map(|scan| {
                        self.work.load_planning(&self.ws.planning);
                        self.apply(C::Open(scan));
                        None
                    })
                    .map_err(|e| e.to_string()),
                None => Ok(None),
            },
            C::DiscardAutosave => {
                self.restore_offer = None;
                self.jobs.autosave.clear();
                Ok(None)
            }
            C::Close(choice) => {
                self.confirm_close = false;
                match choice {
                    CloseChoice::Save => self.apply(C::SaveCase),
                    CloseChoice::Discard => {
                        self.jobs.autosave.clear();
                        self.ws.mark_saved();
                        self.close_now = true;
                    }
                    CloseChoice::KeepWorking => {}
                }
                Ok(None)
            }
            C::Error(e) => Err(e),
            C::Notice(n) => Ok(Some(n)),
            C::Loaded(r, cancelled) => self.finish_load(r, cancelled),
            C::Saved(Ok((path, stamp))) => {
                self.jobs.autosave.clear();
                self.ws.case = Some(CaseFile {
                    path: path.clone(),
                    stamp,
                });
                Ok(Some(format!("case saved to {}", path.display())))
            }
            C::Saved(Err(e)) => {
                self.ws.mark_unsaved();
                Err(format!("the case was NOT saved: {e}"))
            }
            C::Autosaved(r) => r
                .map(|()| None)
                .map_err(|e| format!("autosave failed: {e}")),
            C::Grown(r, layer) => {
                match (r, &self.ws.study) {
                    (Ok(p), Some(study)) => {
                        self.ws
                            .editor
                            .set_pending(study, PendingKind::Grow, layer, p)
                    }
                    (Err(e), _) => self.ws.editor.message = Some(format!("grow from seeds: {e}")),
                    _ => {}
                }
                Ok(None)
            }
        };
        match result {
            Ok(Some(n)) => self.notice = Some(n),
            Ok(None) => {}
            Err(e) => self.error = Some(e),
        }
    }

    /// Act on a chosen file (dialog, drag and drop, tests).
    fn file_chosen(&mut self, purpose: Purpose, path: PathBuf) -> Result<Option<String>, String> {
        let ws = &mut self.ws;
        let done = match purpose {
            Purpose::OpenScan => {
                self.apply(AppCommand::Open(path));
                return Ok(None);
            }
            Purpose::OpenCase => {
                let (scan, msg) = ws.open_case(&path).map_err(|e| e.to_string())?;
                self.work.load_planning(&self.ws.planning);
                self.work.report.reset();
                match scan {
                    // a case on one series of a folder reopens that series
                    Some((sp, Some(key))) => self.jobs.spawn_load(
                        format!("Opening series {key} of {}", sp.display()),
                        move |task| Study::open_series(&sp, Some(&key), task).map(loaded),
                    ),
                    Some((sp, None)) => self.apply(AppCommand::Open(sp)),
                    None => {}
                }
                return Ok(Some(msg));
            }
            Purpose::SaveCase => {
                let last = ws
                    .case
                    .as_ref()
                    .filter(|c| c.path == path)
                    .map(|c| c.stamp.clone());
                ws.fill_liver_figures();
                let snap = ws.snapshot();
                ws.mark_saved();
                self.jobs.spawn_save(path, last, snap);
                return Ok(None);
            }
            Purpose::ExportPdf => return export_pdf(ws, &path).map(Some),
            Purpose::AddPhoto => {
                let mut r = ws.report.clone();
                r.photos.push(super::report_panel::photo(&path));
                ws.set_report(r);
                return Ok(None);
            }
            Purpose::AfterPve => {
                let map = Workspace::read_other_label_map(&path).map_err(|e| e.to_string())?;
                self.work.plan.after = Some(super::plan_panel::AfterScan {
                    name: path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    counts: crate::volumetry::Counts::from_bits(&map.bits),
                    voxel_mm3: map.geometry.voxel_volume_mm3(),
                });
                return Ok(Some(format!(
                    "post-PVE label map loaded from {}",
                    path.display()
                )));
            }
            Purpose::OpenLayers => ws.open_layers(&path),
            Purpose::ImportMask(layer) => ws.import_mask(&path, layer),
            Purpose::Reference => ws.load_reference(&path),
            Purpose::OpenSeeds => ws.open_seeds(&path),
            Purpose::SaveSeeds => ws.save_seeds(&path),
            Purpose::SaveLabels => ws.save_labels(&path),
        };
        let changed = matches!(purpose, Purpose::OpenLayers | Purpose::ImportMask(_));
        self.jobs.autosave.now |= changed && done.is_ok();
        done.map(Some).map_err(|e| e.to_string())
    }

    fn finish_load(
        &mut self,
        r: Result<Box<Loaded>, String>,
        cancelled: bool,
    ) -> Result<Option<String>, String> {
        let l = match r {
            Ok(l) => l,
            Err(e) if cancelled => return Ok(Some(format!("loading cancelled ({e})"))),
            Err(e) => return Err(e),
        };
        if let Err(e) = crate::recent::remember(&mut self.recent, &l.study.path) {
            self.notice = Some(format!("could not remember recent files: {e}"));
        }
        let mut view = ViewState::new(l.study.ct.dims());
        view.window = self.view.as_ref().map_or(view.window, |v| v.window);
        self.view = Some(view);
        self.histogram = l.histogram;
        self.caches = Default::default();
        self.error = None;
        if let Some((job, _)) = self.jobs.grow.take() {
            job.cancel();
        }
        let restoring = self.ws.is_restoring();
        let notes = self.ws.install(l.study);
        if restoring {
            // the work in memory is the autosave's own: nothing to write yet
            self.jobs.autosave.written_now(self.ws.revision());
        }
        Ok((!notes.is_empty()).then(|| notes.join("; ")))
    }

    fn start_grow(&mut self) -> Result<Option<String>, String> {
        let Some(study) = &self.ws.study else {
            return Ok(None);
        };
        let req = self.ws.editor.grow_request(study)?;
        self.ws.editor.message = Some("growing from seeds...".into());
        let layer = self.ws.editor.settings.layer;
        self.jobs.spawn_grow(layer, move |task| req.run(task));
        Ok(None)
    }

    /// Block until the running background work finishes and apply it (tests).
    pub fn wait_for_jobs(&mut self) {
        let mut cmds = self.dicom.wait_for_scan();
        cmds.extend(self.jobs.wait());
        for c in cmds {
            self.apply(c);
        }
    }

    /// The whole window. Called every frame by eframe (and by tests through kittest).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        if self.jobs.wake.is_none() {
            let ctx = ui.ctx().clone();
            self.jobs.wake = Some(std::sync::Arc::new(move || ctx.request_repaint()));
        }
        let wake = self.jobs.wake.clone();
        let mut cmds = self.jobs.poll();
        let dropped = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .next()
        });
        cmds.extend(dropped.map(AppCommand::Open));
        cmds.extend(keys::read(ui));
        let has_scan = self.ws.study.is_some();
        egui::Panel::top("menu").show(ui, |ui| {
            cmds.extend(menu::show(ui, has_scan, &self.recent, self.view.as_mut()))
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            cmds.extend(status::show(
                ui,
                &self.jobs,
                self.view.as_ref(),
                self.ws.study.as_ref(),
                &self.caches,
            ))
        });
        let grow = self.jobs.grow.as_ref().map(|(j, _)| GrowStatus {
            progress: j.progress(),
            seconds: j.started.elapsed().as_secs_f64(),
        });
        // the PCI and Report tabs take the central area (work_area.rs)
        let task = super::work_area::is_task(self.tab);
        if !task {
            egui::Panel::right("work")
                .default_size(400.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        cmds.extend(work_panel::show(
                            ui,
                            &mut self.tab,
                            &mut self.work,
                            &mut self.ws,
                            grow,
                        ))
                    });
                });
            if let (Some(study), Some(view)) = (&mut self.ws.study, &mut self.view) {
                egui::Panel::left("case")
                    .default_size(330.0)
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical()
                            .show(ui, |ui| side_panel::show(ui, study, view, &self.histogram));
                    });
            }
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let (e, n) = modals::banners(ui, self.error.as_deref(), self.notice.as_deref());
            if e {
                self.error = None;
            }
            if n {
                self.notice = None;
            }
            super::work_area::switcher(ui, &mut self.tab, &mut self.work);
            if task {
                cmds.extend(super::work_area::show(
                    ui,
                    self.tab,
                    &mut self.work,
                    &self.ws,
                ));
                return;
            }
            match &mut self.view {
                Some(view) if self.ws.study.is_some() => cmds.extend(planes::show(
                    ui,
                    &mut self.ws,
                    view,
                    &mut self.caches,
                    &mut self.view3d,
                    self.pointer.hover,
                    &mut self.work.plan,
                )),
                _ => status::empty(ui, self.jobs.load.is_some()),
            }
        });
        if self.show_help {
            cmds.extend(modals::help(ui));
        }
        if modals::close_requested(ui, self.ws.has_unsaved_changes()) {
            self.confirm_close = true;
        } else if ui.input(|i| i.viewport().close_requested()) {
            self.jobs.autosave.clear();
        }
        if self.confirm_close {
            cmds.extend(modals::unsaved_changes(ui));
        }
        if let Some(p) = &self.restore_offer {
            cmds.extend(modals::restore(ui, p));
        }
        cmds.extend(self.dicom.tick(ui));
        cmds.extend(self.dialogs.show(ui, &self.recent));
        for c in cmds {
            self.apply(c);
        }
        self.jobs.autosave.tick(&mut self.ws, wake);
        if std::mem::take(&mut self.close_now) {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if self.jobs.busy() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}

fn loaded(study: Study) -> Loaded {
    let (lo, hi, bin) = crate::volume::units::histogram_range(&study.units, study.ct.as_slice());
    let histogram = hu_histogram(study.ct.as_slice(), lo, hi, bin);
    Loaded { study, histogram }
}

/// Undo / redo, and Enter / Esc for outlines and previews; true when layers changed.
fn edit_key(ws: &mut Workspace, cmd: &AppCommand) -> bool {
    let (Some(study), ed) = (&mut ws.study, &mut ws.editor) else {
        return false;
    };
    match cmd {
        AppCommand::Undo => ed.undo(study),
        AppCommand::Redo => ed.redo(study),
        AppCommand::Confirm if ed.outline.is_some() => ed.close_outline(study),
        AppCommand::Confirm => ed.pending.is_some() && ed.accept(study),
        AppCommand::Escape if ed.outline.is_some() => {
            ed.outline = None;
            false
        }
        AppCommand::Escape => {
            ed.discard();
            false
        }
        _ => false,
    }
}

/// Write the report PDF (key slices, liver figures) to `path`.
fn export_pdf(ws: &mut Workspace, path: &Path) -> Result<String, String> {
    ws.fill_liver_figures();
    let images = ws
        .study
        .as_ref()
        .map(crate::case::key_images)
        .unwrap_or_default();
    let pdf = crate::report::render_pdf(&ws.report, &images).map_err(|e| e.to_string())?;
    crate::fsutil::atomic_write(path, &pdf).map_err(|e| e.to_string())?;
    Ok(format!("report exported to {}", path.display()))
}

impl eframe::App for RemnantApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }
}
