//! The open study: a CT, its traced layers, and cached figures. The app and the CLI
//! hold one of these; the UI reads it and sends it commands.

use crate::segmentation::LabelMap;
use crate::task::Task;
use crate::volume::dicom::{self, DicomVolume, PatientInfo, SeriesSummary};
use crate::volume::nifti::{self, NiftiHeader};
use crate::volume::{ValueUnits, Volume};
use crate::volumetry::Counts;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a scan did not open: the DICOM or NIfTI reader's own error.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Dicom(#[from] dicom::DicomError),
    #[error(transparent)]
    Nifti(#[from] nifti::FileError),
}

fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

pub struct Study {
    pub path: PathBuf,
    /// Shared so that long work (grow from seeds) can read it on a worker thread.
    pub ct: Arc<Volume<i16>>,
    pub header: Option<NiftiHeader>,
    pub labels: LabelMap,
    /// Changed on every change to `labels` (unique in the process), so views and
    /// figures know to refresh.
    pub revision: u64,
    /// Warnings from loading, shown with the case.
    pub warnings: Vec<String>,
    /// Patient and study fields of a DICOM series (pre-fill the report header).
    pub patient: Option<PatientInfo>,
    /// The DICOM series the CT was built from (None for NIfTI).
    pub series: Option<SeriesSummary>,
    /// The DICOM UIDs a derived object (DICOM SEG) references (None for NIfTI).
    pub dicom_refs: Option<dicom::SourceRefs>,
    /// What the voxel values are (HU for CT and NIfTI; MR intensities...).
    pub units: ValueUnits,
    counts_cache: Option<(u64, Counts)>,
}

impl Study {
    pub fn new(path: PathBuf, ct: Volume<i16>, header: Option<NiftiHeader>) -> Study {
        let labels = LabelMap::empty(ct.geometry.clone());
        let warnings = header
            .as_ref()
            .map(|h| h.warnings.clone())
            .unwrap_or_default();
        Study {
            path,
            ct: Arc::new(ct),
            header,
            labels,
            revision: next_revision(),
            warnings,
            patient: None,
            series: None,
            dicom_refs: None,
            units: ValueUnits::hounsfield(),
            counts_cache: None,
        }
    }

    /// Open a CT with progress and cancellation: a NIfTI file, or DICOM (a
    /// folder, a DICOMDIR or one image file). A folder holding several series is
    /// refused with their SeriesInstanceUIDs (the app shows a picker instead).
    pub fn open(path: &Path, task: Task) -> Result<Study, OpenError> {
        Study::open_series(path, None, task)
    }

    /// [`Study::open`] of one DICOM series by its key (a case stores it): its
    /// SeriesInstanceUID, or the `no-uid-...` key of a series without one.
    pub fn open_series(path: &Path, series: Option<&str>, task: Task) -> Result<Study, OpenError> {
        if dicom::is_dicom_path(path) {
            let ct = dicom::open_path(path, series, task)?;
            return Ok(Study::from_dicom(path.to_path_buf(), ct));
        }
        let (ct, header) = nifti::read_ct(path, task)?;
        Ok(Study::new(path.to_path_buf(), ct, Some(header)))
    }

    /// A study from a loaded DICOM series; `path` is what was opened.
    pub fn from_dicom(path: PathBuf, ct: DicomVolume) -> Study {
        let mut s = Study::new(path, ct.volume, None);
        s.warnings = ct.warnings;
        s.patient = Some(ct.patient);
        s.series = Some(ct.series);
        s.dicom_refs = Some(ct.refs);
        s.units = ct.units;
        s
    }

    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }

    /// Mark the labels as changed. Revisions are unique in the process (never
    /// reused by another study), so a cache keyed on one cannot mix two scans.
    pub fn touch(&mut self) {
        self.revision = next_revision();
    }

    /// Voxel counts of the clinical compartments, recomputed only after a change.
    pub fn counts(&mut self) -> Counts {
        match self.counts_cache {
            Some((rev, c)) if rev == self.revision => c,
            _ => {
                let c = Counts::from_bits(&self.labels.bits);
                self.counts_cache = Some((self.revision, c));
                c
            }
        }
    }

    pub fn spatial(&self) -> Option<&nifti::SpatialFields> {
        self.header.as_ref().map(|h| &h.spatial)
    }
}
