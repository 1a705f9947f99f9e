//! One-click lesion segmentation (the Lesion tool, `remnant lesion`): a click (or the
//! points of a short stroke) inside a liver lesion gives the lesion in 3-D, bounded by
//! the liver, for hypodense and hyperdense lesions.
//!
//! Method (Remnant's own, built from standard steps; no parameter is fitted to an image):
//! 1. The liver as the bound: the liver mask closed with a 10 mm ball (so a lesion the
//!    liver trace left out, inside it or in a notch of its edge, is inside the bound).
//! 2. The scan around the click smoothed with a 1 mm Gaussian (CT noise of 15-20 HU
//!    would otherwise let a threshold only 10 HU from the liver leak through noise).
//! 3. Parenchyma: the mode of the liver's HU histogram over a 160 mm box around the
//!    click (a lesion is a minority of the liver there), its spread from the MAD.
//! 4. Lesion: the median of the smoothed scan within 2.5 mm of the click(s). The sign
//!    of lesion - parenchyma says hypo- or hyperdense; under 10 HU of contrast the click
//!    is taken as parenchyma and nothing is segmented.
//! 5. A band from the lesion's far side to the midpoint between lesion and parenchyma,
//!    inside the bound; a 1.5 mm opening cuts thin bridges (partial-volume sheaths of
//!    vessels, the liver's edge); the component of the click; 3-D holes filled (a
//!    necrotic or brighter core).
//! 6. Parenchyma and lesion are measured again, in a 2-8 mm shell around this first
//!    result and inside it, and step 5 is run once more with them.
//! 7. An enhancing rim: when most of a 2.5 mm shell around the result is brighter than
//!    the parenchyma, its bright voxels join the lesion (a vessel touching the lesion
//!    covers a small part of the shell and is not taken).
//! 8. The box grows (35, 60, 90 mm around the click) until the lesion does not touch its
//!    faces; a lesion still touching the largest box has no boundary and is refused.

pub mod gap;
mod measure;
pub mod phantom;
mod roi;
#[cfg(test)]
mod tests;

pub use measure::{Diameters, diameters};

use crate::segmentation::tools::edt::sq_edt;
use crate::segmentation::tools::{Bbox, Grid, Preview};
use roi::Roi;
use std::time::Instant;

/// Why a click gave no lesion; each message says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LesionError {
    #[error("the point is outside the scan")]
    OutsideScan,
    #[error("the liver is empty: trace or load the liver first (the lesion is found inside it)")]
    NoLiver,
    #[error("the point is outside the liver: click inside a lesion in the liver")]
    OutsideLiver,
    #[error(
        "the point looks like liver tissue ({clicked:.0} HU, liver around it {liver:.0} HU): \
         click inside a lesion (at least 10 HU darker or brighter than the liver)"
    )]
    Parenchyma { clicked: f64, liver: f64 },
    #[error(
        "no lesion boundary was found within {box_mm:.0} mm of the point (a vessel or the \
         liver itself?): click nearer the lesion's middle, or trace it with the brush"
    )]
    NoBoundary { box_mm: f64 },
    #[error("the scan and the liver mask are not on the same grid")]
    GridMismatch,
}

/// Whether the lesion is darker or brighter than the liver around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Density {
    Hypodense,
    Hyperdense,
}

/// A lesion found from a click.
#[derive(Debug, Clone)]
pub struct Lesion {
    /// The lesion's voxels (additive preview for the tumour layer).
    pub preview: Preview,
    pub voxels: usize,
    pub volume_ml: f64,
    pub density: Density,
    /// Median HU of the lesion and of the liver around it (smoothed scan).
    pub lesion_hu: f64,
    pub liver_hu: f64,
    /// The HU threshold between them.
    pub threshold_hu: f64,
    /// Milliseconds the segmentation took.
    pub millis: f64,
}

/// Tunable constants (mm and HU); the defaults are the documented method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LesionParams {
    pub smooth_mm: f64,
    pub close_liver_mm: f64,
    /// How far beyond the closed liver a lesion may reach (a tumour bulging from it).
    pub beyond_liver_mm: f64,
    pub open_mm: f64,
    pub click_radius_mm: f64,
    pub min_contrast_hu: f64,
    pub boxes_mm: [f64; 3],
}

impl Default for LesionParams {
    fn default() -> Self {
        LesionParams {
            smooth_mm: 1.0,
            close_liver_mm: 10.0,
            beyond_liver_mm: 3.0,
            open_mm: 1.5,
            click_radius_mm: 2.5,
            min_contrast_hu: 10.0,
            boxes_mm: [20.0, 40.0, 70.0],
        }
    }
}

/// What the lesion search reads: the scan, the labels and which bits are the liver.
pub struct Scan<'a> {
    pub grid: &'a Grid,
    pub ct: &'a [i16],
    pub labels: &'a [u8],
    /// Label bits that count as liver (liver and tumour layers: the whole liver).
    pub liver_bits: u8,
}

/// Segment the lesion under `seeds` (voxels; one click, or the points of a stroke, or
/// a first click and the one refining it).
pub fn segment(scan: &Scan, seeds: &[[usize; 3]], p: &LesionParams) -> Result<Lesion, LesionError> {
    let t0 = Instant::now();
    let g = scan.grid;
    if scan.ct.len() != g.n_voxels() || scan.labels.len() != g.n_voxels() {
        return Err(LesionError::GridMismatch);
    }
    if seeds.is_empty() || seeds.iter().any(|s| (0..3).any(|a| s[a] >= g.dims[a])) {
        return Err(LesionError::OutsideScan);
    }
    let liver = |idx: usize| scan.labels[idx] & scan.liver_bits != 0;
    if !scan.labels.iter().any(|&b| b & scan.liver_bits != 0) {
        return Err(LesionError::NoLiver);
    }
    let (liver_mode, liver_sd) = parenchyma_mode(scan, seeds[0]);
    for (n, &half) in p.boxes_mm.iter().enumerate() {
        let roi = roi_around(g, seeds, half + p.close_liver_mm + p.beyond_liver_mm);
        let closed = roi.close(&roi.gather(g, liver), p.close_liver_mm);
        let bound = roi.dilate(&closed, p.beyond_liver_mm);
        let local: Vec<usize> = seeds.iter().map(|&s| roi.local(s)).collect();
        if !local.iter().any(|&l| bound[l]) {
            return Err(LesionError::OutsideLiver);
        }
        let img = tissue_smoothed(&roi, g, scan.ct, p.smooth_mm);
        let stats = Stats {
            liver: liver_mode,
            liver_sd,
            smooth_sd: liver_sd / 4.0,
            lesion: click_median(&roi, &img, &local, p.click_radius_mm),
        };
        if (stats.lesion - stats.liver).abs() < p.min_contrast_hu {
            return Err(LesionError::Parenchyma {
                clicked: stats.lesion,
                liver: stats.liver,
            });
        }
        let view = View {
            roi: &roi,
            img: &img,
            bound: &bound,
            seeds: &local,
            p,
        };
        let first = view.region(&stats);
        let stats = view.remeasure(&first, stats).unwrap_or(stats);
        let mut mask = view.region(&stats);
        view.add_rim(&mut mask, &stats);
        let last = n + 1 == p.boxes_mm.len();
        let touches = mask
            .iter()
            .enumerate()
            .any(|(l, &m)| m && roi.on_inner_face(l, g));
        if mask.iter().all(|&m| !m) {
            return Err(LesionError::Parenchyma {
                clicked: stats.lesion,
                liver: stats.liver,
            });
        }
        if touches && !last {
            continue;
        }
        if touches {
            return Err(LesionError::NoBoundary { box_mm: half });
        }
        return Ok(finish(g, &roi, &mask, &stats, t0));
    }
    Err(LesionError::NoBoundary {
        box_mm: p.boxes_mm[2],
    })
}

fn finish(g: &Grid, roi: &Roi, mask: &[bool], s: &Stats, t0: Instant) -> Lesion {
    let idx: Vec<usize> = mask
        .iter()
        .enumerate()
        .filter(|(_, m)| **m)
        .map(|(l, _)| {
            let v = roi.voxel(l);
            g.flat(v[0], v[1], v[2])
        })
        .collect();
    let preview = Preview::from_indices(g, &idx);
    Lesion {
        voxels: idx.len(),
        volume_ml: idx.len() as f64 * g.voxel_ml(),
        preview,
        density: s.density(),
        lesion_hu: s.lesion,
        liver_hu: s.liver,
        threshold_hu: s.threshold(),
        millis: t0.elapsed().as_secs_f64() * 1000.0,
    }
}

/// HU below which a voxel is fat or air, left out of the smoothing (so a lesion at the
/// liver's surface keeps its HU next to the fat around the liver).
const FAT_HU: f32 = -50.0;

/// The scan smoothed over tissue only (normalised convolution: fat and air do not blur
/// into the voxels next to them); fat and air voxels keep their own HU.
fn tissue_smoothed(roi: &Roi, g: &Grid, ct: &[i16], sigma_mm: f64) -> Vec<f32> {
    let raw: Vec<f32> = roi.gather(g, |i| ct[i] as f32);
    let mut w: Vec<f32> = raw.iter().map(|&v| f32::from(v > FAT_HU)).collect();
    let mut num: Vec<f32> = raw.iter().zip(&w).map(|(v, m)| v * m).collect();
    roi.smooth(&mut num, sigma_mm);
    roi.smooth(&mut w, sigma_mm);
    raw.iter()
        .zip(num.iter().zip(&w))
        .map(|(&v, (&n, &m))| if v > FAT_HU && m > 1e-3 { n / m } else { v })
        .collect()
}

/// The box `half_mm` around the seeds, clamped to the scan.
fn roi_around(g: &Grid, seeds: &[[usize; 3]], half_mm: f64) -> Roi {
    let mut b = Bbox::voxel(seeds[0]);
    for &s in seeds {
        b = b.union(&Bbox::voxel(s));
    }
    let sp = g.safe_spacing();
    let m = sp.map(|s| (half_mm / s).ceil() as usize);
    Roi::new(b.expand(m, g), g)
}

/// Mode and robust spread (HU) of the liver over a 160 mm box around `at`.
fn parenchyma_mode(scan: &Scan, at: [usize; 3]) -> (f64, f64) {
    let g = scan.grid;
    let roi = roi_around(g, &[at], 80.0);
    let step = ((roi.len() as f64 / 400_000.0).cbrt().ceil() as usize).max(1);
    let mut hist = vec![0f64; 400]; // -200 .. 600 HU in 2 HU bins
    let mut vals = Vec::new();
    let b = roi.bbox;
    for k in (b.lo[2]..b.hi[2]).step_by(step) {
        for j in (b.lo[1]..b.hi[1]).step_by(step) {
            for i in (b.lo[0]..b.hi[0]).step_by(step) {
                let idx = g.flat(i, j, k);
                if scan.labels[idx] & scan.liver_bits != 0 {
                    let v = scan.ct[idx] as f64;
                    vals.push(v);
                    let bin = ((v + 200.0) / 2.0).floor();
                    if (0.0..400.0).contains(&bin) {
                        hist[bin as usize] += 1.0;
                    }
                }
            }
        }
    }
    for _ in 0..3 {
        hist = box_blur(&hist, 3);
    }
    let peak = (0..hist.len())
        .max_by(|&a, &b| hist[a].total_cmp(&hist[b]))
        .unwrap_or(150);
    let mode = peak as f64 * 2.0 - 200.0 + 1.0;
    let mut dev: Vec<f64> = vals
        .iter()
        .map(|v| (v - mode).abs())
        .filter(|d| *d < 80.0)
        .collect();
    let sd = if dev.is_empty() {
        15.0
    } else {
        dev.sort_by(f64::total_cmp);
        1.4826 * dev[dev.len() / 2]
    };
    (mode, sd)
}

fn box_blur(h: &[f64], r: usize) -> Vec<f64> {
    (0..h.len())
        .map(|i| {
            let lo = i.saturating_sub(r);
            let hi = (i + r + 1).min(h.len());
            h[lo..hi].iter().sum::<f64>() / (hi - lo) as f64
        })
        .collect()
}

/// Median of the smoothed scan within `r_mm` of the seeds.
fn click_median(roi: &Roi, img: &[f32], seeds: &[usize], r_mm: f64) -> f64 {
    let sp = roi.spacing;
    let mut vals = Vec::new();
    for &s in seeds {
        let c = [
            s % roi.size[0],
            (s / roi.size[0]) % roi.size[1],
            s / (roi.size[0] * roi.size[1]),
        ];
        let r = sp.map(|x| (r_mm / x).floor() as isize);
        for dk in -r[2]..=r[2] {
            for dj in -r[1]..=r[1] {
                for di in -r[0]..=r[0] {
                    let d2 = (di as f64 * sp[0]).powi(2)
                        + (dj as f64 * sp[1]).powi(2)
                        + (dk as f64 * sp[2]).powi(2);
                    let q = [c[0] as isize + di, c[1] as isize + dj, c[2] as isize + dk];
                    let inside = (0..3).all(|a| q[a] >= 0 && (q[a] as usize) < roi.size[a]);
                    if d2 <= r_mm * r_mm && inside {
                        let l = q[0] as usize
                            + roi.size[0] * (q[1] as usize + roi.size[1] * q[2] as usize);
                        vals.push(img[l] as f64);
                    }
                }
            }
        }
    }
    median(&mut vals).unwrap_or(0.0)
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

/// The farthest the threshold lies from the liver's HU.
const MAX_STEP_HU: f64 = 20.0;

/// The intensities the band is built from.
#[derive(Debug, Clone, Copy)]
struct Stats {
    liver: f64,
    liver_sd: f64,
    /// Spread of the smoothed liver around the lesion (robust SD).
    smooth_sd: f64,
    lesion: f64,
}

impl Stats {
    fn density(&self) -> Density {
        if self.lesion < self.liver {
            Density::Hypodense
        } else {
            Density::Hyperdense
        }
    }

    /// The midpoint between lesion and liver, but never more than 20 HU from the liver:
    /// a lesion's darkest (or brightest) part - necrosis, fluid, calcium - does not move
    /// the border into its viable rim.
    fn threshold(&self) -> f64 {
        let half = (self.lesion - self.liver) / 2.0;
        self.liver + half.clamp(-MAX_STEP_HU, MAX_STEP_HU)
    }

    /// The HU band of the lesion: from its far side to the midpoint.
    fn band(&self) -> (f64, f64) {
        let c = (self.lesion - self.liver).abs();
        let reach = c.max(25.0).max(2.5 * self.liver_sd);
        match self.density() {
            Density::Hypodense => (self.lesion - reach, self.threshold()),
            Density::Hyperdense => (self.threshold(), self.lesion + reach),
        }
    }
}

/// One box of the scan being searched.
struct View<'a> {
    roi: &'a Roi,
    img: &'a [f32],
    bound: &'a [bool],
    seeds: &'a [usize],
    p: &'a LesionParams,
}

impl View<'_> {
    /// Band, opening, component of the seeds, holes filled.
    fn region(&self, s: &Stats) -> Vec<bool> {
        let (lo, hi) = s.band();
        let band: Vec<bool> = self
            .img
            .iter()
            .zip(self.bound)
            .map(|(&v, &b)| b && (v as f64) >= lo && (v as f64) <= hi)
            .collect();
        let opened = self.roi.open(&band, self.p.open_mm);
        let seeds = self.snap_seeds(&opened);
        let comp = self.roi.component(&opened, &seeds);
        self.roi.fill_holes(&comp)
    }

    /// The seeds, each moved to the nearest voxel of `m` within 3 mm if it is not in it.
    fn snap_seeds(&self, m: &[bool]) -> Vec<usize> {
        let roi = self.roi;
        let mut out = Vec::new();
        for &s in self.seeds {
            if m[s] {
                out.push(s);
                continue;
            }
            let c = roi.voxel(s);
            let near = (0..m.len())
                .filter(|&l| m[l])
                .map(|l| {
                    let v = roi.voxel(l);
                    let d2: f64 = (0..3)
                        .map(|a| ((v[a] as f64 - c[a] as f64) * roi.spacing[a]).powi(2))
                        .sum();
                    (d2, l)
                })
                .filter(|(d2, _)| *d2 <= 9.0)
                .min_by(|a, b| a.0.total_cmp(&b.0));
            out.extend(near.map(|(_, l)| l));
        }
        out
    }

    /// Lesion median inside `first`, parenchyma median in a 2-8 mm liver shell around it.
    fn remeasure(&self, first: &[bool], s: Stats) -> Option<Stats> {
        if first.iter().all(|&m| !m) {
            return None;
        }
        let d = sq_edt(self.roi.size, self.roi.spacing, |l| first[l]);
        let mut inside: Vec<f64> = Vec::new();
        let mut shell: Vec<f64> = Vec::new();
        for l in 0..first.len() {
            if first[l] {
                inside.push(self.img[l] as f64);
            } else if (4.0..=64.0).contains(&d[l]) && self.bound[l] && self.img[l] > FAT_HU {
                shell.push(self.img[l] as f64);
            }
        }
        let lesion = median(&mut inside)?;
        let liver = median(&mut shell)?;
        // the spread from the liver's darker half (a bright rim in the shell would
        // inflate a two-sided one)
        let mut dev: Vec<f64> = shell
            .iter()
            .filter(|&&v| v < liver)
            .map(|v| liver - v)
            .collect();
        let smooth_sd = 1.4826 * median(&mut dev)?;
        let same_side = (lesion - liver).signum() == (s.lesion - s.liver).signum();
        let enough = (lesion - liver).abs() >= self.p.min_contrast_hu;
        (same_side && enough).then_some(Stats {
            liver,
            liver_sd: s.liver_sd,
            smooth_sd,
            lesion,
        })
    }

    /// Take an enhancing rim: the radial profile around the result (the median of the
    /// smoothed scan in 0.5 mm layers out to 5 mm) rising above the liver means a rim
    /// around the lesion; it joins the lesion out to where the profile has fallen halfway
    /// back to the liver. A vessel touching the lesion is a small part of each layer and
    /// does not move the medians.
    fn add_rim(&self, mask: &mut [bool], s: &Stats) {
        if s.density() == Density::Hyperdense || mask.iter().all(|&m| !m) {
            return;
        }
        const BIN: f64 = 0.5;
        const BINS: usize = 10;
        let d = sq_edt(self.roi.size, self.roi.spacing, |l| mask[l]);
        let mut layers: Vec<Vec<f64>> = vec![Vec::new(); BINS];
        for l in 0..mask.len() {
            let r = (d[l] as f64).sqrt();
            if !mask[l] && self.bound[l] && r < BIN * BINS as f64 {
                layers[(r / BIN) as usize].push(self.img[l] as f64);
            }
        }
        let profile: Vec<f64> = layers
            .iter_mut()
            .map(|v| median(v).unwrap_or(s.liver))
            .collect();
        let (peak_at, peak) = profile[..8]
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, s.liver));
        if peak < s.liver + (2.0 * s.smooth_sd).max(8.0) {
            return;
        }
        let half = (peak + s.liver) / 2.0;
        let end = (peak_at..BINS).find(|&b| profile[b] < half).unwrap_or(BINS);
        let reach = (BIN * end as f64).powi(2) as f32;
        for l in 0..mask.len() {
            if self.bound[l] && d[l] <= reach {
                mask[l] = true;
            }
        }
        let filled = self.roi.fill_holes(mask);
        mask.copy_from_slice(&filled);
    }
}
