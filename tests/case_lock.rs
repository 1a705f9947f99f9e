//! Two windows, one case, with real processes: a `remnant session` holds a case open
//! (its lock file names it); a second `remnant session` on the same case and the same
//! autosave folder is refused with the holder named and offered read-only; read-only,
//! saving over the case is refused and the case file is never overwritten; each
//! process autosaves into its own slot. Killed with SIGKILL, the first leaves a stale
//! lock, which the next process takes over.

mod common;

use remnant::case_lock::{Holder, lock_path_for};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    n: u64,
}

fn spawn(ct: &Path, config: &Path, autosave: &Path) -> Running {
    let mut child = Command::new(common::bin())
        .args(["session", "--ct"])
        .arg(ct)
        .arg("--autosave-dir")
        .arg(autosave)
        .env("REMNANT_CONFIG_DIR", config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the remnant binary starts");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
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
        n: 0,
    };
    let first = r.next_line();
    assert!(first.starts_with("info"), "{first}");
    r
}

impl Running {
    fn next_line(&mut self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(120))
            .expect("the session answers")
    }

    /// Send one line; its reply.
    fn say(&mut self, cmd: &str) -> String {
        writeln!(self.stdin, "{cmd}").unwrap();
        self.stdin.flush().unwrap();
        self.n += 1;
        let reply = self.next_line();
        assert!(
            reply.starts_with(&format!("ok {} ", self.n))
                || reply.starts_with(&format!("error {} ", self.n)),
            "{cmd}: {reply}"
        );
        reply
    }

    fn ok(&mut self, cmd: &str) -> String {
        let r = self.say(cmd);
        assert!(r.starts_with("ok "), "{cmd}: {r}");
        r
    }

    fn error(&mut self, cmd: &str) -> String {
        let r = self.say(cmd);
        assert!(r.starts_with("error "), "{cmd}: {r}");
        r
    }
}

fn holder(case: &Path) -> Holder {
    serde_json::from_slice(&std::fs::read(lock_path_for(case)).unwrap()).unwrap()
}

fn patient_id_in(autosave_dir: &Path) -> Option<String> {
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(autosave_dir.join("session.json")).unwrap()).unwrap();
    s["report"]["patient"]["patient_id"]
        .as_str()
        .map(str::to_string)
}

#[test]
fn a_case_held_by_a_running_session_opens_read_only_elsewhere_and_a_killed_holder_is_taken_over() {
    let d = tempfile::tempdir().unwrap();
    let ct = d.path().join("ct.nii.gz");
    std::fs::copy(common::sample("ct.nii.gz"), &ct).unwrap();
    let (config, autosave) = (d.path().join("config"), d.path().join("autosave"));
    let case = d.path().join("case.json");
    let case_s = case.display().to_string();

    // A: traces, saves the case (and so holds it), then keeps working (autosaved)
    let mut a = spawn(&ct, &config, &autosave);
    a.ok("paint liver 60 60 20 8");
    a.ok(&format!("save-case {case_s}"));
    assert_eq!(holder(&case).pid, a.child.id(), "A holds the case");
    a.ok("report patient-id FROM-A");
    assert_eq!(patient_id_in(&autosave).as_deref(), Some("FROM-A"));
    let saved = std::fs::read(&case).unwrap();
    let a_autosave = std::fs::read(autosave.join("session.json")).unwrap();

    // B: the same case and the same autosave folder
    let mut b = spawn(&ct, &config, &autosave);
    let e = b.error(&format!("open-case {case_s}"));
    assert!(
        e.contains("is open in another Remnant")
            && e.contains(&format!("process {}", a.child.id()))
            && e.contains("open-case-read-only"),
        "{e}"
    );
    // B's own work may not be saved over A's case either
    b.ok("report patient-id FROM-B");
    let e = b.error(&format!("save-case {case_s}"));
    assert!(
        e.contains("NOT saved") && e.contains("another Remnant"),
        "{e}"
    );
    // read-only: opened, worked on, never saved over
    let r = b.ok(&format!("open-case-read-only {case_s}"));
    assert!(r.contains("read-only"), "{r}");
    b.ok("paint liver 80 60 20 6");
    b.ok("report patient-id FROM-B-AGAIN");
    let e = b.error(&format!("save-case {case_s}"));
    assert!(e.contains("read-only") && e.contains("NOT saved"), "{e}");
    assert_eq!(
        std::fs::read(&case).unwrap(),
        saved,
        "the case was overwritten"
    );
    // B autosaved into its own slot; A's autosave is as A wrote it (B's save
    // below clears B's own autosave only)
    assert_eq!(
        std::fs::read(autosave.join("session.json")).unwrap(),
        a_autosave,
        "B clobbered A's autosave"
    );
    assert_eq!(
        patient_id_in(&autosave.join("slot-2")).as_deref(),
        Some("FROM-B-AGAIN")
    );
    // Save as elsewhere keeps a copy
    let copy = d.path().join("copy.json");
    b.ok(&format!("save-case {}", copy.display()));
    assert_eq!(holder(&copy).pid, b.child.id());
    assert_eq!(
        std::fs::read(autosave.join("session.json")).unwrap(),
        a_autosave,
        "B's save cleared A's autosave"
    );
    assert_eq!(holder(&case).pid, a.child.id(), "A still holds the case");
    b.ok("quit");
    b.child.wait().unwrap();

    // A is killed: its lock is stale and the next process takes the case over
    let a_pid = a.child.id();
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    assert_eq!(holder(&case).pid, a_pid, "the stale lock is still there");
    let mut c = spawn(&ct, &config, &autosave);
    let r = c.ok(&format!("open-case {case_s}"));
    assert!(!r.contains("read-only"), "{r}");
    assert_eq!(
        holder(&case).pid,
        c.child.id(),
        "the stale lock was taken over"
    );
    c.ok("paint liver 60 70 20 5");
    c.ok(&format!("save-case {case_s}"));
    assert_ne!(std::fs::read(&case).unwrap(), saved);
    c.ok("quit");
    c.child.wait().unwrap();
    assert!(
        !lock_path_for(&case).exists(),
        "the lock is released at exit"
    );
}

/// The case file and its layers are created readable by the user only.
#[cfg(unix)]
#[test]
fn a_saved_case_and_its_layers_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let ct = d.path().join("ct.nii.gz");
    std::fs::copy(common::sample("ct.nii.gz"), &ct).unwrap();
    let mut a = spawn(&ct, &d.path().join("config"), &d.path().join("autosave"));
    a.ok("paint liver 60 60 20 8");
    let case: PathBuf = d.path().join("c.json");
    a.ok(&format!("save-case {}", case.display()));
    a.ok("paint liver 60 60 22 8");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&case), 0o600);
    assert_eq!(mode(&d.path().join("c.layers.nii.gz")), 0o600);
    assert_eq!(mode(&lock_path_for(&case)), 0o600);
    assert_eq!(mode(&d.path().join("autosave")), 0o700);
    assert_eq!(mode(&d.path().join("autosave").join("session.json")), 0o600);
    assert_eq!(
        mode(&d.path().join("autosave").join("layers.nii.gz")),
        0o600
    );
    a.ok("quit");
    a.child.wait().unwrap();
}
