//! The same series through `remnant convert` and through dcm2niix must give
//! the same voxels at the same patient positions (affines equal to 1e-3 mm).

mod dicom_common;

use std::process::Command;

const COMPARE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dcm2niix_compare.py");

fn compare(case: &str, syntax: &str) {
    if !dicom_common::dcm2niix_ready() {
        return;
    }
    let Some(g) = dicom_common::make(case, syntax) else {
        return;
    };
    let ours = g.tmp.path().join("ours.nii.gz");
    let conv = Command::new(env!("CARGO_BIN_EXE_remnant"))
        .args(["convert", "--dicom"])
        .arg(&g.data)
        .arg("--out")
        .arg(&ours)
        .output()
        .expect("run remnant convert");
    assert!(
        conv.status.success(),
        "remnant convert: {}",
        String::from_utf8_lossy(&conv.stderr)
    );
    let out = Command::new("python3")
        .arg(COMPARE)
        .arg(&ours)
        .arg(&g.data)
        .output()
        .expect("run python3");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{case} {syntax}: {text}");
    let r: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
    assert!(r.get("error").is_none(), "{}", r["error"]);
    assert_eq!(r["ours_shape"], r["dcm2niix_shape"]);
    assert!(
        r["affine_max_diff"].as_f64().expect("diff") < 1e-3,
        "{text}"
    );
    assert_eq!(r["voxel_max_diff"], 0, "{text}");
    assert_eq!(r["ours_sha256"], r["dcm2niix_sha256"]);
}

#[test]
fn axial_matches_dcm2niix() {
    compare("axial", "explicit");
}

#[test]
fn reversed_order_matches_dcm2niix() {
    compare("reversed", "explicit");
}

#[test]
fn oblique_matches_dcm2niix() {
    compare("oblique", "explicit");
}

#[test]
fn coronal_matches_dcm2niix() {
    compare("coronal", "explicit");
}

#[test]
fn sagittal_matches_dcm2niix() {
    compare("sagittal", "explicit");
}

#[test]
fn implicit_matches_dcm2niix() {
    compare("axial", "implicit");
}

#[test]
fn rle_matches_dcm2niix() {
    compare("axial", "rle");
}

#[test]
fn jpeg_lossless_matches_dcm2niix() {
    compare("oblique", "jpeg-lossless");
}

// Debian's dcm2niix is built without JPEG-LS, so JPEG-LS is checked against
// the original values in dicom_syntaxes.rs instead.

#[test]
fn per_slice_rescale_matches_dcm2niix() {
    compare("rescale", "explicit");
}

#[test]
fn jpeg_2000_lossy_matches_dcm2niix() {
    compare("coronal", "j2k-lossy");
}

#[test]
fn jpeg_2000_lossless_matches_dcm2niix() {
    compare("axial", "j2k-lossless");
}
