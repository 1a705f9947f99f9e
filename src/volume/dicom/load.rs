//! Loading one series as a volume: headers (to sort and check), then the pixels
//! of every slice decoded in parallel straight into the volume's buffer (images
//! off the even grid, with uneven spacing, into a side buffer first), then the
//! resampled and gap slices blended from their two nearest images.

use super::error::DicomError;
use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::header::ImageHeader;
use super::patient::PatientInfo;
use super::pixels::{SliceStats, decode_into};
use super::progress::Stage;
use super::refs::{SourceRefs, source_refs};
use super::scan::{group_series, read_headers};
use super::series::SeriesSummary;
use super::spacing;
use super::stack::{Plane, StackPlan, plan_stack};
use super::volume_warnings::{conversion_warnings, ignored_files_warning};
use crate::task::Task;
use crate::volume::units::percentile_windows;
use crate::volume::{AffineSource, Geometry, ValueUnits, Volume};

/// Larger volumes are refused (4 GiB of i16) rather than risking the machine.
const MAX_VOXELS: usize = 1 << 31;
/// Share of the progress bar spent reading headers.
const HEADER_SHARE: f32 = 0.1;

/// A series as a volume (CT in Hounsfield units; MR and others in the units
/// the file gives), with what the user must know.
#[derive(Debug, Clone)]
pub struct DicomVolume {
    pub volume: Volume<i16>,
    pub patient: PatientInfo,
    /// Problems found that did not stop the load (gaps, tilt...), one sentence each.
    pub warnings: Vec<String>,
    /// The series as found when loading.
    pub series: SeriesSummary,
    /// What the voxel values are: modality and units.
    pub units: ValueUnits,
    /// Output slices (k) filled by interpolation inside gaps (missing slices).
    pub filled_slices: Vec<usize>,
    /// Whether the slices were resampled onto an even grid (uneven spacing).
    pub resampled: bool,
    /// Study, series, Frame of Reference and per-slice SOP instance UIDs (for a
    /// DICOM Segmentation made on this volume).
    pub refs: SourceRefs,
}

/// Load the series a scan found.
pub fn load_series(series: &SeriesSummary, task: Task) -> Result<DicomVolume, DicomError> {
    load_files(&series.files, task)
}

/// Load a list of files that hold one series. Files that are not images are
/// ignored with a warning; files of more than one series are refused.
pub fn load_files(files: &[PathBuf], task: Task) -> Result<DicomVolume, DicomError> {
    let report_headers = |f: f32| task.report(f * HEADER_SHARE);
    let header_task = Task::new(&report_headers, task.cancel);
    let mut ignored = Vec::new();
    let headers = read_headers(files, header_task, &mut ignored)?;
    let series = one_series(&headers, &ignored)?;
    let plan = plan_stack(&headers)?;
    let (voxels, stats) = decode_planes(&headers, &plan, task)?;
    let units = ValueUnits::of(
        series.modality.as_deref(),
        headers[0].rescale_type.as_deref(),
    );
    let mut warnings = identity_warning(&series).into_iter().collect::<Vec<_>>();
    warnings.extend(plan.warnings.iter().cloned());
    warnings.extend(ignored_files_warning(&ignored));
    warnings.extend(conversion_warnings(&stats, &units));
    let geometry = Geometry {
        dims: plan.dims,
        affine: plan.affine,
        source: AffineSource::Dicom,
    };
    let mut units = units;
    if !units.is_hounsfield() {
        units.windows = percentile_windows(&voxels);
    }
    let volume = Volume::new(voxels, geometry).map_err(|e| DicomError::TooLarge(e.to_string()))?;
    let refs = source_refs(&headers, &plan.planes);
    task.report(1.0);
    Ok(DicomVolume {
        volume,
        patient: headers[0].patient.clone(),
        warnings,
        series,
        units,
        filled_slices: plan.filled,
        resampled: plan.resampled,
        refs,
    })
}

/// The grid a series would load onto and the stacking warnings (gaps, tilt,
/// duplicates...), from the headers only: no pixel is decoded. For commands
/// that need only the CT's geometry (`remnant volumetry --ct DIR`).
pub fn series_geometry(
    series: &SeriesSummary,
    task: Task,
) -> Result<(Geometry, Vec<String>), DicomError> {
    series_source(series, task).map(|(g, w, _)| (g, w))
}

/// [`series_geometry`] with the series' references (UIDs of every slice), for a
/// DICOM Segmentation written without decoding the pixels.
pub fn series_source(
    series: &SeriesSummary,
    task: Task,
) -> Result<(Geometry, Vec<String>, SourceRefs), DicomError> {
    let mut ignored = Vec::new();
    let headers = read_headers(&series.files, task, &mut ignored)?;
    let series = one_series(&headers, &ignored)?;
    let plan = plan_stack(&headers)?;
    let mut warnings: Vec<String> = identity_warning(&series).into_iter().collect();
    warnings.extend(plan.warnings.iter().cloned());
    warnings.extend(ignored_files_warning(&ignored));
    let refs = source_refs(&headers, &plan.planes);
    task.report(1.0);
    Ok((
        Geometry {
            dims: plan.dims,
            affine: plan.affine,
            source: AffineSource::Dicom,
        },
        warnings,
        refs,
    ))
}

/// The single series the headers form, or why not.
fn one_series(
    headers: &[ImageHeader],
    ignored: &[(PathBuf, String)],
) -> Result<SeriesSummary, DicomError> {
    let mut all = group_series(headers.to_vec());
    match all.len() {
        1 => Ok(all.remove(0)),
        0 => Err(match ignored.first() {
            Some((p, why)) => {
                DicomError::Series(format!("no image could be read ({}: {why})", p.display()))
            }
            None => DicomError::Series("no image files were given".into()),
        }),
        n => Err(DicomError::Series(format!(
            "the files belong to {n} different series ({}); load one series at a time",
            all.iter().map(|s| s.label()).collect::<Vec<_>>().join("; ")
        ))),
    }
}

/// "series identified without a UID", when it was.
fn identity_warning(series: &SeriesSummary) -> Option<String> {
    series.series_instance_uid.is_none().then(|| {
        format!(
            "series identified without a UID: SeriesInstanceUID (0020,000E) is missing or empty; \
             the images were grouped by study, series number and date/time, modality, description, \
             frame of reference, orientation, size and pixel spacing (series key {})",
            series.key
        )
    })
}

/// Decode every image the plan uses, in parallel: images on the grid straight
/// into the volume's buffer, the others (uneven spacing) into a side buffer;
/// then the blended slices.
fn decode_planes(
    headers: &[ImageHeader],
    plan: &StackPlan,
    task: Task,
) -> Result<(Vec<i16>, Vec<SliceStats>), DicomError> {
    let [cols, rows, slices] = plan.dims;
    let plane_len = cols * rows;
    let total = plane_len
        .checked_mul(slices)
        .filter(|&t| t <= MAX_VOXELS && plane_len > 0)
        .ok_or_else(|| {
            DicomError::TooLarge(format!(
                "the volume is too large: {cols} x {rows} x {slices} voxels"
            ))
        })?;
    let mut voxels = zeroed(total, [cols, rows, slices])?;

    // Where each image used by a blend is: on the grid (output slice k) or in `extra`.
    let mut on_grid: HashMap<usize, usize> = HashMap::new();
    for (k, p) in plan.planes.iter().enumerate() {
        if let Plane::Image(h) = *p {
            on_grid.entry(h).or_insert(k);
        }
    }
    let mut off_grid: Vec<usize> = Vec::new();
    for p in &plan.planes {
        let used: Vec<usize> = match p {
            Plane::Image(_) => Vec::new(),
            Plane::Blend { lower, upper, .. } => vec![*lower, *upper],
            Plane::Mix { parts, .. } => parts.iter().map(|p| p.0).collect(),
        };
        for h in used {
            if !on_grid.contains_key(&h) && !off_grid.contains(&h) {
                off_grid.push(h);
            }
        }
    }
    let extra_total = plane_len
        .checked_mul(off_grid.len())
        .filter(|&t| t.saturating_add(total) <= MAX_VOXELS)
        .ok_or_else(|| {
            DicomError::TooLarge(format!(
                "the volume is too large: {cols} x {rows} x {slices} voxels"
            ))
        })?;
    let mut extra = zeroed(extra_total, [cols, rows, off_grid.len()])?;

    let stage = Stage::new(task, HEADER_SHARE, 0.99, slices + off_grid.len());
    let decode = |h: usize, out: &mut [i16]| -> Result<SliceStats, DicomError> {
        stage.check()?;
        let r = decode_into(&headers[h], rows as u32, cols as u32, out);
        stage.tick();
        r
    };
    let mut stats: Vec<SliceStats> = extra
        .par_chunks_mut(plane_len)
        .zip(off_grid.par_iter())
        .map(|(out, &h)| decode(h, out))
        .collect::<Result<_, DicomError>>()?;
    let on: Vec<Option<SliceStats>> = voxels
        .par_chunks_mut(plane_len)
        .zip(plan.planes.par_iter())
        .map(|(out, plane)| match *plane {
            Plane::Image(h) => decode(h, out).map(Some),
            Plane::Blend { .. } | Plane::Mix { .. } => {
                stage.tick();
                Ok(None)
            }
        })
        .collect::<Result<_, DicomError>>()?;
    stats.extend(on.into_iter().flatten());
    let extra_index: HashMap<usize, usize> =
        off_grid.iter().enumerate().map(|(i, &h)| (h, i)).collect();
    blend(
        &mut voxels,
        &extra,
        [cols, rows],
        &plan.planes,
        &on_grid,
        &extra_index,
    );
    Ok((voxels, stats))
}

fn zeroed(n: usize, dims: [usize; 3]) -> Result<Vec<i16>, DicomError> {
    let mut v: Vec<i16> = Vec::new();
    v.try_reserve_exact(n).map_err(|_| {
        DicomError::TooLarge(format!(
            "not enough memory for {} x {} x {} voxels",
            dims[0], dims[1], dims[2]
        ))
    })?;
    v.resize(n, 0);
    Ok(v)
}

/// Blended slices: linear interpolation between the two images around a
/// missing slice (`Blend`), or each voxel from one slab's image (`Mix`).
fn blend(
    voxels: &mut [i16],
    extra: &[i16],
    [cols, rows]: [usize; 2],
    planes: &[Plane],
    on_grid: &HashMap<usize, usize>,
    extra_index: &HashMap<usize, usize>,
) {
    let plane_len = cols * rows;
    for (k, plane) in planes.iter().enumerate() {
        let src = |h: usize| -> Option<&[i16]> {
            match (on_grid.get(&h), extra_index.get(&h)) {
                (Some(&g), _) => voxels.get(g * plane_len..(g + 1) * plane_len),
                (None, Some(&e)) => extra.get(e * plane_len..(e + 1) * plane_len),
                (None, None) => None,
            }
        };
        let mixed: Vec<i16> = match plane {
            Plane::Image(_) => continue,
            Plane::Blend {
                lower, upper, t, ..
            } => {
                let (Some(a), Some(b)) = (src(*lower), src(*upper)) else {
                    continue;
                };
                a.iter()
                    .zip(b)
                    .map(|(&x, &y)| ((1.0 - t) * f64::from(x) + t * f64::from(y)).round() as i16)
                    .collect()
            }
            Plane::Mix { parts, .. } => {
                let Some(images) = parts
                    .iter()
                    .map(|&(h, _)| src(h).map(|s| (h, s)))
                    .collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                (0..plane_len)
                    .map(|p| {
                        let h = spacing::pick(parts, spacing::dither(p % cols, p / cols));
                        images.iter().find(|i| i.0 == h).map_or(0, |i| i.1[p])
                    })
                    .collect()
            }
        };
        if let Some(dst) = voxels.get_mut(k * plane_len..(k + 1) * plane_len) {
            dst.copy_from_slice(&mixed);
        }
    }
}
