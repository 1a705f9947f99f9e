//! Crash safety end to end: the real binary runs `remnant session` on the bundled CT,
//! receives edits on stdin, is killed with SIGKILL (at a quiet moment, and with
//! commands still in flight), and is restarted with `--restore`. Every acknowledged
//! edit must be back, bit for bit (layers) and field for field (report). The expected
//! state is computed here independently, by applying the same edits through the
//! library's tools (brush, mask import, undo stack).

mod common;

use remnant::report::Report;
use remnant::segmentation::io::{import_mask, load_label_map};
use remnant::segmentation::tools::brush::{BrushShape, paint_stroke};
use remnant::segmentation::tools::{EditCtx, Grid, PaintMode, PaintRules, diff};
use remnant::segmentation::{LabelMap, Layer};
use remnant::task::Task;
use remnant::volume::nifti::{MaskSelect, read_ct};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// The state the session should hold: what the test computes itself.
#[derive(Clone)]
struct Model {
    bits: Vec<u8>,
    undo: Vec<Vec<u8>>,
    redo: Vec<Vec<u8>>,
    patient_id: Option<String>,
    surgeon: Option<String>,
    findings: String,
}

struct World {
    grid: Grid,
    ct: Vec<i16>,
    map: LabelMap,
}

impl World {
    fn new() -> World {
        let (ct, _) = read_ct(&common::sample("ct.nii.gz"), Task::none()).unwrap();
        World {
            grid: Grid::of(&ct.geometry),
            map: LabelMap::empty(ct.geometry.clone()),
            ct: ct.as_slice().to_vec(),
        }
    }

    /// Apply one command of the protocol to the model, through the library.
    fn apply(&self, m: &mut Model, cmd: &str) {
        let w: Vec<&str> = cmd.split_whitespace().collect();
        let edited = |m: &mut Model, after: Vec<u8>| {
            // The session records a layer edit through the same undo records (XOR diff).
            let e = diff(&m.bits, &after, &self.grid);
            if !e.is_empty() {
                m.undo.push(m.bits.clone());
                m.redo.clear();
                m.bits = after;
            }
        };
        match w[0] {
            "paint" | "erase" => {
                let layer = Layer::parse(w[1]).unwrap();
                let p: Vec<f64> = w[2..6].iter().map(|v| v.parse().unwrap()).collect();
                let ctx = EditCtx::new(&self.grid, &self.ct, layer, PaintRules::default());
                let mut after = m.bits.clone();
                let mode = if w[0] == "paint" {
                    PaintMode::Paint
                } else {
                    PaintMode::Erase
                };
                paint_stroke(
                    &ctx,
                    &mut after,
                    &[[p[0], p[1], p[2]]],
                    p[3],
                    BrushShape::Sphere,
                    mode,
                );
                edited(m, after);
            }
            "import-mask" => {
                let layer = Layer::parse(w[1]).unwrap();
                let mut map = self.map.clone();
                map.bits = m.bits.clone();
                import_mask(
                    Path::new(w[2]),
                    MaskSelect::NonZero,
                    layer,
                    &mut map,
                    Task::none(),
                )
                .unwrap();
                edited(m, map.bits);
            }
            "undo" => {
                if let Some(prev) = m.undo.pop() {
                    m.redo.push(std::mem::replace(&mut m.bits, prev));
                }
            }
            "redo" => {
                if let Some(next) = m.redo.pop() {
                    m.undo.push(std::mem::replace(&mut m.bits, next));
                }
            }
            "report" => {
                let value = cmd.splitn(3, ' ').nth(2).unwrap_or("").trim().to_string();
                let v = (!value.is_empty()).then(|| value.clone());
                match w[1] {
                    "patient-id" => m.patient_id = v,
                    "surgeon" => m.surgeon = v,
                    "findings" => m.findings = value,
                    f => panic!("field {f} not modelled"),
                }
            }
            c => panic!("command {c} not modelled"),
        }
    }
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

fn spawn(config: &Path, autosave: &Path, restore: bool) -> (Running, String) {
    let mut cmd = Command::new(common::bin());
    cmd.arg("session")
        .arg("--ct")
        .arg(common::sample("ct.nii.gz"))
        .arg("--autosave-dir")
        .arg(autosave)
        .env("REMNANT_CONFIG_DIR", config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if restore {
        cmd.arg("--restore");
    }
    let mut child = cmd.spawn().expect("the remnant binary starts");
    let stdin = child.stdin.take().unwrap();
    let stdout: ChildStdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut r = Running {
        child,
        stdin,
        lines: rx,
    };
    let first = r.next_line();
    (r, first)
}

impl Running {
    fn next_line(&mut self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(60))
            .expect("the session answers within 60 s")
    }

    fn send(&mut self, cmd: &str) {
        writeln!(self.stdin, "{cmd}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// Send a command and wait for its reply, which must be `ok N`.
    fn ok(&mut self, cmd: &str, n: u64) -> String {
        self.send(cmd);
        let reply = self.next_line();
        assert!(
            reply.starts_with(&format!("ok {n}")),
            "command {n} `{cmd}` got: {reply}"
        );
        reply
    }

    fn kill9(mut self) {
        // Child::kill sends SIGKILL on Unix: no chance to clean up or flush anything.
        self.child.kill().unwrap();
        let status = self.child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status:?}");
    }
}

/// What a restarted session holds: its layers (bit-exact file) and report.
fn restored(config: &Path, autosave: &Path, out: &Path, tag: &str) -> (Vec<u8>, Report, String) {
    let (mut r, first) = spawn(config, autosave, true);
    let layers = out.join(format!("{tag}.layers.nii.gz"));
    let report = out.join(format!("{tag}.report.json"));
    r.ok(&format!("save-layers {}", layers.display()), 1);
    r.ok(&format!("save-report {}", report.display()), 2);
    r.ok("quit", 3);
    assert!(r.child.wait().unwrap().success());
    let ct = read_ct(&common::sample("ct.nii.gz"), Task::none())
        .unwrap()
        .0;
    let map = load_label_map(&layers, &ct.geometry, Task::none()).unwrap();
    (map.bits, Report::load(&report).unwrap(), first)
}

fn same(m: &Model, bits: &[u8], report: &Report) -> bool {
    m.bits == bits
        && report.patient.patient_id == m.patient_id
        && report.surgeon == m.surgeon
        && report.findings == m.findings
}

fn liver_voxels(bits: &[u8]) -> usize {
    bits.iter().filter(|&&b| b & 1 != 0).count()
}

#[test]
fn acknowledged_edits_survive_sigkill_bit_exactly() {
    let world = World::new();
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    let autosave = tmp.path().join("autosave");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let liver = common::sample("liver.nii.gz");
    let n_vox = world.ct.len();
    let mut model = Model {
        bits: vec![0; n_vox],
        undo: Vec::new(),
        redo: Vec::new(),
        patient_id: None,
        surgeon: None,
        findings: String::new(),
    };

    // Round 1: edits of every kind, each acknowledged; SIGKILL at a quiet moment.
    let script1 = [
        format!("import-mask liver {}", liver.display()),
        "paint tumour 60 50 15 7.5".to_string(),
        "paint resection 40 45 12 12".to_string(),
        "erase liver 61 50 15 4".to_string(),
        "report patient-id PAT-0042".to_string(),
        "paint tumour 80 30 20 6".to_string(),
        "undo".to_string(),
        "undo".to_string(),
        "redo".to_string(),
        "report surgeon Dr A. Martin".to_string(),
        "report findings Two lesions in segment 7, one in 4b.".to_string(),
    ];
    let (mut r, first) = spawn(&config, &autosave, false);
    assert!(first.starts_with("info ready"), "{first}");
    for (i, cmd) in script1.iter().enumerate() {
        r.ok(cmd, i as u64 + 1);
        world.apply(&mut model, cmd);
    }
    assert!(liver_voxels(&model.bits) > 30_000, "the mask import took");
    r.kill9();

    let (bits, report, first) = restored(&config, &autosave, &out, "round1");
    assert!(first.starts_with("info restored"), "{first}");
    assert!(
        same(&model, &bits, &report),
        "round 1: the restored session differs from what was acknowledged \
         (liver voxels {} vs {})",
        liver_voxels(&bits),
        liver_voxels(&model.bits)
    );
    assert_eq!(report.patient.patient_id.as_deref(), Some("PAT-0042"));
    assert_eq!(report.surgeon.as_deref(), Some("Dr A. Martin"));

    // Round 2: continue from the restored work; some commands are still in flight
    // (sent, not acknowledged) when the process is killed. The restored state must be
    // the state after some prefix of the commands that includes every acknowledged one.
    let (mut r, first) = spawn(&config, &autosave, true);
    assert!(first.starts_with("info restored"), "{first}");
    let acked2 = [
        "paint liver 20 20 5 9",
        "report patient-id PAT-0043",
        "erase tumour 60 50 15 3",
    ];
    let mut states = Vec::new();
    for (i, cmd) in acked2.iter().enumerate() {
        r.ok(cmd, i as u64 + 1);
        world.apply(&mut model, cmd);
    }
    states.push(model.clone());
    let in_flight = [
        "paint resection 70 60 10 15",
        "report surgeon Dr B. Keller",
        "paint tumour 30 70 25 5",
        "erase liver 50 50 15 20",
    ];
    for cmd in in_flight {
        r.send(cmd);
        world.apply(&mut model, cmd);
        states.push(model.clone());
    }
    // Let the first in-flight command through, then kill mid-way through the rest.
    let reply = r.next_line();
    assert!(reply.starts_with("ok 4"), "{reply}");
    r.kill9();
    let (bits, report, _) = restored(&config, &autosave, &out, "round2");
    let k = states
        .iter()
        .position(|m| same(m, &bits, &report))
        .expect("round 2: the restored state is the state after some prefix of the commands");
    assert!(
        k >= 1,
        "round 2: acknowledged command 4 was lost (restored state = after command {})",
        acked2.len() + k
    );

    // Round 3: kill while a large edit (a mask import) may be being autosaved.
    let mut model3 = states[k].clone();
    let (mut r, _) = spawn(&config, &autosave, true);
    r.ok("erase liver 60 50 15 200", 1);
    world.apply(&mut model3, "erase liver 60 50 15 200");
    let before_import = model3.clone();
    let cmd = format!("import-mask liver {}", liver.display());
    r.send(&cmd);
    world.apply(&mut model3, &cmd);
    std::thread::sleep(Duration::from_millis(5));
    r.kill9();
    let (bits, report, _) = restored(&config, &autosave, &out, "round3");
    assert!(
        same(&before_import, &bits, &report) || same(&model3, &bits, &report),
        "round 3: restored neither the acknowledged state nor the one after the import \
         (liver voxels {})",
        liver_voxels(&bits)
    );
}

#[test]
fn session_replies_and_refuses_with_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let autosave = tmp.path().join("autosave");
    let (mut r, _) = spawn(tmp.path(), &autosave, false);
    let bad = [
        ("paint kidney 1 2 3 4", "unknown layer \"kidney\""),
        ("paint liver 1 2 x 4", "K \"x\" is not a finite number"),
        (
            "paint liver 1 2 3 NaN",
            "RADIUS_MM \"NaN\" is not a finite number",
        ),
        ("paint liver 1 2 3", "RADIUS_MM is missing"),
        ("report weight 80", "unknown report field \"weight\""),
        ("report cc-score 7", "cc-score \"7\" is not 0, 1, 2 or 3"),
        ("import-mask liver /nonexistent/mask.nii.gz", "mask.nii.gz"),
        ("fly", "unknown command \"fly\""),
    ];
    for (i, (cmd, msg)) in bad.iter().enumerate() {
        r.send(cmd);
        let reply = r.next_line();
        let n = i + 1;
        assert!(
            reply.starts_with(&format!("error {n} ")) && reply.contains(msg),
            "`{cmd}` -> {reply}"
        );
    }
    // nothing was accepted, so nothing was autosaved
    assert!(!autosave.join("session.json").exists());
    let n = bad.len() as u64;
    assert!(r.ok("undo", n + 1).contains("nothing to undo"));
    // a brush stamp far outside the volume changes nothing
    assert!(
        r.ok("paint liver -500 -500 -500 3", n + 2)
            .contains("nothing changed")
    );
    assert!(!autosave.join("session.json").exists());
    let reply = r.ok("paint liver 60 50 15 6", n + 3);
    assert!(reply.contains("voxels changed"), "{reply}");
    assert!(autosave.join("session.json").exists());
    let status = r.ok("status", n + 4);
    assert!(
        status.contains("liver=") && status.contains("undo=1"),
        "{status}"
    );
    // save-case saves the work: the autosave is no longer needed
    let case = tmp.path().join("case.json");
    r.ok(&format!("save-case {}", case.display()), n + 5);
    assert!(!autosave.join("session.json").exists());
    r.send("quit");
    assert!(r.next_line().starts_with(&format!("ok {} bye", n + 6)));
    assert!(r.child.wait().unwrap().success());

    // --restore with another scan's autosave is refused
    let (mut r, _) = spawn(tmp.path(), &autosave, false);
    r.ok("paint liver 60 50 15 6", 1);
    r.kill9();
    let other = tmp.path().join("other.nii.gz");
    std::fs::copy(common::sample("ct.nii.gz"), &other).unwrap();
    let out = Command::new(common::bin())
        .args(["session", "--restore", "--ct"])
        .arg(&other)
        .arg("--autosave-dir")
        .arg(&autosave)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is of") && err.contains("ct.nii.gz") && err.contains("other.nii.gz"),
        "{err}"
    );
}
