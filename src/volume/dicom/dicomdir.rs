//! DICOMDIR: the index file of a DICOM CD/DVD/USB export. The folder scan already
//! finds every file; the index is read to report files it lists that are missing
//! (an incomplete copy of a disc).

use super::error::DicomError;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use dicom_dictionary_std::tags;
use dicom_object::OpenFileOptions;

use super::attrs;
use super::guard::no_panic;
use super::lengths::{Extent, check_lengths};

/// Whether a file is named like a DICOMDIR (any case).
pub fn is_dicomdir_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("DICOMDIR"))
}

/// The files a DICOMDIR references, as paths next to it.
pub fn referenced_files(dicomdir: &Path) -> Result<Vec<PathBuf>, DicomError> {
    check_lengths(dicomdir, Extent::WholeFile)?;
    let obj = no_panic("unreadable DICOMDIR", || {
        OpenFileOptions::new().open_file(dicomdir)
    })?
    .map_err(|e| DicomError::Unusable(format!("unreadable DICOMDIR: {e}")))?;
    let base = dicomdir.parent().unwrap_or(Path::new("."));
    let records = obj
        .get(tags::DIRECTORY_RECORD_SEQUENCE)
        .and_then(|e| e.items())
        .unwrap_or(&[]);
    let mut out = Vec::new();
    for record in records {
        let parts = attrs::texts(record, tags::REFERENCED_FILE_ID);
        // Components are plain names; anything that could climb out is ignored.
        if parts.is_empty()
            || parts
                .iter()
                .any(|p| p.is_empty() || p.contains(['/', '\\']) || p == "..")
        {
            continue;
        }
        out.push(parts.iter().fold(base.to_path_buf(), |acc, p| acc.join(p)));
    }
    Ok(out)
}

/// Referenced files that are not among `found` (compared without case, as
/// discs are written in upper case and copies are often lower-cased).
pub fn missing_files(referenced: &[PathBuf], found: &[PathBuf]) -> Vec<PathBuf> {
    let key = |p: &Path| p.to_string_lossy().to_lowercase();
    let have: HashSet<String> = found.iter().map(|p| key(p)).collect();
    referenced
        .iter()
        .filter(|p| !have.contains(&key(p)))
        .cloned()
        .collect()
}
