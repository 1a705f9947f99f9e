//! The sample exercise in the app: open it (its scan loads like any scan), start it
//! once the scan is in (reference loaded but hidden, timer started), score an
//! attempt and log it. The logic is `crate::trainee`'s.

use super::{Outcome, RemnantApp};
use crate::trainee::{AttemptLog, Exercise, SampleExercise};
use crate::ui::command::{AppCommand, Tab};
use std::path::Path;

/// File > Open sample exercise / Open exercise: load the exercise's CT from `dir`;
/// the exercise starts when it is in ([`after_load`]). A folder that is not an
/// exercise, or a missing file, is named in the error.
pub fn open(app: &mut RemnantApp, dir: &Path, follow: &mut Vec<AppCommand>) -> Outcome {
    let files = SampleExercise::open_dir(dir).map_err(|e| e.to_string())?;
    follow.push(AppCommand::Open(files.ct.clone()));
    app.exercise_start = Some(files);
    Ok(None)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A scan finished loading (`ok`; `out` is what installing it said): if it is the
/// exercise's, load the reference (hidden) and start the timer.
pub fn after_load(app: &mut RemnantApp, ok: bool, out: Outcome) -> Outcome {
    let Some(files) = app.exercise_start.take() else {
        return out;
    };
    let is_exercise = ok && app.ws.study.as_ref().is_some_and(|s| s.path == files.ct);
    let Ok(notes) = out else { return out };
    if !is_exercise {
        return Ok(notes);
    }
    let ws = &mut app.ws;
    ws.load_reference(&files.reference)
        .map_err(|e| format!("the exercise's reference could not be loaded: {e}"))?;
    ws.editor.show_disagreement = false;
    ws.editor.settings.layer = files.layer;
    ws.editor.exercise = Some(Exercise::start(
        file_name(&files.ct),
        file_name(&files.reference),
        AttemptLog::in_config_dir(),
    ));
    app.tab = Tab::Tools;
    let msg = match &files.task {
        Some(task) => format!("Exercise started: {task} (Tools tab, Score my tracing)"),
        None => "Sample exercise started: trace the liver, then Score my tracing (Tools tab)"
            .to_string(),
    };
    Ok(Some(match notes {
        Some(n) => format!("{msg} ({n})"),
        None => msg,
    }))
}

/// Score my tracing: score the attempt, show it and append it to the log.
pub fn score(app: &mut RemnantApp) -> Outcome {
    let (Some(study), ed) = (&app.ws.study, &mut app.ws.editor) else {
        return Err("open a scan first".into());
    };
    let attempt = ed.exercise_attempt(study).map_err(|e| e.to_string())?;
    let Some(ex) = ed.exercise.as_mut() else {
        return Err(crate::trainee::ExerciseError::NoExercise.to_string());
    };
    match ex.record(attempt) {
        Ok(path) => Ok(Some(format!(
            "attempt scored and added to {}",
            path.display()
        ))),
        Err(e) => Err(format!(
            "the attempt was scored but NOT saved to the log: {e}"
        )),
    }
}
