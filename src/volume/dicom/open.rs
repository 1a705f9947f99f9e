//! Opening "a DICOM path" in one call, for the command line and `Study::open`:
//! a folder (searched recursively), a DICOMDIR, or one image file of a series.
//! The app shows a series picker instead when a folder holds several series.

use super::error::DicomError;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::dicomdir::is_dicomdir_name;
use super::load::{DicomVolume, load_series, series_geometry, series_source};
use super::refs::SourceRefs;
use super::scan::scan_folder;
use super::series::{ScanResult, SeriesSummary};
use super::walk::list_files;
use crate::task::Task;
use crate::volume::Geometry;

/// Share of the progress bar spent scanning the folder.
const SCAN_SHARE: f32 = 0.15;

/// Whether `path` is opened as DICOM: a folder, a file named DICOMDIR, or a
/// file with the DICOM Part 10 "DICM" marker (after the preamble, or at the
/// start when the preamble was dropped).
pub fn is_dicom_path(path: &Path) -> bool {
    if path.is_dir() || is_dicomdir_name(path) {
        return true;
    }
    let mut head = Vec::with_capacity(132);
    let read = std::fs::File::open(path).and_then(|f| f.take(132).read_to_end(&mut head));
    let marker = |at: usize| head.get(at..at + 4) == Some(b"DICM".as_slice());
    read.is_ok() && (marker(128) || marker(0))
}

/// The series to load from a scan of `place`: the one whose key (its
/// SeriesInstanceUID, or the `no-uid-...` key of a series without one) is `uid`; else, when `place` is one image file, the series holding it; else
/// the only series. Several series without a choice is an error listing them.
pub fn choose_series<'a>(
    scan: &'a ScanResult,
    uid: Option<&str>,
    place: &Path,
) -> Result<&'a SeriesSummary, DicomError> {
    let list = || {
        scan.series
            .iter()
            .map(|s| format!("{} = {}", s.key, s.label()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if let Some(uid) = uid {
        return scan.find(uid).ok_or_else(|| match scan.series.len() {
            0 => DicomError::Series(no_series(scan, place)),
            _ => DicomError::Series(format!(
                "no series with SeriesInstanceUID {uid} in {}; it holds: {}",
                place.display(),
                list()
            )),
        });
    }
    if place.is_file()
        && !is_dicomdir_name(place)
        && let Ok(want) = place.canonicalize()
        && let Some(s) = scan.series.iter().find(|s| {
            s.files
                .iter()
                .any(|f| f.canonicalize().is_ok_and(|c| c == want))
        })
    {
        return Ok(s);
    }
    match scan.series.as_slice() {
        [] => Err(DicomError::Series(no_series(scan, place))),
        [one] => Ok(one),
        all => Err(DicomError::Series(format!(
            "{} holds {} image series; choose one by its SeriesInstanceUID: {}",
            place.display(),
            all.len(),
            list()
        ))),
    }
}

/// "No series" with what was skipped and why, e.g. "(4 files skipped: 3 not a
/// DICOM file, 1 not an image)".
fn no_series(scan: &ScanResult, place: &Path) -> String {
    let mut s = format!("no DICOM image series found in {}", place.display());
    if !scan.skipped.is_empty() {
        let why: Vec<String> = scan
            .skipped_counts()
            .iter()
            .map(|(what, n)| format!("{n} {what}"))
            .collect();
        s.push_str(&format!(
            " ({} file{} skipped: {})",
            scan.skipped.len(),
            if scan.skipped.len() == 1 { "" } else { "s" },
            why.join(", ")
        ));
    }
    s
}

/// Progress of a sub-step mapped into [start, end] of `task`.
fn staged<R>(task: Task, start: f32, end: f32, f: impl FnOnce(Task) -> R) -> R {
    let report = |x: f32| task.report(start + (end - start) * x);
    f(Task::new(&report, task.cancel))
}

/// Scan `path` and load one series (see [`choose_series`]).
pub fn open_path(path: &Path, uid: Option<&str>, task: Task) -> Result<DicomVolume, DicomError> {
    let scan = staged(task, 0.0, SCAN_SHARE, |t| scan_folder(path, t))?;
    let series = choose_series(&scan, uid, path)?;
    let ct = staged(task, SCAN_SHARE, 1.0, |t| load_series(series, t))?;
    task.report(1.0);
    Ok(ct)
}

/// Scan `path` and plan one series' grid from its headers only (no pixels):
/// the geometry, the stacking warnings and the series.
pub fn open_geometry(
    path: &Path,
    uid: Option<&str>,
    task: Task,
) -> Result<(Geometry, Vec<String>, SeriesSummary), DicomError> {
    let scan = staged(task, 0.0, 0.5, |t| scan_folder(path, t))?;
    let series = choose_series(&scan, uid, path)?;
    let (g, warnings) = staged(task, 0.5, 1.0, |t| series_geometry(series, t))?;
    Ok((g, warnings, series.clone()))
}

/// [`open_geometry`] with the series' references (every slice's SOP instance UID,
/// the study and Frame of Reference UIDs), from the headers only.
pub fn open_source(
    path: &Path,
    uid: Option<&str>,
    task: Task,
) -> Result<(Geometry, Vec<String>, SeriesSummary, SourceRefs), DicomError> {
    let scan = staged(task, 0.0, 0.5, |t| scan_folder(path, t))?;
    let series = choose_series(&scan, uid, path)?;
    let (g, warnings, refs) = staged(task, 0.5, 1.0, |t| series_source(series, t))?;
    Ok((g, warnings, series.clone(), refs))
}

/// Size and SHA-256 of the DICOM files under `dir` (those with the "DICM"
/// marker, sorted by path; each file's path relative to `dir` is hashed before
/// its bytes): the checksum a case keeps of a DICOM folder to say later whether
/// it changed. Other files (a case or layers saved in the folder, desktop
/// litter) do not count.
pub fn folder_checksum(dir: &Path) -> Result<(u64, String), DicomError> {
    let (files, _) = list_files(dir, Task::none())?;
    let mut h = Sha256::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    for path in &files {
        if is_dicomdir_name(path) || !is_dicom_path(path) {
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap_or(path);
        h.update(rel.to_string_lossy().as_bytes());
        h.update([0u8]);
        let mut f = std::fs::File::open(path)
            .map_err(|e| DicomError::Io(format!("{}: {e}", path.display())))?;
        loop {
            let n = f
                .read(&mut buf)
                .map_err(|e| DicomError::Io(format!("{}: {e}", path.display())))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            h.update(&buf[..n]);
        }
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((total, hex))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn series(uid: &str, files: &[&str]) -> SeriesSummary {
        SeriesSummary {
            key: uid.into(),
            series_instance_uid: Some(uid.into()),
            study_instance_uid: None,
            patient_name: None,
            patient_id: None,
            study_date: None,
            study_description: None,
            series_description: Some(format!("S{uid}")),
            series_number: None,
            modality: Some("CT".into()),
            image_count: files.len(),
            slice_thickness_mm: None,
            rows: 4,
            columns: 4,
            mixed_sizes: false,
            files: files.iter().map(PathBuf::from).collect(),
            frames_in_file: 1,
            notes: Vec::new(),
            burned_in_annotation: false,
        }
    }

    #[test]
    fn choosing_a_series() {
        let dir = Path::new("/no/such/dir");
        let one = ScanResult {
            series: vec![series("1.1", &["/a/1"])],
            skipped: vec![],
        };
        assert_eq!(
            choose_series(&one, None, dir).map(|s| s.key.as_str()),
            Ok("1.1")
        );
        let two = ScanResult {
            series: vec![series("1.1", &["/a/1"]), series("1.2", &["/a/2"])],
            skipped: vec![],
        };
        let err = choose_series(&two, None, dir).unwrap_err().to_string();
        assert!(
            err.starts_with("/no/such/dir holds 2 image series; choose one by its SeriesInstanceUID: 1.1 = CT \"S1.1\""),
            "{err}"
        );
        assert!(err.contains("; 1.2 = CT \"S1.2\""), "{err}");
        assert_eq!(
            choose_series(&two, Some("1.2"), dir).map(|s| s.files.clone()),
            Ok(vec![PathBuf::from("/a/2")])
        );
        let err = choose_series(&two, Some("9.9"), dir)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("no series with SeriesInstanceUID 9.9"),
            "{err}"
        );
        let none = ScanResult {
            series: vec![],
            skipped: vec![
                ("/x".into(), "not a DICOM file: no DICM marker".into()),
                ("/y".into(), "not a DICOM file: no DICM marker".into()),
                ("/z".into(), "not an image: structured report (SR)".into()),
            ],
        };
        assert_eq!(
            choose_series(&none, None, dir).unwrap_err().to_string(),
            "no DICOM image series found in /no/such/dir (3 files skipped: 2 not a DICOM file, 1 not an image)"
        );
    }

    /// A fake Part 10 file: preamble, "DICM", then `tail`.
    fn part10(tail: &[u8]) -> Vec<u8> {
        let mut b = vec![0u8; 128];
        b.extend(b"DICM");
        b.extend(tail);
        b
    }

    #[test]
    fn folder_checksum_sees_names_and_bytes_of_dicom_files() {
        let d = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(d.path().join("sub")).expect("mkdir");
        std::fs::write(d.path().join("a"), part10(b"abc")).expect("write");
        std::fs::write(d.path().join("sub/b"), part10(b"de")).expect("write");
        let (n, sum) = folder_checksum(d.path()).expect("sum");
        assert_eq!(n, 2 * 132 + 5);
        assert_eq!(sum.len(), 64);
        // a case and its layers saved in the folder do not change it
        std::fs::write(d.path().join("case.json"), b"{}").expect("write");
        std::fs::write(d.path().join("DICOMDIR"), part10(b"index")).expect("write");
        assert_eq!(folder_checksum(d.path()).ok(), Some((n, sum.clone())));
        std::fs::write(d.path().join("sub/b"), part10(b"dx")).expect("write");
        let (_, changed) = folder_checksum(d.path()).expect("sum");
        assert_ne!(sum, changed);
        std::fs::rename(d.path().join("sub/b"), d.path().join("sub/c")).expect("mv");
        let (_, renamed) = folder_checksum(d.path()).expect("sum");
        assert_ne!(changed, renamed);
    }

    #[test]
    fn dicom_paths() {
        let d = tempfile::tempdir().expect("tempdir");
        assert!(is_dicom_path(d.path()));
        let nifti = d.path().join("ct.nii");
        std::fs::write(&nifti, [0u8; 400]).expect("write");
        assert!(!is_dicom_path(&nifti));
        let mut part10 = vec![0u8; 128];
        part10.extend(b"DICM");
        let f = d.path().join("IM0001");
        std::fs::write(&f, &part10).expect("write");
        assert!(is_dicom_path(&f));
        assert!(is_dicom_path(&d.path().join("DICOMDIR")));
        assert!(!is_dicom_path(&d.path().join("missing.nii.gz")));
    }
}
