//! Intensity model of grow from seeds: per-label cost (HU per mm) of entering a
//! voxel of a given (smoothed) HU, learnt from the seeds.

use super::GrowParams;

/// Labels of the competition (0 = not reached yet): the liver, and background.
/// Background labels are `BG` (the pooled background: gas, the scan border, and
/// strokes beyond [`MAX_CLASSES`]) and `BG + c` for background stroke class `c`
/// (see [`Model::add_class`]); every label `>= BG` is background.
pub(super) const FG: u8 = 1;
pub(super) const BG: u8 = 2;
/// Background stroke classes beyond the pooled one.
pub(super) const MAX_CLASSES: usize = (u8::MAX - BG) as usize;

const LO: f32 = -1024.0;
const BINS: usize = 4096;

/// Per-label region costs and the per-mm base cost.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Model {
    pub hu_per_mm: f32,
    /// HU jumps between neighbours up to this size cost nothing (the noise of
    /// the smoothed liver): only real edges stop a label.
    pub edge_floor: f32,
    /// The background label's floor.
    pub edge_floor_bg: f32,
    /// Unsmoothed HU range the foreground may enter.
    gate: (f32, f32),
    /// Robust SD of the unsmoothed seed values (the gate's least unit).
    raw_sigma: f32,
    /// The gate's width in units of its SD.
    gate_sigma: f32,
    /// Maps an unsmoothed value onto the smoothed scale: (raw_mu, mu, sigma/raw_sigma).
    rescale: (f32, f32, f32),
    /// Cost per mm of entering a voxel, per HU bin; negative = impassable.
    fg: Vec<f32>,
    /// The same per background label (`label - BG`): [0] the pooled background,
    /// then one per stroke class.
    bg: Vec<Vec<f32>>,
    /// Densities the tables are made of (foreground, pooled background), the
    /// kernel bandwidth and the likelihood weight: a stroke class added later is
    /// learnt against them.
    pf: Vec<f32>,
    pb: Vec<f32>,
    bw: f32,
    lw: f32,
    cw: f32,
}

/// Background cost per HU bin: `lw` times how much more likely the liver seeds'
/// density `pf` is than the background density `g` (0 where it is not).
fn bg_table(pf: &[f32], g: &[f32], lw: f32) -> Vec<f32> {
    let uniform = 1.0 / 2000.0;
    let eps = 0.05;
    pf.iter()
        .zip(g)
        .map(|(&f, &g)| {
            let g = (1.0 - eps) * g + eps * uniform;
            lw * ((f + 1e-6) / g).ln().max(0.0)
        })
        .collect()
}

fn bin(hu: f32) -> usize {
    ((hu - LO).round().max(0.0) as usize).min(BINS - 1)
}

/// Gaussian kernel density of `v` over the bins, normalised to sum 1.
fn density(v: &[f32], bw: f32) -> Vec<f32> {
    let mut h = vec![0f32; BINS];
    v.iter().for_each(|&x| h[bin(x)] += 1.0);
    let r = (3.0 * bw).ceil() as i64;
    let k: Vec<f32> = (-r..=r)
        .map(|d| (-0.5 * (d as f32 / bw).powi(2)).exp())
        .collect();
    let mut out = vec![0f32; BINS];
    for (i, &c) in h.iter().enumerate().filter(|(_, c)| **c > 0.0) {
        for (n, &w) in k.iter().enumerate() {
            let j = i as i64 + n as i64 - r;
            if (0..BINS as i64).contains(&j) {
                out[j as usize] += c * w;
            }
        }
    }
    let s: f32 = out.iter().sum();
    if s > 0.0 {
        out.iter_mut().for_each(|x| *x /= s);
    }
    out
}

pub(super) fn median(v: &mut [f32]) -> f32 {
    v.sort_by(f32::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Robust SD (1.4826 x median absolute deviation) of `v` around `c`.
pub(super) fn spread(v: &[f32], c: f32) -> f32 {
    let mut dev: Vec<f32> = v.iter().map(|x| (x - c).abs()).collect();
    1.4826 * median(&mut dev)
}

impl Model {
    /// Learn from the smoothed (`*_img`) and unsmoothed (`fg_raw`) values at the
    /// foreground and background seeds; `gate_sd` is the robust SD of the
    /// foreground seeds at full resolution (the gate's unit on every level: on a
    /// block-averaged level the SD of the averages underestimates how much the
    /// liver's HU varies across the organ).
    pub fn new(
        fg_img: &[f32],
        fg_raw: &[f32],
        bg_img: &[f32],
        gate_sd: f32,
        p: &GrowParams,
    ) -> Model {
        let mut fv = fg_img.to_vec();
        let bv = bg_img;
        let mu = median(&mut fv);
        let sigma = spread(&fv, mu).max(3.0);
        let mut rv = fg_raw.to_vec();
        let raw_mu = median(&mut rv);
        let raw_sigma = spread(&rv, raw_mu).max(sigma);
        let tol = p.fg_tolerance.max(0.0) * sigma;
        let hard = tol + p.fg_hard_hu.max(0.0);
        let pen = p.fg_penalty.max(0.0);
        let lw = p.likelihood_weight.max(0.0);
        let bw = (0.5 * sigma).max(2.0);
        let pf = density(&fv, bw);
        let pb = density(bv, bw);
        let uniform = 1.0 / 2000.0;
        let eps = 0.05;
        let mut fg = vec![0f32; BINS];
        for b in 0..BINS {
            let hu = LO + b as f32;
            let off = (hu - mu).abs();
            let f = pf[b] + 1e-6;
            let g = (1.0 - eps) * pb[b] + eps * uniform;
            let lr = (g / f).ln();
            fg[b] = if off > hard {
                -1.0
            } else {
                pen * (off - tol).max(0.0) + lw * lr.max(0.0)
            };
        }
        let bg = vec![bg_table(&pf, &pb, lw)];
        let g = p.fg_gate_sigma.max(0.0) * gate_sd.max(raw_sigma);
        Model {
            gate: (raw_mu - g, raw_mu + 2.0 * g),
            raw_sigma,
            gate_sigma: p.fg_gate_sigma.max(0.0),
            rescale: (raw_mu, mu, sigma / raw_sigma),

            hu_per_mm: p.hu_per_mm.max(0.01),
            edge_floor: p.edge_noise.max(0.0) * sigma,
            edge_floor_bg: if p.edge_noise_bg < 0.0 {
                p.edge_noise.max(0.0) * sigma
            } else {
                p.edge_noise_bg * sigma
            },
            fg,
            bg,
            pf,
            pb,
            bw,
            lw,
            cw: p.class_weight.max(0.0),
        }
    }

    /// The gate with `gate_sd` as its SD when that is wider than the gate's
    /// (around the same centre); true when it widened. Every foreground cost
    /// stays or falls, so a competition can continue from its last solution.
    pub fn widen_gate(&mut self, gate_sd: f32) -> bool {
        let g = self.gate_sigma * gate_sd.max(self.raw_sigma);
        let mid = self.rescale.0;
        let (lo, hi) = (mid - g, mid + 2.0 * g);
        if lo >= self.gate.0 && hi <= self.gate.1 {
            return false;
        }
        self.gate = (lo.min(self.gate.0), hi.max(self.gate.1));
        true
    }

    /// A background class for one stroke, learnt from the smoothed values `img` at
    /// its cells: its cost is the pooled background's, but nothing where
    /// [`GrowParams::class_weight`] times the stroke's own density is at least the
    /// liver seeds' density (a stroke drawn in a
    /// neighbour of liver HU - the heart, the IVC, a bowel loop - claims that
    /// neighbour up to its edges, instead of paying for the liver-like HU that the
    /// pooled strokes elsewhere did not show). Returns its label, or `BG` (the pooled
    /// class) when there are already [`MAX_CLASSES`] classes or `img` is empty.
    pub fn add_class(&mut self, img: &[f32]) -> u8 {
        if img.is_empty() || self.bg.len() > MAX_CLASSES {
            return BG;
        }
        let own = density(img, self.bw);
        let g: Vec<f32> = (self.pb.iter().zip(&own))
            .map(|(&a, &b)| a.max(self.cw * b))
            .collect();
        self.bg.push(bg_table(&self.pf, &g, self.lw));
        BG + (self.bg.len() - 1) as u8
    }

    /// Per-mm cost for `label` to enter a voxel of smoothed value `hu` and
    /// unsmoothed value `raw`; `None` = impassable.
    #[inline]
    pub fn region(&self, label: u8, hu: f32, raw: f32) -> Option<f32> {
        if label == FG {
            // The cheaper of the smoothed value and the unsmoothed one mapped to
            // the smoothed scale: smoothing alone would push the boundary inward.
            let (rm, m, sc) = self.rescale;
            let (c1, c2) = (self.fg[bin(hu)], self.fg[bin(m + (raw - rm) * sc)]);
            let c = match (c1 >= 0.0, c2 >= 0.0) {
                (true, true) => c1.min(c2),
                (true, false) => c1,
                _ => c2,
            };
            (c >= 0.0 && raw >= self.gate.0 && raw <= self.gate.1).then_some(c)
        } else {
            let t = self.bg.get(label.saturating_sub(BG) as usize)?;
            Some(t[bin(hu)])
        }
    }
}
