//! What happens to a file the surgeon chose (dialog, drag and drop, tests): open,
//! save or export it, by purpose.

use super::Outcome;
use super::RemnantApp;
use super::loading::loaded;
use crate::study::Study;
use crate::ui::command::{AppCommand, Purpose};
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

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
                Some((sp, None)) => app.apply(AppCommand::Open(sp)),
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
            app.jobs.spawn_save(path, last, snap);
            return Ok(None);
        }
        Purpose::ExportPdf => return export_pdf(ws, &path).map(Some),
        Purpose::AddPhoto => {
            let mut r = ws.report.clone();
            r.photos.push(crate::ui::report_panel::photo(&path));
            ws.set_report(r);
            return Ok(None);
        }
        Purpose::AfterPve => {
            let map = Workspace::read_other_label_map(&path).map_err(|e| e.to_string())?;
            // kept with the planning, so a saved case and its PDF carry the growth
            let mut planning = ws.planning.clone();
            planning.post_pve = Some(crate::volumetry::growth::PostPveScan {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                counts: crate::volumetry::Counts::from_bits(&map.bits),
                voxel_mm3: map.geometry.voxel_volume_mm3(),
            });
            app.work.plan.inputs.post_pve = planning.post_pve.clone();
            ws.set_planning(planning);
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
        Purpose::ExportSeg => ws.export_seg(&path),
        Purpose::ImportSeg => ws.import_seg(&path),
    };
    let changed = matches!(
        purpose,
        Purpose::OpenLayers | Purpose::ImportMask(_) | Purpose::ImportSeg
    );
    app.jobs.autosave.now |= changed && done.is_ok();
    done.map(Some).map_err(|e| e.to_string())
}

/// Write the report PDF (key slices, liver figures) to `path`.
pub fn export_pdf(ws: &mut Workspace, path: &Path) -> Result<String, String> {
    ws.fill_liver_figures();
    let images = ws
        .study
        .as_ref()
        .map(|s| crate::case::key_images(s, &ws.rulers))
        .unwrap_or_default();
    let pdf = crate::report::render_pdf(&ws.report, &images).map_err(|e| e.to_string())?;
    crate::fsutil::atomic_write(path, &pdf).map_err(|e| e.to_string())?;
    Ok(format!("report exported to {}", path.display()))
}
