//! A case another running Remnant holds, in the app (egui_kittest): its lock file
//! names a live process (a `sleep` child here), so Open case asks instead of opening;
//! Open read-only opens it, and saving over it is refused with a message, the file
//! untouched. Cancel opens nothing. Once that process is gone (killed, reaped) the lock
//! is stale: the case opens for editing and the lock names this process.

mod common;
use common::ui::settle;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::case_lock::{Holder, lock_path_for};
use remnant::segmentation::Layer;
use remnant::ui::{AppCommand, Purpose, RemnantApp};
use remnant::workspace::Workspace;
use std::path::Path;

fn harness(app: RemnantApp) -> Harness<'static, RemnantApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

/// A case on the sample CT with its liver, saved (and released) by a workspace.
fn saved_case(dir: &Path) -> std::path::PathBuf {
    let ct = dir.join("ct.nii.gz");
    std::fs::copy(sample("ct.nii.gz"), &ct).unwrap();
    let mut ws = Workspace::new();
    let study = remnant::study::Study::open(&ct, remnant::task::Task::none()).unwrap();
    ws.install(study);
    ws.import_mask(&sample("liver.nii.gz"), Layer::Liver)
        .unwrap();
    let case = dir.join("case.json");
    ws.save_case_now(&case).unwrap();
    assert!(
        lock_path_for(&case).exists(),
        "the saving workspace holds it"
    );
    drop(ws);
    assert!(!lock_path_for(&case).exists(), "released when dropped");
    case
}

fn write_lock(case: &Path, pid: u32) {
    let h = Holder {
        pid,
        ..Holder::me()
    };
    std::fs::write(lock_path_for(case), serde_json::to_vec(&h).unwrap()).unwrap();
}

#[test]
fn a_case_held_by_another_process_opens_read_only_and_is_never_saved_over() {
    let d = tempfile::tempdir().unwrap();
    let case = saved_case(d.path());
    let saved = std::fs::read(&case).unwrap();
    let mut other = std::process::Command::new("sleep")
        .arg("120")
        .spawn()
        .unwrap();
    write_lock(&case, other.id());

    let mut h = harness(RemnantApp::new(None));
    // Cancel: nothing opens
    h.state_mut()
        .apply(AppCommand::FileChosen(Purpose::OpenCase, case.clone()));
    h.run();
    h.get_by_label("This case is open in another Remnant");
    h.get_by_label_contains(&format!("process {}", other.id()));
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().locked_case.is_none());
    assert!(h.state().ws.case.is_none() && h.state().ws.study.is_none());

    // Open read-only
    h.state_mut()
        .apply(AppCommand::FileChosen(Purpose::OpenCase, case.clone()));
    h.run();
    h.get_by_label("Open read-only").click();
    h.run();
    let n = h.state().notice.clone().unwrap_or_default();
    assert!(
        n.contains("case opened from") && n.contains("read-only"),
        "{n}"
    );
    h.state_mut().wait_for_jobs();
    h.run();
    {
        let app = h.state();
        assert!(app.error.is_none(), "{:?}", app.error);
        assert!(app.ws.is_read_only());
        assert!(app.ws.study.is_some(), "the case's scan is open");
    }
    // the menu bar says so while it is open
    h.get_by_label("Read-only: case.json");
    // a change, then Save case (Ctrl+S): refused with a message, the file untouched
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Tumour),
        sample("liver.nii.gz"),
    ));
    h.state_mut().apply(AppCommand::SaveCase);
    settle(&mut h);
    let e = h.state().error.clone().unwrap_or_default();
    assert!(
        e.contains("NOT saved") && e.contains("read-only") && e.contains("case.json"),
        "{e}"
    );
    h.get_by_label_contains("is open read-only");
    assert_eq!(
        std::fs::read(&case).unwrap(),
        saved,
        "the case was overwritten"
    );
    assert!(
        h.state().ws.has_unsaved_changes(),
        "the change is still unsaved"
    );
    let held: Holder =
        serde_json::from_slice(&std::fs::read(lock_path_for(&case)).unwrap()).unwrap();
    assert_eq!(held.pid, other.id(), "the other process's lock was kept");
    // Save as another file works, and that copy is this process's
    let copy = d.path().join("copy.json");
    h.state_mut()
        .apply(AppCommand::FileChosen(Purpose::SaveCase, copy.clone()));
    settle(&mut h);
    assert!(copy.exists());
    assert!(!h.state().ws.is_read_only());
    assert!(h.query_by_label("Read-only: case.json").is_none());
    drop(h);

    // the other process ends: its lock is stale and is taken over
    other.kill().unwrap();
    other.wait().unwrap();
    let mut h = harness(RemnantApp::new(None));
    h.state_mut()
        .apply(AppCommand::FileChosen(Purpose::OpenCase, case.clone()));
    h.run();
    assert!(h.state().locked_case.is_none(), "asked about a stale lock");
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    assert!(!h.state().ws.is_read_only());
    let held: Holder =
        serde_json::from_slice(&std::fs::read(lock_path_for(&case)).unwrap()).unwrap();
    assert_eq!(
        held.pid,
        std::process::id(),
        "the stale lock was taken over"
    );
    h.state_mut().wait_for_jobs();
    h.run();
}
