//! Crash safety for traced work: the layers (bit-exact) and the draft report and
//! planning are written to the autosave folder at a bounded interval and after every
//! accepted tool action; after a crash or kill the next start offers to restore them.
//! Folder: `<config dir>/autosave/` (see `recent::config_dir`).

use crate::report::Report;
use crate::segmentation::LabelMap;
use crate::volume::nifti::SpatialFields;
use crate::volumetry::PlanInputs;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Seconds between autosaves while there are changes.
pub const INTERVAL_SECS: u64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub scan: PathBuf,
    /// Seconds since the Unix epoch when it was written.
    pub saved_at: u64,
    pub planning: PlanInputs,
    pub report: serde_json::Value,
    pub case_path: Option<PathBuf>,
}

pub fn dir() -> Option<PathBuf> {
    crate::recent::config_dir().map(|d| d.join("autosave"))
}

fn paths(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join("session.json"), dir.join("layers.nii.gz"))
}

/// Write the layers, then the session file that points at them (both atomic).
pub fn write(
    dir: &Path,
    scan: &Path,
    labels: &LabelMap,
    spatial: Option<&SpatialFields>,
    planning: &PlanInputs,
    report: &Report,
    case_path: Option<&Path>,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (sp, lp) = paths(dir);
    crate::segmentation::io::save_bits(&lp, labels, spatial)?;
    let report_value: serde_json::Value =
        serde_json::from_str(&report.to_json().map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let s = Session {
        scan: std::fs::canonicalize(scan).unwrap_or_else(|_| scan.to_path_buf()),
        saved_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        planning: planning.clone(),
        report: report_value,
        case_path: case_path.map(Path::to_path_buf),
    };
    let text = serde_json::to_vec_pretty(&s).map_err(|e| e.to_string())?;
    crate::fsutil::atomic_write(&sp, &text).map_err(|e| e.to_string())
}

/// A session left by a run that did not end cleanly, if any (and readable).
pub fn pending(dir: &Path) -> Option<(Session, PathBuf)> {
    let (sp, lp) = paths(dir);
    let s: Session = serde_json::from_slice(&std::fs::read(sp).ok()?).ok()?;
    lp.exists().then_some((s, lp))
}

/// The report stored in a session.
pub fn report_of(s: &Session) -> Result<Report, String> {
    let bytes = serde_json::to_vec(&s.report).map_err(|e| e.to_string())?;
    Report::from_json(&bytes).map_err(|e| e.to_string())
}

/// Forget the autosave (after a clean exit or a save).
pub fn clear(dir: &Path) {
    let (sp, lp) = paths(dir);
    let _ = std::fs::remove_file(sp);
    let _ = std::fs::remove_file(lp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segmentation::io::load_label_map;
    use crate::task::Task;

    #[test]
    fn autosave_restores_exact_layers_report_and_planning() {
        let d = tempfile::tempdir().unwrap();
        let (ct, map) = crate::phantom::make();
        let scan = d.path().join("ct.nii.gz");
        crate::volume::nifti::write_volume(&scan, ct.as_slice(), &ct.geometry, None, "t").unwrap();
        let mut report = Report::default();
        report.patient.patient_id = Some("AUTO-1".into());
        let plan = PlanInputs {
            height_cm: Some(170.0),
            ..Default::default()
        };
        let ad = d.path().join("autosave");
        write(&ad, &scan, &map, None, &plan, &report, None).unwrap();
        let (s, lp) = pending(&ad).unwrap();
        assert_eq!(s.planning, plan);
        assert_eq!(report_of(&s).unwrap(), report);
        let back = load_label_map(&lp, &ct.geometry, Task::none()).unwrap();
        assert_eq!(back.bits, map.bits);
        clear(&ad);
        assert!(pending(&ad).is_none());
    }
}
