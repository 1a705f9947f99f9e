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

// Issue 17: exports as they come from other sites.

#[test]
fn empty_uids_match_dcm2niix() {
    compare("no-uid-empty", "explicit");
}

#[test]
fn absent_uids_match_dcm2niix() {
    compare("no-uid-absent", "explicit");
}

#[test]
fn enhanced_ct_matches_dcm2niix() {
    compare("enhanced-ct", "explicit");
}

#[test]
fn enhanced_mr_matches_dcm2niix() {
    compare("enhanced-mr", "explicit");
}

#[test]
fn classic_mr_matches_dcm2niix() {
    compare("mr", "explicit");
}

const SHAPE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dcm2niix_shape.py");

/// dcm2niix converts uneven spacing and gantry tilt by resampling onto its own
/// grid (an "_Eq" / "_Tilt" copy), so the voxels cannot be compared one to one:
/// the thresholded shape must have the same volume (within 1 %) and the same
/// extent in mm (its world bounding box, within one voxel of either grid).
fn compare_shape(case: &str) {
    if !dicom_common::dcm2niix_ready() {
        return;
    }
    let Some(g) = dicom_common::make(case, "explicit") else {
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
        .arg(SHAPE)
        .arg(&ours)
        .arg(&g.data)
        .arg("-500")
        .output()
        .expect("run python3");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{case}: {text}");
    let r: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
    assert!(r.get("error").is_none(), "{}", r["error"]);
    let f = |who: &str, key: &str| -> Vec<f64> {
        serde_json::from_value(r[who][key].clone()).expect("numbers")
    };
    let (ours_ml, theirs_ml) = (
        r["ours"]["volume_mm3"].as_f64().expect("v"),
        r["dcm2niix"]["volume_mm3"].as_f64().expect("v"),
    );
    assert!(
        (ours_ml - theirs_ml).abs() / theirs_ml < 0.01,
        "{ours_ml} vs dcm2niix {theirs_ml}"
    );
    let voxel: f64 = f("ours", "voxel_mm")
        .into_iter()
        .chain(f("dcm2niix", "voxel_mm"))
        .fold(0.0, f64::max);
    for key in ["bbox_min", "bbox_max"] {
        for (a, b) in f("ours", key).iter().zip(f("dcm2niix", key)) {
            assert!(
                (a - b).abs() <= voxel + 1e-3,
                "{key}: {a} vs {b} (voxel {voxel}): {text}"
            );
        }
    }
}

#[test]
fn uneven_spacing_matches_dcm2niix_equidistant_copy() {
    compare_shape("uneven");
}

#[test]
fn uneven_spacing_with_tilt_matches_dcm2niix_tilt_corrected_copy() {
    compare_shape("uneven-tilt");
}

#[test]
fn even_spacing_with_tilt_matches_dcm2niix_tilt_corrected_copy() {
    compare_shape("even-tilt-shape");
}
