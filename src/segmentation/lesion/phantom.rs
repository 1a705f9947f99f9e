//! Known-answer lesion phantoms for the lesion tool's tests and bench: a liver in fat
//! with CT-like (spatially correlated) noise, a bright portal vessel, and lesions of
//! every kind the tool must find: hypo- and hyperdense spheres and irregular blobs
//! with 20-40 HU contrast, a heterogeneous (necrotic) core, an enhancing rim.

use super::roi::Roi;
use crate::segmentation::tools::{Bbox, Grid};

/// HU of the phantom's tissues.
pub const FAT_HU: f64 = -100.0;
pub const LIVER_HU: f64 = 100.0;
pub const VESSEL_HU: f64 = 190.0;

/// One lesion: centre (mm, voxel frame: index x spacing), radius, contrast to liver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LesionSpec {
    pub centre_mm: [f64; 3],
    pub radius_mm: f64,
    pub contrast_hu: f64,
    /// Irregular outline: relative radius wobble (0 = sphere).
    pub wobble: f64,
    /// Core of this fraction of the radius at this contrast instead (necrosis).
    pub core: Option<(f64, f64)>,
    /// Enhancing rim: thickness (mm) and contrast (HU) to the liver.
    pub rim: Option<(f64, f64)>,
    /// Low-frequency texture inside the lesion (sd, HU).
    pub texture_hu: f64,
}

impl LesionSpec {
    pub fn sphere(centre_mm: [f64; 3], radius_mm: f64, contrast_hu: f64) -> LesionSpec {
        LesionSpec {
            centre_mm,
            radius_mm,
            contrast_hu,
            wobble: 0.0,
            core: None,
            rim: None,
            texture_hu: 0.0,
        }
    }

    /// The lesion's outer radius in the direction `d` (unit).
    fn radius_along(&self, d: [f64; 3]) -> f64 {
        let w = self.wobble
            * ((3.0 * d[0]).sin() * (2.0 * d[1]).cos() + 0.7 * (2.5 * d[2] + 1.3 * d[0]).sin());
        self.radius_mm * (1.0 + w)
    }
}

/// A cylinder along voxel axis k: centre (mm, in the i-j plane) and radius.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Vessel {
    pub centre_mm: [f64; 2],
    pub radius_mm: f64,
}

/// A generated scan: CT (HU), the true liver (lesions included) and the true lesions.
pub struct Phantom {
    pub grid: Grid,
    pub ct: Vec<i16>,
    pub liver: Vec<bool>,
    /// Per voxel: 0, or 1 + the index of the lesion it belongs to.
    pub lesion: Vec<u8>,
}

/// Deterministic normal deviates (splitmix64 + Box-Muller).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let u = self.next().max(1e-12);
        let v = self.next();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// Smoothed white noise scaled to standard deviation `sd`.
fn correlated_noise(grid: &Grid, sigma_mm: f64, sd: f64, seed: u64) -> Vec<f32> {
    let roi = Roi::new(
        Bbox {
            lo: [0; 3],
            hi: grid.dims,
        },
        grid,
    );
    let mut rng = Rng(seed);
    let mut v: Vec<f32> = (0..roi.len()).map(|_| rng.normal() as f32).collect();
    roi.smooth(&mut v, sigma_mm);
    let n = v.len() as f64;
    let s = (v.iter().map(|&x| (x as f64).powi(2)).sum::<f64>() / n).sqrt();
    let k = (sd / s.max(1e-9)) as f32;
    v.iter_mut().for_each(|x| *x *= k);
    v
}

/// A liver ellipsoid (semi-axes `liver_mm` about the centre of the grid) in fat, a
/// vessel, the lesions, and noise of `noise_sd` HU correlated over about 0.5 mm.
pub fn make(
    dims: [usize; 3],
    spacing_mm: f64,
    liver_mm: [f64; 3],
    vessels: &[Vessel],
    lesions: &[LesionSpec],
    noise_sd: f64,
) -> Phantom {
    let grid = Grid {
        dims,
        spacing: [spacing_mm; 3],
    };
    let n = grid.n_voxels();
    let noise = correlated_noise(&grid, 0.5, noise_sd, 7);
    let texture = correlated_noise(&grid, 3.0, 1.0, 11);
    let c = dims.map(|d| d as f64 * spacing_mm / 2.0);
    let mut ct = vec![0i16; n];
    let mut liver = vec![false; n];
    let mut lesion = vec![0u8; n];
    for idx in 0..n {
        let v = grid.ijk(idx);
        let p = v.map(|x| x as f64 * spacing_mm);
        let e: f64 = (0..3).map(|a| ((p[a] - c[a]) / liver_mm[a]).powi(2)).sum();
        let mut hu = FAT_HU;
        if e <= 1.0 {
            liver[idx] = true;
            hu = LIVER_HU;
            for ves in vessels {
                let d =
                    ((p[0] - ves.centre_mm[0]).powi(2) + (p[1] - ves.centre_mm[1]).powi(2)).sqrt();
                if d <= ves.radius_mm {
                    hu = VESSEL_HU;
                }
            }
            for (li, l) in lesions.iter().enumerate() {
                if let Some(x) = lesion_hu(l, p, texture[idx] as f64) {
                    hu = x;
                    lesion[idx] = li as u8 + 1;
                }
            }
        }
        ct[idx] = (hu + noise[idx] as f64).round() as i16;
    }
    Phantom {
        grid,
        ct,
        liver,
        lesion,
    }
}

/// The HU of lesion `l` at `p` (mm), or None outside it.
fn lesion_hu(l: &LesionSpec, p: [f64; 3], texture: f64) -> Option<f64> {
    let d = [0, 1, 2].map(|a| p[a] - l.centre_mm[a]);
    let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
    let u = if r > 0.0 {
        d.map(|x| x / r)
    } else {
        [1.0, 0.0, 0.0]
    };
    let outer = l.radius_along(u);
    if r > outer {
        return None;
    }
    if let Some((t, rim)) = l.rim
        && r > outer - t
    {
        return Some(LIVER_HU + rim);
    }
    if let Some((f, core)) = l.core
        && r < f * outer
    {
        return Some(LIVER_HU + core + l.texture_hu * texture);
    }
    Some(LIVER_HU + l.contrast_hu + l.texture_hu * texture)
}

/// The voxel of `mask` farthest from its boundary, found on every `step`-th voxel (a
/// place for a lesion phantom in a real liver); None for an empty mask.
pub fn deepest_point(grid: &Grid, mask: &[u8], step: usize) -> Option<([usize; 3], f64)> {
    let step = step.max(1);
    let coarse = Grid {
        dims: grid.dims.map(|d| d.div_ceil(step)),
        spacing: grid.safe_spacing().map(|s| s * step as f64),
    };
    let at = |l: usize| {
        let c = coarse.ijk(l).map(|x| x * step);
        grid.flat(c[0], c[1], c[2])
    };
    // the scan's border counts as outside: a liver cut by the scan is not deep there
    let border = |l: usize| {
        let c = coarse.ijk(l);
        (0..3).any(|a| c[a] == 0 || c[a] + 1 == coarse.dims[a])
    };
    let d = crate::segmentation::tools::edt::sq_edt(coarse.dims, coarse.spacing, |l| {
        mask[at(l)] == 0 || border(l)
    });
    let (best, d2) = d
        .iter()
        .enumerate()
        .filter(|(l, _)| mask[at(*l)] != 0)
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    Some((grid.ijk(at(best)), (*d2 as f64).sqrt()))
}

/// Add `contrast_hu` to the scan inside a sphere of `radius_mm` about voxel `centre`
/// (the tissue's own noise and texture stay): a lesion in a real scan. Returns the
/// flat indices of its voxels (the truth).
pub fn implant(
    grid: &Grid,
    ct: &mut [i16],
    centre: [usize; 3],
    radius_mm: f64,
    contrast_hu: f64,
) -> Vec<usize> {
    let sp = grid.safe_spacing();
    let r = sp.map(|s| (radius_mm / s).ceil() as isize);
    let mut idx = Vec::new();
    for dk in -r[2]..=r[2] {
        for dj in -r[1]..=r[1] {
            for di in -r[0]..=r[0] {
                let d2 = (di as f64 * sp[0]).powi(2)
                    + (dj as f64 * sp[1]).powi(2)
                    + (dk as f64 * sp[2]).powi(2);
                let q = [
                    centre[0] as isize + di,
                    centre[1] as isize + dj,
                    centre[2] as isize + dk,
                ];
                let inside = (0..3).all(|a| q[a] >= 0 && (q[a] as usize) < grid.dims[a]);
                if d2 <= radius_mm * radius_mm && inside {
                    let i = grid.flat(q[0] as usize, q[1] as usize, q[2] as usize);
                    ct[i] = (ct[i] as f64 + contrast_hu).round().clamp(-1024.0, 3071.0) as i16;
                    idx.push(i);
                }
            }
        }
    }
    idx
}
