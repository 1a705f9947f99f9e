//! Slice order and affine: series in several orientations, written in a
//! scrambled file order, must give exactly the volume make_series.py expects.

mod dicom_common;

use remnant::task::Task;
use remnant::volume::dicom::{load_series, scan_folder};

/// Scan, expect one series, load it, compare with the expectation.
fn load_and_check(case: &str) -> Option<Vec<String>> {
    let g = dicom_common::make(case, "explicit")?;
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    assert_eq!(scan.series.len(), 1, "{:?}", scan.skipped);
    let ct = load_series(&scan.series[0], Task::none()).expect("load");
    g.expected().check(&ct);
    Some(ct.warnings)
}

#[test]
fn axial_in_shuffled_file_order() {
    if let Some(w) = load_and_check("axial") {
        assert!(w.is_empty(), "{w:?}");
    }
}

#[test]
fn axial_with_reversed_names_and_shuffled_instance_numbers() {
    if let Some(w) = load_and_check("reversed") {
        assert!(w.is_empty(), "{w:?}");
    }
}

#[test]
fn oblique_15_degrees_about_x() {
    if let Some(w) = load_and_check("oblique") {
        assert!(w.is_empty(), "{w:?}");
    }
}

#[test]
fn coronal() {
    if let Some(w) = load_and_check("coronal") {
        assert!(w.is_empty(), "{w:?}");
    }
}

#[test]
fn sagittal() {
    if let Some(w) = load_and_check("sagittal") {
        assert!(w.is_empty(), "{w:?}");
    }
}

#[test]
fn per_slice_slope_and_intercept_signed_storage() {
    if let Some(w) = load_and_check("rescale") {
        assert!(w.is_empty(), "{w:?}");
    }
}

#[test]
fn gantry_tilt_keeps_true_positions_and_warns() {
    if let Some(w) = load_and_check("tilt") {
        assert!(w.iter().any(|s| s.starts_with("gantry tilt")), "{w:?}");
    }
}

#[test]
fn single_slice_is_a_one_slice_volume() {
    if let Some(w) = load_and_check("single") {
        assert!(w.iter().any(|s| s.starts_with("only one slice")), "{w:?}");
    }
}
