//! Export as exercise without the patient: a case on a DICOM series (made with pydicom
//! by tests/make_series.py: patient TEST^PATIENT^Q, ID RM0001, born 19600101,
//! accession ACC42), its report filled from the DICOM header plus a surgeon, a date and
//! free text, is exported with `remnant exercise export`; EVERY byte of every file of
//! the export (gzip members inflated too) is searched for those identifiers and the
//! series' UIDs: none is there. The export is an exercise (`remnant exercise check`),
//! and bad inputs are refused with exit 1, a message naming the problem, nothing lost.

mod common;
mod dicom_common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn remnant(args: &[&std::ffi::OsStr], config: &Path) -> Output {
    Command::new(common::bin())
        .args(args)
        .env("REMNANT_CONFIG_DIR", config)
        .output()
        .unwrap()
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// Run a session on `ct` with `lines` on stdin; every reply must be ok.
fn session(ct: &Path, config: &Path, lines: &[String]) {
    use std::io::Write;
    let mut child = Command::new(common::bin())
        .args(["session", "--ct"])
        .arg(ct)
        .arg("--autosave-dir")
        .arg(config.join("autosave"))
        .env("REMNANT_CONFIG_DIR", config)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for l in lines {
        writeln!(stdin, "{l}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("\nerror "), "{text}");
}

/// Every file under `dir`, with its bytes and, for gzip files, the inflated bytes.
fn all_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(all_bytes(&p));
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut inflated = Vec::new();
            flate2::read::MultiGzDecoder::new(&bytes[..])
                .read_to_end(&mut inflated)
                .unwrap();
            assert!(inflated.len() > 348, "{}", p.display());
            out.push((p.with_extension("inflated"), inflated));
        }
        out.push((p, bytes));
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes().to_ascii_lowercase();
    hay.to_ascii_lowercase().windows(n.len()).any(|w| w == n)
}

/// The series' UIDs, read with pydicom from its first file.
fn uids(data: &Path) -> Vec<String> {
    let first = std::fs::read_dir(data)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_file())
        .unwrap();
    let code = format!(
        "import pydicom\nd = pydicom.dcmread({:?})\nprint(d.StudyInstanceUID, d.SeriesInstanceUID, d.FrameOfReferenceUID, d.SOPInstanceUID)",
        first.display().to_string()
    );
    let out = common::python_code(&["pydicom"], &code).expect("pydicom");
    out.split_whitespace().map(str::to_string).collect()
}

#[test]
fn an_exported_exercise_holds_none_of_the_patients_identifiers() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let config = d.path().join("config");
    let case = d.path().join("RM0001 TEST PATIENT case.json");
    session(
        &g.data,
        &config,
        &[
            "paint liver 20 16 6 6".into(),
            "paint tumour 20 16 6 2".into(),
            "report surgeon Dr Hibbert Secretname".into(),
            "report operation-date 2025-03-04".into(),
            "report findings FREETEXT about Mrs Test at home".into(),
            "planning plan-date 2025-02-28".into(),
            format!("save-case {}", case.display()),
        ],
    );
    // the case does hold them (so the test can fail)
    let case_text = std::fs::read_to_string(&case).unwrap();
    for id in [
        "RM0001",
        "ACC42",
        "1960-01-01",
        "TEST, PATIENT Q",
        "Secretname",
    ] {
        assert!(case_text.contains(id), "{id} not in the case");
    }
    let out_dir = d.path().join("exercise");
    let out = remnant(
        &[
            os("exercise"),
            os("export"),
            case.as_os_str(),
            os("--out"),
            out_dir.as_os_str(),
        ],
        &config,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("exercise exported to"), "{said}");

    let mut needles: Vec<String> = [
        "TEST^PATIENT",
        "TEST, PATIENT",
        "PATIENT^Q",
        "RM0001",
        "19600101",
        "1960-01-01",
        "ACC42",
        "20240131",
        "2024-01-31",
        "101500",
        "LIVER PROTOCOL",
        "TEST SERIES",
        "Hibbert",
        "Secretname",
        "2025-03-04",
        "2025-02-28",
        "FREETEXT",
        "Mrs Test",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    needles.extend(uids(&g.data));
    // nor where the source was: folder and case names
    needles.push(g.data.display().to_string());
    needles.push(d.path().display().to_string());
    needles.push("case.json".into());
    let files = all_bytes(&out_dir);
    let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    assert!(files.len() >= 6, "{names:?}");
    for (p, bytes) in &files {
        for n in &needles {
            assert!(!contains(bytes, n), "{n:?} found in {}", p.display());
        }
    }
    // what is there: the task, the CT and the reference, and the figures
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("exercise.json")).unwrap()).unwrap();
    assert_eq!(m["format"], "remnant.exercise/1");
    assert_eq!(m["layer"], "liver");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("report.json")).unwrap()).unwrap();
    assert!(report["liver"]["figures"]["total_ml"].as_f64().unwrap() > 0.0);
    // it opens as an exercise: CT and reference on one grid, the traced liver
    let out = remnant(&[os("exercise"), os("check"), out_dir.as_os_str()], &config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("an exercise: trace the liver"), "{said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out_dir), 0o700);
        assert_eq!(mode(&out_dir.join("ct.nii.gz")), 0o600);
    }
}

/// A series whose images say Burned In Annotation YES (text in the pixels) is not
/// exported: the message says why, nothing is written, the case is unchanged.
#[test]
fn a_series_with_burned_in_annotation_is_not_exported() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    let code = format!(
        "import pydicom, os\nd = {:?}\nfor n in os.listdir(d):\n    p = os.path.join(d, n)\n    ds = pydicom.dcmread(p)\n    ds.BurnedInAnnotation = 'YES'\n    ds.save_as(p)\nprint('ok')",
        g.data.display().to_string()
    );
    common::python_code(&["pydicom"], &code).expect("pydicom");
    let d = tempfile::tempdir().unwrap();
    let config = d.path().join("config");
    let case = d.path().join("c.json");
    session(
        &g.data,
        &config,
        &[
            "paint liver 20 16 6 6".into(),
            format!("save-case {}", case.display()),
        ],
    );
    let before = std::fs::read(&case).unwrap();
    let out_dir = d.path().join("ex");
    let out = remnant(
        &[
            os("exercise"),
            os("export"),
            case.as_os_str(),
            os("--out"),
            out_dir.as_os_str(),
        ],
        &config,
    );
    fails(&out, &["Burned In Annotation YES", "not exported"]);
    assert!(!out_dir.exists(), "something was written");
    assert_eq!(std::fs::read(&case).unwrap(), before);
}

fn fails(out: &Output, wants: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    for w in wants {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
}

#[test]
fn bad_inputs_are_named_and_lose_nothing() {
    let d = tempfile::tempdir().unwrap();
    let config = d.path().join("config");
    // not a case
    let report = d.path().join("report.json");
    std::fs::write(&report, br#"{"patient": {}}"#).unwrap();
    let out_dir = d.path().join("ex");
    let out = remnant(
        &[
            os("exercise"),
            os("export"),
            report.as_os_str(),
            os("--out"),
            out_dir.as_os_str(),
        ],
        &config,
    );
    fails(&out, &["report.json", "not a Remnant case"]);
    assert!(!out_dir.exists(), "a folder was made for nothing");
    // not an exercise
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = remnant(&[os("exercise"), os("check"), empty.as_os_str()], &config);
    fails(&out, &["empty", "is not a Remnant exercise"]);
    let bad = d.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("exercise.json"), b"{\"format\": \"other/1\"}").unwrap();
    let out = remnant(&[os("exercise"), os("check"), bad.as_os_str()], &config);
    fails(&out, &["exercise.json", "not a valid exercise manifest"]);
    // a real case; a folder holding other files; a read-only folder
    let ct = d.path().join("ct.nii.gz");
    std::fs::copy(common::sample("ct.nii.gz"), &ct).unwrap();
    let case = d.path().join("c.json");
    session(
        &ct,
        &config,
        &[
            "paint liver 60 60 20 8".into(),
            format!("save-case {}", case.display()),
        ],
    );
    let before = std::fs::read(&case).unwrap();
    let busy = d.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), b"mine").unwrap();
    let out = remnant(
        &[
            os("exercise"),
            os("export"),
            case.as_os_str(),
            os("--out"),
            busy.as_os_str(),
        ],
        &config,
    );
    fails(&out, &["busy", "notes.txt", "not an exercise"]);
    assert_eq!(std::fs::read(busy.join("notes.txt")).unwrap(), b"mine");
    // the tumour layer is empty: no exercise on it
    let out = remnant(
        &[
            os("exercise"),
            os("export"),
            case.as_os_str(),
            os("--out"),
            out_dir.as_os_str(),
            os("--layer"),
            os("tumour"),
        ],
        &config,
    );
    fails(&out, &["Tumour layer is empty"]);
    #[cfg(unix)]
    if let Some((ro, _mount)) = read_only_folder(d.path()) {
        let out = remnant(
            &[
                os("exercise"),
                os("export"),
                case.as_os_str(),
                os("--out"),
                ro.as_os_str(),
            ],
            &config,
        );
        fails(&out, &[&ro.display().to_string(), "could not save"]);
        assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 0);
    }
    assert_eq!(std::fs::read(&case).unwrap(), before, "the case changed");
}

/// A tmpfs mounted read-only, unmounted when dropped.
#[cfg(unix)]
struct Mount(PathBuf);

#[cfg(unix)]
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A folder this process cannot write: chmod 500, or (root writes anyway) a tmpfs
/// mounted read-only. None (said loudly; a failure where tools are required) when
/// neither is possible.
#[cfg(unix)]
fn read_only_folder(parent: &Path) -> Option<(PathBuf, Option<Mount>)> {
    use std::os::unix::fs::PermissionsExt;
    let ro = parent.join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
    if std::fs::write(ro.join("probe"), b"x").is_err() {
        return Some((ro, None));
    }
    std::fs::remove_file(ro.join("probe")).unwrap();
    let mount = |args: &[&str]| {
        Command::new("mount")
            .args(args)
            .arg(&ro)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !mount(&["-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs"]) {
        common::tools::missing("mount (a read-only tmpfs for the read-only folder case)");
        return None;
    }
    let m = Mount(ro.clone());
    assert!(mount(&["-o", "remount,ro"]), "remount read-only");
    Some((ro, Some(m)))
}
