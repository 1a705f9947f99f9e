//! File dialogs that never fail silently: with `REMNANT_FILE_DIALOG=inapp` (what the
//! app falls back to when the platform dialog is unavailable) every File menu item
//! opens Remnant's own chooser, and a path typed in it is where the file goes.

mod common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::segmentation::Layer;
use remnant::trainee::SampleExercise;
use remnant::ui::menu::{FILE_MENU, FileEntry, IMPORT_MASK, QUIT, RECENT, import_mask_label};
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

/// Every item of the real File menu (`menu::FILE_MENU`, which the menu is built from):
/// a file item opens the chooser (and Cancel closes it), the two Open items load their
/// scan, both submenus list their items, and Quit asks the window to close.
#[test]
fn every_file_menu_item_ends_in_a_dialog_or_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let ct = dir.path().join("ct.nii.gz");
    std::fs::copy(sample("phantom_ct.nii.gz"), &ct).unwrap();
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(ct));
    app.wait_for_jobs();
    let mut h = harness(app);
    let expect_dialog = |h: &mut Harness<'static, RemnantApp>, item: &str| {
        assert!(h.state().dialogs.is_open(), "{item}: no dialog");
        h.get_by_label("Cancel").click();
        h.run_steps(3);
        assert!(
            !h.state().dialogs.is_open(),
            "{item}: the chooser did not close"
        );
    };
    let mut checked = Vec::new();
    for entry in FILE_MENU {
        match *entry {
            FileEntry::Item(label, _, cmd) => {
                menu_item(&mut h, label);
                match cmd() {
                    // the two items that open a scan directly: it loads
                    AppCommand::Open(scan) => {
                        h.state_mut().wait_for_jobs();
                        h.run_steps(3);
                        let st = h.state();
                        assert!(st.error.is_none(), "{label}: {:?}", st.error);
                        assert_eq!(
                            st.ws.study.as_ref().map(|s| &s.path),
                            Some(&scan),
                            "{label}"
                        );
                    }
                    AppCommand::OpenExercise(dir) => {
                        h.state_mut().wait_for_jobs();
                        h.run_steps(3);
                        let scan = SampleExercise::in_dir(&dir).unwrap().ct;
                        let st = h.state();
                        assert!(st.error.is_none(), "{label}: {:?}", st.error);
                        assert_eq!(
                            st.ws.study.as_ref().map(|s| &s.path),
                            Some(&scan),
                            "{label}"
                        );
                    }
                    // every other item asks for a file or folder
                    _ => expect_dialog(&mut h, label),
                }
                checked.push(label.to_string());
            }
            FileEntry::Recent => {
                h.get_by_label("File").click();
                h.run_steps(3);
                h.get_by_label(RECENT).hover();
                h.run_steps(3);
                // the scan opened above is listed (the list is kept in REMNANT_CONFIG_DIR)
                let recent = h.state().recent.clone();
                assert!(!recent.is_empty(), "no recent file after opening one");
                h.get_by_label(&recent[0].display().to_string());
                h.key_press(egui::Key::Escape);
                h.run_steps(3);
                checked.push(RECENT.to_string());
            }
            FileEntry::ImportMask => {
                for layer in Layer::ALL {
                    let label = import_mask_label(layer);
                    h.get_by_label("File").click();
                    h.run_steps(3);
                    h.get_by_label(IMPORT_MASK).hover();
                    h.run_steps(3);
                    h.get_by_label(&label).click();
                    h.run_steps(3);
                    expect_dialog(&mut h, &label);
                    checked.push(label);
                }
            }
            FileEntry::Separator => {}
            FileEntry::Quit => {
                h.get_by_label("File").click();
                h.run_steps(3);
                h.get_by_label(QUIT).click();
                // the frame that handles the click asks the window to close
                let mut closes = false;
                for _ in 0..3 {
                    h.step();
                    closes |= h.output().viewport_output.values().any(|v| {
                        v.commands
                            .iter()
                            .any(|c| matches!(c, egui::ViewportCommand::Close))
                    });
                }
                assert!(closes, "{QUIT}: no close command");
                checked.push(QUIT.to_string());
            }
        }
    }
    // 16 items, the Recent submenu, Quit and one import item per layer
    assert_eq!(checked.len(), 18 + Layer::ALL.len(), "{checked:?}");
}
