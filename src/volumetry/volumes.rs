//! Volumes of the traced structures: voxel count x voxel volume (|det| of the
//! affine's 3x3), in mL. One pass over the label bytes counts every combination
//! of layers, so resected + remnant + tumour = total liver exactly.

use crate::segmentation::Layer;
use rayon::prelude::*;

/// Combinations of the four layer bits (liver, resection, tumour, stage-1 resection).
pub const HIST_BINS: usize = 16;

/// How many voxels hold each of the 16 combinations of layer bits.
pub fn bit_histogram(bits: &[u8]) -> [u64; HIST_BINS] {
    bits.par_chunks(1 << 20)
        .map(|chunk| {
            // four interleaved tables avoid store-to-load stalls on runs of equal bytes
            let mut h = [[0u32; HIST_BINS]; 4];
            let mut quads = chunk.chunks_exact(4);
            for q in &mut quads {
                h[0][(q[0] & 15) as usize] += 1;
                h[1][(q[1] & 15) as usize] += 1;
                h[2][(q[2] & 15) as usize] += 1;
                h[3][(q[3] & 15) as usize] += 1;
            }
            for &b in quads.remainder() {
                h[0][(b & 15) as usize] += 1;
            }
            let mut out = [0u64; HIST_BINS];
            for lane in h {
                for (o, v) in out.iter_mut().zip(lane) {
                    *o += v as u64;
                }
            }
            out
        })
        .reduce(
            || [0u64; HIST_BINS],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                a
            },
        )
}

/// Voxel counts of the clinical compartments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Whole liver: liver layer united with tumours.
    pub total: u64,
    pub tumour: u64,
    /// Tumour-free liver inside the resection (the second stage of a two-stage plan;
    /// liver also in the stage-1 resection is counted there, not here).
    pub resected: u64,
    /// Tumour-free liver outside every resection: the future liver remnant.
    pub remnant: u64,
    /// Resection traced outside the liver (not counted anywhere; shown as a warning).
    pub resection_outside_liver: u64,
    /// Tumour voxels outside every resection: tumour this plan leaves in the remnant.
    #[serde(default)]
    pub tumour_outside_resection: u64,
    /// Two-stage hepatectomy: tumour-free liver removed at the first stage.
    #[serde(default)]
    pub stage1_resected: u64,
    /// Two-stage hepatectomy: tumour removed at the first stage.
    #[serde(default)]
    pub stage1_tumour: u64,
}

impl Counts {
    pub fn from_histogram(h: &[u64; HIST_BINS]) -> Counts {
        let (l, r, t, s1) = (
            Layer::Liver.bit(),
            Layer::Resection.bit(),
            Layer::Tumour.bit(),
            Layer::Stage1.bit(),
        );
        let mut c = Counts::default();
        for (b, &n) in h.iter().enumerate() {
            let b = b as u8;
            if b & t != 0 {
                c.tumour += n;
                c.total += n;
                if b & s1 != 0 {
                    c.stage1_tumour += n;
                } else if b & r == 0 {
                    c.tumour_outside_resection += n;
                }
            } else if b & l != 0 {
                c.total += n;
                if b & s1 != 0 {
                    c.stage1_resected += n;
                } else if b & r != 0 {
                    c.resected += n;
                } else {
                    c.remnant += n;
                }
            } else if b & (r | s1) != 0 {
                c.resection_outside_liver += n;
            }
        }
        c
    }

    pub fn from_bits(bits: &[u8]) -> Counts {
        Counts::from_histogram(&bit_histogram(bits))
    }

    pub fn functional(&self) -> u64 {
        self.total - self.tumour
    }

    /// FLR % from the counts: remnant / (total liver - tumour) (the ratio of voxel
    /// counts equals the ratio of volumes); None without functional liver.
    pub fn flr_percent(&self) -> Option<f64> {
        let f = self.functional();
        (f > 0).then(|| 100.0 * self.remnant as f64 / f as f64)
    }

    /// True when a stage-1 resection is traced (a two-stage plan).
    pub fn two_stage(&self) -> bool {
        self.stage1_resected + self.stage1_tumour > 0
    }
}

/// The compartments in mL.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Volumes {
    pub voxel_mm3: f64,
    pub total_ml: f64,
    pub tumour_ml: f64,
    /// Total liver minus tumour.
    pub functional_ml: f64,
    pub resected_ml: f64,
    /// Future liver remnant: liver minus resection minus tumour.
    pub remnant_ml: f64,
    pub resection_outside_liver_ml: f64,
    /// Tumour outside the resection (left in the remnant), mL.
    #[serde(default)]
    pub tumour_outside_resection_ml: f64,
    /// Two-stage plan: tumour-free liver removed at the first stage, mL.
    #[serde(default)]
    pub stage1_resected_ml: f64,
    /// Two-stage plan: tumour removed at the first stage, mL.
    #[serde(default)]
    pub stage1_tumour_ml: f64,
}

impl Volumes {
    pub fn from_counts(c: &Counts, voxel_mm3: f64) -> Volumes {
        let ml = |n: u64| n as f64 * voxel_mm3 / 1000.0;
        Volumes {
            voxel_mm3,
            total_ml: ml(c.total),
            tumour_ml: ml(c.tumour),
            functional_ml: ml(c.functional()),
            resected_ml: ml(c.resected),
            remnant_ml: ml(c.remnant),
            resection_outside_liver_ml: ml(c.resection_outside_liver),
            tumour_outside_resection_ml: ml(c.tumour_outside_resection),
            stage1_resected_ml: ml(c.stage1_resected),
            stage1_tumour_ml: ml(c.stage1_tumour),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compartments_add_up_and_use_voxel_volume() {
        let (l, r, t) = (1u8, 2u8, 4u8);
        // 10 remnant, 5 resected, 3 tumour in resection, 2 tumour outside liver bit,
        // 4 resection outside the liver, 6 background
        let mut bits = vec![l; 10];
        bits.extend(vec![l | r; 5]);
        bits.extend(vec![l | r | t; 3]);
        bits.extend(vec![t; 2]);
        bits.extend(vec![r; 4]);
        bits.extend(vec![0; 6]);
        let c = Counts::from_bits(&bits);
        assert_eq!(c.total, 20);
        assert_eq!(c.tumour, 5);
        assert_eq!(c.resected, 5);
        assert_eq!(c.remnant, 10);
        assert_eq!(c.resection_outside_liver, 4);
        assert_eq!(c.tumour_outside_resection, 2);
        assert_eq!(c.tumour + c.resected + c.remnant, c.total);
        assert!(!c.two_stage());
        // voxel 0.7 x 0.7 x 0.75 mm = 0.3675 mm^3
        let v = Volumes::from_counts(&c, 0.3675);
        assert!((v.total_ml - 20.0 * 0.3675 / 1000.0).abs() < 1e-15);
        assert!((v.functional_ml - 15.0 * 0.3675 / 1000.0).abs() < 1e-15);
    }

    /// Two-stage plan: the stage-1 resection (bit 8) removes its liver and tumour first;
    /// the resection layer is the second stage; the remnant is what neither removes.
    #[test]
    fn stage1_compartments_add_up() {
        let (l, r, t, s) = (1u8, 2u8, 4u8, 8u8);
        // 10 remnant, 5 stage-2 resected, 4 stage-1 resected, 2 in both resections
        // (stage 1 first), 3 tumour in stage 1, 1 tumour in stage 2, 2 tumour left,
        // 3 stage-1 resection outside the liver, 6 background
        let mut bits = vec![l; 10];
        bits.extend(vec![l | r; 5]);
        bits.extend(vec![l | s; 4]);
        bits.extend(vec![l | r | s; 2]);
        bits.extend(vec![l | t | s; 3]);
        bits.extend(vec![l | r | t; 1]);
        bits.extend(vec![l | t; 2]);
        bits.extend(vec![s; 3]);
        bits.extend(vec![0; 6]);
        let c = Counts::from_bits(&bits);
        assert_eq!(c.total, 27);
        assert_eq!(c.remnant, 10);
        assert_eq!(c.resected, 5);
        assert_eq!(c.stage1_resected, 6);
        assert_eq!(c.tumour, 6);
        assert_eq!(c.stage1_tumour, 3);
        assert_eq!(c.tumour_outside_resection, 2);
        assert_eq!(c.resection_outside_liver, 3);
        assert_eq!(
            c.remnant + c.resected + c.stage1_resected + c.tumour,
            c.total
        );
        assert!(c.two_stage());
    }

    #[test]
    fn histogram_matches_naive_count_on_odd_lengths() {
        let bits: Vec<u8> = (0..(3 << 20) + 7)
            .map(|i: usize| ((i * 7919) % 17) as u8 & 15)
            .collect();
        let h = bit_histogram(&bits);
        for v in 0..16u8 {
            assert_eq!(
                h[v as usize],
                bits.iter().filter(|&&b| b == v).count() as u64
            );
        }
    }
}
