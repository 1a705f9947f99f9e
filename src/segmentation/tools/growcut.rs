//! Grow from seeds (3D Slicer's "Grow from seeds" idea, fast GrowCut):
//! competitive shortest-path region growing with a bucket-queue Dijkstra.
//!
//! Every voxel goes to the label (foreground / background) whose seeds reach it
//! most cheaply. A step costs the HU jump between the smoothed voxels (edge-aware),
//! plus `hu_per_mm` per mm, plus a per-mm region cost learnt from the seeds' own
//! HU statistics: a log-likelihood-ratio of the seeds' HU histograms for both
//! labels and, for the foreground, a penalty beyond `fg_tolerance` robust SDs of
//! its seeds and a hard gate on the unsmoothed HU (thin fat planes stop the liver;
//! contrast-filled vessels and hypodense tumours are not entered).
//!
//! Gas (a coarse cell holding a voxel below [`AIR_HU`]: bowel and stomach gas,
//! lung, outside air) is background seed: normal liver parenchyma holds no gas, so a
//! gas pocket the grown region surrounds (a bowel loop or the stomach against the left
//! lobe) is not filled in as a hole of the liver, and the loop's wall alone is thin
//! enough for the opening to cut off. Gas that is inside the liver (pneumobilia after
//! a biliary anastomosis, sphincterotomy or stent; portal venous gas; an abscess) is
//! background too and left out of the grown liver: the user paints it in.
//!
//! No box: the growing runs on the whole scan, block-averaged to ~3 mm voxels, so
//! the region grows until it meets the background competition or the image /
//! body boundary (air is outside every liver gate). The result is cleaned with
//! shape priors (morphological opening cuts thin bridges into neighbouring organs;
//! only the component holding the liver seeds is kept; thin parts the opening cut
//! off that touch only the kept liver, such as the left lobe's tip, are given back;
//! a closing fills narrow notches such as the hilum) and, when
//! [`GrowParams::fill_holes`] is on (default), enclosed vessels and tumours are
//! filled in 3-D and per transverse slice, as surgeons' volumetry counts the
//! vessels inside the parenchyma. When the CT is finer, the coarse cells on the
//! boundary are re-grown at full resolution tile by tile in parallel, seeded by
//! the surrounding coarse labels.
//!
//! The strokes' HU statistics come from a few short strokes, whose HU can spread
//! less than the organ's (a region of lower attenuation, partial volume at a lobe's
//! edge): when the grown liver's core (cells at least [`GrowParams::core_mm`] inside
//! it) spreads more, the foreground's HU gate is widened to the core's spread
//! around the strokes' centre and the competition continues (the re-estimation of
//! SimpleITK's ConfidenceConnected, widening only).
//!
//! A background stroke that the competition leaves surrounded by liver (more than
//! half the cells within [`GrowParams::correction_mm`] of it grown as liver) was drawn
//! in a part the grow took wrongly - a leak into a neighbour of liver-like HU (the
//! heart on the dome, the IVC). It gets a background class of its own, learnt from
//! its own HU, which claims that neighbour up to its edges; background strokes
//! drawn in background stay in the pooled background.
//!
//! Incremental: a [`Grower`] keeps the downsampled scan, the intensity model, the
//! last distances and labels and the re-grown tiles. When strokes are only added,
//! the competition continues from the new seed voxels on the last solution with the
//! kept model (distances only decrease; the result is nearly the competition from
//! scratch: a cell that a label had reached through a cell the new seeds take keeps
//! its distance) and only tiles whose inputs changed are re-grown.

use super::geom::Bbox;
use super::grid::Grid;
use super::preview::Preview;
use std::sync::atomic::{AtomicBool, Ordering};

pub mod diag;
mod level;
mod model;
mod refine;

use level::Level;
use model::{BG, FG, Model};
pub use refine::RefineStats;

/// Tuning of grow from seeds (defaults suit liver on CT).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GrowParams {
    /// Voxel size (mm) of the coarse grid the growing is done on.
    pub coarse_mm: f64,
    /// Upper bound of coarse voxels (the coarse voxel grows beyond `coarse_mm`).
    pub max_coarse_voxels: usize,
    /// Path cost per mm, in HU.
    pub hu_per_mm: f32,
    /// HU jumps between neighbouring (smoothed) voxels up to this many robust
    /// SDs of the liver seeds are noise and cost nothing; larger jumps cost the
    /// excess (edge-aware cost: along a long path through the liver the noise
    /// does not add up, so a far part of the liver is not lost to a background
    /// stroke across a weak edge).
    pub edge_noise: f32,
    /// The same for the background label (negative = as `edge_noise`). Lower
    /// than `edge_noise` (default 0.7 vs 1): a background stroke does not cross
    /// the liver's noise as freely as the liver strokes do, but still travels
    /// far enough through a neighbour of liver HU (a bowel loop or the stomach
    /// against the left lobe) to claim it.
    pub edge_noise_bg: f32,
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
    /// Radius (mm) of the morphological opening of the result (0 = none): bridges
    /// thinner than about twice this are cut.
    pub opening_mm: f64,
    /// Give back the thin parts the opening removed when they touch only the
    /// kept liver (not a cut-off neighbour) and survive an opening by this
    /// smaller radius (mm; negative = give nothing back): the thin tip of the
    /// left lobe returns, thin rims of muscle or diaphragm do not.
    pub thin_opening_mm: f64,
    /// ... and reach no further than this (mm) from the kept liver.
    pub thin_reach_mm: f64,
    /// Radius (mm) of a morphological closing of the kept liver (0 = none):
    /// notches narrower than about twice this (the hilum, a fissure) are filled.
    /// Only with `fill_holes` (it is part of counting what the liver encloses).
    pub closing_mm: f64,
    /// Passes of the [1 2 1] smoothing of the coarse grid (at least one; the
    /// full-resolution refinement always smooths once).
    pub smooth_passes: u32,
    /// Fill enclosed holes (vessels, tumours inside the liver) in 3-D and per
    /// transverse slice; background with a background stroke stays out.
    pub fill_holes: bool,
    /// Refine the boundary at full resolution.
    pub refine: bool,
    /// Tissue within this distance (mm) of gas (coarse cells holding a voxel
    /// below [`AIR_HU`]: bowel and stomach gas, lung, outside air) is background
    /// seed (negative = none): normal liver parenchyma does not touch gas, the
    /// bowel and the stomach wall do (bile-duct or portal venous gas is the exception).
    pub air_bg_mm: f64,
    /// Weight of a background stroke's own HU density in its class's cost (0 =
    /// every background stroke pays as the pooled background; see
    /// `Model::add_class`).
    pub class_weight: f32,
    /// A background stroke with more than half of the cells within this distance
    /// (mm) grown as liver is a correction and gets its own HU class (0 = never).
    pub correction_mm: f64,
    /// Widen the foreground gate to the HU spread of the grown liver's core (its
    /// cells at least this many mm from any other label along each axis) when
    /// that is wider than the strokes' spread, and continue the competition
    /// (negative = never; see `Grower::core_spread`).
    pub core_mm: f64,
}

/// HU below which a CT voxel is gas.
pub const AIR_HU: f32 = -400.0;

impl GrowParams {
    /// Development aid: `name=value,...` overrides (unknown names are ignored).
    #[doc(hidden)]
    pub fn with_overrides(mut self, spec: &str) -> GrowParams {
        for kv in spec.split(',') {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            let f: f64 = v.trim().parse().unwrap_or(f64::NAN);
            match k.trim() {
                "coarse_mm" => self.coarse_mm = f,
                "hu_per_mm" => self.hu_per_mm = f as f32,
                "edge_noise" => self.edge_noise = f as f32,
                "edge_noise_bg" => self.edge_noise_bg = f as f32,
                "fg_tolerance" => self.fg_tolerance = f as f32,
                "fg_penalty" => self.fg_penalty = f as f32,
                "fg_hard_hu" => self.fg_hard_hu = f as f32,
                "fg_gate_sigma" => self.fg_gate_sigma = f as f32,
                "likelihood_weight" => self.likelihood_weight = f as f32,
                "opening_mm" => self.opening_mm = f,
                "thin_opening_mm" => self.thin_opening_mm = f,
                "thin_reach_mm" => self.thin_reach_mm = f,
                "closing_mm" => self.closing_mm = f,
                "smooth_passes" => self.smooth_passes = f as u32,
                "fill_holes" => self.fill_holes = f != 0.0,
                "refine" => self.refine = f != 0.0,
                "air_bg_mm" => self.air_bg_mm = f,
                "class_weight" => self.class_weight = f as f32,
                "correction_mm" => self.correction_mm = f,
                "core_mm" => self.core_mm = f,
                _ => {}
            }
        }
        self
    }
}

impl Default for GrowParams {
    fn default() -> Self {
        GrowParams {
            coarse_mm: 3.0,
            max_coarse_voxels: 3_000_000,
            hu_per_mm: 0.15,
            edge_noise: 1.0,
            edge_noise_bg: 0.7,
            fg_tolerance: 2.5,
            fg_penalty: 4.0,
            fg_hard_hu: 30.0,
            likelihood_weight: 0.3,
            fg_gate_sigma: 2.3,
            opening_mm: 11.0,
            thin_opening_mm: 6.0,
            thin_reach_mm: 50.0,
            closing_mm: 6.5,
            smooth_passes: 2,
            fill_holes: true,
            refine: true,
            air_bg_mm: 0.0,
            class_weight: 0.6,
            correction_mm: 15.0,
            core_mm: 6.0,
        }
    }
}

/// Why grow from seeds produced no preview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GrowError {
    #[error("the seeds or the CT do not fit this scan's grid")]
    SizeMismatch,
    #[error("no liver seed stroke inside the scan: paint at least one liver stroke first")]
    NoForegroundSeeds,
    #[error("cancelled")]
    Cancelled,
}

/// Grow the foreground from `fg` seeds against `bg` seeds (flat voxel indices;
/// out-of-range ones are ignored; with no background seeds the border of the
/// scan acts as background). One-shot form of [`Grower`].
pub fn grow_from_seeds(
    grid: &Grid,
    ct: &[i16],
    fg: &[usize],
    bg: &[usize],
    params: &GrowParams,
    progress: &dyn Fn(f32),
    cancel: &AtomicBool,
) -> Result<Preview, GrowError> {
    let mut g = Grower::new(grid, ct, params)?;
    g.grow(ct, fg, bg, progress, cancel).map(|r| r.preview)
}

/// One [`Grower`] shared by successive grow jobs on a scan (the app keeps one per
/// open scan): each job continues from the last one's solution when it can.
#[derive(Clone, Default)]
pub struct GrowSession(std::sync::Arc<std::sync::Mutex<Option<Grower>>>);

impl GrowSession {
    /// Grow with the kept grower, or a new one when the scan, grid or parameters
    /// changed.
    #[allow(clippy::too_many_arguments)]
    pub fn grow(
        &self,
        grid: &Grid,
        ct: &[i16],
        fg: &[usize],
        bg: &[usize],
        params: &GrowParams,
        progress: &dyn Fn(f32),
        cancel: &AtomicBool,
    ) -> Result<Grown, GrowError> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !slot.as_ref().is_some_and(|g| g.fits(grid, ct, params)) {
            *slot = None;
            *slot = Some(Grower::new(grid, ct, params)?);
        }
        match slot.as_mut() {
            Some(g) => g.grow(ct, fg, bg, progress, cancel),
            None => Err(GrowError::SizeMismatch),
        }
    }
}

/// A cheap fingerprint of a CT: its length and 4096 evenly spaced values.
fn fingerprint(ct: &[i16]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    ct.len().hash(&mut h);
    let step = (ct.len() / 4096).max(1);
    ct.iter().step_by(step).for_each(|v| v.hash(&mut h));
    h.finish()
}

/// The result of one grow.
#[derive(Clone, Debug)]
pub struct Grown {
    /// Replacing preview over the box of the grown region and the seeds.
    pub preview: Preview,
    /// True when the last solution was the start (strokes were only added).
    pub incremental: bool,
    /// Full-resolution tiles re-grown / reused.
    pub tiles: RefineStats,
}

/// The last solution, the start of the next grow when strokes are only added.
struct Last {
    fg: Vec<usize>,
    bg: Vec<usize>,
    model: Model,
    fine: Model,
    seeds: Vec<u8>,
    labels: Vec<u8>,
    dist: Vec<u32>,
}

/// Grow from seeds on one scan, keeping what the next grow can start from.
pub struct Grower {
    grid: Grid,
    ct_key: u64,
    params: GrowParams,
    factor: [usize; 3],
    level: Level,
    last: Option<Last>,
    tiles: refine::TileCache,
}

impl Grower {
    /// Downsample and smooth `ct` (the costly pass over the whole scan).
    pub fn new(grid: &Grid, ct: &[i16], params: &GrowParams) -> Result<Grower, GrowError> {
        if !grid.fits(ct.len()) {
            return Err(GrowError::SizeMismatch);
        }
        let full = grid.full_box();
        let factor = coarse_factor(grid, &full, params);
        let mut level = Level::downsample(grid, ct, &full, factor);
        for _ in 1..params.smooth_passes {
            level.smooth();
        }
        Ok(Grower {
            grid: *grid,
            ct_key: fingerprint(ct),
            params: *params,
            factor,
            level,
            last: None,
            tiles: refine::TileCache::default(),
        })
    }

    /// Made for this scan (grid and CT fingerprint) and these parameters?
    pub fn fits(&self, grid: &Grid, ct: &[i16], params: &GrowParams) -> bool {
        self.grid == *grid && self.params == *params && self.ct_key == fingerprint(ct)
    }

    /// Forget the last solution (the next grow starts from scratch).
    pub fn reset(&mut self) {
        self.last = None;
        self.tiles.clear();
    }

    /// Bytes held between grows (coarse level, last solution, tiles).
    pub fn memory_bytes(&self) -> usize {
        let n = self.level.len();
        let last = self
            .last
            .as_ref()
            .map_or(0, |l| n * 6 + 8 * (l.fg.len() + l.bg.len()));
        n * 8 + last + self.tiles.bytes()
    }

    /// Grow from `fg` against `bg` (flat voxel indices of `ct`, which must be the
    /// scan the grower was made for). When the strokes contain the last grow's
    /// strokes, the last solution is the start.
    pub fn grow(
        &mut self,
        ct: &[i16],
        fg: &[usize],
        bg: &[usize],
        progress: &dyn Fn(f32),
        cancel: &AtomicBool,
    ) -> Result<Grown, GrowError> {
        let grid = self.grid;
        if !grid.fits(ct.len()) {
            return Err(GrowError::SizeMismatch);
        }
        let n = ct.len();
        let clean = |v: &[usize]| {
            let mut v: Vec<usize> = v.iter().copied().filter(|&i| i < n).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let (fg, bg) = (clean(fg), clean(bg));
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
        check()?;
        let t0 = std::time::Instant::now();
        let times = std::env::var_os("REMNANT_GROW_TIMES").is_some();
        let lap = |what: &str| {
            if times {
                eprintln!("  {what}: {:.3} s", t0.elapsed().as_secs_f64());
            }
        };
        let full = grid.full_box();
        let f = self.factor;
        let p = self.params;
        let mut last = match self.last.take() {
            Some(l) => self.extend(l, &fg, &bg),
            None => None,
        };
        let incremental = last.is_some();
        if !incremental {
            self.tiles.clear();
        }
        let span = if f == [1, 1, 1] || !p.refine {
            0.8
        } else {
            0.4
        };
        // (The seeds' HU spread, for a grow from scratch.)
        let (mut model, mut fine, mut seeds, mut labels, mut dist, front, gate_sd) =
            match last.take() {
                Some((l, front)) => (l.model, l.fine, l.seeds, l.labels, l.dist, front, None),
                None => {
                    let seeds = self.level.seed_labels(&grid, &full, f, &fg, &bg);
                    let mut raw: Vec<f32> = fg.iter().map(|&i| ct[i] as f32).collect();
                    let mid = model::median(&mut raw);
                    let gate_sd = model::spread(&raw, mid);
                    let model = self.level.model(&seeds, gate_sd, &p);
                    let mut seeds = seeds;
                    self.level.air_seeds(&mut seeds, p.air_bg_mm);
                    let fine = refine::fine_model(&grid, ct, &fg, &bg, gate_sd, &p);
                    let labels = seeds.clone();
                    let (dist, front) = self.level.start(&labels);
                    (model, fine, seeds, labels, dist, front, Some(gate_sd))
                }
            };
        progress(0.15);
        lap("seeds+model");
        self.level
            .compete(&mut labels, &mut dist, front, &model, cancel, &|x| {
                progress(0.15 + span * 0.9 * x)
            })?;
        let front = self.corrections(&bg, &mut seeds, &mut labels, &mut dist, &mut model);
        if !front.is_empty() {
            self.level
                .compete(&mut labels, &mut dist, front, &model, cancel, &|x| {
                    progress(0.15 + span * (0.9 + 0.1 * x))
                })?;
        }
        lap("compete");
        if let Some(sd) = gate_sd.and_then(|sd| self.core_spread(ct, &labels, sd)) {
            // The strokes' HU spread was narrower than the organ's: widen the
            // gate (the foreground's costs only fall) and continue.
            let old = model.clone();
            fine.widen_gate(sd);
            if model.widen_gate(sd) {
                self.level
                    .widen(&mut labels, &mut dist, &old, &model, cancel)?;
            }
            lap("wider gate");
        }
        let coarse = self.level.clean(&labels, &seeds, &p);
        lap("clean");
        check()?;
        let after = 0.15 + span;
        progress(after);
        let out = out_box(&grid, &coarse, self.level.dims, f, &fg, &bg);
        let job = refine::Job {
            grid: &grid,
            ct,
            factor: f,
            coarse_dims: self.level.dims,
            coarse_mask: &coarse,
            fg: &fg,
            bg: &bg,
            model: &fine,
            refine: p.refine && f != [1, 1, 1],
        };
        let (mask, tiles) = job.run(&mut self.tiles, out, cancel, &|x| {
            progress(after + (0.95 - after) * x)
        })?;
        lap("refine");
        self.last = Some(Last {
            fg,
            bg,
            model,
            fine,
            seeds,
            labels,
            dist,
        });
        progress(1.0);
        Ok(Grown {
            preview: Preview::new(out, mask, true),
            incremental,
            tiles,
        })
    }

    /// The robust HU spread of the grown organ's core (its cells at least
    /// [`GrowParams::core_mm`] from any other label along every axis; one
    /// full-resolution voxel at the centre of each) when it is wider than
    /// `seed_sd`, the strokes' spread: three short strokes sample a small part of
    /// the organ, whose HU varies more across it (a region of lower attenuation,
    /// partial volume at a lobe's edge) than under them. This is the
    /// re-estimation of SimpleITK's ConfidenceConnected, widening only: the gate's
    /// centre stays the strokes'.
    fn core_spread(&self, ct: &[i16], labels: &[u8], seed_sd: f32) -> Option<f32> {
        let (d, f, grid) = (self.level.dims, self.factor, self.grid);
        let r = self.params.core_mm;
        if !(r.is_finite() && r >= 0.0) {
            return None;
        }
        let cell = self.level.sp.iter().cloned().fold(f64::INFINITY, f64::min);
        let cells = self.level.core_cells(labels, (r / cell).ceil() as usize);
        if cells.len() < 100 {
            return None;
        }
        let mut raw: Vec<f32> = cells
            .iter()
            .map(|&c| {
                let q = [c % d[0], (c / d[0]) % d[1], c / (d[0] * d[1])];
                let v = [0, 1, 2].map(|a| (q[a] * f[a] + f[a] / 2).min(grid.dims[a] - 1));
                ct[grid.flat(v[0], v[1], v[2])] as f32
            })
            .collect();
        let mid = model::median(&mut raw);
        let sd = model::spread(&raw, mid);
        (sd > seed_sd).then_some(sd)
    }

    /// The coarse cell of a voxel.
    fn cell(&self, i: usize) -> usize {
        let (d, f) = (self.level.dims, self.factor);
        let q = self.grid.ijk(i);
        (q[0] / f[0]) + d[0] * ((q[1] / f[1]) + d[1] * (q[2] / f[2]))
    }

    /// Background strokes that correct the grow: a background stroke (26-connected
    /// group of its coarse cells) that the competition left surrounded by liver
    /// (more than half of the cells within [`GrowParams::correction_mm`] of it grown
    /// as liver) was drawn in a part the grow took wrongly - a leak into a
    /// neighbour of liver-like HU (the heart, the IVC, a bowel loop). Such a stroke
    /// gets a background class of its own, learnt from its own HU
    /// ([`Model::add_class`]): it claims that neighbour up to its edges instead of
    /// paying for the liver-like HU that the other background strokes did not show.
    /// Strokes drawn in background (the usual ones) stay in the pooled background.
    /// Returns the cells to continue the competition from (distances only
    /// decrease).
    fn corrections(
        &self,
        bg: &[usize],
        seeds: &mut [u8],
        labels: &mut [u8],
        dist: &mut [u32],
        model: &mut Model,
    ) -> Vec<u32> {
        let r = self.params.correction_mm;
        if !(r.is_finite() && r > 0.0) || self.params.class_weight <= 0.0 {
            return Vec::new();
        }
        let mut cells: Vec<usize> = bg.iter().map(|&i| self.cell(i)).collect();
        cells.sort_unstable();
        cells.dedup();
        cells.retain(|&c| seeds[c] == BG);
        let mut front = Vec::new();
        for group in self.level.groups(&cells) {
            if self.level.liver_share(labels, &group, r) <= 0.5 {
                continue;
            }
            let vals: Vec<f32> = group.iter().map(|&c| self.level.img[c]).collect();
            let lab = model.add_class(&vals);
            if lab == BG {
                break;
            }
            for &c in &group {
                seeds[c] = lab;
                labels[c] = lab;
                dist[c] = 0;
                front.push(c as u32);
            }
        }
        front
    }

    /// The last solution with the added seeds set (distance 0) and the front to
    /// continue from, or None when the strokes are not a superset of the last
    /// ones (a stroke was removed, or the first background stroke replaces the
    /// scan border as background, or a cell gets both kinds).
    fn extend(&self, mut l: Last, fg: &[usize], bg: &[usize]) -> Option<(Last, Vec<u32>)> {
        let subset =
            |old: &[usize], new: &[usize]| old.iter().all(|v| new.binary_search(v).is_ok());
        if !subset(&l.fg, fg) || !subset(&l.bg, bg) || (l.bg.is_empty() && !bg.is_empty()) {
            return None;
        }
        let mut front = Vec::new();
        for (list, old, lab) in [(fg, &l.fg, FG), (bg, &l.bg, BG)] {
            for &i in list.iter().filter(|v| old.binary_search(v).is_err()) {
                let c = self.cell(i);
                match l.seeds[c] {
                    0 => {
                        l.seeds[c] = lab;
                        l.labels[c] = lab;
                        l.dist[c] = 0;
                        front.push(c as u32);
                    }
                    s if (s == FG) == (lab == FG) => {}
                    _ => return None,
                }
            }
        }
        l.fg = fg.to_vec();
        l.bg = bg.to_vec();
        Some((l, front))
    }
}

/// The preview box: the coarse foreground cells grown by one cell (the fine
/// refinement changes only cells next to them), joined with the seeds' box.
fn out_box(
    grid: &Grid,
    coarse: &[u8],
    d: [usize; 3],
    f: [usize; 3],
    fg: &[usize],
    bg: &[usize],
) -> Bbox {
    let mut b = Bbox::default();
    for k in 0..d[2] {
        for j in 0..d[1] {
            let row = d[0] * (j + d[1] * k);
            let (mut lo, mut hi) = (usize::MAX, 0);
            for i in 0..d[0] {
                if coarse[row + i] != 0 {
                    lo = lo.min(i);
                    hi = i;
                }
            }
            if lo != usize::MAX {
                b = b.union(&Bbox {
                    lo: [lo * f[0], j * f[1], k * f[2]],
                    hi: [(hi + 1) * f[0], (j + 1) * f[1], (k + 1) * f[2]],
                });
            }
        }
    }
    let b = b.expand(f, grid).clamp(grid);
    fg.iter()
        .chain(bg)
        .fold(b, |b, &i| b.union(&Bbox::voxel(grid.ijk(i))))
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
