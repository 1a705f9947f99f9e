//! One action model: the app (its `AppCommand`s, as panels and dialogs send them) and
//! the headless `remnant session` (text lines on stdin) carry out the same
//! `workspace::Command`s through `Workspace::apply`. The same actions give
//! byte-identical case files, and a session restored from an app's autosave keeps the
//! accepted cut and the rulers when it writes again.

mod common;

use common::{bin, sample};
use remnant::measure::Ruler;
use remnant::render::Plane;
use remnant::segmentation::Layer;
use remnant::segmentation::plane_cut::CutPlane;
use remnant::segmentation::tools::PaintMode;
use remnant::task::Task;
use remnant::ui::{AppCommand, Command, Purpose, RemnantApp, TraceAction};
use remnant::workspace::ScriptedStroke;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

/// A cut through the middle of the sample's liver (patient mm), its right part removed.
/// The in-process app's config folder (recent files, the registry a case save
/// updates): this test binary's own, never the user's.
fn config_dir() {
    // SAFETY: every test of this binary sets the same value before the app reads it.
    unsafe {
        std::env::set_var(
            "REMNANT_CONFIG_DIR",
            std::env::temp_dir().join("remnant-test-session-app"),
        )
    };
}

fn cut_plane(ct: &Path) -> CutPlane {
    let (vol, _) = remnant::volume::nifti::read_ct(ct, Task::none()).unwrap();
    CutPlane {
        point: vol.geometry.to_world([81.0, 58.0, 19.0]),
        normal: [1.0, 0.0, 0.0],
        remove_positive: true,
    }
}

/// Run `remnant session` on `ct` with these lines; every reply must be `ok`.
fn session(ct: &Path, autosave: &Path, restore: bool, lines: &[String]) -> Vec<String> {
    let mut cmd = std::process::Command::new(bin());
    cmd.arg("session").arg("--ct").arg(ct);
    cmd.arg("--autosave-dir").arg(autosave);
    if restore {
        cmd.arg("--restore");
    }
    let mut child = cmd
        .env("REMNANT_CONFIG_DIR", autosave.join("config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for l in lines {
            writeln!(stdin, "{l}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "session failed: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replies: Vec<String> = text.lines().map(str::to_string).collect();
    for r in &replies[1..] {
        assert!(
            r.starts_with("ok "),
            "a command failed: {r}\nall: {replies:#?}"
        );
    }
    replies
}

fn plane_words(p: &CutPlane) -> String {
    let [x, y, z] = p.point;
    let [a, b, c] = p.normal;
    format!("cut {x:?} {y:?} {z:?} {a:?} {b:?} {c:?}")
}

#[test]
fn the_same_actions_through_the_app_and_the_session_give_identical_case_files() {
    config_dir();
    let dir = tempfile::tempdir().unwrap();
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("ct.nii.gz"), &ct).unwrap();
    let liver = sample("liver.nii.gz");
    let plane = cut_plane(&ct);
    let ruler = Ruler {
        plane: Plane::Axial,
        a: [60.0, 40.0, 19.0],
        b: [100.0, 70.0, 19.0],
    };

    // Through the session: text lines.
    let s_dir = dir.path().join("session");
    std::fs::create_dir_all(&s_dir).unwrap();
    let s_case = s_dir.join("case.json");
    let lines = vec![
        format!("import-mask liver {}", liver.display()),
        "paint tumour 92 58 19 7.5".to_string(),
        "paint tumour 60 50 15 4".to_string(),
        "undo".to_string(),
        "planning height-cm 172".to_string(),
        "planning weight-kg 81.5".to_string(),
        "planning condition chemo".to_string(),
        "report patient-id CASE-7".to_string(),
        "report surgeon Dr A. Martin".to_string(),
        plane_words(&plane),
        "accept".to_string(),
        "ruler axial 60 40 19 100 70 19".to_string(),
        format!("save-case {}", s_case.display()),
        "status".to_string(),
    ];
    let replies = session(&ct, &s_dir.join("autosave"), false, &lines);
    let status = replies.last().unwrap();
    assert!(status.contains("rulers=1 cut=yes"), "{status}");

    // Through the app: the commands its panels, keys and dialogs send.
    let a_dir = dir.path().join("app");
    std::fs::create_dir_all(&a_dir).unwrap();
    let a_case = a_dir.join("case.json");
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(ct.clone()));
    app.wait_for_jobs();
    app.apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        liver.clone(),
    ));
    let stamp = |at: [f64; 3], r: f64| {
        AppCommand::Case(Command::Stroke(ScriptedStroke {
            layer: Layer::Tumour,
            points: vec![at],
            radius_mm: r,
            mode: PaintMode::Paint,
        }))
    };
    app.apply(stamp([92.0, 58.0, 19.0], 7.5));
    app.apply(stamp([60.0, 50.0, 15.0], 4.0));
    app.apply(AppCommand::Case(Command::Undo));
    let mut p = app.ws.planning.clone();
    p.height_cm = Some(172.0);
    p.weight_kg = Some(81.5);
    p.condition = remnant::volumetry::LiverCondition::Chemo;
    app.apply(AppCommand::set_planning(p));
    let mut r = app.ws.report.clone();
    r.patient.patient_id = Some("CASE-7".into());
    r.surgeon = Some("Dr A. Martin".into());
    app.apply(AppCommand::set_report(r));
    app.apply(AppCommand::Case(Command::PreviewCut(plane)));
    app.apply(AppCommand::trace(TraceAction::Accept));
    app.apply(AppCommand::Case(Command::AddRuler(ruler)));
    app.apply(AppCommand::FileChosen(Purpose::SaveCase, a_case.clone()));
    app.wait_for_jobs();
    assert!(app.error.is_none(), "{:?}", app.error);

    let s_json = std::fs::read(&s_case).unwrap();
    let a_json = std::fs::read(&a_case).unwrap();
    let case: serde_json::Value = serde_json::from_slice(&s_json).unwrap();
    // the case holds every part (so identical files are not identical by being empty)
    assert!(case["cut_plane"].is_object(), "{case}");
    assert_eq!(case["rulers"].as_array().map(Vec::len), Some(1));
    assert_eq!(case["planning"]["height_cm"], 172.0);
    let figures = &case["report"]["liver"]["figures"];
    assert!(
        figures.is_object(),
        "save-case fills the liver figures as the app's save does: {case}"
    );
    assert_eq!(
        String::from_utf8_lossy(&s_json),
        String::from_utf8_lossy(&a_json),
        "the session's and the app's case files differ"
    );
    assert_eq!(
        std::fs::read(s_dir.join("case.layers.nii.gz")).unwrap(),
        std::fs::read(a_dir.join("case.layers.nii.gz")).unwrap(),
        "the session's and the app's layers differ"
    );
}

#[test]
fn a_session_restored_from_an_app_autosave_keeps_the_cut_and_the_rulers() {
    config_dir();
    let dir = tempfile::tempdir().unwrap();
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("ct.nii.gz"), &ct).unwrap();
    let autosave = dir.path().join("autosave");
    let plane = cut_plane(&ct);

    // The app: liver, an accepted cut, a ruler; autosaved; then "killed" (dropped).
    {
        let mut app = RemnantApp::new(None);
        app.enable_autosave(autosave.clone(), Some(&ct));
        app.apply(AppCommand::Open(ct.clone()));
        app.wait_for_jobs();
        app.apply(AppCommand::FileChosen(
            Purpose::ImportMask(Layer::Liver),
            sample("liver.nii.gz"),
        ));
        app.apply(AppCommand::Case(Command::PreviewCut(plane)));
        app.apply(AppCommand::Case(Command::Confirm));
        app.apply(AppCommand::Case(Command::AddRuler(Ruler {
            plane: Plane::Coronal,
            a: [50.0, 58.0, 5.0],
            b: [110.0, 58.0, 25.0],
        })));
        // the frame's autosave tick (an accepted cut and a ruler ask for one at once)
        app.jobs.autosave.tick(&mut app.ws, None);
        app.wait_for_jobs();
        assert!(app.ws.cut().is_some());
    }
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(autosave.join("session.json")).unwrap()).unwrap();
    assert!(saved["cut_plane"].is_object(), "the app autosaved its cut");
    assert_eq!(saved["rulers"].as_array().map(Vec::len), Some(1));

    // The session restores it and edits: its autosave and its case keep both.
    let case = dir.path().join("case.json");
    let replies = session(
        &ct,
        &autosave,
        true,
        &[
            "paint tumour 60 50 15 4".to_string(),
            "status".to_string(),
            format!("save-case {}", case.display()),
        ],
    );
    assert!(replies[0].starts_with("info restored"), "{}", replies[0]);
    assert!(replies[2].contains("rulers=1 cut=yes"), "{}", replies[2]);
    let c: serde_json::Value = serde_json::from_slice(&std::fs::read(&case).unwrap()).unwrap();
    assert_eq!(
        c["cut_plane"], saved["cut_plane"],
        "the restored cut survived the next edit"
    );
    assert_eq!(c["rulers"], saved["rulers"], "the rulers survived");
}

#[test]
fn a_session_edit_after_restore_autosaves_the_cut_and_rulers() {
    // the autosave a restored session writes after its first edit (what a second kill
    // leaves) still holds the app's cut and rulers
    let dir = tempfile::tempdir().unwrap();
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("ct.nii.gz"), &ct).unwrap();
    let autosave = dir.path().join("autosave");
    let plane = cut_plane(&ct);
    let first = vec![
        format!("import-mask liver {}", sample("liver.nii.gz").display()),
        plane_words(&plane),
        "accept".to_string(),
        "ruler sagittal 81 30 5 81 80 25".to_string(),
    ];
    session(&ct, &autosave, false, &first);
    session(
        &ct,
        &autosave,
        true,
        &["paint tumour 60 50 15 4".to_string()],
    );
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(autosave.join("session.json")).unwrap()).unwrap();
    assert!(s["cut_plane"].is_object(), "{s}");
    assert_eq!(s["rulers"].as_array().map(Vec::len), Some(1), "{s}");
}
