//! DICOM SEG on the command line: `remnant convert --seg-out` writes the layers as a
//! DICOM Segmentation, `remnant volumetry --seg` reads one as the layers.

use super::CliError;
use crate::seg::{SegImport, Written, import_seg, write_seg};
use crate::segmentation::LabelMap;
use crate::task::Task;
use crate::volume::Geometry;
use crate::volume::dicom::SourceRefs;
use std::path::Path;

/// The CT's grid, warnings and (DICOM only) references, from the headers alone.
pub(super) fn ct_source(
    ct: &Path,
    series: Option<&str>,
) -> Result<(Geometry, Vec<String>, Option<SourceRefs>), CliError> {
    if crate::volume::dicom::is_dicom_path(ct) {
        let (g, warnings, _, refs) = crate::volume::dicom::open_source(ct, series, Task::none())
            .map_err(|e| e.to_string())?;
        for w in &warnings {
            eprintln!("remnant: warning: {w}");
        }
        return Ok((g, warnings, Some(refs)));
    }
    let (g, w) = super::volumetry::ct_geometry(ct, series)?;
    Ok((g, w, None))
}

/// Write the SEG and print what it holds; its warnings go to stderr.
pub(super) fn export(
    out: &Path,
    labels: &LabelMap,
    refs: Option<&SourceRefs>,
) -> Result<Written, CliError> {
    let w = write_seg(out, labels, refs)?;
    for warning in &w.warnings {
        eprintln!("remnant: warning: {warning}");
    }
    let segs: Vec<String> = w
        .segments
        .iter()
        .map(|s| {
            format!(
                "#{} {} ({} voxels, {} frames)",
                s.number,
                s.kind.label(),
                s.voxels,
                s.frames
            )
        })
        .collect();
    println!(
        "wrote {}: DICOM SEG, {} frames, segments {}; study {}, Frame of Reference {}, {} source images referenced",
        out.display(),
        w.frames,
        segs.join(", "),
        w.study_instance_uid,
        w.frame_of_reference_uid,
        w.referenced_images
    );
    Ok(w)
}

/// Read a SEG onto the CT's grid as the layers; what was used and ignored, and
/// the warnings, go to stderr and are returned as warnings.
pub(super) fn import(
    path: &Path,
    g: &Geometry,
    refs: Option<&SourceRefs>,
) -> Result<(LabelMap, Vec<String>), CliError> {
    let got: SegImport = import_seg(path, g, refs)?;
    let mut map = LabelMap::empty(g.clone());
    got.apply(&mut map);
    let mut warnings = vec![format!("{}: {}", path.display(), got.summary())];
    warnings.extend(got.warnings.iter().cloned());
    for w in &warnings {
        eprintln!("remnant: warning: {w}");
    }
    Ok((map, warnings))
}
