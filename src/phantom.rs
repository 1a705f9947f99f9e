//! The known-answer phantom: a box-shaped "liver" with a planned resection and two
//! box tumours, on an LPS grid of 1.5 x 1.5 x 3 mm voxels, so every volume is exact.
//! `remnant phantom --out DIR` writes it; `sample_data/phantom_*` was made this way.
//!
//! | structure | voxels | mL (x 6.75 mm^3) |
//! |---|---|---|
//! | whole liver | 60 x 50 x 30 = 90 000 | 607.5 |
//! | tumour A (in the resection) | 6 x 6 x 4 = 144 | 0.972 |
//! | tumour B (in the remnant) | 4 x 4 x 4 = 64 | 0.432 |
//! | resected liver (tumour-free) | 40 x 50 x 30 - 144 = 59 856 | 404.028 |
//! | remnant (tumour-free) | 20 x 50 x 30 - 64 = 29 936 | 202.068 |
//!
//! FLR = 29 936 / 89 792 = 33.34 %: adequate for a normal liver or after
//! chemotherapy, not with cirrhosis.

use crate::segmentation::{LabelMap, Layer};
use crate::volume::{AffineSource, Geometry, Volume};

pub const DIMS: [usize; 3] = [96, 80, 40];
pub const SPACING: [f64; 3] = [1.5, 1.5, 3.0];
pub const LIVER: ([usize; 3], [usize; 3]) = ([20, 15, 5], [80, 65, 35]);
/// The resection: liver voxels with i < this (towards the patient's... see geometry: i runs to the Left).
pub const RESECTION_I_END: usize = 60;
pub const TUMOUR_A: ([usize; 3], [usize; 3]) = ([30, 30, 15], [36, 36, 19]);
pub const TUMOUR_B: ([usize; 3], [usize; 3]) = ([70, 40, 20], [74, 44, 24]);

pub const HU_LIVER: i16 = 100;
pub const HU_TUMOUR: i16 = 40;
pub const HU_BODY: i16 = 35;
pub const HU_FAT: i16 = -100;
pub const HU_AIR: i16 = -1000;

/// LPS grid (as a DICOM series converted to NIfTI): i runs to the patient's left,
/// j posterior, k superior.
pub fn geometry() -> Geometry {
    let mut g = Geometry::axis_aligned(DIMS, SPACING, [72.0, 60.0, -60.0]);
    g.affine[0][0] = -SPACING[0];
    g.affine[1][1] = -SPACING[1];
    g.source = AffineSource::Synthetic;
    g
}

fn inside(p: [usize; 3], b: &([usize; 3], [usize; 3])) -> bool {
    (0..3).all(|a| p[a] >= b.0[a] && p[a] < b.1[a])
}

/// The phantom's CT (HU with a little deterministic noise) and its layers.
pub fn make() -> (Volume<i16>, LabelMap) {
    let g = geometry();
    let [nx, ny, nz] = DIMS;
    let mut ct = Vec::with_capacity(g.voxel_count());
    let mut map = LabelMap::empty(g.clone());
    let mut seed: u32 = 20261125;
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                let p = [i, j, k];
                // body: an elliptic cylinder with a 4-voxel fat rim
                let (x, y) = ((i as f64 - 47.5) / 46.0, (j as f64 - 39.5) / 38.0);
                let r = (x * x + y * y).sqrt();
                let mut hu = if r > 1.0 {
                    HU_AIR
                } else if r > 0.9 {
                    HU_FAT
                } else {
                    HU_BODY
                };
                let idx = g.index(i, j, k);
                if inside(p, &LIVER) {
                    hu = HU_LIVER;
                    let mut b = Layer::Liver.bit();
                    if i < RESECTION_I_END {
                        b |= Layer::Resection.bit();
                    }
                    if inside(p, &TUMOUR_A) || inside(p, &TUMOUR_B) {
                        hu = HU_TUMOUR;
                        b |= Layer::Tumour.bit();
                    }
                    map.bits[idx] = b;
                }
                seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
                let noise = ((seed >> 16) % 21) as i16 - 10;
                ct.push(if hu == HU_AIR { hu } else { hu + noise });
            }
        }
    }
    let vol = Volume::new(ct, g).unwrap_or_else(|_| unreachable!("phantom dims are consistent"));
    (vol, map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volumetry::Counts;

    #[test]
    fn phantom_volumes_are_the_documented_ones() {
        let (ct, map) = make();
        assert_eq!(ct.geometry.orientation().to_string(), "LPS");
        assert!((ct.geometry.voxel_volume_mm3() - 6.75).abs() < 1e-12);
        let c = Counts::from_bits(&map.bits);
        assert_eq!(c.total, 60 * 50 * 30);
        assert_eq!(c.tumour, 6 * 6 * 4 + 4 * 4 * 4);
        assert_eq!(c.resected, 40 * 50 * 30 - 6 * 6 * 4);
        assert_eq!(c.remnant, 20 * 50 * 30 - 4 * 4 * 4);
    }
}
