//! Importing a SEG made elsewhere as layers on the open scan's grid.

use std::path::Path;

use super::SegError;
use super::codes::{Mapping, map_segment};
use super::read::{SegFile, read_seg};
use super::resample::{extents, grid_difference, place_segment, plane_step};
use crate::segmentation::{LabelMap, Layer};
use crate::volume::Geometry;
use crate::volume::dicom::SourceRefs;

/// What happened to one segment of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentUse {
    pub number: u16,
    pub label: String,
    /// The layer it went into, or None (ignored).
    pub layer: Option<Layer>,
    /// By what it was mapped ("code SCT 10200004 \"Liver\"", "label"), or why ignored.
    pub why: String,
    /// Voxels it set on the scan's grid.
    pub voxels: usize,
}

/// The layers read from a SEG, to replace the open scan's layers of the same name.
#[derive(Debug, Clone)]
pub struct SegImport {
    /// One 0/1 mask per layer found (several segments of one layer are united).
    pub layers: Vec<(Layer, Vec<u8>)>,
    pub segments: Vec<SegmentUse>,
    /// Resampled, parts outside the scan, another series referenced...
    pub warnings: Vec<String>,
    /// Whether the SEG's grid differed from the scan's (nearest-neighbour resampling).
    pub resampled: bool,
}

impl SegImport {
    /// Replace the imported layers in `map` (the others stay as they are).
    pub fn apply(&self, map: &mut LabelMap) {
        for (layer, mask) in &self.layers {
            map.set_layer(*layer, mask);
        }
    }

    /// One paragraph: which segments went where, which were ignored and why.
    pub fn summary(&self) -> String {
        let used: Vec<String> = self
            .segments
            .iter()
            .filter_map(|s| {
                let l = s.layer?;
                Some(format!(
                    "#{} \"{}\" -> {} ({} voxels, by {})",
                    s.number,
                    s.label,
                    l.name(),
                    s.voxels,
                    s.why
                ))
            })
            .collect();
        let ignored: Vec<String> = self
            .segments
            .iter()
            .filter(|s| s.layer.is_none())
            .map(|s| format!("#{} \"{}\" ({})", s.number, s.label, s.why))
            .collect();
        let mut out = format!("used: {}", used.join("; "));
        if !ignored.is_empty() {
            out.push_str(&format!("; ignored: {}", ignored.join("; ")));
        }
        out
    }
}

/// Read the SEG at `path` onto `ct`'s grid. `scan_refs`: the open scan's DICOM
/// identity (None for NIfTI), to check the Frame of Reference and the series.
pub fn import_seg(
    path: &Path,
    ct: &Geometry,
    scan_refs: Option<&SourceRefs>,
) -> Result<SegImport, SegError> {
    let seg = read_seg(path)?;
    let mut warnings = Vec::new();
    check_references(&seg, scan_refs, &mut warnings)?;
    let Mapped {
        mut segments,
        layers: mapped,
    } = map_segments(&seg)?;
    let difference = grid_difference(&seg, ct);
    if let Some(d) = &difference {
        warnings.push(format!(
            "the SEG's grid differs from the scan's ({d}): resampled onto the scan by nearest neighbour"
        ));
    }
    let layers = place_layers(
        &seg,
        ct,
        &mapped,
        difference.is_none(),
        &mut segments,
        &mut warnings,
    )?;
    united_warnings(&layers, &segments, &mut warnings);
    Ok(SegImport {
        layers,
        segments,
        warnings,
        resampled: difference.is_some(),
    })
}

/// Err if the SEG is on another Frame of Reference than the scan; warnings when the
/// scan has none or the SEG was made on another series.
fn check_references(
    seg: &SegFile,
    scan_refs: Option<&SourceRefs>,
    warnings: &mut Vec<String>,
) -> Result<(), SegError> {
    match (
        scan_refs.and_then(|r| r.frame_of_reference_uid.as_deref()),
        seg.frame_of_reference_uid.as_deref(),
    ) {
        (Some(scan), Some(s)) if scan != s => {
            return Err(SegError::OtherFrameOfReference {
                path: seg.path.clone(),
                seg: s.to_string(),
                scan: scan.to_string(),
            });
        }
        (None, _) => warnings.push(
            "the open scan has no DICOM Frame of Reference (a NIfTI file): the SEG is placed by \
             its patient coordinates, assuming both use the same scanner coordinates"
                .to_string(),
        ),
        _ => {}
    }
    if let Some(series) = scan_refs.and_then(|r| r.series_instance_uid.as_deref())
        && !seg.referenced_series.is_empty()
        && !seg.referenced_series.iter().any(|s| s == series)
    {
        warnings.push(format!(
            "the SEG was made on another series ({}) of the same Frame of Reference: placed by \
             patient coordinates",
            seg.referenced_series.join(", ")
        ));
    }
    Ok(())
}

/// Every segment's use, and the (segment number, layer) of those mapped to a layer.
struct Mapped {
    segments: Vec<SegmentUse>,
    layers: Vec<(u16, Layer)>,
}

/// How each segment maps to a layer (by code or label) or why it is ignored; Err if
/// none maps to a layer.
fn map_segments(seg: &SegFile) -> Result<Mapped, SegError> {
    let mut segments = Vec::new();
    let mut mapped: Vec<(u16, Layer)> = Vec::new();
    for s in &seg.segments {
        let frames = seg.frames.iter().filter(|f| f.segment == s.number).count();
        match map_segment(s.property_type.as_ref(), s.region.as_ref(), &s.label) {
            Mapping::Layer { layer, how } if frames > 0 => {
                mapped.push((s.number, layer));
                segments.push(SegmentUse {
                    number: s.number,
                    label: s.label.clone(),
                    layer: Some(layer),
                    why: how,
                    voxels: 0,
                });
            }
            Mapping::Layer { .. } => segments.push(SegmentUse {
                number: s.number,
                label: s.label.clone(),
                layer: None,
                why: "empty: no frame".into(),
                voxels: 0,
            }),
            Mapping::Ignored(why) => segments.push(SegmentUse {
                number: s.number,
                label: s.label.clone(),
                layer: None,
                why,
                voxels: 0,
            }),
        }
    }
    if mapped.is_empty() {
        let ignored: Vec<String> = segments
            .iter()
            .map(|s| format!("#{} \"{}\" ({})", s.number, s.label, s.why))
            .collect();
        return Err(SegError::NoLayer {
            path: seg.path.clone(),
            ignored: ignored.join("; "),
        });
    }
    Ok(Mapped {
        segments,
        layers: mapped,
    })
}

/// Place the mapped segments on `ct`'s grid, uniting those of one layer; fills in
/// each segment's voxels; Err if none lands on the scan, a warning for pixels outside.
fn place_layers(
    seg: &SegFile,
    ct: &Geometry,
    mapped: &[(u16, Layer)],
    same_grid: bool,
    segments: &mut [SegmentUse],
    warnings: &mut Vec<String>,
) -> Result<Vec<(Layer, Vec<u8>)>, SegError> {
    let step = plane_step(seg);
    let mut layers: Vec<(Layer, Vec<u8>)> = Vec::new();
    let (mut set, mut outside, mut landed) = (0usize, 0usize, 0usize);
    for &(number, layer) in mapped {
        let p = place_segment(seg, number, ct, step, same_grid)?;
        set += p.set_pixels;
        outside += p.outside_pixels;
        landed += p.voxels;
        if let Some(u) = segments.iter_mut().find(|u| u.number == number) {
            u.voxels = p.voxels;
        }
        match layers.iter_mut().find(|(l, _)| *l == layer) {
            Some((_, m)) => {
                for (a, b) in m.iter_mut().zip(&p.mask) {
                    *a |= *b;
                }
            }
            None => layers.push((layer, p.mask)),
        }
    }
    if set > 0 && landed == 0 {
        let numbers: Vec<u16> = mapped.iter().map(|m| m.0).collect();
        let (seg_box, scan_box) = extents(seg, &numbers, ct);
        return Err(SegError::NoOverlap {
            path: seg.path.clone(),
            why: format!("its frames lie in {seg_box}; the scan covers {scan_box}"),
        });
    }
    if outside > 0 {
        warnings.push(format!(
            "{outside} of {set} segment pixels lie outside the scan and are left out"
        ));
    }
    Ok(layers)
}

/// A warning for every layer that several segments were united into.
fn united_warnings(
    layers: &[(Layer, Vec<u8>)],
    segments: &[SegmentUse],
    warnings: &mut Vec<String>,
) {
    for (layer, _) in layers {
        let n: Vec<String> = segments
            .iter()
            .filter(|s| s.layer == Some(*layer))
            .map(|s| format!("#{}", s.number))
            .collect();
        if n.len() > 1 {
            warnings.push(format!(
                "segments {} are united into the {} layer",
                n.join(", "),
                layer.name()
            ));
        }
    }
}
