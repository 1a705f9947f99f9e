//! What happens to a file the surgeon chose (dialog, drag and drop, tests): open,
//! save or export it, by purpose.

use super::Outcome;
use super::RemnantApp;
use super::loading::loaded;
use crate::study::Study;
use crate::ui::command::{AppCommand, Purpose};
use crate::workspace::Command;
use std::path::PathBuf;

/// Act on a chosen file (dialog, drag and drop, tests).
pub fn chosen(
    app: &mut RemnantApp,
    purpose: Purpose,
    path: PathBuf,
    follow: &mut Vec<AppCommand>,
) -> Outcome {
    let ws = &mut app.ws;
    let done = match purpose {
        Purpose::OpenScan => {
            follow.push(AppCommand::Open(path));
            return Ok(None);
        }
        Purpose::OpenCase => {
            let (scan, msg) = ws.open_case(&path).map_err(|e| e.to_string())?;
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
            return Ok(Some(msg));
        }
        Purpose::SaveCase => {
            // the save updates the case's row in the registry of the config folder
            ws.registry = crate::registry::default_path();
            let save = ws.begin_save(&path);
            app.jobs.spawn_save(save);
            return Ok(None);
        }
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
