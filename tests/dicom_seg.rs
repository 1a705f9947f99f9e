//! DICOM SEG to and from other systems (issue 19, item 3): the sample's layers on
//! a DICOM series written as SEG and read back by highdicom voxel for voxel with
//! the referenced UIDs; a SEG written by highdicom imported into the same layers;
//! dciodvfy (dicom3tools) finds no error; a NIfTI scan's SEG gets new UIDs; a SEG
//! on another grid is resampled, one elsewhere refused. Python (numpy, nibabel,
//! pydicom, highdicom) and dciodvfy come from scripts/test.sh; missing, the tests
//! skip, or fail under CI=true or REMNANT_REQUIRE_TOOLS=1 (`common/tools.rs`).

mod dicom_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use remnant::seg::{SegError, import_seg, read_seg, write_seg};
use remnant::segmentation::io::import_mask;
use remnant::segmentation::{LabelMap, Layer};
use remnant::study::Study;
use remnant::task::Task;
use remnant::volume::nifti::{MaskSelect, read_labels};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/seg_interop.py");
const BIN: &str = env!("CARGO_BIN_EXE_remnant");

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join(name)
}

fn python_ready() -> bool {
    dicom_common::tools::python(&["numpy", "nibabel", "pydicom", "highdicom"]).is_some()
}

fn py(args: &[&std::ffi::OsStr]) {
    let out = Command::new("python3")
        .arg(SCRIPT)
        .args(args)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "seg_interop.py {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// dciodvfy's error lines for `path` (warnings are allowed).
fn dciodvfy_errors(path: &Path) -> Option<Vec<String>> {
    let dciodvfy = dicom_common::tools::tool("dciodvfy")?;
    // (dciodvfy's exit status does not say whether it found errors: its Error lines do)
    let out = Command::new(dciodvfy)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("dciodvfy could not be started: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // but it must have run: not killed, and it printed its findings (it prints nothing
    // for a file it cannot read at all)
    assert!(
        out.status.code().is_some() && !text.trim().is_empty(),
        "dciodvfy did not run ({}): {text}",
        out.status
    );
    Some(
        text.lines()
            .filter(|l| l.starts_with("Error"))
            .map(str::to_string)
            .collect(),
    )
}

/// The sample CT as a DICOM series, opened as a study.
fn sample_series(dir: &Path) -> (PathBuf, Study) {
    let ser = dir.join("series");
    py(&[
        os("dicomize"),
        sample("ct.nii.gz").as_os_str(),
        ser.as_os_str(),
    ]);
    let study = Study::open(&ser, Task::none()).expect("open the series");
    (ser, study)
}

fn raw(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("raw mask")
}

#[test]
fn sample_layers_as_seg_read_back_by_highdicom_voxel_for_voxel_with_their_references() {
    if !python_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ser, mut study) = sample_series(dir.path());
    let g = study.ct.geometry.clone();
    assert_eq!(g.dims, [122, 101, 30]);
    // the sample's liver, a resection (i < 50 inside the liver), a tumour ball
    import_mask(
        &sample("liver.nii.gz"),
        MaskSelect::NonZero,
        Layer::Liver,
        &mut study.labels,
        Task::none(),
    )
    .expect("liver");
    let liver = study.labels.layer_mask(Layer::Liver);
    assert_eq!(liver.iter().filter(|&&v| v != 0).count(), 38_634);
    let [nx, ny, nz] = g.dims;
    let centre = (0..liver.len())
        .filter(|&i| liver[i] != 0)
        .nth(20_000)
        .unwrap();
    let (ci, cj, ck) = (centre % nx, centre / nx % ny, centre / (nx * ny));
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                let idx = g.index(i, j, k);
                if liver[idx] == 0 {
                    continue;
                }
                if i < 50 {
                    study.labels.bits[idx] |= Layer::Resection.bit();
                }
                let d2 = (i as i64 - ci as i64).pow(2)
                    + (j as i64 - cj as i64).pow(2)
                    + (k as i64 - ck as i64).pow(2);
                if d2 <= 16 {
                    study.labels.bits[idx] |= Layer::Tumour.bit();
                }
            }
        }
    }
    let bits = study.labels.bits.clone();
    let (l, r, t) = (
        Layer::Liver.bit(),
        Layer::Resection.bit(),
        Layer::Tumour.bit(),
    );
    let expect =
        |f: &dyn Fn(u8) -> bool| -> Vec<u8> { bits.iter().map(|&b| u8::from(f(b))).collect() };
    let want = [
        ("Liver", expect(&|b| b & (l | t) != 0)),
        (
            "Planned resection",
            expect(&|b| b & (l | t) != 0 && b & r != 0),
        ),
        ("Tumour", expect(&|b| b & t != 0)),
        (
            "Future liver remnant",
            expect(&|b| b & (l | t) != 0 && b & (r | t) == 0),
        ),
    ];
    assert!(want.iter().all(|(_, m)| m.iter().any(|&v| v != 0)));

    let seg = dir.path().join("seg.dcm");
    let refs = study.dicom_refs.as_ref().expect("DICOM references kept");
    let w = write_seg(&seg, &study.labels, Some(refs)).expect("write");
    assert!(w.warnings.is_empty(), "{:?}", w.warnings);
    assert_eq!(w.referenced_images, 30);

    let prefix = dir.path().join("hd");
    py(&[
        os("read"),
        seg.as_os_str(),
        ser.as_os_str(),
        prefix.as_os_str(),
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(prefix.with_extension("json")).unwrap())
            .unwrap();
    assert_eq!(json["sop_class"], "1.2.840.10008.5.1.4.1.1.66.4");
    assert_eq!(json["segmentation_type"], "BINARY");
    assert_eq!(json["study"], json["series_study"]);
    assert_eq!(
        json["frame_of_reference"],
        json["series_frame_of_reference"]
    );
    assert_eq!(json["patient_id"], "RM0001");
    assert_eq!(
        json["referenced_series"],
        serde_json::json!([json["series_uid"]])
    );
    let mut all: Vec<String> = serde_json::from_value(json["series_instances"].clone()).unwrap();
    all.sort();
    let referenced: Vec<String> =
        serde_json::from_value(json["referenced_instances"].clone()).unwrap();
    assert_eq!(referenced, all, "every source slice is referenced");
    let per_frame: Vec<Vec<String>> =
        serde_json::from_value(json["per_frame_sources"].clone()).unwrap();
    assert_eq!(per_frame.len(), w.frames);
    assert!(per_frame.iter().all(|s| s.len() == 1));
    let segs = json["segments"].as_array().unwrap();
    assert_eq!(segs.len(), 4);
    assert_eq!(segs[0]["type"], serde_json::json!(["SCT", "10200004"]));
    assert_eq!(segs[2]["type"], serde_json::json!(["SCT", "108369006"]));
    assert_eq!(segs[2]["region"], serde_json::json!(["SCT", "10200004"]));
    for (n, (label, mask)) in want.iter().enumerate() {
        assert_eq!(segs[n]["label"], *label);
        let got = raw(&dir.path().join(format!("hd.seg{}.raw", n + 1)));
        assert_eq!(got.len(), mask.len());
        let differ = got.iter().zip(mask).filter(|(a, b)| a != b).count();
        assert_eq!(differ, 0, "segment {label}: {differ} voxels differ");
    }

    if let Some(errors) = dciodvfy_errors(&seg) {
        assert!(errors.is_empty(), "dciodvfy: {errors:?}");
    }

    // and back into Remnant: the same layers
    let got = import_seg(&seg, &g, Some(refs)).expect("import");
    assert!(
        !got.resampled && got.warnings.is_empty(),
        "{:?}",
        got.warnings
    );
    let mut back = LabelMap::empty(g.clone());
    got.apply(&mut back);
    assert_eq!(back.layer_mask(Layer::Tumour), want[2].1);
    assert_eq!(back.layer_mask(Layer::Resection), want[1].1);
}

#[test]
fn a_highdicom_seg_of_a_known_mask_imports_into_the_same_layers() {
    if !python_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ser, study) = sample_series(dir.path());
    let labels = dir.path().join("known.nii.gz");
    py(&[
        os("testlabels"),
        sample("liver.nii.gz").as_os_str(),
        labels.as_os_str(),
    ]);
    let seg = dir.path().join("highdicom.dcm");
    py(&[
        os("write"),
        ser.as_os_str(),
        labels.as_os_str(),
        seg.as_os_str(),
    ]);
    let (known, _) = read_labels(&labels, Task::none()).unwrap();
    let known = known.as_slice().to_vec();

    let got = import_seg(&seg, &study.ct.geometry, study.dicom_refs.as_ref()).expect("import");
    assert!(!got.resampled, "{:?}", got.warnings);
    let s = got.summary();
    assert!(s.contains("#1 \"Liver\" -> Liver"), "{s}");
    assert!(s.contains("#2 \"Liver tumour\" -> Tumour"), "{s}");
    assert!(s.contains("ignored: #3 \"Spleen\""), "{s}");
    let mut map = LabelMap::empty(study.ct.geometry.clone());
    got.apply(&mut map);
    let liver: Vec<u8> = known.iter().map(|&v| u8::from(v == 1)).collect();
    let tumour: Vec<u8> = known.iter().map(|&v| u8::from(v == 2)).collect();
    assert!(tumour.iter().filter(|&&v| v != 0).count() > 100);
    assert_eq!(map.layer_mask(Layer::Liver), liver);
    assert_eq!(map.layer_mask(Layer::Tumour), tumour);
    assert_eq!(map.count(Layer::Resection), 0);

    // the command line: volumetry --seg
    let out = Command::new(BIN)
        .args(["volumetry", "--json", "--ct"])
        .arg(&ser)
        .arg("--seg")
        .arg(&seg)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let total = known.iter().filter(|&&v| v == 1 || v == 2).count();
    assert_eq!(v["counts"]["total"], total as u64);
    assert_eq!(
        v["counts"]["tumour"],
        tumour.iter().filter(|&&v| v != 0).count() as u64
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ignored: #3 \"Spleen\""), "{stderr}");
}

#[test]
fn a_nifti_scan_exports_with_new_uids_and_a_warning() {
    if !python_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seg = dir.path().join("nifti.dcm");
    let out = Command::new(BIN)
        .args(["convert", "--ct"])
        .arg(sample("ct.nii.gz"))
        .arg("--labels")
        .arg(sample("liver.nii.gz"))
        .arg("--seg-out")
        .arg(&seg)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "remnant: warning: the scan is not from DICOM: the SEG gets a new Study Instance UID"
        ),
        "{stderr}"
    );
    let f = read_seg(&seg).unwrap();
    assert!(
        f.study_instance_uid
            .as_deref()
            .unwrap()
            .starts_with("2.25.")
    );
    assert!(
        f.frame_of_reference_uid
            .as_deref()
            .unwrap()
            .starts_with("2.25.")
    );
    assert!(f.referenced_series.is_empty());
    if let Some(errors) = dciodvfy_errors(&seg) {
        assert!(errors.is_empty(), "dciodvfy: {errors:?}");
    }
    // back onto the NIfTI grid: the sample liver, voxel for voxel
    let (ct, _) = read_labels(&sample("liver.nii.gz"), Task::none()).unwrap();
    let got = import_seg(&seg, &ct.geometry, None).unwrap();
    let mut map = LabelMap::empty(ct.geometry.clone());
    got.apply(&mut map);
    let want: Vec<u8> = ct.as_slice().iter().map(|&v| u8::from(v != 0)).collect();
    assert_eq!(map.layer_mask(Layer::Liver), want);
    // and highdicom reads it without source images
    let ok = Command::new("python3")
        .args([
            "-c",
            "import sys, highdicom as hd; s = hd.seg.segread(sys.argv[1]); \
             assert s.get_segment_numbers() == [1, 2], s.get_segment_numbers()",
        ])
        .arg(&seg)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn a_seg_on_another_grid_is_resampled_and_one_elsewhere_refused() {
    if !python_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seg = dir.path().join("full.dcm");
    let (ct, _) = read_labels(&sample("liver.nii.gz"), Task::none()).unwrap();
    let mut map = LabelMap::empty(ct.geometry.clone());
    map.set_layer(Layer::Liver, ct.as_slice());
    write_seg(&seg, &map, None).unwrap();

    // a scan with twice the spacing and the same origin: every second voxel
    let coarse = dir.path().join("coarse.nii.gz");
    py(&[
        os("coarse"),
        sample("ct.nii.gz").as_os_str(),
        coarse.as_os_str(),
    ]);
    let out = Command::new(BIN)
        .args(["volumetry", "--json", "--ct"])
        .arg(&coarse)
        .arg("--seg")
        .arg(&seg)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("resampled onto the scan by nearest neighbour"),
        "{stderr}"
    );
    let [nx, ny, nz] = ct.geometry.dims;
    let mut want = 0u64;
    for k in (0..nz).step_by(2) {
        for j in (0..ny).step_by(2) {
            for i in (0..nx).step_by(2) {
                want += u64::from(ct.as_slice()[ct.geometry.index(i, j, k)] != 0);
            }
        }
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["counts"]["total"], want);

    // a scan 1 m to the side: refused, saying where each lies
    let far = dir.path().join("far.nii.gz");
    py(&[
        os("shifted"),
        sample("ct.nii.gz").as_os_str(),
        far.as_os_str(),
        os("1000"),
    ]);
    let out = Command::new(BIN)
        .args(["volumetry", "--ct"])
        .arg(&far)
        .arg("--seg")
        .arg(&seg)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("does not overlap the open scan: its frames lie in"),
        "{stderr}"
    );
    let far_grid = remnant::volume::nifti::read_header(&far)
        .unwrap()
        .geometry()
        .unwrap();
    assert!(matches!(
        import_seg(&seg, &far_grid, None),
        Err(SegError::NoOverlap { .. })
    ));
}

/// The DICOM file's text value of `tag`.
fn dicom_text(obj: &dicom_object::DefaultDicomObject, tag: dicom_core::Tag) -> String {
    obj.element(tag)
        .unwrap_or_else(|e| panic!("{tag}: {e}"))
        .to_str()
        .unwrap()
        .trim_end_matches(['\0', ' '])
        .to_string()
}

/// Issue 29 item 1: `remnant report --pdf --pdf-dicom` on a case whose scan came
/// from DICOM: an Encapsulated PDF (modality DOC) in the CT's study and patient,
/// whose document is byte for byte the PDF written beside it; dciodvfy finds no error.
#[test]
fn the_report_goes_to_pacs_as_an_encapsulated_pdf_in_the_ct_study() {
    use dicom_dictionary_std::{tags, uids};
    if !python_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ser, mut study) = sample_series(dir.path());
    import_mask(
        &sample("liver.nii.gz"),
        MaskSelect::NonZero,
        Layer::Liver,
        &mut study.labels,
        Task::none(),
    )
    .expect("liver");
    let source_study = study
        .dicom_refs
        .as_ref()
        .and_then(|r| r.study_instance_uid.clone())
        .expect("the series' study UID");
    let mut report = remnant::report::Report::default();
    report.patient.patient_id = Some("typed-in-report".into());
    let mut snap = remnant::workspace::Snapshot::of_parts(
        Some((&ser, &study.labels)),
        &remnant::volumetry::PlanInputs::default(),
        None,
        &report,
    );
    snap.scan = Some(remnant::workspace::ScanSnapshot::of(&study));
    let case = dir.path().join("case.json");
    remnant::case::save(&case, &snap).unwrap();
    let (pdf, dcm) = (dir.path().join("r.pdf"), dir.path().join("r.dcm"));
    let out = Command::new(BIN)
        .args(["report", "--kind", "plan", "--input"])
        .arg(&case)
        .arg("--pdf")
        .arg(&pdf)
        .arg("--pdf-dicom")
        .arg(&dcm)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("new Study Instance UID"), "{stderr}");
    let obj = dicom_object::open_file(&dcm).expect("a DICOM file");
    assert_eq!(
        obj.meta().media_storage_sop_class_uid(),
        uids::ENCAPSULATED_PDF_STORAGE
    );
    assert_eq!(dicom_text(&obj, tags::MODALITY), "DOC");
    assert_eq!(dicom_text(&obj, tags::STUDY_INSTANCE_UID), source_study);
    // the CT's patient, not what the report has typed in
    assert_eq!(dicom_text(&obj, tags::PATIENT_ID), "RM0001");
    assert_eq!(dicom_text(&obj, tags::PATIENT_NAME), "TEST^PATIENT");
    assert_eq!(
        dicom_text(&obj, tags::MIME_TYPE_OF_ENCAPSULATED_DOCUMENT),
        "application/pdf"
    );
    assert_eq!(dicom_text(&obj, tags::BURNED_IN_ANNOTATION), "YES");
    assert_eq!(
        dicom_text(&obj, tags::DOCUMENT_TITLE),
        "Remnant liver resection plan"
    );
    let written = std::fs::read(&pdf).unwrap();
    let len = obj
        .element(tags::ENCAPSULATED_DOCUMENT_LENGTH)
        .unwrap()
        .to_int::<u32>()
        .unwrap() as usize;
    let doc = obj
        .element(tags::ENCAPSULATED_DOCUMENT)
        .unwrap()
        .to_bytes()
        .unwrap();
    assert_eq!(len, written.len());
    assert_eq!(&doc[..len], &written[..], "the document is the PDF");
    assert!(doc.len() == len || (doc.len() == len + 1 && doc[len] == 0));
    if let Some(errors) = dciodvfy_errors(&dcm) {
        assert!(errors.is_empty(), "dciodvfy: {errors:?}");
    }
}

/// A NIfTI scan has no study or patient of its own: a new study, the patient as
/// typed in the report, and a warning saying PACS will file it apart.
#[test]
fn a_nifti_case_report_goes_to_a_new_study_with_the_typed_patient_and_a_warning() {
    use dicom_dictionary_std::tags;
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case.json");
    let dcm = dir.path().join("r.dcm");
    let mut child = Command::new(BIN)
        .args(["session", "--autosave-dir"])
        .arg(dir.path().join("autosave"))
        .env("REMNANT_CONFIG_DIR", dir.path().join("config"))
        .arg("--ct")
        .arg(sample("ct.nii.gz"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "report patient-id RM-42").unwrap();
        writeln!(stdin, "report patient-name Doe^Jane").unwrap();
        writeln!(stdin, "save-case {}", case.display()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("error"), "{stdout}");
    let out = Command::new(BIN)
        .args(["report", "--input"])
        .arg(&case)
        .arg("--pdf-dicom")
        .arg(&dcm)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "remnant: warning: the scan is not from DICOM: the document gets a new Study \
             Instance UID"
        ),
        "{stderr}"
    );
    let obj = dicom_object::open_file(&dcm).expect("a DICOM file");
    assert!(dicom_text(&obj, tags::STUDY_INSTANCE_UID).starts_with("2.25."));
    assert_eq!(dicom_text(&obj, tags::PATIENT_ID), "RM-42");
    assert_eq!(dicom_text(&obj, tags::PATIENT_NAME), "Doe^Jane");
    let doc = obj
        .element(tags::ENCAPSULATED_DOCUMENT)
        .unwrap()
        .to_bytes()
        .unwrap();
    assert!(doc.starts_with(b"%PDF-"));
    if let Some(errors) = dciodvfy_errors(&dcm) {
        assert!(errors.is_empty(), "dciodvfy: {errors:?}");
    }
}

/// Issue 29 item 2: `remnant convert --seg-out --sr-out` on a DICOM series: a TID 1500
/// measurement report whose volumes equal `remnant volumetry --json`'s to 0.1 mL, each
/// group referencing the SEG instance and its segment number and the source CT series;
/// dciodvfy finds no error and highdicom reads the measurement groups back.
#[test]
fn the_volumes_go_to_pacs_as_a_tid_1500_report_referencing_the_seg() {
    if !python_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ser, mut study) = sample_series(dir.path());
    import_mask(
        &sample("liver.nii.gz"),
        MaskSelect::NonZero,
        Layer::Liver,
        &mut study.labels,
        Task::none(),
    )
    .expect("liver");
    // a resection (i < 50 inside the liver) and a tumour ball in the remnant
    let g = study.ct.geometry.clone();
    let liver = study.labels.layer_mask(Layer::Liver);
    let inside: Vec<usize> = (0..liver.len()).filter(|&i| liver[i] != 0).collect();
    let [nx, ny, _] = g.dims;
    let ijk = |i: usize| [i % nx, i / nx % ny, i / (nx * ny)];
    let c = ijk(inside[inside.len() * 3 / 4]);
    for &idx in &inside {
        let p = ijk(idx);
        if p[0] < 50 {
            study.labels.bits[idx] |= Layer::Resection.bit();
        }
        let d2: i64 = (0..3).map(|a| (p[a] as i64 - c[a] as i64).pow(2)).sum();
        if d2 <= 9 {
            study.labels.bits[idx] |= Layer::Tumour.bit();
        }
    }
    let labels = dir.path().join("labels.nii.gz");
    remnant::segmentation::io::save_labels(&labels, &study.labels, None).unwrap();
    let (seg, sr) = (dir.path().join("seg.dcm"), dir.path().join("sr.dcm"));
    let out = Command::new(BIN)
        .args(["convert", "--dicom"])
        .arg(&ser)
        .arg("--labels")
        .arg(&labels)
        .arg("--seg-out")
        .arg(&seg)
        .arg("--sr-out")
        .arg(&sr)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = Command::new(BIN)
        .args(["volumetry", "--json", "--ct"])
        .arg(&ser)
        .arg("--labels")
        .arg(&labels)
        .output()
        .unwrap();
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let ml = |k: &str| v["volumes"][k].as_f64().unwrap_or_else(|| panic!("{k}"));
    let f = read_seg(&seg).unwrap();
    let series_uid = study
        .dicom_refs
        .as_ref()
        .and_then(|r| r.series_instance_uid.clone())
        .unwrap();
    // highdicom reads the groups: (tracking id, SEG instance, segment number, source
    // series, volume in cm3, unit)
    let script = "import sys, json, highdicom as hd\n\
        sr = hd.sr.srread(sys.argv[1])\n\
        out = []\n\
        for g in sr.content.get_volumetric_roi_measurement_groups():\n\
        \x20   r = g.referenced_segment\n\
        \x20   m = g.get_measurements()[0]\n\
        \x20   out.append([g.tracking_identifier, r.referenced_sop_instance_uid,\n\
        \x20               int(r.referenced_segment_numbers[0]),\n\
        \x20               r.source_series_for_segmentation.UID, float(m.value), m.unit.value])\n\
        for g in sr.content.get_image_measurement_groups():\n\
        \x20   for m in g.get_measurements():\n\
        \x20       out.append([m.name.value, float(m.value), m.unit.value, m.method.meaning])\n\
        print(json.dumps(out))\n";
    let hd = Command::new("python3")
        .args(["-c", script])
        .arg(&sr)
        .output()
        .unwrap();
    assert!(
        hd.status.success(),
        "{}",
        String::from_utf8_lossy(&hd.stderr)
    );
    let groups: Vec<serde_json::Value> = serde_json::from_slice(&hd.stdout).unwrap();
    let want = [
        ("Liver", ml("total_ml")),
        ("Planned resection", ml("resected_ml")),
        ("Tumour", ml("tumour_ml")),
        ("Future liver remnant", ml("remnant_ml")),
    ];
    // four segment groups, then the FLR (the CT alone gives no sFLR: no height or weight)
    assert_eq!(groups.len(), want.len() + 1, "{groups:?}");
    let flr = &groups[want.len()];
    assert_eq!(flr[0], "FLR", "{flr}");
    let json_flr = v["flr_percent"].as_f64().unwrap();
    assert!(
        (flr[1].as_f64().unwrap() - json_flr).abs() < 0.05,
        "{flr} vs {json_flr}"
    );
    assert_eq!(flr[2], "%");
    assert_eq!(flr[3], "Remnant / (total liver - tumour) volume");
    for (g, (label, want_ml)) in groups.iter().zip(want) {
        assert_eq!(g[0], label, "{g}");
        assert_eq!(g[1].as_str(), f.sop_instance_uid.as_deref(), "{g}");
        let number = g[2].as_u64().unwrap() as u16;
        let seg_label = &f
            .segments
            .iter()
            .find(|s| s.number == number)
            .unwrap()
            .label;
        assert_eq!(seg_label, label, "{g}: segment {number} of the SEG");
        assert_eq!(g[3], series_uid.as_str(), "{g}: the source CT series");
        assert!(
            (g[4].as_f64().unwrap() - want_ml).abs() < 0.1,
            "{g} vs {want_ml} mL"
        );
        assert_eq!(g[5], "cm3");
    }
    println!(
        "resected {} mL, tumour {} mL, remnant {} mL",
        ml("resected_ml"),
        ml("tumour_ml"),
        ml("remnant_ml")
    );
    assert!(ml("resected_ml") > 1.0 && ml("tumour_ml") > 0.5);
    if let Some(errors) = dciodvfy_errors(&sr) {
        assert!(errors.is_empty(), "dciodvfy: {errors:?}");
    }
}

/// Landmarks placed: the Couinaud segments follow the layers, 4a / 4b carry segment IV
/// with the superior / inferior modifier, and dciodvfy finds no error.
#[test]
fn couinaud_segments_in_the_seg_are_valid_dicom() {
    use dicom_dictionary_std::tags;
    use remnant::segments::phantom::{phantom, phantom_landmarks};
    let (g, bits) = phantom(&[([30.0, 20.0, 20.0], 8.0)]);
    let c = remnant::segments::compute(&phantom_landmarks(), &bits, &g).unwrap();
    let mut labels = LabelMap::empty(g);
    labels.bits = bits;
    let dir = tempfile::tempdir().unwrap();
    let seg = dir.path().join("seg.dcm");
    let w = remnant::seg::write_seg_segments(&seg, &labels, Some(&c.map), None).unwrap();
    assert_eq!(
        w.segments.len(),
        3 + 9,
        "liver, tumour, remnant and 9 segments"
    );
    let obj = dicom_object::open_file(&seg).unwrap();
    let items = obj
        .element(tags::SEGMENT_SEQUENCE)
        .unwrap()
        .items()
        .unwrap();
    let label = |i: &dicom_object::InMemDicomObject| {
        i.element(tags::SEGMENT_LABEL)
            .unwrap()
            .to_str()
            .unwrap()
            .trim()
            .to_string()
    };
    let modifier = |i: &dicom_object::InMemDicomObject| {
        i.element(tags::SEGMENTED_PROPERTY_TYPE_MODIFIER_CODE_SEQUENCE)
            .ok()
            .map(|e| {
                let m = &e.items().unwrap()[0];
                m.element(tags::CODE_MEANING)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .trim()
                    .to_string()
            })
    };
    let s4a = items
        .iter()
        .find(|i| label(i) == "Couinaud segment 4a")
        .unwrap();
    let s4b = items
        .iter()
        .find(|i| label(i) == "Couinaud segment 4b")
        .unwrap();
    let s7 = items
        .iter()
        .find(|i| label(i) == "Couinaud segment 7")
        .unwrap();
    assert_eq!(modifier(s4a).as_deref(), Some("Superior"));
    assert_eq!(modifier(s4b).as_deref(), Some("Inferior"));
    assert_eq!(modifier(s7), None);
    if let Some(errors) = dciodvfy_errors(&seg) {
        assert!(errors.is_empty(), "dciodvfy: {errors:?}");
    }
}
