//! The bodies of the fuzz targets (fuzz/fuzz_targets/): each takes arbitrary bytes
//! through the same entry points as the app and checks what it got. Any error is fine; a
//! panic that escapes, an allocation the input could not justify or a hang is a bug.
//! The fuzz targets call these (one line each) and `tests/fuzz_regressions.rs` replays
//! every kept input and seed through them, so the targets cannot drift from the core
//! and the normal build type-checks what they run.

use crate::report::{Report, render_pdf};
use crate::task::Task;
use crate::volume::dicom::{load_series, scan_folder};
use crate::volume::nifti::{MaskSelect, read_ct_bytes, read_labels_bytes, read_mask_bytes};
use std::path::Path;

/// Separates the files of one DICOM input (the seeds use it too).
pub const SPLIT: &[u8] = b"\0REMNANT-NEXT-FILE\0";

/// The NIfTI reader as a CT, as a label map and as a mask. Returns whether it read as
/// a CT.
pub fn nifti(data: &[u8]) -> bool {
    let ct = read_ct_bytes(data, Task::none());
    if let Ok((ct, hdr)) = &ct {
        assert_eq!(ct.as_slice().len(), hdr.voxel_count());
        assert_eq!(ct.dims(), hdr.dims);
    }
    if let Ok((labels, _)) = read_labels_bytes(data, Task::none()) {
        assert_eq!(labels.as_slice().len(), labels.geometry.voxel_count());
    }
    if let Ok((mask, _)) = read_mask_bytes(data, MaskSelect::Label(1), Task::none()) {
        assert!(mask.as_slice().iter().all(|&v| v <= 1));
    }
    ct.is_ok()
}

/// The report JSON reader (any schema version, with migration). A report it accepts
/// must validate, survive a save/load round trip unchanged, and render to PDF (photos
/// dropped: they name files on disk). Returns whether it was accepted.
pub fn report_json(data: &[u8]) -> bool {
    let Ok(mut report) = Report::from_json(data) else {
        return false;
    };
    let _ = report.validate();
    let json = report.to_json().expect("an accepted report serialises");
    let back = Report::from_json(json.as_bytes()).expect("a saved report reads back");
    assert_eq!(back, report, "round trip changed the report");
    report.photos.clear();
    let pdf = render_pdf(&report, &[]).expect("every report renders");
    assert!(pdf.starts_with(b"%PDF"));
    true
}

/// The input cut into 1 to 3 files at each [`SPLIT`] marker.
pub fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() < 2 {
        match rest.windows(SPLIT.len()).position(|w| w == SPLIT) {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + SPLIT.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// The DICOM import: the input cut into 1 to 3 files written into `dir` (emptied
/// first), the folder scanned (series grouping) and each series found loaded (slice
/// stacking, geometry, pixel decoding), as the app does. Returns the number loaded.
pub fn dicom(data: &[u8], dir: &Path) -> usize {
    for e in std::fs::read_dir(dir).expect("the fuzz folder").flatten() {
        let _ = std::fs::remove_file(e.path());
    }
    for (i, part) in split(data).iter().enumerate() {
        std::fs::write(dir.join(format!("IM{i}.dcm")), part).expect("write a fuzz file");
    }
    let mut loaded = 0;
    if let Ok(scan) = scan_folder(dir, Task::none()) {
        for series in &scan.series {
            if let Ok(v) = load_series(series, Task::none()) {
                assert_eq!(v.volume.as_slice().len(), v.volume.geometry.voxel_count());
                loaded += 1;
            }
        }
    }
    loaded
}
