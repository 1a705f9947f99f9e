//! DICOM as hospitals and research archives export it (issue 17): series whose
//! UIDs were blanked or removed, uneven slice spacing with and without gantry
//! tilt, enhanced multi-frame CT and MR, classic MR. Each case is written by
//! tests/make_series.py (pydicom; dcmtk / pylibjpeg for compressed syntaxes)
//! with its expected voxels or, for the shapes, the analytic volume and the
//! slab sum of the input slices computed in Python.

mod dicom_common;

use remnant::case;
use remnant::report::Report;
use remnant::study::Study;
use remnant::task::Task;
use remnant::volume::dicom::{DicomVolume, load_series, open_path, scan_folder};
use remnant::volumetry::PlanInputs;
use remnant::workspace::{ScanSnapshot, Snapshot};

const UID_WARNING: &str = "series identified without a UID";

fn only_series(g: &dicom_common::Generated) -> DicomVolume {
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    assert!(scan.skipped.is_empty(), "{:?}", scan.skipped);
    assert_eq!(scan.series.len(), 1, "{:?}", scan.series);
    load_series(&scan.series[0], Task::none()).expect("load")
}

fn uid_less(case: &str) {
    let Some(g) = dicom_common::make(case, "explicit") else {
        return;
    };
    let v = only_series(&g);
    assert_eq!(v.series.series_instance_uid, None);
    assert!(v.series.key.starts_with("no-uid-"), "{}", v.series.key);
    assert!(v.series.notes.iter().any(|n| n.starts_with("no UID")));
    assert!(v.warnings[0].starts_with(UID_WARNING), "{:?}", v.warnings);
    assert!(v.units.is_hounsfield());
    g.expected().check(&v);
    // the same files give the same key on every scan (a case keeps it)
    let again = scan_folder(&g.data, Task::none()).expect("scan");
    assert_eq!(again.series[0].key, v.series.key);
}

#[test]
fn empty_series_and_study_uids_load_with_a_warning() {
    uid_less("no-uid-empty");
}

#[test]
fn absent_series_and_study_uids_load_with_a_warning() {
    uid_less("no-uid-absent");
}

#[test]
fn series_without_uids_are_kept_apart_from_each_other_and_from_a_normal_one() {
    let Some(g) = dicom_common::make("no-uid-mixed", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let by_name = |d: &str| {
        scan.series
            .iter()
            .find(|s| s.series_description.as_deref() == Some(d))
            .unwrap_or_else(|| panic!("{d} not found in {:?}", scan.series))
    };
    assert_eq!(scan.series.len(), 3);
    let (with, a, b) = (
        by_name("WITH UID"),
        by_name("NO UID A"),
        by_name("NO UID B"),
    );
    assert!(with.series_instance_uid.is_some());
    assert_eq!(
        (a.series_instance_uid.clone(), b.series_instance_uid.clone()),
        (None, None)
    );
    assert_ne!(a.key, b.key);
    assert_eq!(
        (with.image_count, a.image_count, b.image_count),
        (12, 10, 8)
    );
    let va = open_path(&g.data, Some(&a.key), Task::none()).expect("open A by its key");
    assert_eq!(va.series.key, a.key);
    assert!(va.warnings[0].starts_with(UID_WARNING), "{:?}", va.warnings);
    g.expected().check(&va);
    let vw = open_path(&g.data, with.series_instance_uid.as_deref(), Task::none()).expect("open");
    assert!(
        !vw.warnings.iter().any(|w| w.starts_with(UID_WARNING)),
        "{:?}",
        vw.warnings
    );
    assert_eq!(vw.volume.dims(), [40, 32, 12]);
}

#[test]
fn a_case_on_a_series_without_uid_reopens_that_series() {
    let Some(g) = dicom_common::make("no-uid-mixed", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let b = scan
        .series
        .iter()
        .find(|s| s.series_description.as_deref() == Some("NO UID B"))
        .expect("series B");
    // the folder alone does not say which series
    assert!(Study::open(&g.data, Task::none()).is_err());
    let study = Study::open_series(&g.data, Some(&b.key), Task::none()).expect("open B");
    assert_eq!(study.ct.dims(), [40, 32, 8]);
    let case_path = g.tmp.path().join("case.json");
    let mut snap = Snapshot::of_parts(
        Some((&g.data, &study.labels)),
        &PlanInputs::default(),
        None,
        &Report::default(),
    );
    snap.scan = Some(ScanSnapshot::of(&study));
    case::save(&case_path, &snap).expect("save case");
    let opened = case::open(&case_path).expect("open case");
    assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
    assert_eq!(opened.scan_series.as_deref(), Some(b.key.as_str()));
    let sp = opened.scan_path.expect("scan path");
    let again = Study::open_series(&sp, opened.scan_series.as_deref(), Task::none())
        .expect("reopen the case's series");
    assert_eq!(
        again.series.as_ref().map(|s| s.key.clone()),
        Some(b.key.clone())
    );
    assert_eq!(again.ct.as_slice(), study.ct.as_slice());
    assert_eq!(again.ct.geometry.affine, study.ct.geometry.affine);
    // the app reopens the same series from the case, without asking
    let mut app = remnant::ui::RemnantApp::new(None);
    app.apply(remnant::ui::AppCommand::FileChosen(
        remnant::ui::Purpose::OpenCase,
        case_path.clone(),
    ));
    app.wait_for_jobs();
    assert!(app.error.is_none(), "{:?}", app.error);
    assert!(app.dicom.picker.is_none(), "no series picker");
    let s = app.ws.study.as_ref().expect("the case's series is open");
    assert_eq!(
        s.series.as_ref().map(|x| x.key.clone()),
        Some(b.key.clone())
    );
    assert_eq!(s.ct.as_slice(), study.ct.as_slice());
}

/// The facts make_series.py wrote for a shape case.
struct Shape {
    threshold: i16,
    analytic_mm3: f64,
    slab_sum_mm3: f64,
}

fn shape_facts(g: &dicom_common::Generated) -> Shape {
    let p = g.tmp.path().join(format!("{}.shape.json", g.case));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p).expect("shape.json")).expect("json");
    Shape {
        threshold: v["threshold"].as_i64().expect("threshold") as i16,
        analytic_mm3: v["analytic_mm3"].as_f64().expect("analytic"),
        slab_sum_mm3: v["slab_sum_mm3"].as_f64().expect("slab"),
    }
}

/// Volume (mm3) of the voxels at or above `threshold`: count x |det|.
fn thresholded_mm3(v: &DicomVolume, threshold: i16) -> f64 {
    let n = v
        .volume
        .as_slice()
        .iter()
        .filter(|&&x| x >= threshold)
        .count();
    n as f64 * v.volume.geometry.voxel_volume_mm3()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b
}

/// Load a shape case; its thresholded volume must be within 1 % of the slab
/// sum of the input slices and of the analytic ellipsoid volume.
fn shape_case(case: &str) -> Option<DicomVolume> {
    let g = dicom_common::make(case, "explicit")?;
    let v = only_series(&g);
    let f = shape_facts(&g);
    let got = thresholded_mm3(&v, f.threshold);
    println!(
        "{case}: {got:.1} mm3, slab sum {:.1}, analytic {:.1}",
        f.slab_sum_mm3, f.analytic_mm3
    );
    assert!(
        rel(got, f.slab_sum_mm3) < 0.01,
        "{got} vs slab sum {}",
        f.slab_sum_mm3
    );
    assert!(
        rel(got, f.analytic_mm3) < 0.01,
        "{got} vs analytic {}",
        f.analytic_mm3
    );
    Some(v)
}

#[test]
fn uneven_spacing_is_resampled_and_keeps_the_volume() {
    let Some(v) = shape_case("uneven") else {
        return;
    };
    assert!(v.resampled);
    let g = &v.volume.geometry;
    // the most common step (4 mm) along the normal; 0 .. 148 mm (the last image
    // is at 151.08 mm: nothing is extrapolated beyond it)
    assert!((g.spacing()[2] - 4.0).abs() < 1e-6, "{:?}", g.spacing());
    assert_eq!(g.dims, [80, 80, 38]);
    assert!(
        v.warnings[0].starts_with(
            "uneven slice spacing: steps of 1.080 mm x 1, 4.000 mm x 34, 7.000 mm x 2"
        ),
        "{:?}",
        v.warnings
    );
    assert!(v.warnings[0].contains("the last 3.080 mm up to the last image are not extrapolated"));
    // the two 7 mm steps (> 1.5 x 4 mm) are gaps: warned, and their grid slices flagged
    let gaps: Vec<&String> = v
        .warnings
        .iter()
        .filter(|w| w.starts_with("gap: about 1 slice missing"))
        .collect();
    assert_eq!(gaps.len(), 2, "{:?}", v.warnings);
    // grid slices inside the two 7 mm steps that straddle two slabs (88 mm lies
    // within the slab of the image at 88.08 mm: that image itself)
    assert_eq!(v.filled_slices, vec![21, 23]);
    assert!(
        v.series
            .notes
            .iter()
            .any(|n| n == "uneven spacing: resampled to 4.000 mm")
    );
}

/// Each object of an `uneven-balls` / `uneven-liver` case: its volume above
/// the threshold on the grid (voxels in its own columns, count x |det|) is
/// within 1 % of the slab sum of the input slices (issue 30 item 8).
fn objects_keep_their_slab_sum(case: &str) {
    let Some(g) = dicom_common::make(case, "explicit") else {
        return;
    };
    let v = only_series(&g);
    assert!(v.resampled);
    let p = g.tmp.path().join(format!("{case}.objects.json"));
    let facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p).expect("objects.json")).expect("json");
    let threshold = facts["threshold"].as_i64().expect("threshold") as i16;
    let cols = v.volume.dims()[0];
    let voxel = v.volume.geometry.voxel_volume_mm3();
    for o in facts["objects"].as_array().expect("objects") {
        let (lo, hi) = (
            o["cols"][0].as_u64().expect("lo") as usize,
            o["cols"][1].as_u64().expect("hi") as usize,
        );
        let slab = o["slab_sum_mm3"].as_f64().expect("slab");
        let n = v
            .volume
            .as_slice()
            .iter()
            .enumerate()
            .filter(|&(i, &x)| (lo..hi).contains(&(i % cols)) && x >= threshold)
            .count();
        let got = n as f64 * voxel;
        println!("{case} {}: {got:.1} mm3, slab sum {slab:.1}", o["name"]);
        assert!(
            rel(got, slab) < 0.01,
            "{case} {}: {got:.1} mm3 vs slab sum {slab:.1} ({:.2} %)",
            o["name"],
            100.0 * (got - slab) / slab
        );
    }
}

#[test]
fn tumour_sized_balls_on_uneven_slices_keep_the_slab_sum() {
    objects_keep_their_slab_sum("uneven-balls");
}

#[test]
fn a_liver_sized_organ_on_uneven_slices_keeps_the_slab_sum() {
    objects_keep_their_slab_sum("uneven-liver");
}

#[test]
fn uneven_spacing_with_gantry_tilt_is_resampled_along_the_table() {
    let Some(v) = shape_case("uneven-tilt") else {
        return;
    };
    assert!(v.resampled);
    assert!(
        v.warnings
            .iter()
            .any(|w| w.starts_with("gantry tilt: the slices are stepped 15.00 degrees"))
    );
    // the grid steps along the table: 4 mm along the normal, 4 tan(15) sideways
    let a = v.volume.geometry.affine;
    let step = [a[0][2], a[1][2], a[2][2]];
    assert!((step[2] - 4.0).abs() < 1e-6, "{step:?}");
    assert!(
        (step[1].abs() - 4.0 * 15f64.to_radians().tan()).abs() < 1e-6,
        "{step:?}"
    );
}

#[test]
fn even_spacing_with_gantry_tilt_keeps_the_exact_sheared_grid() {
    let Some(g) = dicom_common::make("even-tilt-shape", "explicit") else {
        return;
    };
    let v = only_series(&g);
    assert!(!v.resampled);
    assert!(v.filled_slices.is_empty());
    assert_eq!(v.volume.dims()[2], 38);
    let f = shape_facts(&g);
    // every image is a slice of the volume: the slab sum exactly
    assert!(rel(thresholded_mm3(&v, f.threshold), f.slab_sum_mm3) < 1e-9);
}

fn enhanced(case: &str, syntax: &str) -> Option<DicomVolume> {
    let g = dicom_common::make(case, syntax)?;
    let v = only_series(&g);
    assert_eq!(v.series.frames_in_file, 14);
    assert_eq!(v.series.files.len(), 1);
    assert!(
        v.series
            .notes
            .iter()
            .any(|n| n == "enhanced multi-frame (14 frames)")
    );
    g.expected().check(&v);
    Some(v)
}

#[test]
fn enhanced_multi_frame_ct_reads_as_a_volume() {
    if let Some(v) = enhanced("enhanced-ct", "explicit") {
        assert!(v.units.is_hounsfield());
        assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    }
}

#[test]
fn enhanced_multi_frame_ct_compressed_reads_as_a_volume() {
    enhanced("enhanced-ct", "j2k-lossless");
    enhanced("enhanced-ct", "rle");
}

#[test]
fn enhanced_multi_frame_mr_reads_as_a_volume_of_intensities() {
    let Some(v) = enhanced("enhanced-mr", "explicit") else {
        return;
    };
    assert_eq!(v.units.modality, "MR");
    assert!(!v.units.is_hounsfield());
    assert_eq!(v.units.describe(), "intensity (arbitrary units)");
    assert!(
        v.warnings[0].starts_with(
            "modality MR: the values are an intensity (arbitrary units), not Hounsfield units"
        ),
        "{:?}",
        v.warnings
    );
    enhanced("enhanced-mr", "jpegls");
}

#[test]
fn classic_mr_opens_with_intensity_units_and_percentile_windows() {
    let Some(g) = dicom_common::make("mr", "explicit") else {
        return;
    };
    let v = only_series(&g);
    g.expected().check(&v);
    assert_eq!(v.units.modality, "MR");
    assert_eq!(v.units.symbol(), "a.u.");
    // windows from the image's own percentiles, within its value range
    let (lo, hi) = v
        .volume
        .as_slice()
        .iter()
        .fold((i16::MAX, i16::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    assert_eq!(v.units.windows.len(), 2);
    for w in &v.units.windows {
        let (a, b) = (w.level - w.width / 2.0, w.level + w.width / 2.0);
        assert!(
            a >= f32::from(lo) && b <= f32::from(hi) && w.width > 100.0,
            "{w:?} in {lo}..{hi}"
        );
    }
    // volumetry is unchanged: voxel count x voxel volume, whatever the units
    let study = Study::open(&g.data, Task::none()).expect("study");
    assert_eq!(study.units, v.units);
    assert!((study.ct.geometry.voxel_volume_mm3() - 0.7 * 0.8 * 2.5).abs() < 1e-9);
}
