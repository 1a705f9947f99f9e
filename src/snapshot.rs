//! What is saved of the open case: one type for case files, the autosave and the
//! headless session, so that none of them can leave a part out.

use crate::measure::Ruler;
use crate::report::Report;
use crate::segmentation::LabelMap;
use crate::segmentation::plane_cut::CutPlane;
use crate::study::Study;
use crate::volume::nifti::SpatialFields;
use crate::volumetry::PlanInputs;
use std::path::PathBuf;

/// The scan a case refers to and its traced layers (a copy, so that a save can run
/// off the UI thread while tracing goes on).
#[derive(Debug, Clone)]
pub struct ScanSnapshot {
    pub path: PathBuf,
    pub labels: LabelMap,
    /// The CT's stored qform/sform (NIfTI), written into the layers file.
    pub spatial: Option<SpatialFields>,
    /// The DICOM series key (UID or `no-uid-...`), when the scan is a series in a folder.
    pub series: Option<String>,
}

impl ScanSnapshot {
    pub fn of(s: &Study) -> ScanSnapshot {
        ScanSnapshot {
            path: s.path.clone(),
            labels: s.labels.clone(),
            spatial: s.spatial().cloned(),
            series: s.series.as_ref().map(|x| x.key.clone()),
        }
    }
}

/// Everything a save keeps.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub scan: Option<ScanSnapshot>,
    pub planning: PlanInputs,
    /// The accepted cutting plane (virtual resection).
    pub cut: Option<CutPlane>,
    /// The rulers placed on the planes (voxel coordinates of the scan).
    pub rulers: Vec<Ruler>,
    /// The Couinaud landmarks placed (patient RAS mm).
    pub landmarks: crate::segments::Landmarks,
    pub report: Report,
    /// The case file the work belongs to, if any.
    pub case_path: Option<PathBuf>,
    /// The workspace revision this snapshot was taken at.
    pub revision: u64,
}

impl Snapshot {
    /// A snapshot of loose parts (tests, tools): the scan at `path` with `labels`.
    pub fn of_parts(
        scan: Option<(&std::path::Path, &LabelMap)>,
        planning: &PlanInputs,
        cut: Option<CutPlane>,
        report: &Report,
    ) -> Snapshot {
        Snapshot {
            scan: scan.map(|(path, labels)| ScanSnapshot {
                path: path.to_path_buf(),
                labels: labels.clone(),
                spatial: None,
                series: None,
            }),
            planning: planning.clone(),
            cut,
            rulers: Vec::new(),
            landmarks: Default::default(),
            report: report.clone(),
            case_path: None,
            revision: 0,
        }
    }
}
