//! Saving must fail cleanly: onto a full disk (ENOSPC), into a read-only file system
//! (EROFS), into a folder the user may not write (EACCES), or over a file another
//! program changed since Remnant opened or saved it. Each time the error names the file
//! and the cause, the previous file is left byte for byte as it was, and no temporary
//! file is left behind. Covered: label maps, layer bits, report JSON, case files, the
//! report PDF (through the CLI) and the autosave (through `remnant session`).
//!
//! The disk-full and read-only cases need real file systems: a small tmpfs is mounted
//! (the tests run as root; `chmod` would not stop root). Where mounting is impossible
//! the tests say so loudly on stderr and pass, except under CI=true, REMNANT_REQUIRE_TOOLS=1
//! (`common/tools.rs`; scripts/test.sh sets it) or REMNANT_REQUIRE_MOUNT=1, where they fail.
//! ENOSPC at fsync rather than at write cannot be provoked on tmpfs; it takes the same
//! error path (`fsutil::atomic_write_with`: step "syncing to disk", temp removed).

mod common;

use remnant::case;
use remnant::fsutil::CHANGED_STEP;
use remnant::report::{Report, render_pdf};
use remnant::segmentation::io::{save_bits, save_labels};
use remnant::segmentation::{LabelMap, Layer};
use remnant::volume::Volume;
use remnant::volumetry::PlanInputs;
use remnant::workspace::Snapshot;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A tmpfs mounted for one test, unmounted when dropped.
struct Mount {
    dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Mount {
    /// Mount a tmpfs of `kib` KiB, or say loudly why not (and fail where required).
    fn tmpfs(kib: u64) -> Option<Mount> {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mnt");
        std::fs::create_dir(&dir).unwrap();
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={kib}k,mode=0755"),
                "tmpfs",
            ])
            .arg(&dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Mount { dir, _tmp: tmp }),
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
                    Err(e) => e.to_string(),
                };
                not_run(&format!("cannot mount a tmpfs ({why})"));
                None
            }
        }
    }

    fn remount_read_only(&self) {
        let o = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.dir)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "remount read-only: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    /// Fill the file system to the last byte.
    fn fill(&self) {
        let mut f = std::fs::File::create(self.dir.join("filler")).unwrap();
        let block = vec![0xAAu8; 4096];
        loop {
            match f.write(&block) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    assert_eq!(e.raw_os_error(), Some(28), "expected ENOSPC, got {e}");
                    break;
                }
            }
        }
        let _ = f.sync_all();
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

fn not_run(why: &str) {
    let msg = format!(
        "\n!!!!!!!! SAVE-FAILURE TEST NOT RUN: {why}.\n!!!!!!!! The disk-full / read-only \
         checks need root and mount(8); run as root (or set nothing to allow skipping).\n"
    );
    if std::env::var_os("REMNANT_REQUIRE_MOUNT").is_some_and(|x| x == "1") {
        panic!("{msg}(REMNANT_REQUIRE_MOUNT=1 is set: failing)");
    }
    common::tools::missing(&msg);
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The CT and a traced label map with every layer in use.
fn work() -> (Volume<i16>, LabelMap, Report) {
    let (ct, map) = remnant::phantom::make();
    let mut report = Report::default();
    report.patient.patient_id = Some("SAVE-1".into());
    report.surgeon = Some("Dr Full Disk".into());
    report.findings = "x".repeat(20_000);
    assert!(map.bits.iter().any(|&b| b & Layer::Tumour.bit() != 0));
    (ct, map, report)
}

/// Old contents of each kind of file, to check they survive.
struct Olds {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Olds {
    fn put(dir: &Path) -> Olds {
        let files = [
            "labels.nii.gz",
            "layers.nii.gz",
            "report.json",
            "case.json",
            "case.layers.nii.gz",
            "report.pdf",
        ]
        .iter()
        .map(|n| {
            let p = dir.join(n);
            let bytes = format!("previous contents of {n}\n").into_bytes();
            std::fs::write(&p, &bytes).unwrap();
            (p, bytes)
        })
        .collect();
        Olds { files }
    }

    fn path(&self, name: &str) -> &Path {
        &self
            .files
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .unwrap()
            .0
    }

    fn unchanged(&self) {
        for (p, bytes) in &self.files {
            assert_eq!(
                &std::fs::read(p).unwrap(),
                bytes,
                "{} changed after a failed save",
                p.display()
            );
        }
    }
}

/// Try every kind of save into `dir`; each must fail with `cause` and the file's name.
fn every_save_fails(dir: &Path, olds: &Olds, cause: &str) {
    let (ct, map, report) = work();
    let check = |what: &str, r: Result<(), String>, name: &str| {
        let e = r.expect_err(what);
        assert!(
            e.contains(name) && e.contains(cause),
            "{what}: the message must name {name} and the cause ({cause}): {e}"
        );
        eprintln!("{what}: {e}");
    };
    check(
        "label map",
        save_labels(olds.path("labels.nii.gz"), &map, None)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        "labels.nii.gz",
    );
    check(
        "layer bits",
        save_bits(olds.path("layers.nii.gz"), &map, None).map_err(|e| e.to_string()),
        "layers.nii.gz",
    );
    check(
        "report JSON",
        report
            .save(olds.path("report.json"))
            .map_err(|e| e.to_string()),
        "report.json",
    );
    let scan = dir.parent().unwrap().join("ct.nii.gz");
    remnant::volume::nifti::write_volume(&scan, ct.as_slice(), &ct.geometry, None, "t").unwrap();
    check(
        "case",
        case::save(
            olds.path("case.json"),
            &Snapshot::of_parts(Some((&scan, &map)), &PlanInputs::default(), None, &report),
        )
        .map_err(|e| e.to_string()),
        "case",
    );
    let pdf = render_pdf(&report, &[]).unwrap();
    check(
        "PDF",
        remnant::fsutil::atomic_write(olds.path("report.pdf"), &pdf).map_err(|e| e.to_string()),
        "report.pdf",
    );
    // the PDF through the CLI, as a user would make it
    let input = dir.parent().unwrap().join("in.json");
    report.save(&input).unwrap();
    let out = Command::new(common::bin())
        .args(["report", "--input"])
        .arg(&input)
        .arg("--pdf")
        .arg(olds.path("report.pdf"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("remnant: error: could not save")
            && err.contains("report.pdf")
            && err.contains(cause),
        "{err}"
    );
    olds.unchanged();
}

#[test]
fn disk_full_leaves_every_previous_file_intact() {
    let Some(m) = Mount::tmpfs(512) else { return };
    let olds = Olds::put(&m.dir);
    m.fill();
    every_save_fails(&m.dir, &olds, "No space left on device");
    // no temporary file left behind
    let mut want: Vec<String> = olds
        .files
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    want.push("filler".into());
    want.sort();
    assert_eq!(entries(&m.dir), want);
}

#[test]
fn read_only_file_system_leaves_every_previous_file_intact() {
    let Some(m) = Mount::tmpfs(512) else { return };
    let olds = Olds::put(&m.dir);
    m.remount_read_only();
    every_save_fails(&m.dir, &olds, "Read-only file system");
}

#[test]
fn autosave_onto_a_full_disk_refuses_the_edit_and_keeps_the_last_autosave() {
    let Some(m) = Mount::tmpfs(1024) else { return };
    let autosave = m.dir.join("autosave");
    let mut child = Command::new(common::bin())
        .args(["session", "--ct"])
        .arg(common::sample("ct.nii.gz"))
        .arg("--autosave-dir")
        .arg(&autosave)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // the first edit is autosaved; then the disk fills up
    writeln!(stdin, "paint liver 60 50 15 6").unwrap();
    stdin.flush().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let mut next = || lines.next().unwrap().unwrap();
    assert!(next().starts_with("info ready"));
    assert!(next().starts_with("ok 1"));
    let session = std::fs::read(autosave.join("session.json")).unwrap();
    let layers = std::fs::read(autosave.join("layers.nii.gz")).unwrap();
    m.fill();
    writeln!(stdin, "paint tumour 60 50 15 30").unwrap();
    writeln!(stdin, "status").unwrap();
    writeln!(stdin, "quit").unwrap();
    stdin.flush().unwrap();
    let reply = next();
    assert!(
        reply.starts_with("error 2 not done: the autosave could not be written")
            && reply.contains("layers.nii.gz")
            && reply.contains("No space left on device"),
        "{reply}"
    );
    // the refused edit was taken back: no tumour voxel in the session
    let status = next();
    assert!(status.contains("tumour=0 "), "{status}");
    assert!(next().starts_with("ok 4 bye"));
    assert!(child.wait().unwrap().success());
    assert_eq!(
        std::fs::read(autosave.join("session.json")).unwrap(),
        session
    );
    assert_eq!(
        std::fs::read(autosave.join("layers.nii.gz")).unwrap(),
        layers
    );
    assert_eq!(entries(&autosave), ["layers.nii.gz", "session.json"]);
}

#[test]
fn folder_the_user_may_not_write_gives_permission_denied() {
    // Root is never refused by permissions, so the binary runs as `nobody` here.
    let base = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    let perm = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    perm(base.path(), 0o755);
    let locked = base.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    perm(&locked, 0o755);
    let olds = Olds::put(&locked);
    let open = base.path().join("autosave");
    std::fs::create_dir(&open).unwrap();
    perm(&open, 0o777);
    // the binary and the sample must be reachable by nobody: copy them out
    let bin = base.path().join("remnant");
    std::fs::copy(common::bin(), &bin).unwrap();
    perm(&bin, 0o755);
    let ct = base.path().join("ct.nii.gz");
    std::fs::copy(common::sample("ct.nii.gz"), &ct).unwrap();
    perm(&ct, 0o644);
    let child = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args(["session", "--ct"])
        .arg(&ct)
        .arg("--autosave-dir")
        .arg(&open)
        .env("REMNANT_CONFIG_DIR", &open)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        not_run("setpriv (util-linux) is not available to run as another user");
        return;
    };
    {
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "paint liver 60 50 15 6").unwrap();
        for name in ["labels.nii.gz", "layers.nii.gz", "report.json", "case.json"] {
            let cmd = match name {
                "labels.nii.gz" => "save-labels",
                "layers.nii.gz" => "save-layers",
                "report.json" => "save-report",
                _ => "save-case",
            };
            writeln!(stdin, "{cmd} {}", olds.path(name).display()).unwrap();
        }
        writeln!(stdin, "quit").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    if lines.is_empty() {
        not_run(&format!(
            "could not run the binary as nobody: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
        return;
    }
    assert!(lines[1].starts_with("ok 1"), "{stdout}");
    for (i, name) in ["labels.nii.gz", "layers.nii.gz", "report.json", "case"]
        .iter()
        .enumerate()
    {
        let l = lines[i + 2];
        assert!(
            l.starts_with(&format!("error {} ", i + 2))
                && l.contains(name)
                && l.contains("Permission denied"),
            "{l}"
        );
    }
    olds.unchanged();
    assert_eq!(entries(&locked).len(), olds.files.len());
}

#[test]
fn saving_over_a_case_another_program_changed_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ct, map, report) = work();
    let scan = dir.path().join("ct.nii.gz");
    remnant::volume::nifti::write_volume(&scan, ct.as_slice(), &ct.geometry, None, "t").unwrap();
    let case_path = dir.path().join("case.json");
    let plan = PlanInputs::default();
    let snap =
        |r: &remnant::report::Report| Snapshot::of_parts(Some((&scan, &map)), &plan, None, r);
    // save, then save again on top of our own save: fine
    let stamp = case::save_checked(&case_path, None, &snap(&report)).unwrap();
    let stamp = case::save_checked(&case_path, Some(&stamp), &snap(&report)).unwrap();
    // open it (as the app does) and keep the stamp from the read
    let opened = case::open(&case_path).unwrap();
    assert_eq!(opened.stamp.sha256, stamp.sha256);
    // another program edits the case
    let theirs = std::fs::read_to_string(&case_path)
        .unwrap()
        .replace("SAVE-1", "SAVE-2");
    std::fs::write(&case_path, &theirs).unwrap();
    let layers = case::layers_path_for(&case_path);
    let layers_before = std::fs::read(&layers).unwrap();
    let mut mine = report.clone();
    mine.surgeon = Some("Dr Overwriter".into());
    let e = case::save_checked(&case_path, Some(&opened.stamp), &snap(&mine))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("case.json") && e.contains(CHANGED_STEP) && e.contains("left as it is"),
        "{e}"
    );
    assert_eq!(std::fs::read_to_string(&case_path).unwrap(), theirs);
    assert_eq!(
        std::fs::read(&layers).unwrap(),
        layers_before,
        "nothing written"
    );
    // the report file the same way
    let rp = dir.path().join("report.json");
    let st = report.save_checked(&rp, None).unwrap();
    std::fs::write(&rp, b"{\"schema_version\": 2}\n").unwrap();
    let e = mine.save_checked(&rp, Some(&st)).unwrap_err().to_string();
    assert!(
        e.contains("report.json") && e.contains(CHANGED_STEP) && e.contains("bytes, now 22"),
        "{e}"
    );
    assert_eq!(std::fs::read(&rp).unwrap(), b"{\"schema_version\": 2}\n");
}

#[test]
fn session_refuses_to_overwrite_its_file_after_another_program_changed_it() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let labels = dir.path().join("l.nii.gz");
    let mut child = Command::new(common::bin())
        .args(["session", "--ct"])
        .arg(common::sample("ct.nii.gz"))
        .arg("--autosave-dir")
        .arg(dir.path().join("autosave"))
        // its report save updates the registry: a test config folder, not the user's
        .env("REMNANT_CONFIG_DIR", dir.path().join("config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let mut next = || lines.next().unwrap().unwrap();
    assert!(next().starts_with("info"));
    let mut say = |cmd: String| {
        writeln!(stdin, "{cmd}").unwrap();
        stdin.flush().unwrap();
    };
    say("report patient-id P-1".into());
    assert!(next().starts_with("ok 1"));
    say(format!("save-report {}", report.display()));
    assert!(next().starts_with("ok 2"));
    say(format!("save-labels {}", labels.display()));
    assert!(next().starts_with("ok 3"));
    // saving again over our own files is fine
    say(format!("save-report {}", report.display()));
    assert!(next().starts_with("ok 4"));
    // another program changes both
    std::fs::write(&report, b"edited elsewhere").unwrap();
    std::fs::write(&labels, b"edited elsewhere").unwrap();
    say(format!("save-report {}", report.display()));
    let r = next();
    assert!(
        r.starts_with("error 5") && r.contains("r.json") && r.contains(CHANGED_STEP),
        "{r}"
    );
    say(format!("save-labels {}", labels.display()));
    let r = next();
    assert!(
        r.starts_with("error 6") && r.contains("l.nii.gz") && r.contains(CHANGED_STEP),
        "{r}"
    );
    say("quit".into());
    assert!(next().starts_with("ok 7"));
    assert!(child.wait().unwrap().success());
    assert_eq!(std::fs::read(&report).unwrap(), b"edited elsewhere");
    assert_eq!(std::fs::read(&labels).unwrap(), b"edited elsewhere");
}
