//! File > Export DICOM SEG... and Import DICOM SEG... in the app (egui_kittest):
//! the menu items are there, the export writes a SEG of the layers (a NIfTI scan:
//! with new UIDs, said in the message), the import brings the layers back as one
//! undo step and names the segments it used.

mod common;
use common::ui::settle;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::segmentation::Layer;
use remnant::ui::RemnantApp;
use remnant::ui::{AppCommand, Purpose, Tab};

fn harness() -> Harness<'static, RemnantApp> {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let d = std::env::temp_dir().join(format!("remnant-seg-config-{}", std::process::id()));
        // SAFETY: set once, before any test thread reads it (all readers go through this Once).
        unsafe { std::env::set_var("REMNANT_CONFIG_DIR", d) };
    });
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("ct.nii.gz")));
    app.wait_for_jobs();
    app.tab = Tab::Tools;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

fn count(h: &Harness<'static, RemnantApp>, layer: Layer) -> usize {
    h.state().ws.study.as_ref().unwrap().labels.count(layer)
}

#[test]
fn export_and_import_dicom_seg_from_the_file_menu() {
    let mut h = harness();
    h.get_by_label("File").click();
    settle(&mut h);
    h.get_by_label("Export DICOM SEG...");
    h.get_by_label("Import DICOM SEG...");
    h.key_press(egui::Key::Escape);
    settle(&mut h);

    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        sample("liver.nii.gz"),
    ));
    settle(&mut h);
    assert_eq!(count(&h, Layer::Liver), 38_634);

    let dir = tempfile::tempdir().unwrap();
    let seg = dir.path().join("liver-seg.dcm");
    h.state_mut()
        .apply(AppCommand::FileChosen(Purpose::ExportSeg, seg.clone()));
    settle(&mut h);
    assert_eq!(h.state().error, None);
    let notice = h.state().notice.clone().unwrap_or_default();
    assert!(notice.starts_with("DICOM SEG saved to"), "{notice}");
    assert!(notice.contains("new Study Instance UID"), "{notice}");
    assert!(seg.is_file());

    // clear the liver, then import the SEG: the liver comes back exactly
    let study = h.state_mut().ws.study.as_mut().unwrap();
    study.labels.clear_layer(Layer::Liver);
    study.touch();
    h.state_mut()
        .apply(AppCommand::FileChosen(Purpose::ImportSeg, seg.clone()));
    settle(&mut h);
    assert_eq!(h.state().error, None);
    let notice = h.state().notice.clone().unwrap_or_default();
    assert!(
        notice.contains("#1 \"Liver\" -> Liver (38634 voxels"),
        "{notice}"
    );
    assert!(
        notice.contains("ignored: #2 \"Future liver remnant\""),
        "{notice}"
    );
    assert_eq!(count(&h, Layer::Liver), 38_634);
    // one undo step
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut h);
    assert_eq!(count(&h, Layer::Liver), 0);

    // a file that is not a SEG: a message naming it, the layers untouched
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportSeg,
        sample("liver.nii.gz"),
    ));
    settle(&mut h);
    let err = h.state().error.clone().unwrap_or_default();
    assert!(err.contains("not a readable DICOM file"), "{err}");
    assert_eq!(count(&h, Layer::Liver), 0);
}

/// File > Export report to DICOM: the file chosen in its dialog gets the report as
/// a DICOM Encapsulated PDF, and the notice says where and why it is a new study
/// (the sample is a NIfTI scan).
#[test]
fn export_report_to_dicom_from_the_file_menu() {
    let mut h = harness();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export report to DICOM...");
    h.key_press(egui::Key::Escape);
    h.run();
    let dir = tempfile::tempdir().unwrap();
    let dcm = dir.path().join("report.dcm");
    h.state_mut()
        .apply(AppCommand::FileChosen(Purpose::ExportPdfDicom, dcm.clone()));
    settle(&mut h);
    assert_eq!(h.state().error, None);
    let notice = h.state().notice.clone().unwrap_or_default();
    assert!(
        notice.starts_with(&format!(
            "report saved to {} as a DICOM Encapsulated PDF",
            dcm.display()
        )),
        "{notice}"
    );
    assert!(notice.contains("the scan is not from DICOM"), "{notice}");
    let bytes = std::fs::read(&dcm).unwrap();
    assert_eq!(&bytes[128..132], b"DICM");
    assert!(bytes.windows(5).any(|w| w == b"%PDF-"), "the PDF is inside");
}

/// File > Export DICOM SEG + SR: the SEG where the dialog said, its measurement
/// report beside it (`NAME-sr.dcm`), holding the liver's volume as the panel shows it.
#[test]
fn export_seg_and_sr_from_the_file_menu() {
    let mut h = harness();
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        sample("liver.nii.gz"),
    ));
    settle(&mut h);
    let dir = tempfile::tempdir().unwrap();
    let seg = dir.path().join("liver.dcm");
    h.state_mut()
        .apply(AppCommand::FileChosen(Purpose::ExportSegSr, seg.clone()));
    settle(&mut h);
    assert_eq!(h.state().error, None);
    let sr = dir.path().join("liver-sr.dcm");
    let notice = h.state().notice.clone().unwrap_or_default();
    assert!(
        notice.contains(&format!(
            "and its measurement report (SR) to {}",
            sr.display()
        )),
        "{notice}"
    );
    assert!(seg.is_file() && sr.is_file());
    let obj = dicom_object::open_file(&sr).unwrap();
    assert_eq!(
        obj.meta().media_storage_sop_class_uid(),
        dicom_dictionary_std::uids::COMPREHENSIVE_SR_STORAGE
    );
    // the liver's group: 38,634 voxels of 27 mm3 = 1043.118 mL
    let bytes = std::fs::read(&sr).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("1043.118"), "the liver volume in the SR");
}
