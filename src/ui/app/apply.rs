//! The one place the app's state changes: each [`AppCommand`] a panel, a key, a
//! dialog or a finished background job sends is carried out here. Actions on the
//! open case (`AppCommand::Case`) go on to `Workspace::apply`, as `remnant session`
//! sends them. A command may ask for follow-up commands (`follow`), applied after it
//! in order; nothing re-enters `RemnantApp::apply`.

use super::loading::loaded;
use super::{Outcome, RemnantApp};
use crate::render::PlaneAxes;
use crate::study::Study;
use crate::ui::command::{AppCommand, CloseChoice, Purpose};
use crate::ui::dicom_picker::wants_picker;
use crate::ui::planes;
use crate::workspace::tracing::PendingKind;

/// Carry out one command; follow-up commands go to `follow`.
pub fn step(app: &mut RemnantApp, cmd: AppCommand, follow: &mut Vec<AppCommand>) -> Outcome {
    use AppCommand as C;
    let wake = app.jobs.wake.clone();
    match cmd {
        C::Open(p) if wants_picker(&p) => {
            app.dicom.open_folder(p, wake);
            Ok(None)
        }
        C::Open(p) => {
            app.jobs
                .spawn_load(format!("Opening {}", p.display()), move |task| {
                    Study::open(&p, task).map(loaded).map_err(|e| e.to_string())
                });
            Ok(None)
        }
        C::LoadSeries(folder, series) => {
            app.jobs
                .spawn_load(format!("Opening {}", series.label()), move |task| {
                    let ct = crate::volume::dicom::load_series(&series, task)
                        .map_err(|e| e.to_string())?;
                    Ok(loaded(Study::from_dicom(folder, ct)))
                });
            Ok(None)
        }
        C::AskFile(purpose) => {
            let start = app.ws.scan_folder();
            let target = crate::ui::dialogs::Target::File(purpose);
            app.dialogs.ask(target, start, &app.recent, wake);
            Ok(None)
        }
        C::AskDicomFolder => {
            let start = app.ws.scan_folder();
            let target = crate::ui::dialogs::Target::DicomFolder;
            app.dialogs.ask(target, start, &app.recent, wake);
            Ok(None)
        }
        C::FileChosen(purpose, path) => super::files::chosen(app, purpose, path, follow),
        C::SaveCase => {
            follow.push(match app.ws.case.as_ref().map(|c| c.path.clone()) {
                Some(p) => C::FileChosen(Purpose::SaveCase, p),
                None => C::AskFile(Purpose::SaveCase),
            });
            Ok(None)
        }
        C::CancelLoad => {
            app.jobs.load.iter().for_each(|j| j.cancel());
            Ok(None)
        }
        C::StartGrow => start_grow(app),
        C::CancelGrow => {
            app.jobs.grow.iter().for_each(|(j, _)| j.cancel());
            Ok(None)
        }
        C::Case(c) => case(app, c),
        C::PlaneInputs(inputs, double) => {
            let cmds = planes::pointer_commands(&app.ws, &mut app.pointer, &inputs, double);
            follow.extend(cmds.into_iter().map(C::Case));
            Ok(None)
        }
        C::ShowRuler(i) => {
            show_ruler(app, i);
            Ok(None)
        }
        C::StepSlice(step) => {
            if let (Some(view), Some(study)) = (&mut app.view, &app.ws.study) {
                let n = PlaneAxes::new(&study.ct.geometry, view.active).normal;
                let max = study.ct.dims()[n] as isize - 1;
                view.cursor[n] = (view.cursor[n] as isize + step).clamp(0, max) as usize;
            }
            Ok(None)
        }
        C::LayoutKey(key) => {
            if let Some(view) = &mut app.view
                && let Some(l) = crate::ui::view_state::Layout::for_key(key, view.active)
            {
                view.layout = l;
            }
            Ok(None)
        }
        C::ResetView => {
            if let (Some(view), Some(study)) = (&mut app.view, &app.ws.study) {
                view.reset(study.ct.dims());
            }
            Ok(None)
        }
        C::ToggleHelp => {
            app.show_help = !app.show_help;
            Ok(None)
        }
        C::OpenExercise(dir) => super::exercise::open(app, &dir, follow),
        C::OpenCaseReadOnly(path) => super::files::answer_locked(app, Some(path), follow),
        C::CancelLockedCase => super::files::answer_locked(app, None, follow),
        C::ScoreExercise => super::exercise::score(app),
        C::RestoreAutosave => match app.restore_offer.take() {
            Some(p) => app
                .ws
                .restore(p)
                .map(|scan| {
                    app.work.load_planning(&app.ws.planning);
                    follow.push(C::Open(scan));
                    None
                })
                .map_err(|e| e.to_string()),
            None => Ok(None),
        },
        C::DiscardAutosave => {
            app.restore_offer = None;
            app.jobs.autosave.clear();
            Ok(None)
        }
        C::Close(choice) => {
            app.confirm_close = false;
            match choice {
                CloseChoice::Save => follow.push(C::SaveCase),
                CloseChoice::Discard => {
                    app.jobs.autosave.clear();
                    app.ws.mark_saved();
                    app.close_now = true;
                }
                CloseChoice::KeepWorking => {}
            }
            Ok(None)
        }
        C::Error(e) => Err(e),
        C::Notice(n) => Ok(Some(n)),
        C::Loaded(r, cancelled) => {
            let ok = r.is_ok();
            let out = super::loading::finish(app, r, cancelled);
            super::exercise::after_load(app, ok, out)
        }
        C::Saved(r) => {
            if r.is_ok() {
                app.jobs.autosave.clear();
                // the registry row of the case changed
                app.work.registry.invalidate();
            }
            app.ws.finish_save(r).map(Some)
        }
        C::Autosaved(r) => r
            .map(|()| None)
            .map_err(|e| format!("autosave failed: {e}")),
        C::RefreshOptions => {
            let key = app.ws.options_key();
            match app.ws.options_request() {
                Ok(req) => app.jobs.spawn_options(req, key),
                Err(e) => {
                    let st = &mut app.work.segments;
                    st.key = Some(key);
                    st.options = Err(e.to_string());
                }
            }
            Ok(None)
        }
        C::OptionsReady(b) => {
            let (key, r) = *b;
            let st = &mut app.work.segments;
            st.key = Some(key);
            st.options = r;
            Ok(None)
        }
        C::LesionFound(r) => {
            match r {
                Ok(b) => {
                    let (req, found) = *b;
                    app.ws.lesion_found(req, found).map_err(|e| e.to_string())?;
                }
                Err(e) => app.ws.editor.message = Some(format!("Lesion: {e}")),
            }
            Ok(None)
        }
        C::Grown(r, layer) => {
            match (r, &app.ws.study) {
                (Ok(p), Some(study)) => {
                    app.ws
                        .editor
                        .set_pending(study, PendingKind::Grow, layer, p)
                }
                (Err(e), _) => app.ws.editor.message = Some(format!("grow from seeds: {e}")),
                _ => {}
            }
            Ok(None)
        }
    }
}

fn start_grow(app: &mut RemnantApp) -> Outcome {
    let Some(study) = &app.ws.study else {
        return Ok(None);
    };
    let req = app
        .ws
        .editor
        .grow_request(study)
        .map_err(|e| e.to_string())?;
    app.ws.editor.message = Some("growing from seeds...".into());
    let layer = app.ws.editor.settings.layer;
    app.jobs
        .spawn_grow(layer, move |task| req.run(task).map_err(|e| e.to_string()));
    Ok(None)
}

/// An action on the open case: `Workspace::apply`, an autosave at once after a layer
/// or ruler change; a file action's outcome is a notice.
fn case(app: &mut RemnantApp, cmd: crate::workspace::Command) -> Outcome {
    if matches!(cmd, crate::workspace::Command::Escape) && app.jobs.cancel_lesion() {
        app.ws.editor.message = Some("Lesion: search cancelled".into());
        return Ok(None);
    }
    let notify = cmd.is_file_action();
    let post_pve = matches!(cmd, crate::workspace::Command::LoadPostPve(_));
    let done = app.ws.apply(cmd).map_err(|e| e.to_string())?;
    // a Lesion click: its search runs on a worker thread
    if let Some((accepted, req)) = app.ws.lesion_request() {
        app.jobs.autosave.now |= accepted.autosave_now();
        if let Ok(req) = req {
            app.jobs.spawn_lesion(req);
        }
    }
    if post_pve {
        // the Plan tab's inputs show the post-PVE scan once it is in
        app.work.plan.inputs.post_pve = app.ws.planning.post_pve.clone();
    }
    app.jobs.autosave.now |= done.autosave_now();
    Ok(done.message.filter(|_| notify))
}

/// Show a ruler: the crosshair to its middle, its plane active.
fn show_ruler(app: &mut RemnantApp, i: usize) {
    if let (Some(r), Some(view), Some(study)) = (app.ws.rulers.get(i), &mut app.view, &app.ws.study)
    {
        let dims = study.ct.dims();
        for k in 0..3 {
            let mid = ((r.a[k] + r.b[k]) / 2.0).round().max(0.0) as usize;
            view.cursor[k] = mid.min(dims[k] - 1);
        }
        view.active = r.plane;
    }
}
