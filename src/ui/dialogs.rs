//! Native file dialogs (rfd) on their own thread, so the UI never blocks.

use super::command::Purpose;
use crate::task::Wake;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;

/// Ask for a file for `purpose`; the answer arrives on the receiver.
pub fn ask_file(
    purpose: Purpose,
    start: Option<PathBuf>,
    wake: Option<Wake>,
) -> Receiver<Option<PathBuf>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut d = rfd::FileDialog::new().add_filter("NIfTI", &["nii", "gz"]);
        if let Some(dir) = start {
            d = d.set_directory(dir);
        }
        let only = |name: &str, ext: &[&str]| rfd::FileDialog::new().add_filter(name, ext);
        let pick = match purpose {
            Purpose::OpenScan => d.set_title("Open a CT scan").pick_file(),
            Purpose::OpenLayers => d
                .set_title("Open traced layers (Remnant label map)")
                .pick_file(),
            Purpose::ImportMask(_) => d.set_title("Import a mask as a layer").pick_file(),
            Purpose::AfterPve => d
                .set_title("Label map traced on the post-PVE scan")
                .pick_file(),
            Purpose::SaveLabels => d
                .set_title("Save the label map")
                .set_file_name("labels.nii.gz")
                .save_file(),
            Purpose::Reference => d
                .set_title("Reference mask to score the traced layer against")
                .pick_file(),
            Purpose::OpenCase => only("Remnant case", &["json"])
                .set_title("Open a case")
                .pick_file(),
            Purpose::SaveCase => only("Remnant case", &["json"])
                .set_title("Save the case")
                .set_file_name("case.json")
                .save_file(),
            Purpose::ExportPdf => only("PDF", &["pdf"])
                .set_title("Export the report as PDF")
                .set_file_name("report.pdf")
                .save_file(),
            Purpose::AddPhoto => only("Photo", &["jpg", "jpeg", "png"])
                .set_title("Attach a photo")
                .pick_file(),
            Purpose::OpenSeeds => only("Remnant seeds", &["txt"])
                .set_title("Open seed strokes")
                .pick_file(),
            Purpose::SaveSeeds => only("Remnant seeds", &["txt"])
                .set_title("Save seed strokes")
                .set_file_name("seeds.txt")
                .save_file(),
            Purpose::ExportSeg => only("DICOM SEG", &["dcm"])
                .set_title("Export the layers as DICOM SEG")
                .set_file_name("segmentation.dcm")
                .save_file(),
            Purpose::ImportSeg => rfd::FileDialog::new()
                .add_filter("DICOM SEG", &["dcm"])
                .add_filter("any file", &["*"])
                .set_title("Import a DICOM SEG as layers")
                .pick_file(),
        };
        let _ = tx.send(pick);
        if let Some(w) = wake {
            w();
        }
    });
    rx
}

/// Ask for a DICOM folder.
pub fn ask_folder(start: Option<PathBuf>, wake: Option<Wake>) -> Receiver<Option<PathBuf>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut d = rfd::FileDialog::new().set_title("Open a DICOM folder (CT series)");
        if let Some(dir) = start {
            d = d.set_directory(dir);
        }
        let _ = tx.send(d.pick_folder());
        if let Some(w) = wake {
            w();
        }
    });
    rx
}
