//! Export as exercise and Open exercise through egui_kittest: a case whose report
//! names the patient is written with File > Export as exercise (the in-app folder
//! chooser), none of the patient's fields is in any file of it, and File > Open
//! exercise on that folder starts the trainee mode, which scores the tracing. (Its own
//! test binary: the attempts log in the config folder is this binary's alone.)

mod common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::segmentation::Layer;
use remnant::ui::{AppCommand, Purpose, RemnantApp, Tab};
use std::path::PathBuf;

/// One config folder for this test binary (set before any thread reads it).
fn config_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!(
            "remnant-exercise-export-config-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        // SAFETY: set once, before any test thread reads them (all readers go through this lock).
        unsafe {
            std::env::set_var("REMNANT_CONFIG_DIR", &d);
            std::env::set_var("REMNANT_FILE_DIALOG", "inapp");
        }
        d
    })
    .clone()
}

fn harness() -> Harness<'static, RemnantApp> {
    config_dir();
    common::ui::empty_app()
}

fn liver_voxels(h: &Harness<'static, RemnantApp>) -> usize {
    common::ui::layer_voxels(h, Layer::Liver)
}

/// File > `item`, then the in-app chooser: `folder` typed, Go, Choose this folder.
fn choose_folder(h: &mut Harness<'static, RemnantApp>, item: &str, folder: &std::path::Path) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label(item).click();
    h.run();
    assert!(h.state().dialogs.is_open(), "{item}: no chooser");
    let f = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Folder");
    f.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Folder")
        .type_text(&folder.display().to_string());
    h.run();
    h.get_by_label("Go").click();
    h.run();
    h.get_by_label("Choose this folder").click();
    h.run();
    h.state_mut().wait_for_jobs();
    h.run();
}

/// Every file's bytes under `dir`, gzip files inflated too.
fn export_bytes(dir: &std::path::Path) -> Vec<(PathBuf, Vec<u8>)> {
    use std::io::Read;
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let bytes = std::fs::read(e.path()).unwrap();
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut v = Vec::new();
            flate2::read::MultiGzDecoder::new(&bytes[..])
                .read_to_end(&mut v)
                .unwrap();
            out.push((e.path(), v));
        }
        out.push((e.path(), bytes));
    }
    out
}

/// A case exported with File > Export as exercise holds none of the report's patient
/// fields; File > Open exercise on that folder starts the trainee mode on it (the
/// reference hidden), and the reference loaded as the tracing scores Dice 1.
#[test]
fn a_case_exported_as_an_exercise_opens_in_the_trainee_mode_and_scores() {
    let mut h = harness();
    let d = tempfile::tempdir().unwrap();
    let ct = d.path().join("DOE_JANE_MRN778899.nii.gz");
    std::fs::copy(sample("ct.nii.gz"), &ct).unwrap();
    h.state_mut().apply(AppCommand::Open(ct.clone()));
    h.state_mut().wait_for_jobs();
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        sample("liver.nii.gz"),
    ));
    let mut r = h.state().ws.report.clone();
    r.patient.name = Some("DOE, JANE".into());
    r.patient.patient_id = Some("MRN778899".into());
    r.patient.birth_date = Some("1950-05-06".into());
    r.patient.accession = Some("ACC5566".into());
    r.surgeon = Some("Dr Quimby".into());
    r.findings = "Jane's private history".into();
    h.state_mut().apply(AppCommand::set_report(r));
    h.run();
    let ex = d.path().join("exercise");
    std::fs::create_dir(&ex).unwrap();
    choose_folder(&mut h, "Export as exercise...", &ex);
    {
        let app = h.state();
        assert!(app.error.is_none(), "{:?}", app.error);
        let n = app.notice.as_deref().unwrap_or("");
        assert!(n.contains("exercise exported to"), "{n}");
    }
    let files = export_bytes(&ex);
    assert!(files.len() >= 6, "{files:?}");
    for (p, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
        for id in [
            "doe",
            "jane",
            "mrn778899",
            "1950-05-06",
            "acc5566",
            "quimby",
            "private",
        ] {
            assert!(!text.contains(id), "{id} in {}", p.display());
        }
    }

    // File > Open exercise on the exported folder
    choose_folder(&mut h, "Open exercise...", &ex);
    {
        let app = h.state_mut();
        assert!(app.error.is_none(), "{:?}", app.error);
        let n = app.notice.as_deref().unwrap_or("");
        assert!(n.contains("Exercise started: Trace the liver"), "{n}");
        let study = app.ws.study.take().expect("the exercise's CT is open");
        assert_eq!(study.path, ex.join("ct.nii.gz"));
        let ed = &mut app.ws.editor;
        let r = ed.reference.as_ref().expect("the reference is loaded");
        assert_eq!(r.name, "liver.nii.gz");
        assert_eq!(r.mask.iter().filter(|&&v| v != 0).count(), 38_634);
        assert!(ed.exercise.is_some());
        assert!(ed.highlight(&study).is_none(), "the reference is drawn");
        app.ws.study = Some(study);
        assert_eq!(app.tab, Tab::Tools);
    }
    assert_eq!(liver_voxels(&h), 0, "the liver layer starts blank");
    // the tracing: the exported reference itself, loaded as the liver layer
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        ex.join("liver.nii.gz"),
    ));
    h.run();
    assert_eq!(liver_voxels(&h), 38_634);
    h.get_by_label("Score my tracing").click();
    h.run();
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    assert_eq!(h.get_all_by_label("1.000").count(), 2, "Dice 1.000 shown");
    assert_eq!(
        h.state()
            .ws
            .editor
            .exercise
            .as_ref()
            .unwrap()
            .last
            .as_ref()
            .unwrap()
            .dice,
        1.0
    );
}

/// A folder that is not an exercise is named, and nothing opens.
#[test]
fn a_folder_that_is_not_an_exercise_is_refused() {
    let mut h = harness();
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("notes.txt"), b"x").unwrap();
    choose_folder(&mut h, "Open exercise...", d.path());
    let app = h.state();
    let e = app.error.as_deref().unwrap_or("");
    assert!(
        e.contains(&d.path().display().to_string()) && e.contains("is not a Remnant exercise"),
        "{e}"
    );
    assert!(app.ws.study.is_none() && app.ws.editor.exercise.is_none());
}
