//! What happens to a file the surgeon chose (dialog, drag and drop, tests): open,
//! save or export it, by purpose.

use super::Outcome;
use super::RemnantApp;
use super::loading::loaded;
use crate::case_lock::LockError;
use crate::study::Study;
use crate::ui::command::{AppCommand, Purpose};
use crate::workspace::{Command, WorkspaceError};
use std::path::PathBuf;

/// Act on a chosen file (dialog, drag and drop, tests).
pub fn chosen(
    app: &mut RemnantApp,
    purpose: Purpose,
    path: PathBuf,
    follow: &mut Vec<AppCommand>,
) -> Outcome {
    let done = match purpose {
        Purpose::OpenScan => {
            follow.push(AppCommand::Open(path));
            return Ok(None);
        }
        Purpose::OpenCase => return open_case(app, path, false, follow),
        Purpose::SaveCase => {
            // the save updates the case's row in the registry of the config folder
            app.ws.registry = crate::registry::default_path();
            let save = app
                .ws
                .begin_save(&path)
                .map_err(|e| format!("the case was NOT saved: {e}"))?;
            app.jobs.spawn_save(save);
            return Ok(None);
        }
        Purpose::OpenExercise => {
            follow.push(AppCommand::OpenExercise(path));
            return Ok(None);
        }
        Purpose::ExportExercise => Command::ExportExercise {
            dir: path,
            layer: crate::segmentation::Layer::Liver,
        },
        Purpose::ExportPdf => Command::ExportPdf(path),
        Purpose::ExportPdfDicom => Command::ExportPdfDicom(path),
        Purpose::AddPhoto => Command::AddPhoto(path),
        Purpose::AfterPve => Command::LoadPostPve(path),
        Purpose::OpenLayers => Command::OpenLayers(path),
        Purpose::ImportMask(layer) => Command::ImportMask(path, layer),
        Purpose::Reference => Command::LoadReference(path),
        Purpose::OpenSeeds => Command::OpenSeeds(path),
        Purpose::OpenLandmarks => Command::LoadLandmarks(path),
        Purpose::SaveLandmarks => Command::SaveLandmarks(path),
        Purpose::SaveSegments => Command::SaveSegments(path),
        Purpose::SaveSeeds => Command::SaveSeeds(path),
        Purpose::SaveLabels => Command::SaveLabels(path),
        Purpose::ExportSeg => Command::ExportSeg(path),
        Purpose::ExportSegSr => Command::ExportSegSr(path),
        Purpose::ImportSeg => Command::ImportSeg(path),
    };
    follow.insert(0, AppCommand::Case(done));
    Ok(None)
}

/// Open a case (`read_only`: without its lock). A case another running Remnant holds
/// is not opened: the question whether to open it read-only is asked instead.
pub fn open_case(
    app: &mut RemnantApp,
    path: PathBuf,
    read_only: bool,
    follow: &mut Vec<AppCommand>,
) -> Outcome {
    let (scan, msg) = match app.ws.open_case_as(&path, read_only) {
        Ok(x) => x,
        Err(e @ WorkspaceError::Locked(LockError::Held { .. })) => {
            app.locked_case = Some((path, e.to_string()));
            return Ok(None);
        }
        Err(e) => return Err(e.to_string()),
    };
    app.work.load_planning(&app.ws.planning);
    app.work.report.reset();
    match scan {
        // a case on one series of a folder reopens that series
        Some((sp, Some(key))) => app.jobs.spawn_load(
            format!("Opening series {key} of {}", sp.display()),
            move |task| {
                Study::open_series(&sp, Some(&key), task)
                    .map(loaded)
                    .map_err(|e| e.to_string())
            },
        ),
        Some((sp, None)) => follow.push(AppCommand::Open(sp)),
        None => {}
    }
    Ok(Some(msg))
}

/// The answer to "this case is open in another Remnant": open it read-only (`Some`),
/// or not at all.
pub fn answer_locked(
    app: &mut RemnantApp,
    read_only: Option<PathBuf>,
    follow: &mut Vec<AppCommand>,
) -> Outcome {
    app.locked_case = None;
    match read_only {
        Some(path) => open_case(app, path, true, follow),
        None => Ok(None),
    }
}
