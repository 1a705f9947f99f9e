//! A scan finished loading: install it in the workspace and reset the views.

use super::Outcome;
use super::RemnantApp;
use crate::render::hu_histogram;
use crate::study::Study;
use crate::ui::command::Loaded;
use crate::ui::view_state::ViewState;

pub fn finish(app: &mut RemnantApp, r: Result<Box<Loaded>, String>, cancelled: bool) -> Outcome {
    let l = match r {
        Ok(l) => l,
        Err(e) if cancelled => return Ok(Some(format!("loading cancelled ({e})"))),
        Err(e) => return Err(e),
    };
    if let Err(e) = crate::recent::remember(&mut app.recent, &l.study.path) {
        app.notice = Some(format!("could not remember recent files: {e}"));
    }
    let mut view = ViewState::new(l.study.ct.dims());
    view.window = app.view.as_ref().map_or(view.window, |v| v.window);
    app.view = Some(view);
    app.histogram = l.histogram;
    app.caches = Default::default();
    app.error = None;
    if let Some((job, _)) = app.jobs.grow.take() {
        job.cancel();
    }
    let restoring = app.ws.is_restoring();
    let notes = app.ws.install(l.study);
    if restoring {
        // the work in memory is the autosave's own: nothing to write yet
        app.jobs.autosave.written_now(app.ws.revision());
    }
    Ok((!notes.is_empty()).then(|| notes.join("; ")))
}

pub fn loaded(study: Study) -> Loaded {
    let (lo, hi, bin) = crate::volume::units::histogram_range(&study.units, study.ct.as_slice());
    let histogram = hu_histogram(study.ct.as_slice(), lo, hi, bin);
    Loaded { study, histogram }
}
