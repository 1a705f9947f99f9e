//! The case registry on real files: cases saved through the workspace (the code path
//! of the app and `remnant session`) land in the SQLite registry, a case saved again
//! updates its one row, the REDCap export's CSV is re-read (Python's csv module) and
//! every column is named in the data dictionary; two processes writing at once keep
//! every row; a writer killed with SIGKILL loses no row it reported committed; bad
//! input (not a case, not a registry, a newer registry, a read-only folder) is one
//! clear error and leaves the registry as it was.

mod common;

use common::{bin, tools};
use remnant::pci::{CcScore, LesionSize};
use remnant::registry::{self, APPLICATION_ID, Registry, SCHEMA_VERSION};
use remnant::report::{ClavienDindo, Complication, Hipec, HipecTechnique, Stoma};
use remnant::workspace::Workspace;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A workspace whose case saves update the registry at `reg` (as the app's do).
fn workspace(reg: &Path, patient: &str, name: &str) -> Workspace {
    let mut ws = Workspace::new();
    ws.registry = Some(reg.to_path_buf());
    ws.report.patient.patient_id = Some(patient.into());
    ws.report.patient.name = Some(name.into());
    ws.report.operation_date = Some("20240612".into());
    ws
}

/// `remnant ARGS` with the config folder `cfg`.
fn remnant(cfg: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("REMNANT_CONFIG_DIR", cfg)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every row, by record id.
fn rows(reg: &Path) -> Vec<registry::Entry> {
    Registry::open_existing(reg).unwrap().list().unwrap()
}

/// Python's csv module reads `path`: a JSON list of rows.
fn read_csv(path: &Path) -> Option<Vec<Vec<String>>> {
    let code = format!(
        "import csv, json\nwith open({:?}, newline='') as f:\n    print(json.dumps(list(csv.reader(f))))",
        path.display().to_string()
    );
    let out = tools::python_code(&["csv", "json"], &code)?;
    Some(serde_json::from_str(&out).unwrap())
}

fn sha256(path: &Path) -> String {
    remnant::case::sha256_file(path).unwrap().1
}

#[test]
fn two_cases_one_saved_again_then_exported_for_redcap() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    let reg = cfg.join(registry::FILE_NAME);
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    let mut wa = workspace(&reg, "P-1", "DOE^JANE");
    let mut wb = workspace(&reg, "P-2", "ROE^RICHARD");
    assert_eq!(
        wa.save_case_now(&a).unwrap(),
        format!("case saved to {}", a.display())
    );
    wb.save_case_now(&b).unwrap();
    let first = rows(&reg);
    assert_eq!(first.len(), 2);
    assert_eq!(first[0].row.text("patient_id"), "P-1");
    assert_eq!(first[1].row.text("patient_id"), "P-2");
    assert_eq!(first[0].row.text("content_sha256"), sha256(&a));
    assert_eq!(first[0].row.text("cc_score"), "");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&reg).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "registry mode {mode:o}");
        // the config folder the registry made for itself is the user's alone too
        let mode = std::fs::metadata(&cfg).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "config folder mode {mode:o}");
        // its write-ahead log too, while a connection holds it open
        let open = Registry::open(&reg).unwrap();
        let wal = reg.with_file_name(format!("{}-wal", registry::FILE_NAME));
        let mode = std::fs::metadata(&wal).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "WAL mode {mode:o}");
        drop(open);
    }

    // case A changed and saved again: the same row, updated
    wa.report.cc_score = Some(CcScore::Cc1);
    wa.report.pci.set(6, LesionSize::Ls3).unwrap();
    wa.report.pci.set(0, LesionSize::Ls1).unwrap();
    wa.report.peritonectomies.greater_omentectomy_splenectomy = true;
    wa.report.peritonectomies.pelvic_with_sigmoid_resection = true;
    wa.report.hipec = Some(Hipec {
        drug: "Mitomycin C, oxaliplatin".into(),
        dose_mg_per_m2: Some(17.5),
        carrier_volume_l: Some(3.0),
        inflow_temperature_c: Some(43.0),
        outflow_temperature_c: Some(41.5),
        duration_min: Some(90.0),
        technique: Some(HipecTechnique::Closed),
        ..Hipec::default()
    });
    wa.report.operation.blood_loss_ml = Some(800.0);
    wa.report.operation.stoma = Some(Stoma::Ileostomy);
    wa.report.follow_up.complications = vec![
        Complication {
            description: "Pelvic collection".into(),
            clavien_dindo: Some(ClavienDindo::IIIa),
            date: None,
        },
        Complication {
            description: "Ileus".into(),
            clavien_dindo: Some(ClavienDindo::II),
            date: None,
        },
    ];
    wa.report.follow_up.day30.alive = Some(true);
    wa.save_case_now(&a).unwrap();
    let second = rows(&reg);
    assert_eq!(second.len(), 2, "saving again updates the row");
    let ra = &second[0];
    assert_eq!(ra.record_id, first[0].record_id);
    assert_eq!(ra.row.text("content_sha256"), sha256(&a));
    assert_ne!(
        ra.row.text("content_sha256"),
        first[0].row.text("content_sha256")
    );
    assert_eq!(ra.row.text("cc_score"), "1");
    assert_eq!(ra.row.text("pci"), "4");
    assert_eq!(ra.row.text("pci_r6"), "3");
    assert_eq!(ra.row.text("peritonectomies"), "1|5");
    assert_eq!(ra.row.text("hipec_carrier_l"), "3");
    assert_eq!(ra.row.text("hipec_technique"), "2");
    assert_eq!(ra.row.text("clavien_dindo_max"), "3", "IIIa is rank 3");
    assert_eq!(ra.row.text("complications"), "2");
    assert_eq!(ra.row.text("day30_alive"), "1");
    assert_eq!(ra.row.text("day90_alive"), "");
    assert_eq!(second[1], first[1], "the other case's row is untouched");
    // a report saved alone gets its row too (file kind 2)
    let r = dir.path().join("c.report.json");
    let mut wc = workspace(&reg, "P-3", "POE^CARL");
    wc.apply(remnant::workspace::Command::SaveReport(r.clone()))
        .unwrap();
    let third = rows(&reg);
    assert_eq!(third.len(), 3);
    assert_eq!(third[2].row.text("patient_id"), "P-3");
    assert_eq!(third[2].row.text("file_kind"), "2");
    assert_eq!(third[2].row.text("content_sha256"), sha256(&r));

    // the REDCap export, through the command line
    let (csv, dict) = (dir.path().join("r.csv"), dir.path().join("d.csv"));
    let out = remnant(
        &cfg,
        &[
            "registry",
            "export",
            "--redcap",
            csv.to_str().unwrap(),
            "--dictionary",
            dict.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (Some(data), Some(dictionary)) = (read_csv(&csv), read_csv(&dict)) else {
        return;
    };
    check_export(&data, &dictionary);
}

/// The CSV's columns are all named in the dictionary and the other way round; the
/// values are REDCap's codes.
fn check_export(data: &[Vec<String>], dictionary: &[Vec<String>]) {
    assert_eq!(dictionary[0].len(), 18, "REDCap's 18 dictionary columns");
    assert_eq!(dictionary[0][0], "Variable / Field Name");
    assert_eq!(dictionary[0][5], "Choices, Calculations, OR Slider Labels");
    let fields: Vec<&Vec<String>> = dictionary[1..].iter().collect();
    let head = &data[0];
    assert_eq!(head[0], "record_id");
    assert_eq!(fields[0][0], "record_id");
    assert_eq!(
        data.len(),
        4,
        "a header and three records (two cases, a report)"
    );
    for col in head {
        let (name, code) = col.split_once("___").unwrap_or((col, ""));
        let f = fields
            .iter()
            .find(|f| f[0] == name)
            .unwrap_or_else(|| panic!("column {col} is not in the dictionary"));
        if code.is_empty() {
            assert_ne!(f[3], "checkbox", "{col}");
        } else {
            assert_eq!(f[3], "checkbox", "{col}");
            let codes: Vec<&str> = f[5]
                .split(" | ")
                .map(|c| c.split(',').next().unwrap())
                .collect();
            assert!(codes.contains(&code), "{col}: {codes:?}");
        }
    }
    for f in &fields {
        assert!(
            head.iter()
                .any(|c| c == &f[0] || c.starts_with(&format!("{}___", f[0]))),
            "dictionary field {} has no column",
            f[0]
        );
    }
    let at =
        |row: &Vec<String>, col: &str| row[head.iter().position(|c| c == col).unwrap()].clone();
    let a = &data[1];
    assert_eq!(at(a, "patient_id"), "P-1");
    assert_eq!(
        at(a, "operation_date"),
        "2024-06-12",
        "YYYYMMDD as REDCap's date"
    );
    assert_eq!(at(a, "hipec_drug"), "Mitomycin C, oxaliplatin");
    assert_eq!(at(a, "peritonectomies___1"), "1");
    assert_eq!(at(a, "peritonectomies___2"), "0");
    assert_eq!(at(a, "peritonectomies___5"), "1");
    assert_eq!(at(a, "stoma"), "1");
    assert_eq!(at(&data[2], "hipec"), "0");
    assert_eq!(at(&data[3], "file_kind"), "2");
}

#[test]
fn since_keeps_the_rows_recorded_from_that_day() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    let reg = cfg.join(registry::FILE_NAME);
    let a = dir.path().join("a.json");
    workspace(&reg, "P-1", "A").save_case_now(&a).unwrap();
    let (csv, dict) = (dir.path().join("r.csv"), dir.path().join("d.csv"));
    let export = |since: &str| {
        let o = remnant(
            &cfg,
            &[
                "registry",
                "export",
                "--redcap",
                csv.to_str().unwrap(),
                "--dictionary",
                dict.to_str().unwrap(),
                "--since",
                since,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read_to_string(&csv).unwrap().lines().count()
    };
    assert_eq!(export("2000-01-01"), 2, "header and the row");
    assert_eq!(export("2999-01-01"), 1, "the header alone");
    let o = remnant(
        &cfg,
        &[
            "registry",
            "export",
            "--redcap",
            "r",
            "--dictionary",
            "d",
            "--since",
            "soon",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--since \"soon\" is not a date"),
        "{}",
        stderr(&o)
    );
}

/// `n` case files for patients `tag-0` ... in `dir`.
fn cases(dir: &Path, tag: &str, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let p = dir.join(format!("{tag}-{i}.json"));
            let mut ws = Workspace::new();
            ws.report.patient.patient_id = Some(format!("{tag}-{i}"));
            ws.save_case_now(&p).unwrap();
            p
        })
        .collect()
}

#[test]
fn processes_writing_at_once_keep_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    let sets: Vec<Vec<PathBuf>> = ["A", "B", "C", "D"]
        .iter()
        .map(|t| cases(dir.path(), t, 20))
        .collect();
    let spawn = |files: &[PathBuf]| {
        Command::new(bin())
            .args(["registry", "add"])
            .args(files)
            .env("REMNANT_CONFIG_DIR", &cfg)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // four writers start at once on a registry none of them has made yet
    let running: Vec<_> = sets.iter().map(|s| spawn(s)).collect();
    for p in running {
        let o = p.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let all = rows(&cfg.join(registry::FILE_NAME));
    assert_eq!(all.len(), 80);
    for f in sets.iter().flatten() {
        let id = f.file_stem().unwrap().to_string_lossy().into_owned();
        let row = all.iter().find(|e| e.row.text("patient_id") == id).unwrap();
        assert_eq!(row.row.text("content_sha256"), sha256(f));
    }
}

#[test]
fn a_writer_killed_with_sigkill_loses_no_committed_row() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    let reg = cfg.join(registry::FILE_NAME);
    let files = cases(dir.path(), "K", 600);
    let mut child = Command::new(bin())
        .args(["registry", "add"])
        .args(&files)
        .env("REMNANT_CONFIG_DIR", &cfg)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // the child prints a line once a row is committed; kill it while it writes on
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut committed = Vec::new();
    while committed.len() < 40 {
        committed.push(lines.next().unwrap().unwrap());
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "killed mid-run: {status:?}");
    // what it printed after our 40 lines but before dying was committed too
    committed.extend(lines.map_while(Result::ok));
    assert!(
        committed.len() < files.len(),
        "the child finished before the kill"
    );
    let conn = rusqlite::Connection::open(&reg).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let all = rows(&reg);
    for line in &committed {
        // "recorded PATH as record N"
        let (path, id) = line
            .strip_prefix("recorded ")
            .and_then(|l| l.rsplit_once(" as record "))
            .unwrap_or_else(|| panic!("{line}"));
        let e = all
            .iter()
            .find(|e| e.record_id.to_string() == id)
            .unwrap_or_else(|| panic!("record {id} ({path}) lost"));
        let path = std::fs::canonicalize(path).unwrap();
        assert_eq!(e.row.text("case_path"), path.display().to_string());
    }
    // the registry takes writes again
    let o = remnant(&cfg, &["registry", "add", files[599].to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The registry's bytes, and those of its WAL if any.
fn bytes(reg: &Path) -> Vec<u8> {
    std::fs::read(reg).unwrap()
}

#[test]
fn a_file_that_is_not_a_case_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    let reg = cfg.join(registry::FILE_NAME);
    let good = cases(dir.path(), "G", 1);
    let o = remnant(&cfg, &["registry", "add", good[0].to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bad = dir.path().join("notes.json");
    std::fs::write(&bad, r#"{"patient": "P-9"}"#).unwrap();
    let o = remnant(&cfg, &["registry", "add", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.contains(&bad.display().to_string()) && e.contains("not a Remnant case or report"),
        "{e}"
    );
    let garbage = dir.path().join("bin.json");
    std::fs::write(&garbage, [0xffu8, 0x00, 0x13]).unwrap();
    let o = remnant(&cfg, &["registry", "add", garbage.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not JSON"), "{}", stderr(&o));
    assert_eq!(rows(&reg).len(), 1);
}

/// `registry add` and `list` on `reg` fail with `want` in one line, and the file is
/// left byte for byte.
fn refused(cfg: &Path, reg: &Path, case: &Path, want: &str) {
    let before = bytes(reg);
    for args in [
        vec!["registry", "add", case.to_str().unwrap()],
        vec!["registry", "list"],
    ] {
        let o = remnant(cfg, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let e = stderr(&o);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(
            e.contains(want) && e.contains(&reg.display().to_string()),
            "{e}"
        );
    }
    assert_eq!(bytes(reg), before, "the registry was changed");
    // a case save still succeeds, and says the registry was not updated
    let mut ws = workspace(reg, "P-5", "X");
    let msg = ws.save_case_now(&reg.with_file_name("saved.json")).unwrap();
    assert!(
        msg.contains("registry row was NOT updated") && msg.contains(want),
        "{msg}"
    );
    assert_eq!(bytes(reg), before, "the registry was changed");
}

#[test]
fn a_registry_that_is_not_sqlite_or_not_ours_or_newer_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    let reg = cfg.join(registry::FILE_NAME);
    let case = cases(dir.path(), "C", 1).remove(0);
    std::fs::write(&reg, "patient,pci\nP-1,12\n").unwrap();
    refused(
        &cfg,
        &reg,
        &case,
        "not a Remnant registry (not an SQLite database)",
    );

    std::fs::remove_file(&reg).unwrap();
    let c = rusqlite::Connection::open(&reg).unwrap();
    c.execute_batch("CREATE TABLE patients (id TEXT); INSERT INTO patients VALUES ('x');")
        .unwrap();
    drop(c);
    refused(
        &cfg,
        &reg,
        &case,
        "an SQLite database that is not a Remnant registry",
    );

    std::fs::remove_file(&reg).unwrap();
    let mut r = Registry::open(&reg).unwrap();
    r.record_file(&case).unwrap();
    drop(r);
    let c = rusqlite::Connection::open(&reg).unwrap();
    c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let app: i64 = c
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    drop(c);
    refused(
        &cfg,
        &reg,
        &case,
        "written by a newer Remnant: registry schema 2",
    );
}

#[test]
fn a_read_only_config_folder_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    // root ignores chmod: a read-only tmpfs (as tests/save_failures.rs does)
    let mount = |args: &[&str]| Command::new("mount").args(args).arg(&mnt).output();
    match mount(&["-t", "tmpfs", "-o", "size=1024k", "tmpfs"]) {
        Ok(o) if o.status.success() => {}
        other => {
            tools::missing(&format!("cannot mount a tmpfs: {other:?}"));
            return;
        }
    }
    let ro = mount(&["-o", "remount,ro"]).unwrap();
    assert!(
        ro.status.success(),
        "{}",
        String::from_utf8_lossy(&ro.stderr)
    );
    let case = cases(dir.path(), "R", 1).remove(0);
    let o = remnant(&mnt, &["registry", "add", case.to_str().unwrap()]);
    let _ = Command::new("umount").arg("-l").arg(&mnt).status();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("cannot create the registry")
            && e.contains(&mnt.join(registry::FILE_NAME).display().to_string())
            && e.contains("Read-only file system"),
        "{e}"
    );
}
