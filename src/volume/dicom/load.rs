//! Loading one series as a volume: headers (to sort and check), then the pixels
//! of every slice decoded in parallel straight into the volume's buffer.

use std::path::PathBuf;

use rayon::prelude::*;

use super::header::ImageHeader;
use super::patient::PatientInfo;
use super::pixels::{SliceStats, decode_into};
use super::progress::Stage;
use super::scan::{group_series, read_headers};
use super::series::SeriesSummary;
use super::stack::{Plane, StackPlan, plan_stack};
use super::volume_warnings::{conversion_warnings, ignored_files_warning};
use crate::task::Task;
use crate::volume::{AffineSource, Geometry, Volume};

/// Larger volumes are refused (4 GiB of i16) rather than risking the machine.
const MAX_VOXELS: usize = 1 << 31;
/// Share of the progress bar spent reading headers.
const HEADER_SHARE: f32 = 0.1;

/// A CT series as a volume in Hounsfield units, with what the user must know.
#[derive(Debug, Clone)]
pub struct DicomVolume {
    pub volume: Volume<i16>,
    pub patient: PatientInfo,
    /// Problems found that did not stop the load (gaps, tilt...), one sentence each.
    pub warnings: Vec<String>,
    /// The series as found when loading.
    pub series: SeriesSummary,
}

/// Load the series a scan found.
pub fn load_series(series: &SeriesSummary, task: Task) -> Result<DicomVolume, String> {
    load_files(&series.files, task)
}

/// Load a list of files that hold one series. Files that are not images are
/// ignored with a warning; files of more than one series are refused.
pub fn load_files(files: &[PathBuf], task: Task) -> Result<DicomVolume, String> {
    let report_headers = |f: f32| task.report(f * HEADER_SHARE);
    let header_task = Task::new(&report_headers, task.cancel);
    let mut ignored = Vec::new();
    let headers = read_headers(files, header_task, &mut ignored)?;
    let series = one_series(&headers, &ignored)?;
    let plan = plan_stack(&headers)?;
    let (voxels, stats) = decode_planes(&headers, &plan, task)?;
    let mut warnings = plan.warnings.clone();
    warnings.extend(ignored_files_warning(&ignored));
    warnings.extend(conversion_warnings(&stats, series.modality.as_deref()));
    let geometry = Geometry {
        dims: plan.dims,
        affine: plan.affine,
        source: AffineSource::Dicom,
    };
    let volume = Volume::new(voxels, geometry).map_err(|e| e.to_string())?;
    task.report(1.0);
    Ok(DicomVolume {
        volume,
        patient: headers[0].patient.clone(),
        warnings,
        series,
    })
}

/// The grid a series would load onto and the stacking warnings (gaps, tilt,
/// duplicates...), from the headers only: no pixel is decoded. For commands
/// that need only the CT's geometry (`remnant volumetry --ct DIR`).
pub fn series_geometry(
    series: &SeriesSummary,
    task: Task,
) -> Result<(Geometry, Vec<String>), String> {
    let mut ignored = Vec::new();
    let headers = read_headers(&series.files, task, &mut ignored)?;
    one_series(&headers, &ignored)?;
    let plan = plan_stack(&headers)?;
    let mut warnings = plan.warnings;
    warnings.extend(ignored_files_warning(&ignored));
    task.report(1.0);
    Ok((
        Geometry {
            dims: plan.dims,
            affine: plan.affine,
            source: AffineSource::Dicom,
        },
        warnings,
    ))
}

/// The single series the headers form, or why not.
fn one_series(
    headers: &[ImageHeader],
    ignored: &[(PathBuf, String)],
) -> Result<SeriesSummary, String> {
    let mut all = group_series(headers.to_vec());
    match all.len() {
        1 => Ok(all.remove(0)),
        0 => Err(match ignored.first() {
            Some((p, why)) => format!("no image could be read ({}: {why})", p.display()),
            None => "no image files were given".into(),
        }),
        n => Err(format!(
            "the files belong to {n} different series ({}); load one series at a time",
            all.iter().map(|s| s.label()).collect::<Vec<_>>().join("; ")
        )),
    }
}

/// Decode every image plane in parallel into one buffer, then fill gaps.
fn decode_planes(
    headers: &[ImageHeader],
    plan: &StackPlan,
    task: Task,
) -> Result<(Vec<i16>, Vec<SliceStats>), String> {
    let [cols, rows, slices] = plan.dims;
    let plane_len = cols * rows;
    let total = plane_len
        .checked_mul(slices)
        .filter(|&t| t <= MAX_VOXELS && plane_len > 0)
        .ok_or_else(|| format!("the volume is too large: {cols} x {rows} x {slices} voxels"))?;
    let mut voxels: Vec<i16> = Vec::new();
    voxels
        .try_reserve_exact(total)
        .map_err(|_| format!("not enough memory for {cols} x {rows} x {slices} voxels"))?;
    voxels.resize(total, 0);

    let stage = Stage::new(task, HEADER_SHARE, 0.99, slices);
    let stats: Vec<Option<SliceStats>> = voxels
        .par_chunks_mut(plane_len)
        .zip(plan.planes.par_iter())
        .map(|(out, plane)| {
            stage.check()?;
            let r = match *plane {
                Plane::Image(h) => {
                    decode_into(&headers[h].path, rows as u32, cols as u32, out).map(Some)
                }
                Plane::Interpolated { .. } => Ok(None),
            };
            stage.tick();
            r
        })
        .collect::<Result<_, String>>()?;
    fill_gaps(&mut voxels, plane_len, &plan.planes);
    Ok((voxels, stats.into_iter().flatten().collect()))
}

/// Missing slices: linear interpolation between the two planes around them.
fn fill_gaps(voxels: &mut [i16], plane_len: usize, planes: &[Plane]) {
    for (k, plane) in planes.iter().enumerate() {
        if let Plane::Interpolated { lower, upper, t } = *plane {
            let src = |g: usize| voxels.get(g * plane_len..(g + 1) * plane_len);
            let (Some(a), Some(b)) = (src(lower), src(upper)) else {
                continue;
            };
            let mixed: Vec<i16> = a
                .iter()
                .zip(b)
                .map(|(&x, &y)| ((1.0 - t) * f64::from(x) + t * f64::from(y)).round() as i16)
                .collect();
            if let Some(dst) = voxels.get_mut(k * plane_len..(k + 1) * plane_len) {
                dst.copy_from_slice(&mixed);
            }
        }
    }
}
