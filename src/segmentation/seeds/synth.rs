//! Seed strokes placed the way a user places them, for tests and the benchmark of
//! grow from seeds (deterministic from a seed number).
//!
//! * Liver: three strokes of about 3 cm on three different transverse slices (one in
//!   each third of the liver's slice range), every point more than 12 mm inside the
//!   reference mask: the central part of the liver, never spanning the organ.
//! * Background: three strokes of about 3 cm on transverse slices of the liver's
//!   range, every point 8-40 mm outside the reference mask in soft tissue (local
//!   mean -150..200 HU: not air, not bone).
//!
//! Strokes that span the organ hide the failure of a grow that only works near its
//! strokes; these do not.

use super::{SeedKind, SeedStroke, Seeds};
use crate::segmentation::tools::brush::BrushShape;
use crate::segmentation::tools::edt::sq_edt;
use crate::segmentation::tools::{Axis, Grid};

/// How the strokes are drawn (defaults: the user model above).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Draw {
    pub liver_strokes: usize,
    pub background_strokes: usize,
    /// Liver stroke points are more than this deep inside the reference (mm).
    pub liver_depth_mm: f64,
    /// Background stroke points are this far outside the reference (mm).
    pub background_mm: (f64, f64),
    /// Local mean HU range a background point may lie in.
    pub soft_tissue_hu: (f64, f64),
    /// Target stroke length (mm); strokes shorter than half of it are redrawn.
    pub stroke_mm: f64,
    /// Brush radius (mm) of every stroke (a disc on the transverse slice).
    pub radius_mm: f64,
}

impl Default for Draw {
    fn default() -> Self {
        Draw {
            liver_strokes: 3,
            background_strokes: 3,
            liver_depth_mm: 12.0,
            background_mm: (8.0, 40.0),
            soft_tissue_hu: (-150.0, 200.0),
            stroke_mm: 30.0,
            radius_mm: 3.0,
        }
    }
}

/// splitmix64: small, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Why no strokes could be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("the CT and the reference mask do not have the grid's voxel count")]
    SizeMismatch,
    #[error("the reference mask is empty")]
    EmptyReference,
    #[error("no place for a {0} stroke: {1}")]
    NoRoom(&'static str, String),
}

/// The crop the distances are computed on: the reference's box plus a margin.
struct Crop {
    lo: [usize; 3],
    dims: [usize; 3],
    /// Squared distance (mm²) to the nearest voxel outside / inside the reference.
    depth2: Vec<f32>,
    out2: Vec<f32>,
}

impl Crop {
    fn at(&self, p: [usize; 3]) -> Option<usize> {
        let l = [0, 1, 2].map(|a| p[a].checked_sub(self.lo[a]));
        let l = [l[0]?, l[1]?, l[2]?];
        (0..3)
            .all(|a| l[a] < self.dims[a])
            .then(|| l[0] + self.dims[0] * (l[1] + self.dims[1] * l[2]))
    }
}

/// Draw user-like strokes for grow from seeds on `ct` with the liver `reference`
/// (one byte per voxel, non-zero = liver).
pub fn user_strokes(
    grid: &Grid,
    ct: &[i16],
    reference: &[u8],
    seed: u64,
    draw: &Draw,
) -> Result<Seeds, DrawError> {
    let n = grid.dims.iter().product::<usize>();
    if ct.len() != n || reference.len() != n {
        return Err(DrawError::SizeMismatch);
    }
    let Some(bounds) = Bounds::of(reference, grid.dims) else {
        return Err(DrawError::EmptyReference);
    };
    let strokes = Strokes {
        grid,
        ct,
        crop: Crop::around(grid, reference, &bounds, draw),
        bounds,
        draw,
    };
    let mut rng = Rng(seed ^ 0x5EED_0000_0000_0001);
    let mut out = strokes.liver(&mut rng)?;
    strokes.background(&mut rng, &mut out)?;
    Ok(Seeds { strokes: out })
}

/// The voxel box of a mask: lowest index and one past the highest, per axis.
struct Bounds {
    lo: [usize; 3],
    hi: [usize; 3],
}

impl Bounds {
    /// The box of the non-zero voxels of `mask` on a grid of `dims` (None if empty).
    fn of(mask: &[u8], dims: [usize; 3]) -> Option<Bounds> {
        let [nx, ny, _] = dims;
        let mut lo = [usize::MAX; 3];
        let mut hi = [0usize; 3];
        for (idx, _) in mask.iter().enumerate().filter(|(_, v)| **v != 0) {
            let p = [idx % nx, (idx / nx) % ny, idx / (nx * ny)];
            for a in 0..3 {
                lo[a] = lo[a].min(p[a]);
                hi[a] = hi[a].max(p[a] + 1);
            }
        }
        (lo[0] != usize::MAX).then_some(Bounds { lo, hi })
    }
}

impl Crop {
    /// The box around the liver with room for the background strokes, and the
    /// squared distances inside and outside the liver on it.
    fn around(grid: &Grid, reference: &[u8], bounds: &Bounds, draw: &Draw) -> Crop {
        let [nx, ny, _] = grid.dims;
        let (lo, hi) = (bounds.lo, bounds.hi);
        let sp = grid.spacing;
        let margin = [0, 1, 2].map(|a| ((draw.background_mm.1 + 5.0) / sp[a]).ceil() as usize);
        let clo = [0, 1, 2].map(|a| lo[a].saturating_sub(margin[a]));
        let chi = [0, 1, 2].map(|a| (hi[a] + margin[a]).min(grid.dims[a]));
        let cd = [0, 1, 2].map(|a| chi[a] - clo[a]);
        let inside = |l: usize| {
            let p = [l % cd[0], (l / cd[0]) % cd[1], l / (cd[0] * cd[1])];
            reference[clo[0] + p[0] + nx * (clo[1] + p[1] + ny * (clo[2] + p[2]))] != 0
        };
        Crop {
            lo: clo,
            dims: cd,
            depth2: sq_edt(cd, sp, |l| !inside(l)),
            out2: sq_edt(cd, sp, inside),
        }
    }
}

/// What the strokes are drawn on: the scan, the liver's box and its distance maps.
struct Strokes<'a> {
    grid: &'a Grid,
    ct: &'a [i16],
    crop: Crop,
    bounds: Bounds,
    draw: &'a Draw,
}

impl Strokes<'_> {
    /// Liver: one stroke in each third of the slices that have deep liver voxels.
    fn liver(&self, rng: &mut Rng) -> Result<Vec<SeedStroke>, DrawError> {
        let (crop, draw, lo, hi) = (&self.crop, self.draw, self.bounds.lo, self.bounds.hi);
        let mut strokes = Vec::new();
        let d2 = (draw.liver_depth_mm * draw.liver_depth_mm) as f32;
        let deep = |p: [usize; 3]| crop.at(p).is_some_and(|c| crop.depth2[c] > d2);
        let deep_slices: Vec<usize> = (lo[2]..hi[2])
            .filter(|&k| (lo[1]..hi[1]).any(|j| (lo[0]..hi[0]).any(|i| deep([i, j, k]))))
            .collect();
        if deep_slices.len() < draw.liver_strokes.max(1) {
            return Err(DrawError::NoRoom(
                "liver",
                format!(
                    "{} slices hold liver deeper than {} mm",
                    deep_slices.len(),
                    draw.liver_depth_mm
                ),
            ));
        }
        let parts = draw.liver_strokes.max(1);
        for t in 0..draw.liver_strokes {
            let a = deep_slices.len() * t / parts;
            let b = (deep_slices.len() * (t + 1) / parts).max(a + 1);
            let k = deep_slices[a + rng.below(b - a)];
            let s = stroke_on(self.grid, k, rng, draw, &deep).ok_or_else(|| {
                DrawError::NoRoom("liver", format!("slice {k} has no room for a stroke"))
            })?;
            strokes.push(SeedStroke {
                kind: SeedKind::Liver,
                radius_mm: draw.radius_mm,
                shape: BrushShape::Disc(Axis::K),
                points: s,
            });
        }
        Ok(strokes)
    }

    /// Mean HU of the 3 x 3 pixels around `p` on its slice (those inside the grid).
    fn mean_hu(&self, p: [usize; 3]) -> f64 {
        let [nx, ny, _] = self.grid.dims;
        let mut s = 0.0;
        let mut c = 0.0;
        for dj in 0..3 {
            for di in 0..3 {
                let (i, j) = ((p[0] + di).saturating_sub(1), (p[1] + dj).saturating_sub(1));
                if i < nx && j < ny {
                    s += self.ct[i + nx * (j + ny * p[2])] as f64;
                    c += 1.0;
                }
            }
        }
        s / c
    }

    /// Background: soft tissue 8-40 mm outside, on slices of the liver's range, until
    /// `strokes` holds the liver and background strokes asked for.
    fn background(&self, rng: &mut Rng, strokes: &mut Vec<SeedStroke>) -> Result<(), DrawError> {
        let (crop, draw) = (&self.crop, self.draw);
        let (b0, b1) = draw.background_mm;
        let (b0, b1) = ((b0 * b0) as f32, (b1 * b1) as f32);
        let (h0, h1) = draw.soft_tissue_hu;
        let ok_bg = |p: [usize; 3]| {
            crop.at(p)
                .is_some_and(|c| crop.out2[c] >= b0 && crop.out2[c] <= b1)
                && (h0..=h1).contains(&self.mean_hu(p))
        };
        let slices: Vec<usize> = (self.bounds.lo[2]..self.bounds.hi[2]).collect();
        let mut tries = 0;
        while strokes.len() < draw.liver_strokes + draw.background_strokes {
            tries += 1;
            if tries > 200 {
                return Err(DrawError::NoRoom(
                    "background",
                    "no soft tissue 8-40 mm outside the liver".into(),
                ));
            }
            // Middle 80 % of the liver's slices: where the user looks.
            let m = slices.len() / 10;
            let k = slices[m + rng.below(slices.len() - 2 * m)];
            if let Some(s) = stroke_on(self.grid, k, rng, draw, &ok_bg) {
                strokes.push(SeedStroke {
                    kind: SeedKind::Background,
                    radius_mm: draw.radius_mm,
                    shape: BrushShape::Disc(Axis::K),
                    points: s,
                });
            }
        }
        Ok(())
    }
}

/// A straight stroke of about `draw.stroke_mm` on slice `k` whose points all satisfy
/// `ok` (sampled every 0.5 mm), as a polyline with a point every ~3 mm.
fn stroke_on(
    grid: &Grid,
    k: usize,
    rng: &mut Rng,
    draw: &Draw,
    ok: &dyn Fn([usize; 3]) -> bool,
) -> Option<Vec<[f64; 3]>> {
    let [nx, ny, _] = grid.dims;
    let sp = grid.spacing;
    let cand: Vec<[usize; 3]> = (0..ny)
        .flat_map(|j| (0..nx).map(move |i| [i, j, k]))
        .filter(|&p| ok(p))
        .collect();
    if cand.is_empty() {
        return None;
    }
    let at = |x: [f64; 2]| -> Option<[usize; 3]> {
        let (i, j) = (x[0].round(), x[1].round());
        (i >= 0.0 && j >= 0.0 && (i as usize) < nx && (j as usize) < ny)
            .then_some([i as usize, j as usize, k])
    };
    let mut best: Option<(f64, Vec<[f64; 3]>)> = None;
    for _ in 0..60 {
        let s = cand[rng.below(cand.len())];
        let ang = rng.unit() * std::f64::consts::TAU;
        // Direction in voxels per mm.
        let dir = [ang.cos() / sp[0], ang.sin() / sp[1]];
        let half = draw.stroke_mm / 2.0;
        let reach = |sign: f64| {
            let mut t = 0.0;
            while t < 2.0 * half {
                let x = [
                    s[0] as f64 + sign * (t + 0.5) * dir[0],
                    s[1] as f64 + sign * (t + 0.5) * dir[1],
                ];
                if !at(x).is_some_and(ok) {
                    break;
                }
                t += 0.5;
            }
            t
        };
        let (fw, bw) = (reach(1.0), reach(-1.0));
        // A random placement within the room there is.
        let len = (fw + bw).min(draw.stroke_mm);
        let start = -bw + rng.unit() * (fw + bw - len);
        let npts = (len / 3.0).ceil().max(1.0) as usize;
        let pts: Vec<[f64; 3]> = (0..=npts)
            .map(|q| {
                let t = start + len * q as f64 / npts as f64;
                [s[0] as f64 + t * dir[0], s[1] as f64 + t * dir[1], k as f64]
            })
            .collect();
        if len >= draw.stroke_mm - 0.5 {
            return Some(pts);
        }
        if best.as_ref().is_none_or(|(l, _)| len > *l) {
            best = Some((len, pts));
        }
    }
    best.filter(|(l, _)| *l >= draw.stroke_mm / 2.0)
        .map(|(_, p)| p)
}
