//! The one place the app's state changes: each [`AppCommand`] a panel, a key, a
//! dialog or a finished background job sends is carried out here. A command may ask
//! for follow-up commands (`follow`), applied after it in order; nothing re-enters.

use super::loading::loaded;
use super::{Outcome, RemnantApp};
use crate::render::PlaneAxes;
use crate::study::Study;
use crate::ui::command::{AppCommand, CloseChoice, Purpose, TraceAction};
use crate::ui::dicom_picker::wants_picker;
use crate::ui::planes;
use crate::workspace::tracing::PendingKind;
use crate::workspace::{CaseFile, Workspace};

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
            match app.ws.case.as_ref().map(|c| c.path.clone()) {
                Some(p) => app.apply(C::FileChosen(Purpose::SaveCase, p)),
                None => app.apply(C::AskFile(Purpose::SaveCase)),
            }
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
        C::SetReport(r) => {
            app.ws.set_report(*r);
            Ok(None)
        }
        C::SetPlanning(p) => {
            app.ws.set_planning(p);
            Ok(None)
        }
        C::PlaneInputs(inputs, double) => {
            app.jobs.autosave.now |=
                planes::apply_pointer(&mut app.ws, &mut app.pointer, &inputs, double);
            Ok(None)
        }
        C::Trace(action) => {
            app.jobs.autosave.now |= trace(&mut app.ws, action);
            Ok(None)
        }
        C::Undo | C::Redo | C::Confirm | C::Escape => {
            app.jobs.autosave.now |= edit_key(&mut app.ws, &cmd);
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
                CloseChoice::Save => app.apply(C::SaveCase),
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
        C::Saved(Ok((path, stamp))) => {
            app.jobs.autosave.clear();
            app.ws.case = Some(CaseFile {
                path: path.clone(),
                stamp,
            });
            Ok(Some(format!("case saved to {}", path.display())))
        }
        C::Saved(Err(e)) => {
            app.ws.mark_unsaved();
            Err(format!("the case was NOT saved: {e}"))
        }
        C::Autosaved(r) => r
            .map(|()| None)
            .map_err(|e| format!("autosave failed: {e}")),
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

/// An action of the Tools tab; true when the layers changed (autosave now).
fn trace(ws: &mut Workspace, action: TraceAction) -> bool {
    let (Some(study), ed) = (&mut ws.study, &mut ws.editor) else {
        return false;
    };
    match action {
        TraceAction::Accept => ed.accept(study),
        TraceAction::Discard => {
            ed.discard();
            false
        }
        TraceAction::FlipCut => {
            ed.flip_cut(study);
            false
        }
        TraceAction::FillBetween(axis) => {
            if let Err(e) = ed.fill_between(study, axis) {
                ed.message = Some(e.to_string());
            }
            false
        }
        TraceAction::Region(op) => ed.region(study, op),
        TraceAction::ClearSeeds => {
            ed.clear_seeds();
            false
        }
        TraceAction::RemoveReference => {
            ed.set_reference(None);
            false
        }
    }
}
