//! DICOM SEG export and import of the open scan's layers (File menu).

use super::{Workspace, WorkspaceError};
use std::path::Path;

impl Workspace {
    /// Write the layers as a DICOM Segmentation referencing the scan's DICOM series
    /// (a NIfTI scan: new UIDs, said in the message).
    pub fn export_seg(&self, path: &Path) -> Result<String, WorkspaceError> {
        let study = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        let w = crate::seg::write_seg(path, &study.labels, study.dicom_refs.as_ref())?;
        let names: Vec<&str> = w.segments.iter().map(|s| s.kind.label()).collect();
        let mut m = format!(
            "DICOM SEG saved to {}: {} ({} frames",
            path.display(),
            names.join(", "),
            w.frames
        );
        if w.referenced_images > 0 {
            m.push_str(&format!(
                ", referencing {} source images",
                w.referenced_images
            ));
        }
        m.push(')');
        for warning in &w.warnings {
            m.push_str(&format!(". Note: {warning}"));
        }
        Ok(m)
    }

    /// Import a DICOM SEG made elsewhere: the layers it holds replace the open
    /// scan's (one undo step); the message says which segments were used or ignored.
    pub fn import_seg(&mut self, path: &Path) -> Result<String, WorkspaceError> {
        let study = self.study.as_mut().ok_or(WorkspaceError::NoScan)?;
        let got = crate::seg::import_seg(path, &study.ct.geometry, study.dicom_refs.as_ref())?;
        let before = study.labels.bits.clone();
        got.apply(&mut study.labels);
        self.editor.record_external(study, &before);
        study.touch();
        let mut m = format!(
            "DICOM SEG imported from {}: {}",
            path.display(),
            got.summary()
        );
        for warning in &got.warnings {
            m.push_str(&format!(". Note: {warning}"));
        }
        Ok(m)
    }
}
