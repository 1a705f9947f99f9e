//! `remnant convert` and `remnant volumetry --ct DIR` end to end on synthetic
//! series: the NIfTI written, the series choice, warnings on stderr, and the
//! documented errors (exit status 1, one line, never a panic).

mod dicom_common;

use std::path::Path;
use std::process::{Command, Output};

use remnant::task::Task;
use remnant::volume::dicom::{load_series, scan_folder};
use remnant::volume::nifti::{read_ct, write_volume};

fn remnant(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_remnant"))
        .args(args)
        .output()
        .expect("run remnant")
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Exit status 1 and one error line naming `what`; no panic message.
fn assert_refused(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("remnant: error: "))
        .unwrap_or_else(|| panic!("no error line: {err}"));
    assert!(line.contains(what), "{line}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn convert_writes_the_series_as_nifti() {
    let Some(g) = dicom_common::make("oblique", "explicit") else {
        return;
    };
    let out = g.tmp.path().join("ct.nii.gz");
    let r = remnant(&[
        os("convert"),
        os("--dicom"),
        g.data.as_os_str(),
        os("--out"),
        out.as_os_str(),
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let said = text(&r.stdout);
    assert!(said.starts_with("wrote "), "{said}");
    assert!(said.contains("40 x 32 x 12 voxels"), "{said}");
    // Read back with Remnant's own NIfTI reader: the expected voxels and affine.
    let (vol, _) = read_ct(&out, Task::none()).expect("read back");
    let e = g.expected();
    assert_eq!(vol.dims(), e.dims);
    assert_eq!(vol.as_slice(), e.voxels.as_slice());
    for r in 0..3 {
        for c in 0..4 {
            let d = (vol.geometry.affine[r][c] - e.affine[r][c]).abs();
            assert!(d < 1e-3, "affine[{r}][{c}] off by {d}");
        }
    }
}

#[test]
fn convert_with_two_series_needs_series_and_lists_them() {
    let Some(g) = dicom_common::make("two-series", "explicit") else {
        return;
    };
    let out = g.tmp.path().join("ct.nii");
    let base = [
        os("convert"),
        os("--dicom"),
        g.data.as_os_str(),
        os("--out"),
        out.as_os_str(),
    ];
    let r = remnant(&base);
    assert_refused(
        &r,
        "holds 2 image series; choose one by its SeriesInstanceUID",
    );
    assert!(text(&r.stderr).contains("(pass it with --series UID)"));
    assert!(!out.exists());

    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let coronal = &scan.series[1].key;
    let listed = remnant(&[
        os("convert"),
        os("--dicom"),
        g.data.as_os_str(),
        os("--list"),
    ]);
    assert!(listed.status.success());
    let list = text(&listed.stdout);
    for s in &scan.series {
        assert!(list.contains(&format!("series {}", s.key)), "{list}");
    }
    assert!(list.contains("\"CORONAL\""), "{list}");
    assert!(list.contains("patient TEST, PATIENT Q, RM0001"), "{list}");

    let mut with = base.to_vec();
    with.extend([os("--series"), os(coronal)]);
    let r = remnant(&with);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let (vol, _) = read_ct(&out, Task::none()).expect("read back");
    assert_eq!(vol.dims(), [40, 32, 10]);

    let mut wrong = base.to_vec();
    wrong.extend([os("--series"), os("1.2.3.4")]);
    assert_refused(&remnant(&wrong), "no series with SeriesInstanceUID 1.2.3.4");
}

#[test]
fn convert_warns_on_stderr_about_gaps_and_skipped_files() {
    let Some(g) = dicom_common::make("broken", "explicit") else {
        return;
    };
    // The broken folder holds two series (the main one and a nested one).
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let main = scan
        .series
        .iter()
        .find(|s| s.image_count == 11)
        .expect("main series");
    let out = g.tmp.path().join("ct.nii.gz");
    let r = remnant(&[
        os("convert"),
        os("--dicom"),
        g.data.as_os_str(),
        os("--series"),
        os(&main.key),
        os("--out"),
        out.as_os_str(),
    ]);
    let err = text(&r.stderr);
    assert!(r.status.success(), "{err}");
    assert!(
        err.contains("remnant: warning: 5 files skipped: 3 not a DICOM file"),
        "{err}"
    );
    assert!(
        err.contains("remnant: warning: gap: 1 slice missing"),
        "{err}"
    );
    let (vol, _) = read_ct(&out, Task::none()).expect("read back");
    assert_eq!(vol.dims(), [40, 32, 12]);
}

#[test]
fn convert_refuses_what_is_not_a_series() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("notes.txt"), "not dicom").expect("write");
    let out = d.path().join("ct.nii.gz");
    let args = |dir: &Path, out: &Path| {
        remnant(&[
            os("convert"),
            os("--dicom"),
            dir.as_os_str(),
            os("--out"),
            out.as_os_str(),
        ])
    };
    assert_refused(&args(d.path(), &out), "no DICOM image series found in");
    assert!(text(&args(d.path(), &out).stderr).contains("(1 file skipped: 1 not a DICOM file)"));
    assert_refused(&args(&d.path().join("missing"), &out), "not a folder");
    assert_refused(
        &args(d.path(), &d.path().join("ct.nrrd")),
        "the name must end in .nii or .nii.gz",
    );
    assert_refused(
        &remnant(&[os("convert"), os("--out"), out.as_os_str()]),
        "--dicom is required",
    );
}

#[test]
fn convert_refuses_a_series_that_is_no_volume() {
    let Some(g) = dicom_common::make("localizer", "explicit") else {
        return;
    };
    let out = g.tmp.path().join("ct.nii.gz");
    let r = remnant(&[
        os("convert"),
        os("--dicom"),
        g.data.as_os_str(),
        os("--out"),
        out.as_os_str(),
    ]);
    assert_refused(&r, "the series mixes image orientations");
    assert!(!out.exists());
}

#[test]
fn volumetry_takes_a_dicom_folder_as_ct() {
    let Some(g) = dicom_common::make("gap", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let ct = load_series(&scan.series[0], Task::none()).expect("load");
    // A liver mask on the DICOM grid: voxels above 100 HU.
    let mask: Vec<u8> = ct
        .volume
        .as_slice()
        .iter()
        .map(|&v| u8::from(v > 100))
        .collect();
    let inside = mask.iter().filter(|&&m| m == 1).count();
    assert!(inside > 0);
    let mp = g.tmp.path().join("liver.nii.gz");
    write_volume(&mp, &mask, &ct.volume.geometry, None, "test mask").expect("mask");
    let r = remnant(&[
        os("volumetry"),
        os("--ct"),
        g.data.as_os_str(),
        os("--liver-mask"),
        mp.as_os_str(),
        os("--json"),
    ]);
    let err = text(&r.stderr);
    assert!(r.status.success(), "{err}");
    assert!(
        err.contains("remnant: warning: gap: 1 slice missing"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).expect("json");
    assert_eq!(
        v["ct"]["affine_source"],
        "DICOM patient position/orientation"
    );
    assert_eq!(v["ct"]["dims"], serde_json::json!([40, 32, 12]));
    assert_eq!(v["counts"]["total"], inside);
    let ml = inside as f64 * 0.7 * 0.8 * 2.5 / 1000.0;
    assert!((v["volumes"]["total_ml"].as_f64().expect("ml") - ml).abs() < 1e-6);
    let warnings = v["warnings"].as_array().expect("warnings");
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().is_some_and(|s| s.starts_with("gap"))),
        "{warnings:?}"
    );

    // --series only goes with a DICOM --ct.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/ct.nii.gz");
    assert_refused(
        &remnant(&[
            os("volumetry"),
            os("--ct"),
            sample.as_os_str(),
            os("--series"),
            os("1.2"),
            os("--liver-mask"),
            mp.as_os_str(),
        ]),
        "--series chooses a series of a DICOM --ct folder",
    );
}
