//! The app's background work in one set with one poll: loading a scan, saving a
//! case, the autosave and grow from seeds (file dialogs: `dialogs.rs`). Each finished job
//! comes back as an [`AppCommand`] for the app to apply. The jobs themselves are the
//! core's [`Job`] (woken by a callback, nothing egui in them).

use super::command::{AppCommand, Loaded};
use crate::segmentation::Layer;
use crate::segmentation::tools::Preview;
use crate::task::{Job, JobFailed, Task, Wake};
use crate::workspace::OptionsKey;
use crate::workspace::Workspace;
use std::path::PathBuf;
use std::time::{Duration, Instant};

type Res<T> = Result<T, String>;

fn flat<T>(r: Result<Res<T>, JobFailed>) -> Res<T> {
    r.map_err(|e| e.to_string()).and_then(|r| r)
}

#[derive(Default)]
pub struct Jobs {
    pub wake: Option<Wake>,
    pub load: Option<Job<Res<Loaded>>>,
    pub save: Option<Job<Res<crate::workspace::SavedCase>>>,
    pub grow: Option<(Job<Res<Preview>>, Layer)>,
    pub lesion: Option<Job<super::command::LesionResult>>,
    pub options: Option<(Job<Vec<crate::segments::ResectionOption>>, OptionsKey)>,
    pub autosave: Autosave,
}

/// Crash safety: where autosaves go and when the next one is due.
#[derive(Default)]
pub struct Autosave {
    /// None: autosave off (e.g. tests that do not ask for it).
    pub dir: Option<PathBuf>,
    /// The slot of the autosave folder this window holds (`crate::autosave::claim`).
    pub slot: Option<crate::autosave::Slot>,
    job: Option<Job<Res<()>>>,
    /// The workspace revision last written.
    written: Option<u64>,
    last: Option<Instant>,
    /// An action was just accepted: write now rather than at the interval.
    pub now: bool,
}

impl Jobs {
    pub fn spawn_load(
        &mut self,
        label: String,
        work: impl FnOnce(Task) -> Res<Loaded> + Send + 'static,
    ) {
        if let Some(job) = &self.load {
            job.cancel();
        }
        self.load = Some(Job::spawn(label, self.wake.clone(), work));
    }

    /// Write a case save the workspace prepared (`Workspace::begin_save`).
    pub fn spawn_save(&mut self, save: crate::workspace::CaseSave) {
        self.save = Some(Job::spawn("Saving case", self.wake.clone(), move |_| {
            save.run()
        }));
    }

    pub fn spawn_grow(
        &mut self,
        layer: Layer,
        work: impl FnOnce(Task) -> Res<Preview> + Send + 'static,
    ) {
        self.grow = Some((
            Job::spawn("Growing from seeds", self.wake.clone(), work),
            layer,
        ));
    }

    /// Find a lesion (the Lesion tool) off the UI thread; a search still running is
    /// cancelled (its result is dropped).
    pub fn spawn_lesion(&mut self, req: crate::workspace::tracing::LesionRequest) {
        if let Some(job) = &self.lesion {
            job.cancel();
        }
        self.lesion = Some(Job::spawn(
            "Finding the lesion",
            self.wake.clone(),
            move |_| {
                let r = req.run();
                (req, r)
            },
        ));
    }

    /// Compute the resection options off the UI thread (a computation still running
    /// is cancelled: its result is dropped).
    pub fn spawn_options(&mut self, req: crate::workspace::OptionsRequest, key: OptionsKey) {
        if let Some((job, _)) = &self.options {
            job.cancel();
        }
        let job = Job::spawn("Resection options", self.wake.clone(), move |_| req.run());
        self.options = Some((job, key));
    }

    /// Stop the lesion search (Esc): its result is dropped. True when one was running.
    pub fn cancel_lesion(&mut self) -> bool {
        match self.lesion.take() {
            Some(j) => {
                j.cancel();
                true
            }
            None => false,
        }
    }

    /// Finished work, as commands.
    pub fn poll(&mut self) -> Vec<AppCommand> {
        let mut out = Vec::new();
        if let Some(r) = self.load.as_ref().and_then(Job::poll) {
            let cancelled = self.load.take().is_some_and(|j| j.is_cancelled());
            out.push(AppCommand::Loaded(flat(r).map(Box::new), cancelled));
        }
        if let Some(r) = self.save.as_ref().and_then(Job::poll) {
            self.save = None;
            out.push(AppCommand::Saved(flat(r)));
        }
        if let Some(r) = self.grow.as_ref().and_then(|(j, _)| j.poll())
            && let Some((_, layer)) = self.grow.take()
        {
            out.push(AppCommand::Grown(flat(r), layer));
        }
        if let Some(r) = self.autosave.job.as_ref().and_then(Job::poll) {
            self.autosave.job = None;
            out.push(AppCommand::Autosaved(flat(r)));
        }
        if let Some(r) = self.options.as_ref().and_then(|(j, _)| j.poll())
            && let Some((j, key)) = self.options.take()
            && !j.is_cancelled()
        {
            let r = r.map_err(|e| e.to_string());
            out.push(AppCommand::OptionsReady(Box::new((key, r))));
        }
        if let Some(r) = self.lesion.as_ref().and_then(Job::poll) {
            let cancelled = self.lesion.take().is_some_and(|j| j.is_cancelled());
            if !cancelled {
                out.push(AppCommand::LesionFound(
                    r.map(Box::new).map_err(|e| e.to_string()),
                ));
            }
        }
        out
    }

    /// Block until the running jobs finish (tests and headless use).
    pub fn wait(&mut self) -> Vec<AppCommand> {
        let mut out = Vec::new();
        if let Some(j) = self.load.take() {
            out.push(AppCommand::Loaded(flat(j.wait()).map(Box::new), false));
        }
        if let Some(j) = self.save.take() {
            out.push(AppCommand::Saved(flat(j.wait())));
        }
        if let Some((j, layer)) = self.grow.take() {
            out.push(AppCommand::Grown(flat(j.wait()), layer));
        }
        if let Some(j) = self.autosave.job.take() {
            out.push(AppCommand::Autosaved(flat(j.wait())));
        }
        if let Some((j, key)) = self.options.take() {
            let r = j.wait().map_err(|e| e.to_string());
            out.push(AppCommand::OptionsReady(Box::new((key, r))));
        }
        if let Some(j) = self.lesion.take() {
            out.push(AppCommand::LesionFound(
                j.wait().map(Box::new).map_err(|e| e.to_string()),
            ));
        }
        out
    }

    pub fn busy(&self) -> bool {
        self.load.is_some()
            || self.grow.is_some()
            || self.lesion.is_some()
            || self.options.is_some()
    }

    /// Any background job still running (loading, saving, growing, autosaving).
    pub fn any_running(&self) -> bool {
        self.busy() || self.save.is_some() || self.autosave.job.is_some()
    }
}

impl Autosave {
    /// Write an autosave off the UI thread when there are unsaved changes and either
    /// an action was just accepted or the interval has passed.
    pub fn tick(&mut self, ws: &mut Workspace, wake: Option<Wake>) {
        let Some(dir) = self.dir.clone() else { return };
        if self.job.is_some() || ws.study.is_none() || !ws.has_unsaved_changes() {
            return;
        }
        let interval = Duration::from_secs(crate::autosave::INTERVAL_SECS);
        let due = self.now || self.last.is_none_or(|t| t.elapsed() >= interval);
        if !due {
            return;
        }
        if self.written == Some(ws.revision()) {
            self.now = false;
            return;
        }
        let snap = ws.snapshot();
        self.written = Some(snap.revision);
        self.now = false;
        self.last = Some(Instant::now());
        self.job = Some(Job::spawn("Autosave", wake, move |_| {
            crate::autosave::write(&dir, &snap).map_err(|e| e.to_string())
        }));
    }

    /// The work in memory is the autosave's own (just restored): nothing to write yet.
    pub fn written_now(&mut self, revision: u64) {
        self.written = Some(revision);
    }

    pub fn clear(&self) {
        if let Some(d) = &self.dir {
            crate::autosave::clear(d);
        }
    }
}
