//! The Remnant window: the frame layout (menu, case panel, planes, work panel,
//! status bar) and the one place that applies commands. The open case lives in the
//! UI-free [`Workspace`]; panels read it and return [`AppCommand`]s.

use super::command::{AppCommand, Tab};
use super::dicom_picker::DicomOpen;
use super::jobs::Jobs;
use super::plane_view::PlaneCache;
use super::planes::{self, Pointer};
use super::tools_panel::GrowStatus;
use super::view_state::ViewState;
use super::work_panel::{self, WorkState};
use super::{keys, menu, modals, side_panel, status};
use crate::autosave::Pending;
use crate::task::Wake;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

mod apply;
mod exercise;
mod files;
mod loading;

/// What a command did: a notice to show, or an error for the banner.
type Outcome = Result<Option<String>, String>;

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
    pub(super) pointer: Pointer,
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
    pub(super) close_now: bool,
    /// The exercise whose scan is loading (it starts when the scan is in).
    pub(super) exercise_start: Option<crate::trainee::SampleExercise>,
    /// A case another running Remnant holds, and why: the read-only question is open.
    pub locked_case: Option<(PathBuf, String)>,
}

impl RemnantApp {
    /// `wake` asks the window to repaint (None in tests that step frames themselves).
    pub fn new(wake: Option<Wake>) -> RemnantApp {
        RemnantApp {
            ws: {
                let mut ws = Workspace::new();
                // the Lesion tool's search runs on a worker thread (jobs.rs)
                ws.editor.defer_lesions = true;
                ws
            },
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
            exercise_start: None,
            locked_case: None,
        }
    }

    /// Turn autosave on in `dir`. Work a crashed run left there is offered for
    /// restoring only if it belongs to the scan about to open (`scan`; None: the one
    /// autosaved) and that scan is unchanged; otherwise it is moved aside, named in a
    /// notice, and never restored onto another scan. Each window autosaves into its
    /// own slot of `dir` (see `crate::autosave::claim`).
    pub fn enable_autosave(&mut self, dir: PathBuf, scan: Option<&Path>) {
        let slot = match crate::autosave::claim(&dir) {
            Ok(s) => s,
            Err(e) => {
                self.error = Some(format!("autosave is off: {e}"));
                return;
            }
        };
        let dir = slot.dir.clone();
        self.jobs.autosave.slot = Some(slot);
        match crate::autosave::offer(&dir, scan) {
            crate::autosave::Offer::Nothing => {}
            crate::autosave::Offer::Restore(p) => self.restore_offer = Some(*p),
            crate::autosave::Offer::SetAside(notice) => self.notice = Some(notice),
        }
        self.jobs.autosave.dir = Some(dir);
    }

    /// The questions open: unsaved changes at closing, restoring an autosave, a case
    /// another running Remnant holds.
    fn questions(&self, ui: &egui::Ui) -> Vec<AppCommand> {
        let mut cmds = Vec::new();
        if self.confirm_close {
            cmds.extend(modals::unsaved_changes(ui));
        }
        if let Some(p) = &self.restore_offer {
            cmds.extend(modals::restore(ui, p));
        }
        if let Some((path, why)) = &self.locked_case {
            cmds.extend(modals::locked_case(ui, path, why));
        }
        cmds
    }

    /// The file name of the case open read-only, if it is (the menu bar shows it).
    fn read_only_name(&self) -> Option<String> {
        let c = self.ws.case.as_ref().filter(|c| c.read_only)?;
        Some(c.path.file_name().map_or_else(
            || c.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ))
    }

    /// Carry out a command and the follow-ups it asks for (see [`super::apply`]).
    pub fn apply(&mut self, cmd: AppCommand) {
        let mut queue = std::collections::VecDeque::from([cmd]);
        while let Some(cmd) = queue.pop_front() {
            let mut follow = Vec::new();
            match apply::step(self, cmd, &mut follow) {
                Ok(Some(n)) => self.notice = Some(n),
                Ok(None) => {}
                Err(e) => self.error = Some(e),
            }
            for (k, c) in follow.into_iter().enumerate() {
                queue.insert(k, c);
            }
        }
    }

    /// Block until the running background work finishes and apply it (tests).
    pub fn wait_for_jobs(&mut self) {
        let mut cmds = self.dicom.wait_for_scan();
        cmds.extend(self.jobs.wait());
        for c in cmds {
            self.apply(c);
        }
        // a 3-D meshing job already running is finished too (none is started here)
        if self.view3d.busy()
            && let Some(study) = &self.ws.study
        {
            let pending = super::view3d::pending_cut(&self.ws.editor, study);
            self.view3d.wait_with(study, pending);
        }
    }

    /// Any background job running: a scan being read or listed, a save, a grow, an
    /// autosave or the 3-D surfaces (tests settle on this).
    pub fn jobs_running(&self) -> bool {
        self.jobs.any_running() || self.dicom.scanning() || self.view3d.busy()
    }

    /// The whole window. Called every frame by eframe (and by tests through kittest).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        if self.jobs.wake.is_none() {
            let ctx = ui.ctx().clone();
            self.jobs.wake = Some(std::sync::Arc::new(move || ctx.request_repaint()));
        }
        let wake = self.jobs.wake.clone();
        let mut cmds = self.jobs.poll();
        if !cmds.is_empty() {
            // a finished job's result is applied after this frame is drawn: draw again
            ui.ctx().request_repaint();
        }
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
        // Panels draw no background of their own: the frame is cleared to the panel colour
        // (`clear_color` below), so a software GL driver does not fill the window's pixels
        // twice every frame (llvmpipe spends most of a frame on fill).
        let side = egui::Frame::side_top_panel(ui.style()).fill(egui::Color32::TRANSPARENT);
        let central = egui::Frame::central_panel(ui.style()).fill(egui::Color32::TRANSPARENT);
        let read_only = self.read_only_name();
        egui::Panel::top("menu").frame(side).show(ui, |ui| {
            cmds.extend(menu::show(
                ui,
                has_scan,
                &self.recent,
                self.view.as_mut(),
                read_only,
            ))
        });
        egui::Panel::bottom("status").frame(side).show(ui, |ui| {
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
                .frame(side)
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
                    .frame(side)
                    .default_size(330.0)
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical()
                            .show(ui, |ui| side_panel::show(ui, study, view, &self.histogram));
                    });
            }
        }
        egui::CentralPanel::default().frame(central).show(ui, |ui| {
            let (e, n) = modals::banners(ui, self.error.as_deref(), self.notice.as_deref());
            if e {
                self.error = None;
            }
            if n {
                self.notice = None;
            }
            super::work_area::switcher(ui, &mut self.tab, &mut self.work);
            if !task && self.ws.study.is_some() {
                let guide = self.ws.guide();
                let tab = &mut self.tab;
                cmds.extend(super::guide_strip::show(
                    ui,
                    &guide,
                    tab,
                    &mut self.ws.editor,
                ));
                ui.separator();
            }
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
        super::about::show(ui.ctx());
        if modals::close_requested(ui, self.ws.has_unsaved_changes()) {
            self.confirm_close = true;
        } else if ui.input(|i| i.viewport().close_requested()) {
            self.jobs.autosave.clear();
        }
        cmds.extend(self.questions(ui));
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

impl eframe::App for RemnantApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    /// The panels' colour (they draw no fill of their own, see `ui_root`).
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }
}
