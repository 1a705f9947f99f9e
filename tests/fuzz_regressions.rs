//! Replays every kept fuzz input (tests/fuzz_regressions/TARGET/) and every fuzz seed
//! (fuzz/seeds/TARGET/) through the fuzz targets' own bodies (`remnant::fuzzing`, which
//! fuzz/fuzz_targets/ call): each must give an error or a valid result, never a panic. CI runs
//! this instead of the fuzzers (scripts/fuzz.sh runs those).

use remnant::fuzzing::{dicom, nifti, report_json};
use remnant::task::Task;
use remnant::volume::dicom::scan_folder;
use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = Vec::new();
    for dir in [
        root.join("tests/fuzz_regressions").join(target),
        root.join("fuzz/seeds").join(target),
    ] {
        if let Ok(rd) = std::fs::read_dir(&dir) {
            v.extend(rd.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
        }
    }
    v.sort();
    v
}

#[test]
fn nifti_inputs_give_an_error_or_a_valid_volume() {
    let all = inputs("nifti");
    assert!(all.len() >= 20, "the seeds are there: {}", all.len());
    for p in &all {
        let data = std::fs::read(p).unwrap();
        let ok = nifti(&data);
        // the seeds cut from the sample scans are valid files: they must read
        let name = p.file_name().unwrap().to_string_lossy();
        if p.starts_with(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds")) {
            assert!(ok, "seed {name} does not read");
        }
    }
}

#[test]
fn report_json_inputs_give_an_error_or_a_valid_report() {
    let all = inputs("report_json");
    assert!(all.len() >= 10, "the seeds are there: {}", all.len());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for p in &all {
        let ok = report_json(&std::fs::read(p).unwrap());
        // the seeds (schema examples, fixtures, their parts) are valid reports
        if p.starts_with(&root) {
            assert!(ok, "seed {} is refused", p.display());
        }
    }
}

#[test]
fn dicom_inputs_give_an_error_or_a_valid_volume() {
    let all = inputs("dicom");
    assert!(all.len() >= 10, "the seeds are there: {}", all.len());
    let dir = tempfile::tempdir().unwrap();
    let mut loaded = 0;
    for p in &all {
        loaded += dicom(&std::fs::read(p).unwrap(), dir.path());
    }
    // most seeds are (parts of) valid series
    assert!(
        loaded >= all.len() / 2,
        "{loaded} of {} seeds loaded",
        all.len()
    );
}

#[test]
fn dicom_value_of_partial_numbers_is_skipped_without_a_huge_allocation() {
    // Fuzz finding: a UL element of 46 bytes made dicom-rs lose its place by 2 bytes and
    // reserve ~4 GiB for the "element" it then saw. The length check now refuses it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read(
        root.join("tests/fuzz_regressions/dicom/ul_length_not_multiple_of_4_4gib_alloc.bin"),
    )
    .unwrap();
    let first = data
        .windows(19)
        .position(|w| w == b"\0REMNANT-NEXT-FILE\0")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("IM0.dcm"), &data[..first]).unwrap();
    let scan = scan_folder(dir.path(), Task::none()).unwrap();
    assert!(scan.series.is_empty());
    let reasons: Vec<&str> = scan.skipped.iter().map(|(_, r)| r.as_str()).collect();
    assert!(
        reasons.iter().any(|r| r.contains(
            "element (0004,1202) (UL) has 46 bytes, not a whole number of 4-byte values"
        )),
        "{reasons:?}"
    );
}
