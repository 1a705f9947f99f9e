//! Where a grow went wrong: the voxels grown outside a reference (extra, false
//! positives) and the reference voxels not grown (missed, false negatives), as
//! 6-connected parts with their size, HU, place and thickness, and both counted by
//! HU band. A development and benchmark aid (tests/grow_bench.rs, benches/perf.rs):
//! a thin rim all round is a boundary disagreement, a thick part with vessel HU
//! next to the liver is a leak into the IVC or aorta.

use super::super::edt::sq_edt;
use super::super::grid::Grid;
use super::super::region::components;

/// HU bands the errors are counted in (upper bounds; the last band is open).
pub const HU_BANDS: [(f64, &str); 6] = [
    (-50.0, "< -50 (fat, air)"),
    (20.0, "-50..20 (water, hypodense)"),
    (90.0, "20..90 (parenchyma, muscle)"),
    (150.0, "90..150 (enhanced tissue)"),
    (300.0, "150..300 (contrast vessels)"),
    (f64::INFINITY, ">= 300 (bone, dense contrast)"),
];

fn band(hu: f64) -> usize {
    HU_BANDS.iter().position(|(hi, _)| hu < *hi).unwrap_or(0)
}

/// One connected part of the extra or missed voxels.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorPart {
    /// Voxels of the (sub-sampled) analysis grid, and their volume.
    pub voxels: usize,
    pub ml: f64,
    /// Mean and median HU of the part's voxels.
    pub mean_hu: f64,
    pub median_hu: f64,
    /// Centroid, full-resolution voxel coordinates (i, j, k).
    pub centroid: [f64; 3],
    /// Offset of the centroid from the reference's centroid (mm, along i, j, k).
    pub offset_mm: [f64; 3],
    /// Thickness: twice the largest distance (mm) from a voxel of the part to a
    /// voxel outside it (a rim of one voxel is about one voxel thick).
    pub thickness_mm: f64,
    /// Full-resolution slice range (k) the part spans.
    pub slices: (usize, usize),
}

/// Extra and missed voxels of a grow against a reference.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorReport {
    /// Volume (mL) of the grown region, of the reference and of their overlap.
    pub grown_ml: f64,
    pub reference_ml: f64,
    pub both_ml: f64,
    /// Parts, largest first.
    pub extra: Vec<ErrorPart>,
    pub missed: Vec<ErrorPart>,
    /// mL of extra / missed voxels per [`HU_BANDS`] entry.
    pub extra_by_hu: [f64; 6],
    pub missed_by_hu: [f64; 6],
}

impl ErrorReport {
    pub fn dice(&self) -> f64 {
        2.0 * self.both_ml / (self.grown_ml + self.reference_ml).max(f64::MIN_POSITIVE)
    }

    /// mL of extra / missed voxels in parts thicker than `mm` (not a rim).
    pub fn thick_ml(&self, mm: f64) -> (f64, f64) {
        let sum = |v: &[ErrorPart]| v.iter().filter(|p| p.thickness_mm > mm).map(|p| p.ml).sum();
        (sum(&self.extra), sum(&self.missed))
    }

    /// A few lines for a log: totals, HU bands and the `top` largest parts of each.
    pub fn summary(&self, top: usize) -> String {
        let mut s = format!(
            "grown {:.1} mL, reference {:.1} mL, overlap {:.1} mL, dice {:.4}\n",
            self.grown_ml,
            self.reference_ml,
            self.both_ml,
            self.dice()
        );
        for (b, (_, name)) in HU_BANDS.iter().enumerate() {
            if self.extra_by_hu[b] + self.missed_by_hu[b] >= 0.5 {
                s.push_str(&format!(
                    "  HU {name}: extra {:.1} mL, missed {:.1} mL\n",
                    self.extra_by_hu[b], self.missed_by_hu[b]
                ));
            }
        }
        for (what, parts) in [("extra", &self.extra), ("missed", &self.missed)] {
            for p in parts.iter().take(top) {
                s.push_str(&format!(
                    "  {what} {:.1} mL, {:.0} mm thick, HU mean {:.0} median {:.0}, centroid \
                     ({:.0}, {:.0}, {:.0}) = liver centre {:+.0}/{:+.0}/{:+.0} mm, slices {}..{}\n",
                    p.ml,
                    p.thickness_mm,
                    p.mean_hu,
                    p.median_hu,
                    p.centroid[0],
                    p.centroid[1],
                    p.centroid[2],
                    p.offset_mm[0],
                    p.offset_mm[1],
                    p.offset_mm[2],
                    p.slices.0,
                    p.slices.1
                ));
            }
        }
        s
    }
}

/// Compare `grown` with `reference` (per-voxel predicates over `grid`) on the
/// slices `k_range`, sampling every `step`-th voxel along each axis (1 = all; a
/// sampled voxel stands for `step`³ voxels). `None` when the sizes do not fit.
pub fn error_report(
    grid: &Grid,
    ct: &[i16],
    grown: &dyn Fn(usize) -> bool,
    reference: &dyn Fn(usize) -> bool,
    k_range: std::ops::Range<usize>,
    step: usize,
) -> Option<ErrorReport> {
    let [nx, ny, nz] = grid.dims;
    if ct.len() != nx * ny * nz {
        return None;
    }
    let st = step.max(1);
    let k0 = k_range.start.min(nz);
    let k1 = k_range.end.min(nz).max(k0);
    let sd = [nx.div_ceil(st), ny.div_ceil(st), (k1 - k0).div_ceil(st)];
    let n = sd[0] * sd[1] * sd[2];
    let full = |l: usize| {
        let p = [l % sd[0], (l / sd[0]) % sd[1], l / (sd[0] * sd[1])];
        let q = [p[0] * st, p[1] * st, k0 + p[2] * st];
        (q, q[0] + nx * (q[1] + ny * q[2]))
    };
    let sp = grid.spacing;
    let ml = sp.iter().product::<f64>() * (st * st * st) as f64 / 1000.0;
    let (mut g, mut r, mut both) = (0usize, 0usize, 0usize);
    let mut extra = vec![false; n];
    let mut missed = vec![false; n];
    let mut rc = [0f64; 3];
    for l in 0..n {
        let (q, i) = full(l);
        let (a, b) = (grown(i), reference(i));
        g += a as usize;
        r += b as usize;
        both += (a && b) as usize;
        extra[l] = a && !b;
        missed[l] = b && !a;
        if b {
            (0..3).for_each(|x| rc[x] += q[x] as f64);
        }
    }
    let rc = rc.map(|v| v / r.max(1) as f64);
    let ssp = [sp[0] * st as f64, sp[1] * st as f64, sp[2] * st as f64];
    let parts = |m: &[bool], by_hu: &mut [f64; 6]| -> Vec<ErrorPart> {
        let (id, sizes) = components(sd, m);
        let depth = sq_edt(sd, ssp, |l| !m[l]);
        let mut hu: Vec<Vec<f32>> = vec![Vec::new(); sizes.len()];
        let mut cen = vec![[0f64; 3]; sizes.len()];
        let mut deep = vec![0f32; sizes.len()];
        let mut ks = vec![(usize::MAX, 0usize); sizes.len()];
        for l in (0..n).filter(|&l| id[l] > 0) {
            let c = id[l] as usize - 1;
            let (q, i) = full(l);
            let v = ct[i] as f32;
            hu[c].push(v);
            by_hu[band(v as f64)] += ml;
            (0..3).for_each(|x| cen[c][x] += q[x] as f64);
            deep[c] = deep[c].max(depth[l]);
            ks[c] = (ks[c].0.min(q[2]), ks[c].1.max(q[2]));
        }
        let mut out: Vec<ErrorPart> = (0..sizes.len())
            .map(|c| {
                let v = &mut hu[c];
                let mean = v.iter().map(|&x| x as f64).sum::<f64>() / v.len().max(1) as f64;
                v.sort_by(f32::total_cmp);
                let centroid = cen[c].map(|x| x / sizes[c] as f64);
                ErrorPart {
                    voxels: sizes[c],
                    ml: sizes[c] as f64 * ml,
                    mean_hu: mean,
                    median_hu: v.get(v.len() / 2).copied().unwrap_or(0.0) as f64,
                    centroid,
                    offset_mm: [0, 1, 2].map(|x| (centroid[x] - rc[x]) * sp[x]),
                    thickness_mm: 2.0 * (deep[c] as f64).sqrt(),
                    slices: ks[c],
                }
            })
            .collect();
        out.sort_by_key(|p| std::cmp::Reverse(p.voxels));
        out
    };
    let mut extra_by_hu = [0f64; 6];
    let mut missed_by_hu = [0f64; 6];
    let extra = parts(&extra, &mut extra_by_hu);
    let missed = parts(&missed, &mut missed_by_hu);
    Some(ErrorReport {
        grown_ml: g as f64 * ml,
        reference_ml: r as f64 * ml,
        both_ml: both as f64 * ml,
        extra,
        missed,
        extra_by_hu,
        missed_by_hu,
    })
}
