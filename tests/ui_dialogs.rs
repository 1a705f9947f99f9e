//! File dialogs that never fail silently: with `REMNANT_FILE_DIALOG=inapp` (what the
//! app falls back to when the platform dialog is unavailable) every File menu item
//! opens Remnant's own chooser, and a path typed in it is where the file goes.

mod common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::ui::{AppCommand, RemnantApp};

fn harness(app: RemnantApp) -> Harness<'static, RemnantApp> {
    // SAFETY: every test of this binary sets the same values before reading them.
    unsafe {
        std::env::set_var("REMNANT_FILE_DIALOG", "inapp");
        std::env::set_var(
            "REMNANT_CONFIG_DIR",
            std::env::temp_dir().join("remnant-test-dialogs"),
        );
    }
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run_steps(3);
    h
}

fn menu_item(h: &mut Harness<'static, RemnantApp>, item: &str) {
    h.get_by_label("File").click();
    h.run_steps(3);
    h.get_by_label(item).click();
    h.run_steps(3);
    h.run_steps(3);
}

/// Replace the text of the text field labelled `label`.
fn type_into(h: &mut Harness<'static, RemnantApp>, label: &str, text: &str) {
    let f = h.get_by_role_and_label(egui::accesskit::Role::TextInput, label);
    f.focus();
    h.run_steps(3);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(3);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, label)
        .type_text(text);
    h.run_steps(3);
}

fn with_phantom() -> RemnantApp {
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("phantom_ct.nii.gz")));
    app.wait_for_jobs();
    assert!(app.ws.study.is_some());
    app
}

#[test]
fn export_report_pdf_through_the_in_app_chooser_writes_the_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(with_phantom());
    menu_item(&mut h, "Export report PDF...");
    h.get_by_label("Export the report as PDF");
    // a whole path typed over the proposed name; the ".pdf" ending is added
    let target = dir.path().join("op-note");
    type_into(&mut h, "Save as", &target.display().to_string());
    h.get_by_label("Save").click();
    h.run_steps(3);
    h.run_steps(3);
    let written = dir.path().join("op-note.pdf");
    let pdf = std::fs::read(&written).expect("the PDF was written where typed");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    assert_eq!(
        h.state().notice.as_deref(),
        Some(format!("report exported to {}", written.display()).as_str())
    );
    assert!(!h.state().dialogs.is_open(), "the chooser closed");
    // again to the same path: the chooser asks before replacing the file
    std::fs::write(&written, b"old").unwrap();
    menu_item(&mut h, "Export report PDF...");
    type_into(&mut h, "Save as", &written.display().to_string());
    h.get_by_label("Save").click();
    h.run_steps(3);
    assert_eq!(std::fs::read(&written).unwrap(), b"old");
    h.get_by_label_contains("exists: press Save again to replace it");
    h.get_by_label("Save").click();
    h.run_steps(3);
    h.run_steps(3);
    assert!(std::fs::read(&written).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn the_chooser_browses_folders_and_opens_a_scan() {
    let mut h = harness(RemnantApp::new(None));
    menu_item(&mut h, "Open scan...");
    h.get_by_label("Open a CT scan");
    let folder = sample("phantom_ct.nii.gz")
        .parent()
        .unwrap()
        .display()
        .to_string();
    type_into(&mut h, "Folder", &folder);
    h.get_by_label("Go").click();
    h.run_steps(3);
    // the NIfTI filter lists the scans, not the seed text file
    assert!(h.query_by_label("liver_seeds.txt").is_none());
    h.get_by_label("phantom_ct.nii.gz").click();
    h.run_steps(3);
    h.get_by_label("Open").click();
    h.run_steps(3);
    h.state_mut().wait_for_jobs();
    h.run_steps(3);
    let study = h.state().ws.study.as_ref().expect("the scan opened");
    assert!(study.path.ends_with("phantom_ct.nii.gz"));
    // a name that does not exist is refused in the chooser, with the reason
    menu_item(&mut h, "Open layers...");
    type_into(&mut h, "File name", "no-such-file.nii.gz");
    h.get_by_label("Open").click();
    h.run_steps(3);
    h.get_by_label_contains("no-such-file.nii.gz does not exist");
    h.get_by_label("Cancel").click();
    h.run_steps(3);
    assert!(!h.state().dialogs.is_open());
}

#[test]
fn every_file_menu_item_ends_in_a_dialog_or_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("phantom_ct.nii.gz"), &ct).unwrap();
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(ct));
    app.wait_for_jobs();
    let mut h = harness(app);
    for item in [
        "Open scan...",
        "Open DICOM folder...",
        "Open case...",
        "Save case (Ctrl+S)",
        "Save case as...",
        "Export report PDF...",
        "Open layers...",
        "Save label map...",
    ] {
        menu_item(&mut h, item);
        assert!(h.state().dialogs.is_open(), "{item}: no dialog");
        h.get_by_label("Cancel").click();
        h.run_steps(3);
        assert!(
            !h.state().dialogs.is_open(),
            "{item}: the chooser did not close"
        );
    }
    // the mask import submenu
    h.get_by_label("File").click();
    h.run_steps(3);
    h.get_by_label("Import mask as layer").hover();
    h.run_steps(3);
    h.get_by_label("Liver...").click();
    h.run_steps(3);
    assert!(h.state().dialogs.is_open(), "import mask: no dialog");
    h.get_by_label("Cancel").click();
    h.run_steps(3);
    // the bundled sample loads (a scan, or an error banner if it were missing)
    menu_item(&mut h, "Open bundled sample");
    h.state_mut().wait_for_jobs();
    h.run_steps(3);
    let st = h.state();
    assert!(
        st.error.is_some()
            || st.ws.study.as_ref().is_some_and(|s| s.path
                == remnant::sample::materialized_dir()
                    .unwrap()
                    .join("ct.nii.gz"))
    );
}
