//! DICOM SEG on the command line: `remnant convert --seg-out` writes the layers as a
//! DICOM Segmentation, `remnant volumetry --seg` reads one as the layers.

use super::CliError;
use crate::seg::{SegImport, Written, import_seg, write_seg};
use crate::segmentation::LabelMap;
use crate::volume::Geometry;
use crate::volume::dicom::SourceRefs;
use std::path::Path;

/// Write the SR of a SEG just written (its segments' volumes and the FLR) and say so.
pub(super) fn export_sr(
    out: &Path,
    seg: &Written,
    labels: &LabelMap,
    refs: Option<&SourceRefs>,
) -> Result<(), CliError> {
    let ratios = crate::seg::Ratios {
        flr_percent: crate::volumetry::Counts::from_bits(&labels.bits).flr_percent(),
        sflr_percent: None,
    };
    let w = crate::seg::write_sr(
        out,
        &crate::seg::SrSource {
            seg,
            voxel_mm3: labels.geometry.voxel_volume_mm3(),
            refs,
            ratios,
        },
    )?;
    for warning in &w.warnings {
        eprintln!("remnant: warning: {warning}");
    }
    let vols: Vec<String> = w
        .volumes_ml
        .iter()
        .map(|(n, ml)| format!("#{n} {ml:.1} mL"))
        .collect();
    println!(
        "wrote {}: DICOM SR (TID 1500), volumes {}{}",
        out.display(),
        vols.join(", "),
        ratios
            .flr_percent
            .map_or(String::new(), |p| format!(", FLR {p:.1} %"))
    );
    Ok(())
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
