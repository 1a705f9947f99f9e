//! Grow from seeds (3D Slicer's "Grow from seeds" idea, fast GrowCut):
//! competitive shortest-path region growing with a bucket-queue Dijkstra.
//!
//! Every voxel goes to the label (foreground / background) whose seeds reach it
//! most cheaply. A step costs the HU jump between the (smoothed) voxels, plus
//! `hu_per_mm` per mm, plus a per-mm region cost learnt from the seeds: a
//! log-likelihood-ratio of the seeds' HU histograms for both labels and, for the
//! foreground, a penalty beyond `fg_tolerance` robust SDs of its seeds and a hard
//! gate on the unsmoothed HU (thin fat planes stop the liver).
//!
//! Speed: the growing runs on a region of interest (seed box + margin) block-
//! averaged to ~3 mm voxels; the result is cleaned (enclosed background filled,
//! morphological opening to cut thin bridges into muscle, seeded components
//! kept) and, when the CT is finer, the coarse cells on the boundary are re-grown
//! at full resolution tile by tile in parallel, seeded by the surrounding coarse
//! labels.

use super::geom::{Bbox, GridExt};
use super::grid::Grid;
use super::preview::Preview;
use std::sync::atomic::{AtomicBool, Ordering};

mod level;
mod model;
mod refine;

use level::Level;

/// Tuning of grow from seeds (defaults suit liver on CT).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GrowParams {
    /// Margin (mm) added around the seeds' bounding box; the rest is left alone.
    pub roi_margin_mm: f64,
    /// Voxel size (mm) of the coarse grid the growing is done on.
    pub coarse_mm: f64,
    /// Upper bound of coarse voxels (the coarse voxel grows beyond `coarse_mm`).
    pub max_coarse_voxels: usize,
    /// Path cost per mm, in HU.
    pub hu_per_mm: f32,
    /// Foreground HU tolerance in units of the seeds' robust spread.
    pub fg_tolerance: f32,
    /// Penalty per HU outside the tolerance, per mm.
    pub fg_penalty: f32,
    /// Smoothed HU beyond the tolerance where the foreground cannot go at all.
    pub fg_hard_hu: f32,
    /// The foreground cannot enter voxels whose unsmoothed HU is below the seeds'
    /// median minus this many robust standard deviations of the seeds (or above
    /// twice that): thin fat planes stop it.
    pub fg_gate_sigma: f32,
    /// Weight (HU per mm per unit log-likelihood ratio) of the seed histograms.
    pub likelihood_weight: f32,
    /// Radius (mm) of the morphological opening of the result (0 = none).
    pub opening_mm: f64,
    /// Refine the boundary at full resolution.
    pub refine: bool,
}

impl Default for GrowParams {
    fn default() -> Self {
        GrowParams {
            roi_margin_mm: 40.0,
            coarse_mm: 3.0,
            max_coarse_voxels: 3_000_000,
            hu_per_mm: 1.0,
            fg_tolerance: 2.5,
            fg_penalty: 2.0,
            fg_hard_hu: 30.0,
            likelihood_weight: 0.3,
            fg_gate_sigma: 2.7,
            opening_mm: 6.0,
            refine: true,
        }
    }
}

/// Why grow from seeds produced no preview.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrowError {
    /// CT or grid do not match.
    SizeMismatch,
    /// No foreground seed inside the volume.
    NoForegroundSeeds,
    Cancelled,
}

/// Grow the foreground from `fg` seeds against `bg` seeds (flat voxel indices;
/// out-of-range ones are ignored; with no background seeds the border of the
/// region of interest acts as background). Returns a replacing preview over the
/// region of interest.
pub fn grow_from_seeds(
    grid: &Grid,
    ct: &[i16],
    fg: &[usize],
    bg: &[usize],
    params: &GrowParams,
    progress: &dyn Fn(f32),
    cancel: &AtomicBool,
) -> Result<Preview, GrowError> {
    if !grid.fits(ct.len()) {
        return Err(GrowError::SizeMismatch);
    }
    let n = ct.len();
    let fg: Vec<usize> = fg.iter().copied().filter(|&i| i < n).collect();
    let bg: Vec<usize> = bg.iter().copied().filter(|&i| i < n).collect();
    if fg.is_empty() {
        return Err(GrowError::NoForegroundSeeds);
    }
    let check = || {
        if cancel.load(Ordering::Relaxed) {
            Err(GrowError::Cancelled)
        } else {
            Ok(())
        }
    };
    progress(0.0);
    let roi = roi(grid, &fg, &bg, params.roi_margin_mm);
    let factor = coarse_factor(grid, &roi, params);
    let level = Level::downsample(grid, ct, &roi, factor);
    check()?;
    progress(0.15);
    let seeds = level.seed_labels(grid, &roi, factor, &fg, &bg);
    let model = level.model(&seeds, params);
    let fine_only = factor == [1, 1, 1];
    let span = if fine_only || !params.refine {
        0.8
    } else {
        0.4
    };
    let mut labels = seeds.clone();
    level.compete(&mut labels, &model, cancel, &|f| progress(0.15 + span * f))?;
    let coarse = level.clean(&labels, &seeds, params.opening_mm);
    check()?;
    let mask = if fine_only {
        coarse
    } else {
        progress(0.55);
        let job = refine::Job {
            grid,
            ct,
            roi,
            factor,
            coarse_dims: level.dims,
            coarse_mask: &coarse,
            fg: &fg,
            bg: &bg,
            params,
        };
        job.run(cancel, &|f| progress(0.55 + 0.4 * f))?
    };
    progress(1.0);
    Ok(Preview::new(roi, mask, true))
}

/// Bounding box of all seeds grown by the margin.
fn roi(grid: &Grid, fg: &[usize], bg: &[usize], margin_mm: f64) -> Bbox {
    let b = fg
        .iter()
        .chain(bg)
        .fold(Bbox::default(), |b, &i| b.union(&Bbox::voxel(grid.ijk(i))));
    let sp = grid.safe_spacing();
    let m = if margin_mm.is_finite() {
        margin_mm.max(0.0)
    } else {
        0.0
    };
    b.expand(sp.map(|s| (m / s).ceil() as usize), grid)
}

/// Integer downsampling factors per axis.
fn coarse_factor(grid: &Grid, roi: &Bbox, p: &GrowParams) -> [usize; 3] {
    let sp = grid.safe_spacing();
    let size = roi.size();
    let mut target = if p.coarse_mm.is_finite() {
        p.coarse_mm.max(0.0)
    } else {
        0.0
    };
    loop {
        let f = [0, 1, 2].map(|a| ((target / sp[a]).round() as usize).clamp(1, size[a].max(1)));
        let n: usize = (0..3).map(|a| size[a].div_ceil(f[a])).product();
        if n <= p.max_coarse_voxels.clamp(1, 1 << 31) || (0..3).all(|a| f[a] >= size[a]) {
            return f;
        }
        target = target.max(sp.iter().cloned().fold(f64::INFINITY, f64::min)) * 1.25;
    }
}
