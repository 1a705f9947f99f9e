//! Export as exercise: a teaching case without the patient. The folder holds the CT
//! (NIfTI, voxels and geometry only), the traced layer to score against (the
//! reference), every traced layer, a report reduced to its numbers, and
//! `exercise.json` saying what to trace. Nothing that identifies the patient is
//! written: no DICOM attribute at all is carried over (the basic profile of DICOM
//! PS3.15 removes or replaces names, IDs, dates, UIDs and descriptions; here the
//! whole header is dropped), no file name or path of the source, and the report keeps
//! only its scores and volumes (names, IDs, dates, free text and photos are left out).
//! A series whose images say Burned In Annotation YES is refused (text in the pixels
//! cannot be removed this way).
//! File > Open exercise (or `SampleExercise::open_dir`) opens the folder in the
//! trainee mode. See docs/file-formats.md.

use crate::report::Report;
use crate::segmentation::Layer;
use crate::study::Study;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The manifest's file name and format tag.
pub const MANIFEST: &str = "exercise.json";
pub const FORMAT: &str = "remnant.exercise/1";
/// The other files of an exported exercise.
pub const CT: &str = "ct.nii.gz";
pub const LAYERS: &str = "layers.nii.gz";
pub const REPORT: &str = "report.json";

/// What `exercise.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    /// What the trainee is asked to do.
    pub task: String,
    /// The layer to trace (`liver`, `resection`, `tumour`, `stage1`).
    pub layer: String,
    /// File names in the folder.
    pub ct: String,
    pub reference: String,
    pub layers: String,
    pub report: String,
    /// How the patient was removed (one sentence).
    pub deidentification: String,
}

/// Why an exercise could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the case has no scan open: an exercise needs the CT and its traced layers")]
    NoScan,
    #[error(
        "the DICOM series says Burned In Annotation YES: its pixels may show the patient's name \
         or ID, which Remnant cannot remove; it is not exported as an exercise"
    )]
    BurnedIn,
    #[error(
        "the {} layer is empty: trace it first (it is the reference the trainee is scored against)",
        .0.name()
    )]
    EmptyLayer(Layer),
    #[error(
        "{} already holds files that are not an exercise ({}): choose an empty folder, or an earlier exercise to replace",
        dir.display(),
        names.join(", ")
    )]
    NotEmpty { dir: PathBuf, names: Vec<String> },
    #[error("{}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Write(#[from] crate::fsutil::AtomicWriteError),
    #[error(transparent)]
    Layers(#[from] crate::segmentation::io::IoError),
    #[error(
        "{} is not a Remnant exercise: {MANIFEST} is missing, and so are the sample's ct.nii.gz \
         and liver.nii.gz. File > Export as exercise or `remnant exercise export` writes an \
         exercise; `remnant sample --out DIR` writes the sample",
        .0.display()
    )]
    NotAnExercise(PathBuf),
    #[error(transparent)]
    Sample(#[from] super::ExerciseError),
    #[error("{}: not a valid exercise manifest: {message}", path.display())]
    BadManifest { path: PathBuf, message: String },
}

/// Files an export may replace (an earlier exercise in the same folder).
const OWN: [&str; 8] = [
    MANIFEST,
    CT,
    LAYERS,
    REPORT,
    "liver.nii.gz",
    "resection.nii.gz",
    "tumour.nii.gz",
    "stage1.nii.gz",
];

/// The reference file of a layer: `liver.nii.gz`, ...
pub fn reference_name(layer: Layer) -> String {
    let key = match layer {
        Layer::Liver => "liver",
        Layer::Resection => "resection",
        Layer::Tumour => "tumour",
        Layer::Stage1 => "stage1",
    };
    format!("{key}.nii.gz")
}

/// The report reduced to what teaches and cannot identify: the PCI, the CC score,
/// ascites, the diaphragm and the liver figures without their date. Every other field
/// (names, IDs, dates, surgeon, free text, photos, organ lists) is left at its default.
pub fn deidentified_report(r: &Report) -> Report {
    let mut out = Report {
        pci: r.pci,
        cc_score: r.cc_score,
        ascites: r.ascites,
        right_diaphragm: r.right_diaphragm,
        ..Report::default()
    };
    out.liver.resection_performed = r.liver.resection_performed;
    out.liver.ablation_performed = r.liver.ablation_performed;
    out.liver.figures = r.liver.figures.clone().map(|mut f| {
        f.plan_date = None;
        f
    });
    out
}

/// Check `dir` can take an exercise: missing, empty, or holding only an earlier
/// exercise's files; it is created (0700) when missing.
fn prepare_dir(dir: &Path) -> Result<(), ExportError> {
    let folder = |source| ExportError::Folder {
        path: dir.to_path_buf(),
        source,
    };
    if dir.exists() && !dir.is_dir() {
        return Err(folder(std::io::Error::other("not a folder")));
    }
    crate::fsutil::create_private_dir_all(dir).map_err(folder)?;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(folder)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !OWN.contains(&n.as_str()))
        .collect();
    if !names.is_empty() {
        names.sort();
        return Err(ExportError::NotEmpty {
            dir: dir.to_path_buf(),
            names,
        });
    }
    Ok(())
}

/// Write the open study (CT, layers) and report as an exercise in `dir`, the trainee
/// to trace `layer`. The manifest is written last: a folder left by a failed export
/// is not an exercise. Returns the manifest.
pub fn export(
    study: &Study,
    report: &Report,
    layer: Layer,
    dir: &Path,
) -> Result<Manifest, ExportError> {
    if study
        .series
        .as_ref()
        .is_some_and(|s| s.burned_in_annotation)
    {
        return Err(ExportError::BurnedIn);
    }
    let reference = study.labels.layer_mask(layer);
    if !reference.contains(&1) {
        return Err(ExportError::EmptyLayer(layer));
    }
    prepare_dir(dir)?;
    let g = &study.ct.geometry;
    let spatial = study.spatial();
    crate::volume::nifti::write_volume(
        &dir.join(CT),
        study.ct.as_slice(),
        g,
        spatial,
        "Remnant exercise CT",
    )?;
    let ref_name = reference_name(layer);
    crate::volume::nifti::write_volume(
        &dir.join(&ref_name),
        &reference,
        g,
        spatial,
        "Remnant exercise reference",
    )?;
    crate::segmentation::io::save_bits(&dir.join(LAYERS), &study.labels, spatial)?;
    let rep = deidentified_report(report);
    let text = rep.to_json().map_err(|e| ExportError::BadManifest {
        path: dir.join(REPORT),
        message: e.to_string(),
    })?;
    crate::fsutil::atomic_write(&dir.join(REPORT), text.as_bytes())?;
    let m = Manifest {
        format: FORMAT.into(),
        task: format!(
            "Trace the {} on the CT; Score my tracing compares it with the reference",
            layer.name().to_lowercase()
        ),
        layer: layer_key(layer).into(),
        ct: CT.into(),
        reference: ref_name,
        layers: LAYERS.into(),
        report: REPORT.into(),
        deidentification: "no DICOM attribute carried over (voxels and geometry only); \
                           report: names, IDs, dates, free text and photos removed"
            .into(),
    };
    let mut json = serde_json::to_vec_pretty(&m).map_err(|e| ExportError::BadManifest {
        path: dir.join(MANIFEST),
        message: e.to_string(),
    })?;
    json.push(b'\n');
    crate::fsutil::atomic_write(&dir.join(MANIFEST), &json)?;
    Ok(m)
}

fn layer_key(layer: Layer) -> &'static str {
    match layer {
        Layer::Liver => "liver",
        Layer::Resection => "resection",
        Layer::Tumour => "tumour",
        Layer::Stage1 => "stage1",
    }
}

/// Read `dir/exercise.json`: None when there is none.
pub fn read_manifest(dir: &Path) -> Result<Option<(Manifest, Layer)>, ExportError> {
    let path = dir.join(MANIFEST);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(ExportError::Folder { path, source }),
    };
    let bad = |message: String| ExportError::BadManifest {
        path: path.clone(),
        message,
    };
    let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
    if m.format != FORMAT {
        return Err(bad(format!(
            "format \"{}\", expected \"{FORMAT}\"",
            m.format
        )));
    }
    let layer =
        Layer::parse(&m.layer).ok_or_else(|| bad(format!("unknown layer \"{}\"", m.layer)))?;
    for name in [&m.ct, &m.reference] {
        let plain = Path::new(name)
            .file_name()
            .is_some_and(|n| n == name.as_str());
        if !plain {
            return Err(bad(format!("\"{name}\" is not a file name in the folder")));
        }
    }
    Ok(Some((m, layer)))
}
