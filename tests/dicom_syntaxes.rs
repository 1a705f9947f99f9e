//! Every transfer syntax the import must decode, against the original values
//! (exact for lossless syntaxes, within the near-lossless / lossy bound).

mod dicom_common;

use remnant::task::Task;
use remnant::volume::dicom::{load_series, scan_folder};

fn check(syntax: &str) {
    let Some(g) = dicom_common::make("axial", syntax) else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    assert!(scan.skipped.is_empty(), "{syntax}: {:?}", scan.skipped);
    assert_eq!(scan.series.len(), 1);
    let ct = load_series(&scan.series[0], Task::none()).unwrap_or_else(|e| panic!("{syntax}: {e}"));
    g.expected().check(&ct);
    assert!(ct.warnings.is_empty(), "{syntax}: {:?}", ct.warnings);
}

#[test]
fn implicit_vr_little_endian() {
    check("implicit");
}

#[test]
fn explicit_vr_little_endian() {
    check("explicit");
}

#[test]
fn explicit_vr_big_endian() {
    check("bigendian");
}

#[test]
fn deflated_explicit_vr_little_endian() {
    check("deflated");
}

#[test]
fn rle_lossless() {
    check("rle");
}

#[test]
fn jpeg_lossless_process_14_sv1() {
    check("jpeg-lossless");
}

#[test]
fn jpeg_ls_lossless() {
    check("jpegls");
}

#[test]
fn jpeg_ls_near_lossless() {
    check("jpegls-near");
}

#[test]
fn jpeg_2000_lossless() {
    check("j2k-lossless");
}

#[test]
fn jpeg_2000_lossy() {
    check("j2k-lossy");
}

/// Signed 16-bit storage with per-slice slope/intercept through each codec.
fn check_signed(syntax: &str) {
    let Some(g) = dicom_common::make("rescale", syntax) else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    assert!(scan.skipped.is_empty(), "{syntax}: {:?}", scan.skipped);
    let ct = load_series(&scan.series[0], Task::none()).unwrap_or_else(|e| panic!("{syntax}: {e}"));
    g.expected().check(&ct);
}

#[test]
fn signed_rle() {
    check_signed("rle");
}

#[test]
fn signed_jpeg_lossless() {
    check_signed("jpeg-lossless");
}

#[test]
fn signed_jpeg_ls() {
    check_signed("jpegls");
}

#[test]
fn signed_jpeg_2000_lossless() {
    check_signed("j2k-lossless");
}

#[test]
fn signed_big_endian() {
    check_signed("bigendian");
}
