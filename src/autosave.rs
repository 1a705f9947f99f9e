//! Crash safety for traced work: the layers (bit-exact) and the draft report and
//! planning are written to the autosave folder at a bounded interval and after every
//! accepted tool action; after a crash or kill the next start offers to restore them.
//! Folder: `<config dir>/autosave/` (see `recent::config_dir`).
//!
//! Each running process autosaves into its own slot ([`claim`]): the folder itself, or
//! `slot-2/`, `slot-3/`... inside it when another running Remnant holds it, each
//! guarded by a lock file (`lock`, see `case_lock`). So two windows never overwrite
//! each other's autosave; a slot a killed process left is taken over, its work offered.

use crate::report::Report;
use crate::segmentation::plane_cut::CutPlane;
use crate::snapshot::Snapshot;
use crate::volumetry::PlanInputs;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Seconds between autosaves while there are changes.
pub const INTERVAL_SECS: u64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub scan: PathBuf,
    /// The scan file's size and modification time (seconds since the Unix epoch) when
    /// the autosave was written: the work is restored only onto that same file.
    #[serde(default)]
    pub scan_stamp: Option<ScanStamp>,
    /// Seconds since the Unix epoch when it was written.
    pub saved_at: u64,
    pub planning: PlanInputs,
    /// The accepted cutting plane.
    #[serde(default)]
    pub cut_plane: Option<CutPlane>,
    /// The rulers placed on the planes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rulers: Vec<crate::measure::Ruler>,
    /// The Couinaud landmarks placed.
    #[serde(default, skip_serializing_if = "crate::segments::Landmarks::is_empty")]
    pub landmarks: crate::segments::Landmarks,
    pub report: serde_json::Value,
    pub case_path: Option<PathBuf>,
}

/// Identity of a scan on disk: size and modification time (a folder: its total size
/// and newest modification, one level deep).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanStamp {
    pub bytes: u64,
    pub modified: u64,
}

impl ScanStamp {
    pub fn of(path: &Path) -> Option<ScanStamp> {
        let secs = |m: &std::fs::Metadata| {
            m.modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs())
        };
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_dir() {
            return Some(ScanStamp {
                bytes: meta.len(),
                modified: secs(&meta),
            });
        }
        let mut st = ScanStamp {
            bytes: 0,
            modified: secs(&meta),
        };
        for e in std::fs::read_dir(path).ok()?.flatten() {
            if let Ok(m) = e.metadata() {
                st.bytes += m.len();
                st.modified = st.modified.max(secs(&m));
            }
        }
        Some(st)
    }
}

/// Why an autosave could not be written, read or restored.
#[derive(Debug, thiserror::Error)]
pub enum AutosaveError {
    #[error("{}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Layers(#[from] crate::segmentation::io::IoError),
    #[error(transparent)]
    Write(#[from] crate::fsutil::AtomicWriteError),
    #[error("the report: {0}")]
    Report(String),
    #[error("the autosave has no scan to restore onto")]
    NoScan,
    #[error("the autosave in {} is of {}, not of {}", dir.display(), saved.display(), this.display())]
    OtherScan {
        dir: PathBuf,
        saved: PathBuf,
        this: PathBuf,
    },
    #[error("the autosaved scan {} is not there any more", .0.display())]
    ScanMissing(PathBuf),
    #[error(
        "the scan {} changed since the autosave was written (size or date differ): the layers are not restored onto it",
        .0.display()
    )]
    ScanChanged(PathBuf),
}

/// Work a run that did not end cleanly left in the autosave folder.
#[derive(Debug, Clone)]
pub struct Pending {
    pub dir: PathBuf,
    pub session: Session,
    pub layers: PathBuf,
}

impl Pending {
    /// The autosave belongs to `scan` (same file, unchanged since): the one check the
    /// app and the headless session both make before restoring.
    pub fn belongs_to(&self, scan: &Path) -> Result<(), AutosaveError> {
        let this = std::fs::canonicalize(scan).unwrap_or_else(|_| scan.to_path_buf());
        if self.session.scan != this {
            return Err(AutosaveError::OtherScan {
                dir: self.dir.clone(),
                saved: self.session.scan.clone(),
                this,
            });
        }
        self.scan_unchanged()
    }

    /// The autosaved scan is still there and unchanged.
    pub fn scan_unchanged(&self) -> Result<(), AutosaveError> {
        let scan = &self.session.scan;
        let now = ScanStamp::of(scan).ok_or_else(|| AutosaveError::ScanMissing(scan.clone()))?;
        match self.session.scan_stamp {
            Some(then) if then != now => Err(AutosaveError::ScanChanged(scan.clone())),
            _ => Ok(()),
        }
    }
}

/// The lock file of an autosave slot.
pub const LOCK_FILE: &str = "lock";

/// An autosave folder this process holds (released when dropped).
#[derive(Debug)]
pub struct Slot {
    pub dir: PathBuf,
    _lock: crate::case_lock::Lock,
}

/// Take an autosave slot under `root`: a free slot holding work a killed process left
/// (so it is offered), else the first free slot, else a new `slot-N`. Slots other
/// running processes hold are never touched.
pub fn claim(root: &Path) -> Result<Slot, AutosaveError> {
    let folder = |path: &Path| {
        let path = path.to_path_buf();
        move |source| AutosaveError::Folder { path, source }
    };
    crate::fsutil::create_private_dir_all(root).map_err(folder(root))?;
    let mut numbers: Vec<u32> = std::fs::read_dir(root)
        .map_err(folder(root))?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_prefix("slot-")?.parse().ok())
        .collect();
    numbers.sort_unstable();
    let slot_dir = |n: u32| root.join(format!("slot-{n}"));
    let candidates =
        std::iter::once(root.to_path_buf()).chain(numbers.iter().map(|&n| slot_dir(n)));
    let mut first_free = None;
    for dir in candidates {
        let Ok(lock) = crate::case_lock::Lock::acquire(&dir, &dir.join(LOCK_FILE)) else {
            continue;
        };
        let slot = Slot { dir, _lock: lock };
        if pending(&slot.dir).is_some() {
            return Ok(slot);
        }
        first_free.get_or_insert(slot);
    }
    if let Some(s) = first_free {
        return Ok(s);
    }
    let dir = slot_dir(numbers.last().map_or(2, |n| n + 1));
    crate::fsutil::create_private_dir_all(&dir).map_err(folder(&dir))?;
    let lock = crate::case_lock::Lock::acquire(&dir, &dir.join(LOCK_FILE)).map_err(|e| {
        AutosaveError::Folder {
            path: dir.clone(),
            source: std::io::Error::other(e.to_string()),
        }
    })?;
    Ok(Slot { dir, _lock: lock })
}

pub fn dir() -> Option<PathBuf> {
    crate::recent::config_dir().map(|d| d.join("autosave"))
}

fn paths(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join("session.json"), dir.join("layers.nii.gz"))
}

/// Write the layers, then the session file that points at them (both atomic).
pub fn write(dir: &Path, snap: &Snapshot) -> Result<(), AutosaveError> {
    let scan = snap.scan.as_ref().ok_or(AutosaveError::NoScan)?;
    crate::fsutil::create_private_dir_all(dir).map_err(|source| AutosaveError::Folder {
        path: dir.to_path_buf(),
        source,
    })?;
    let (sp, lp) = paths(dir);
    crate::segmentation::io::save_bits(&lp, &scan.labels, scan.spatial.as_ref())?;
    let report_value: serde_json::Value = snap
        .report
        .to_json()
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        .map_err(AutosaveError::Report)?;
    let s = Session {
        scan: std::fs::canonicalize(&scan.path).unwrap_or_else(|_| scan.path.clone()),
        scan_stamp: ScanStamp::of(&scan.path),
        saved_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        planning: snap.planning.clone(),
        cut_plane: snap.cut,
        rulers: snap.rulers.clone(),
        landmarks: snap.landmarks,
        report: report_value,
        case_path: snap.case_path.clone(),
    };
    let text = serde_json::to_vec_pretty(&s).map_err(|e| AutosaveError::Report(e.to_string()))?;
    Ok(crate::fsutil::atomic_write(&sp, &text)?)
}

/// The work a run that did not end cleanly left, if any (and readable).
pub fn pending(dir: &Path) -> Option<Pending> {
    let (sp, lp) = paths(dir);
    let s: Session = serde_json::from_slice(&std::fs::read(sp).ok()?).ok()?;
    lp.exists().then(|| Pending {
        dir: dir.to_path_buf(),
        session: s,
        layers: lp,
    })
}

/// The report stored in a session.
pub fn report_of(s: &Session) -> Result<Report, AutosaveError> {
    let bytes = serde_json::to_vec(&s.report).map_err(|e| AutosaveError::Report(e.to_string()))?;
    Report::from_json(&bytes).map_err(|e| AutosaveError::Report(e.to_string()))
}

/// Move an autosave that is not restored now out of the way (into `kept-TIME/` in
/// the same folder), so that this run's autosaves do not overwrite it. Returns where.
pub fn set_aside(p: &Pending) -> Result<PathBuf, AutosaveError> {
    let dest = p.dir.join(format!("kept-{}", p.session.saved_at));
    let io = |source| AutosaveError::Folder {
        path: dest.clone(),
        source,
    };
    crate::fsutil::create_private_dir_all(&dest).map_err(io)?;
    let (sp, lp) = paths(&p.dir);
    std::fs::rename(&lp, dest.join("layers.nii.gz")).map_err(io)?;
    std::fs::rename(&sp, dest.join("session.json")).map_err(io)?;
    Ok(dest)
}

/// What becomes of the work a crashed or killed run left in an autosave folder.
// one value per scan opened: its size does not matter (clippy's large_enum_variant)
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Offer {
    /// No work waiting.
    Nothing,
    /// It belongs to the scan about to open: offer to restore it.
    Restore(Box<Pending>),
    /// It belongs to another scan, or its scan changed: it was moved aside and never
    /// restored onto this scan; the notice says why and where it is.
    SetAside(String),
}

/// The restore policy, the same for every front end: work waiting in `dir` is offered
/// only if it belongs to `scan` (None: the scan it was autosaved on) and that scan is
/// unchanged; otherwise it is moved aside (see [`set_aside`]).
pub fn offer(dir: &Path, scan: Option<&Path>) -> Offer {
    let Some(p) = pending(dir) else {
        return Offer::Nothing;
    };
    let fits = match scan {
        Some(s) => p.belongs_to(s),
        None => p.scan_unchanged(),
    };
    match fits {
        Ok(()) => Offer::Restore(Box::new(p)),
        Err(why) => Offer::SetAside(match set_aside(&p) {
            Ok(kept) => format!(
                "Unsaved work from a run that did not end normally was not restored ({why}); it is kept in {}",
                kept.display()
            ),
            Err(e) => format!(
                "Unsaved work from a run that did not end normally was not restored ({why}); moving it aside failed: {e}"
            ),
        }),
    }
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
        let cut = CutPlane {
            point: [1.0, 2.0, 3.0],
            normal: [0.0, 0.6, 0.8],
            remove_positive: false,
        };
        let ruler = crate::measure::Ruler {
            plane: crate::render::Plane::Coronal,
            a: [3.5, 7.0, 2.25],
            b: [10.0, 7.0, 6.0],
        };
        let snap = Snapshot {
            scan: Some(crate::snapshot::ScanSnapshot {
                path: scan.clone(),
                labels: map.clone(),
                spatial: None,
                series: None,
            }),
            planning: plan.clone(),
            cut: Some(cut),
            rulers: vec![ruler],
            landmarks: crate::segments::phantom::phantom_landmarks(),
            report: report.clone(),
            case_path: None,
            revision: 1,
        };
        write(&ad, &snap).unwrap();
        let p = pending(&ad).unwrap();
        assert_eq!(p.session.planning, plan);
        assert_eq!(p.session.cut_plane, Some(cut));
        assert_eq!(p.session.rulers, vec![ruler]);
        assert_eq!(
            p.session.landmarks,
            crate::segments::phantom::phantom_landmarks(),
            "the autosave keeps the landmarks"
        );
        assert_eq!(report_of(&p.session).unwrap(), report);
        p.belongs_to(&scan).unwrap();
        // another file, or the same file changed, is refused
        let other = d.path().join("other.nii.gz");
        std::fs::copy(&scan, &other).unwrap();
        assert!(matches!(
            p.belongs_to(&other),
            Err(AutosaveError::OtherScan { .. })
        ));
        std::fs::write(&scan, b"changed").unwrap();
        assert!(matches!(
            p.belongs_to(&scan),
            Err(AutosaveError::ScanChanged(_))
        ));
        let back = load_label_map(&p.layers, &ct.geometry, Task::none()).unwrap();
        assert_eq!(back.bits, map.bits);
        clear(&ad);
        assert!(pending(&ad).is_none());
    }

    fn snap_on(scan: &Path) -> Snapshot {
        let (_, map) = crate::phantom::make();
        Snapshot {
            scan: Some(crate::snapshot::ScanSnapshot {
                path: scan.to_path_buf(),
                labels: map,
                spatial: None,
                series: None,
            }),
            planning: PlanInputs::default(),
            cut: None,
            rulers: Vec::new(),
            landmarks: Default::default(),
            report: Report::default(),
            case_path: None,
            revision: 1,
        }
    }

    /// Two holders of one autosave folder get two slots; a slot whose holder is gone
    /// (with work in it) is the one the next process takes; files are the user's only.
    #[test]
    fn each_process_autosaves_into_its_own_slot() {
        let d = tempfile::tempdir().unwrap();
        let (ct, _) = crate::phantom::make();
        let scan = d.path().join("ct.nii.gz");
        crate::volume::nifti::write_volume(&scan, ct.as_slice(), &ct.geometry, None, "t").unwrap();
        let root = d.path().join("config").join("autosave");
        let a = claim(&root).unwrap();
        let b = claim(&root).unwrap();
        assert_eq!(a.dir, root);
        assert_eq!(b.dir, root.join("slot-2"));
        let mut sa = snap_on(&scan);
        sa.report.patient.patient_id = Some("A".into());
        let mut sb = snap_on(&scan);
        sb.report.patient.patient_id = Some("B".into());
        write(&a.dir, &sa).unwrap();
        write(&b.dir, &sb).unwrap();
        let id = |dir: &Path| {
            report_of(&pending(dir).unwrap().session)
                .unwrap()
                .patient
                .patient_id
        };
        assert_eq!(
            id(&a.dir),
            Some("A".into()),
            "b did not clobber a's autosave"
        );
        assert_eq!(id(&b.dir), Some("B".into()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&a.dir.join("session.json")), 0o600);
            assert_eq!(mode(&a.dir.join("layers.nii.gz")), 0o600);
            assert_eq!(mode(&b.dir.join("session.json")), 0o600);
            assert_eq!(mode(&root), 0o700);
            assert_eq!(mode(&b.dir), 0o700);
        }
        // b's process ends without clearing (a crash): the next claim takes its slot
        // (work waiting) although the root is free too once a is gone
        drop(b);
        let c = claim(&root).unwrap();
        assert_eq!(c.dir, root.join("slot-2"));
        assert_eq!(id(&c.dir), Some("B".into()));
        drop(a);
        let e = claim(&root).unwrap();
        assert_eq!(e.dir, root, "a's work is offered to the next process");
    }
}
