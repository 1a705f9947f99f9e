//! DICOM SEG export and import of the open scan's layers (File menu).

use super::{Workspace, WorkspaceError};
use std::path::Path;

impl Workspace {
    /// Write the layers as a DICOM Segmentation referencing the scan's DICOM series
    /// (a NIfTI scan: new UIDs, said in the message).
    pub fn export_seg(&mut self, path: &Path) -> Result<String, WorkspaceError> {
        let (segments, note) = self.segments_for_export();
        let study = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        let w = crate::seg::write_seg_segments(
            path,
            &study.labels,
            segments.as_ref().map(|c| &c.map),
            study.dicom_refs.as_ref(),
        )?;
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
        for warning in w.warnings.iter().chain(&note) {
            m.push_str(&format!(". Note: {warning}"));
        }
        Ok(m)
    }

    /// The layers as a DICOM SEG at `path` and their volumes, the FLR and the sFLR
    /// (when height and weight are entered) as a TID 1500 SR beside it, named
    /// `<name>-sr.dcm` (File > Export DICOM SEG + SR).
    pub fn export_seg_sr(&mut self, path: &Path) -> Result<String, WorkspaceError> {
        self.fill_liver_figures();
        let figures = self.report.liver.figures.clone().unwrap_or_default();
        let (segments, note) = self.segments_for_export();
        let study = self.study.as_ref().ok_or(WorkspaceError::NoScan)?;
        let refs = study.dicom_refs.as_ref();
        let map = segments.as_ref().map(|c| &c.map);
        let seg = crate::seg::write_seg_segments(path, &study.labels, map, refs)?;
        let sr_path = sr_path_beside(path);
        let sr = crate::seg::write_sr(
            &sr_path,
            &crate::seg::SrSource {
                seg: &seg,
                voxel_mm3: study.labels.geometry.voxel_volume_mm3(),
                refs,
                ratios: crate::seg::Ratios {
                    flr_percent: figures.flr_percent,
                    sflr_percent: figures.sflr_percent,
                },
            },
        )?;
        let mut m = format!(
            "DICOM SEG saved to {} ({} segments) and its measurement report (SR) to {}",
            path.display(),
            seg.segments.len(),
            sr_path.display()
        );
        for warning in seg.warnings.iter().chain(&sr.warnings).chain(&note) {
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

impl Workspace {
    /// The Couinaud segments to export (None before any landmark is placed), or a
    /// note saying why the placed landmarks give none.
    fn segments_for_export(
        &mut self,
    ) -> (
        Option<std::sync::Arc<crate::segments::Couinaud>>,
        Option<String>,
    ) {
        match self.segments() {
            None => (None, None),
            Some(Ok(c)) => (Some(c), None),
            Some(Err(e)) => (
                None,
                Some(format!("the Couinaud segments are not written: {e}")),
            ),
        }
    }
}

/// `seg.dcm` -> `seg-sr.dcm` (the SR written beside a SEG).
fn sr_path_beside(seg: &Path) -> std::path::PathBuf {
    let stem = seg
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "segmentation".into());
    seg.with_file_name(format!("{stem}-sr.dcm"))
}
