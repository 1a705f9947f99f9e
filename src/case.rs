//! A case ties the work together: the scan it refers to (path, size and SHA-256),
//! the traced layers (a layer-bits NIfTI saved beside the case), the planning inputs
//! and cutting plane, and the operative report with its PCI. Saved atomically as
//! JSON; reopening says when the scan has moved or changed.

use crate::fsutil::FileStamp;
use crate::render::{LayerStyle, Plane, PlaneAxes, Window, render_slice};
use crate::report::{KeyImage, LiverFigures, Report};
use crate::segmentation::Layer;
use crate::segmentation::plane_cut::CutPlane;
use crate::snapshot::Snapshot;
use crate::study::Study;
use crate::volumetry::PlanInputs;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Version of the case file layout (documented in docs/CASE_SCHEMA.md).
pub const CASE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanRef {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    /// The DICOM series in a folder (SeriesInstanceUID, or `no-uid-...` key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub case_version: u32,
    pub scan: Option<ScanRef>,
    /// File name of the layer bits, relative to the case file's folder.
    pub layers: Option<String>,
    pub planning: PlanInputs,
    #[serde(default)]
    pub cut_plane: Option<CutPlane>,
    /// Rulers placed on the planes (end points in voxel coordinates); absent in
    /// cases saved before rulers existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rulers: Vec<crate::measure::Ruler>,
    /// The Couinaud landmarks (`remnant.landmarks/1`, patient RAS mm); absent in cases
    /// saved before segments existed or without landmarks.
    #[serde(default, skip_serializing_if = "crate::segments::Landmarks::is_empty")]
    pub landmarks: crate::segments::Landmarks,
    /// The report as its own versioned JSON object (see docs/REPORT_SCHEMA.md).
    pub report: serde_json::Value,
}

/// What reopening a case found.
pub struct OpenedCase {
    pub case: Case,
    pub report: Report,
    pub scan_path: Option<PathBuf>,
    /// The DICOM series to reopen in `scan_path` (see [`ScanRef::series`]).
    pub scan_series: Option<String>,
    pub layers_path: Option<PathBuf>,
    /// e.g. "the scan has moved" or "the scan changed since the case was saved".
    pub warnings: Vec<String>,
    /// What the case file held when read: pass it to [`save_checked`] when saving
    /// back to the same file, so another program's changes are not overwritten.
    pub stamp: FileStamp,
}

/// Why a case could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Checksum { path: PathBuf, message: String },
    #[error("{}: not a case file: larger than {} MiB", path.display(), MAX_CASE_BYTES >> 20)]
    TooLarge { path: PathBuf },
    #[error("{}: not a valid case file: {message}", path.display())]
    NotJson { path: PathBuf, message: String },
    #[error("{}: not a Remnant case (no case_version; a report alone opens with Open report)", path.display())]
    NotACase { path: PathBuf },
    #[error("{}: written by a newer Remnant: case version {version}, this build reads up to {CASE_VERSION}", path.display())]
    Newer { path: PathBuf, version: u64 },
    #[error("{}: the case file is damaged: {message}", path.display())]
    Damaged { path: PathBuf, message: String },
    #[error("{}: report: {message}", path.display())]
    Report { path: PathBuf, message: String },
    #[error(transparent)]
    Layers(#[from] crate::segmentation::io::IoError),
    #[error(transparent)]
    Write(#[from] crate::fsutil::AtomicWriteError),
}

pub fn sha256_file(path: &Path) -> Result<(u64, String), CaseError> {
    if path.is_dir() {
        // a DICOM folder: every file in it, names included
        return crate::volume::dicom::folder_checksum(path).map_err(|e| CaseError::Checksum {
            path: path.to_path_buf(),
            message: e.to_string(),
        });
    }
    let read = |source| CaseError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut f = std::fs::File::open(path).map_err(read)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(read)?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((n, hex))
}

/// The layers file saved beside a case: `NAME.json` -> `NAME.layers.nii.gz`.
pub fn layers_path_for(case_path: &Path) -> PathBuf {
    let stem = case_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into());
    case_path.with_file_name(format!("{stem}.layers.nii.gz"))
}

/// Save a case: the layers first (atomically), then the JSON (atomically).
pub fn save(case_path: &Path, snap: &Snapshot) -> Result<(), CaseError> {
    save_checked(case_path, None, snap).map(|_| ())
}

/// [`save`] over a case this program opened or saved before (`last`: the stamp of
/// the case file then). When another program changed the case file since, nothing is
/// written and the error says so. Returns the stamp of the saved case file.
pub fn save_checked(
    case_path: &Path,
    last: Option<&FileStamp>,
    snap: &Snapshot,
) -> Result<FileStamp, CaseError> {
    crate::fsutil::check_unchanged(case_path, last)?;
    let (scan, layers) = match &snap.scan {
        Some(s) => {
            let (bytes, sha256) = sha256_file(&s.path)?;
            let abs = std::fs::canonicalize(&s.path).unwrap_or_else(|_| s.path.clone());
            let lp = layers_path_for(case_path);
            crate::segmentation::io::save_bits(&lp, &s.labels, s.spatial.as_ref())?;
            let name = lp.file_name().map(|n| n.to_string_lossy().into_owned());
            (
                Some(ScanRef {
                    path: abs.display().to_string(),
                    bytes,
                    sha256,
                    series: s.series.clone(),
                }),
                name,
            )
        }
        None => (None, None),
    };
    let damaged = |e: &dyn std::fmt::Display| CaseError::Report {
        path: case_path.to_path_buf(),
        message: e.to_string(),
    };
    let report_json = snap.report.to_json().map_err(|e| damaged(&e))?;
    let report_value: serde_json::Value =
        serde_json::from_str(&report_json).map_err(|e| damaged(&e))?;
    let case = Case {
        case_version: CASE_VERSION,
        scan,
        layers,
        planning: snap.planning.clone(),
        cut_plane: snap.cut,
        rulers: snap.rulers.clone(),
        landmarks: snap.landmarks,
        report: report_value,
    };
    let mut text = serde_json::to_string_pretty(&case).map_err(|e| damaged(&e))?;
    text.push('\n');
    Ok(crate::fsutil::atomic_write_checked(
        case_path,
        last,
        text.as_bytes(),
    )?)
}

/// Case files larger than this are refused rather than read into memory (the same
/// limit as for report files; a real case is a few kB).
pub const MAX_CASE_BYTES: u64 = crate::report::MAX_FILE_BYTES;

fn read_limited(path: &Path) -> Result<Vec<u8>, CaseError> {
    let fail = |source| CaseError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(fail)?;
    let mut bytes = Vec::new();
    file.take(MAX_CASE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > MAX_CASE_BYTES {
        return Err(CaseError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    Ok(bytes)
}

/// Read a case file; checks the scan it refers to (moved? changed?).
pub fn open(case_path: &Path) -> Result<OpenedCase, CaseError> {
    let path = case_path.to_path_buf();
    let bytes = read_limited(case_path)?;
    let modified = std::fs::metadata(case_path).and_then(|m| m.modified()).ok();
    let stamp = FileStamp::from_bytes(&bytes, modified);
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| CaseError::NotJson {
            path: path.clone(),
            message: e.to_string(),
        })?;
    let version = value.get("case_version").and_then(|v| v.as_u64());
    match version {
        None => return Err(CaseError::NotACase { path }),
        Some(v) if v > CASE_VERSION as u64 => return Err(CaseError::Newer { path, version: v }),
        _ => {}
    }
    let case: Case = serde_json::from_value(value).map_err(|e| CaseError::Damaged {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let report = serde_json::to_vec(&case.report)
        .map_err(|e| e.to_string())
        .and_then(|t| Report::from_json(&t).map_err(|e| e.to_string()))
        .map_err(|message| CaseError::Report {
            path: path.clone(),
            message,
        })?;
    let mut warnings = Vec::new();
    let mut scan_path = None;
    if let Some(s) = &case.scan {
        let p = PathBuf::from(&s.path);
        if !p.exists() {
            warnings.push(format!(
                "the scan has moved: {} is not there any more; open it again from its new place",
                s.path
            ));
        } else {
            match sha256_file(&p) {
                Ok((_, sum)) if sum == s.sha256 => {}
                Ok(_) => warnings.push(format!(
                    "the scan changed since the case was saved ({} has a different checksum): check the layers still fit",
                    s.path
                )),
                Err(e) => warnings.push(e.to_string()),
            }
            scan_path = Some(p);
        }
    }
    let layers_path = case.layers.as_ref().map(|l| {
        case_path
            .parent()
            .map(|d| d.join(l))
            .unwrap_or_else(|| PathBuf::from(l))
    });
    if let Some(lp) = &layers_path
        && !lp.exists()
    {
        warnings.push(format!("the traced layers {} are missing", lp.display()));
    }
    let scan_series = case.scan.as_ref().and_then(|s| s.series.clone());
    Ok(OpenedCase {
        case,
        report,
        scan_path,
        scan_series,
        layers_path,
        warnings,
        stamp,
    })
}

/// The liver figures the report carries: the plan's numbers and every sentence of its
/// decision, as the Plan panel shows them.
pub fn liver_figures(d: &crate::clinical::PlanDecision, inputs: &PlanInputs) -> LiverFigures {
    let a = &d.assessment;
    let v = &a.volumes;
    // after a compared post-PVE scan, the grade and verdict are that scan's
    let now = d.current();
    let after = d.is_post_pve().then_some(now);
    let card = crate::clinical::card(d);
    LiverFigures {
        total_ml: Some(v.total_ml),
        tumour_ml: Some(v.tumour_ml),
        functional_ml: Some(v.functional_ml),
        resected_ml: Some(v.resected_ml),
        remnant_ml: Some(v.remnant_ml),
        flr_percent: a.flr_percent,
        sflr_percent: a.body.as_ref().map(|b| b.sflr_percent),
        condition: a.condition.label().to_string(),
        threshold_percent: Some(a.verdict.threshold_percent),
        verdict: d
            .headline()
            .map_or_else(|| a.verdict.text.clone(), |s| s.text.clone()),
        plan_date: inputs.plan_date.clone(),
        basis: now.verdict.basis.clone(),
        bsa_m2: a.body.as_ref().map(|b| b.bsa_m2),
        stlv_ml: a.body.as_ref().map(|b| b.stlv_ml),
        flr_bw_percent: a.flr_bw_percent,
        threshold_source: Some(a.verdict.source.clone()),
        grade: Some(now.verdict.decision.word().to_string()),
        kgr_percent_per_week: d.growth.as_ref().map(|g| g.kgr_percent_per_week),
        kgr_is_lower_bound: d.growth.as_ref().map(|g| g.kgr_is_lower_bound),
        post_pve_flr_percent: after.and_then(|x| x.flr_percent),
        post_pve_sflr_percent: after.and_then(|x| x.body.as_ref().map(|b| b.sflr_percent)),
        post_pve_remnant_ml: after.map(|x| x.volumes.remnant_ml),
        degree_of_hypertrophy_points: d.growth.as_ref().map(|g| g.degree_of_hypertrophy_points),
        stage1_resected_ml: a.two_stage.as_ref().map(|s| s.stage1_resected_ml),
        stage1_flr_percent: a.two_stage.as_ref().and_then(|s| s.stage1_flr_percent),
        statements: d.sentences.iter().map(|s| s.text.clone()).collect(),
        alerts: card.alerts.iter().map(|s| s.text.clone()).collect(),
        next_step: Some(card.next_step),
        segments: Vec::new(),
        segments_caveat: None,
    }
}

/// Most extra key images the report gets for slices holding rulers (beyond the
/// axial and coronal slices with the most liver).
pub const MAX_RULER_IMAGES: usize = 6;

/// Key slices for the report: the axial and coronal slices holding the most liver,
/// with the layers drawn, resampled to square pixels (true aspect); then one image
/// per other slice holding rulers (at most [`MAX_RULER_IMAGES`]). Rulers are drawn
/// on the image of their slice with their length.
pub fn key_images(study: &Study, rulers: &[crate::measure::Ruler]) -> Vec<KeyImage> {
    let g = &study.ct.geometry;
    let liver = Layer::Liver.bit() | Layer::Tumour.bit();
    let mut slices = Vec::new();
    for plane in [Plane::Axial, Plane::Coronal] {
        let axes = PlaneAxes::new(g, plane);
        let n = g.dims[axes.normal];
        let mut count = vec![0usize; n];
        let [nx, ny, _] = g.dims;
        for (idx, &b) in study.labels.bits.iter().enumerate() {
            if b & liver != 0 {
                let p = [idx % nx, (idx / nx) % ny, idx / (nx * ny)];
                count[p[axes.normal]] += 1;
            }
        }
        let slice = (0..n).max_by_key(|&s| count[s]).unwrap_or(n / 2);
        let slice = if count.get(slice).copied().unwrap_or(0) == 0 {
            n / 2
        } else {
            slice
        };
        slices.push((plane, slice));
    }
    let fitting: Vec<_> = rulers.iter().filter(|r| r.check(g).is_ok()).collect();
    for r in &fitting {
        let at = (r.plane, r.slice(g));
        if !slices.contains(&at) && slices.len() < 2 + MAX_RULER_IMAGES {
            slices.push(at);
        }
    }
    let mut out: Vec<KeyImage> = slices
        .into_iter()
        .map(|(plane, slice)| {
            let on: Vec<_> = fitting
                .iter()
                .filter(|r| r.is_on(g, plane, slice))
                .map(|r| **r)
                .collect();
            key_image(study, plane, slice, &on)
        })
        .collect();
    out.extend(crate::report::snapshot3d::key_image(&study.labels));
    out
}

/// One key slice with the layers drawn, at true aspect, and the rulers on it.
fn key_image(
    study: &Study,
    plane: Plane,
    slice: usize,
    rulers: &[crate::measure::Ruler],
) -> KeyImage {
    let g = &study.ct.geometry;
    let styles: Vec<(Layer, LayerStyle)> = Layer::ALL
        .iter()
        .map(|&l| (l, LayerStyle::default_for(l)))
        .collect();
    let lut = Window::ABDOMEN.lut();
    let axes = PlaneAxes::new(g, plane);
    let n = g.dims[axes.normal];
    let mut rgba = Vec::new();
    render_slice(
        &study.ct,
        Some(&study.labels.bits),
        axes,
        slice,
        &lut,
        &styles,
        None,
        &mut rgba,
    );
    let [w, h] = axes.size(g.dims);
    let pmm = axes.pixel_mm(g);
    let scale = pmm[1] / pmm[0];
    let h2 = ((h as f64 * scale).round() as usize).clamp(1, 4096);
    let mut rgb = Vec::with_capacity(w * h2 * 3);
    for y in 0..h2 {
        let sy = ((y as f64 + 0.5) / scale).floor().min(h as f64 - 1.0) as usize;
        for x in 0..w {
            let p = &rgba[(sy * w + x) * 4..(sy * w + x) * 4 + 3];
            rgb.extend_from_slice(p);
        }
    }
    // voxel coordinates -> pixels of the resampled image (as the planes draw them)
    let to_pixel = |c: [f64; 3]| {
        let x = if axes.h_flip {
            g.dims[axes.h] as f64 - 1.0 - c[axes.h]
        } else {
            c[axes.h]
        };
        let y = if axes.v_flip {
            g.dims[axes.v] as f64 - 1.0 - c[axes.v]
        } else {
            c[axes.v]
        };
        [x + 0.5, (y + 0.5) * h2 as f64 / h as f64]
    };
    let labels = crate::measure::ruler::draw_rulers(&mut rgb, w, h2, rulers, &g.affine, to_pixel);
    let mut caption = format!(
        "{} slice {}/{} (W400/L50): liver green, resection orange, tumour red; patient's right on the left",
        plane.name(),
        slice + 1,
        n
    );
    if !labels.is_empty() {
        let lengths: Vec<&str> = labels.iter().map(|(_, t)| t.as_str()).collect();
        caption.push_str(&format!(
            "; ruler{} (yellow): {}",
            if labels.len() > 1 { "s" } else { "" },
            lengths.join(", ")
        ));
    }
    KeyImage {
        caption,
        width: w as u32,
        height: h2 as u32,
        rgb,
        labels: labels
            .into_iter()
            .map(|(at, text)| crate::report::ImageLabel { at, text })
            .collect(),
    }
}
