//! Scanning a folder for DICOM series: list files, read their headers in
//! parallel (stopping before the pixel data), group images by SeriesInstanceUID.

use super::error::DicomError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::dicomdir;
use super::header::{ImageHeader, read_header};
use super::progress::Stage;
use super::series::{ScanResult, SeriesSummary};
use super::stack::plan_stack;
use super::walk::list_files;
use crate::task::Task;
use crate::volume::ValueUnits;

/// Find every image series under `dir` (a folder, or a DICOMDIR / any file in
/// the folder to scan). Files that are not usable images are listed in
/// `skipped` with the reason. Fails only if `dir` cannot be read or on cancel.
pub fn scan_folder(dir: &Path, task: Task) -> Result<ScanResult, DicomError> {
    let root = if dir.is_file() {
        match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    } else {
        dir.to_path_buf()
    };
    if !root.is_dir() {
        return Err(DicomError::Io(format!("{}: not a folder", dir.display())));
    }
    task.report(0.0);
    let (files, mut skipped) = list_files(&root, task)?;
    let headers = read_headers(&files, task, &mut skipped)?;
    skipped.extend(dicomdir_problems(&files));
    let mut series = group_series(headers);
    series.sort_by(|a, b| {
        (
            &a.study_date,
            &a.study_instance_uid,
            a.series_number,
            &a.key,
        )
            .cmp(&(
                &b.study_date,
                &b.study_instance_uid,
                b.series_number,
                &b.key,
            ))
    });
    skipped.sort();
    task.report(1.0);
    Ok(ScanResult { series, skipped })
}

/// Headers of the image files; the other files go to `skipped`.
pub(crate) fn read_headers(
    files: &[PathBuf],
    task: Task,
    skipped: &mut Vec<(PathBuf, String)>,
) -> Result<Vec<ImageHeader>, DicomError> {
    let stage = Stage::new(task, 0.0, 1.0, files.len());
    let results: Vec<Result<Vec<ImageHeader>, (PathBuf, String)>> = files
        .par_iter()
        .map(|path| {
            stage.check()?;
            let r = read_header(path).map_err(|why| (path.clone(), why.to_string()));
            stage.tick();
            Ok(r)
        })
        .collect::<Result<_, DicomError>>()?;
    let mut headers = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(h) => headers.extend(h),
            Err(s) => skipped.push(s),
        }
    }
    Ok(headers)
}

/// One summary per series (SeriesInstanceUID, or the key made without one),
/// with notes on what loading it will do (planned from the headers alone).
pub(crate) fn group_series(headers: Vec<ImageHeader>) -> Vec<SeriesSummary> {
    let mut by_key: BTreeMap<String, Vec<ImageHeader>> = BTreeMap::new();
    for h in headers {
        by_key.entry(h.series_key.clone()).or_default().push(h);
    }
    by_key
        .values()
        .filter_map(|hs| {
            let mut s = SeriesSummary::from_headers(hs)?;
            s.notes = series_notes(&s, hs);
            Some(s)
        })
        .collect()
}

/// Short phrases for the picker: no UID, multi-frame, modality units, and what
/// the stack plan does (resampling, gaps, tilt) or why it cannot be stacked.
fn series_notes(s: &SeriesSummary, headers: &[ImageHeader]) -> Vec<String> {
    let mut notes = Vec::new();
    if s.series_instance_uid.is_none() {
        notes.push("no UID: grouped by study, number, description, orientation, size".into());
    }
    if s.frames_in_file > 1 {
        notes.push(format!(
            "enhanced multi-frame ({} frames)",
            s.frames_in_file
        ));
    }
    let units = ValueUnits::of(s.modality.as_deref(), headers[0].rescale_type.as_deref());
    if !units.is_hounsfield() {
        notes.push(format!("{}: {}", units.modality, units.describe()));
    }
    match plan_stack(headers) {
        Ok(plan) => notes.extend(plan.notes),
        Err(e) => notes.push(format!("cannot be one volume: {e}")),
    }
    notes
}

/// Files that a DICOMDIR in the folder lists but that are not there, and
/// DICOMDIRs that cannot be read.
fn dicomdir_problems(files: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for dd in files.iter().filter(|p| dicomdir::is_dicomdir_name(p)) {
        match dicomdir::referenced_files(dd) {
            Ok(refs) => {
                for missing in dicomdir::missing_files(&refs, files) {
                    let why = format!("missing: listed in {} but not found", dd.display());
                    out.push((missing, why));
                }
            }
            Err(e) => out.push((dd.clone(), e.to_string())),
        }
    }
    out
}
