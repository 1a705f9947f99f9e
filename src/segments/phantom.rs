//! A known-answer phantom for the Couinaud planes (tests, the CLI tests, benches): a
//! box liver, landmarks whose planes are written out by hand, and the segment of any
//! point under those planes computed independently of `assign`.

use super::{LandmarkId, Landmarks, Segment};
use crate::segmentation::Layer;
use crate::volume::Geometry;

pub const PHANTOM_DIMS: [usize; 3] = [172, 123, 62];
pub const PHANTOM_SPACING: [f64; 3] = [0.75, 0.875, 1.5];
pub const PHANTOM_ORIGIN: [f64; 3] = [-64.3125, -53.59375, -46.0625];

/// Landmarks whose planes the tests write out by hand: u = +z; middle vein plane x = 0
/// (right x > 0); right vein plane x - y - 20 = 0 (posterior x - y - 20 > 0); left vein
/// plane x + y + 20 = 0 (lateral x + y + 20 < 0); portal plane z = 0.
pub fn phantom_landmarks() -> Landmarks {
    let mut l = Landmarks::default();
    use LandmarkId as L;
    for (id, p) in [
        (L::IvcInferior, [0.0, -20.0, -40.0]),
        (L::IvcSuperior, [0.0, -20.0, 40.0]),
        (L::RhvConfluence, [10.0, -10.0, 30.0]),
        (L::RhvDistal, [50.0, 30.0, 30.0]),
        (L::MhvConfluence, [0.0, -10.0, 30.0]),
        (L::MhvDistal, [0.0, 30.0, 30.0]),
        (L::LhvConfluence, [-10.0, -10.0, 30.0]),
        (L::LhvDistal, [-50.0, 30.0, 30.0]),
        (L::PortalBifurcation, [0.0, 0.0, 0.0]),
    ] {
        l.set(id, Some(p));
    }
    l
}

/// The segment of a point under the phantom's planes, written out independently:
/// caudate (D = 20 mm from the IVC axis at y = -20 to the bifurcation): y in [-30, 0],
/// x in [-20, 10] (b = u x a points to -x), z in [-20, 30] (from 20 mm below the
/// bifurcation to the confluences' level).
pub fn expected(x: [f64; 3]) -> Segment {
    let [x, y, z] = x;
    if (-30.0..=0.0).contains(&y) && (-20.0..=10.0).contains(&x) && (-20.0..=30.0).contains(&z) {
        return Segment::S1;
    }
    let sup = z > 0.0;
    use Segment::*;
    if x > 0.0 {
        if x - y - 20.0 > 0.0 {
            if sup { S7 } else { S6 }
        } else if sup {
            S8
        } else {
            S5
        }
    } else if x + y + 20.0 < 0.0 {
        if sup { S2 } else { S3 }
    } else if sup {
        S4a
    } else {
        S4b
    }
}

/// A liver box x in [-60, 60], y in [-50, 50], z in [-42, 42] on an anisotropic grid
/// whose voxel centres never fall on a plane or a caudate border (spacing and origin are
/// exact in f32 too, so a NIfTI sform keeps them), with ball tumours (centre, radius mm).
pub fn phantom(tumours: &[([f64; 3], f64)]) -> (Geometry, Vec<u8>) {
    let g = Geometry::axis_aligned(PHANTOM_DIMS, PHANTOM_SPACING, PHANTOM_ORIGIN);
    let [nx, ny, nz] = PHANTOM_DIMS;
    let mut bits = vec![0u8; g.voxel_count()];
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                let w = g.to_world([i as f64, j as f64, k as f64]);
                if w[0].abs() > 60.0 || w[1].abs() > 50.0 || w[2].abs() > 42.0 {
                    continue;
                }
                let mut b = Layer::Liver.bit();
                for (c, r) in tumours {
                    let d2: f64 = (0..3).map(|a| (w[a] - c[a]).powi(2)).sum();
                    if d2 <= r * r {
                        b |= Layer::Tumour.bit();
                    }
                }
                bits[g.index(i, j, k)] = b;
            }
        }
    }
    (g, bits)
}

/// Landmarks placed around a liver's point `c` (e.g. its centre of mass), scaled to the
/// liver's extent as a user places them (IVC dorsal, veins fanning out ventrally from
/// the confluence): for timing on real livers (bench, examples), not anatomy.
pub fn landmarks_around(bits: &[u8], g: &Geometry, c: [f64; 3]) -> Landmarks {
    use LandmarkId as L;
    let (lo, hi) = super::assign::liver_bbox(bits, g.dims).unwrap_or(([0; 3], g.dims));
    let a = g.to_world(lo.map(|v| v as f64));
    let b = g.to_world(hi.map(|v| v as f64 - 1.0));
    let e = [0, 1, 2].map(|k| (b[k] - a[k]).abs());
    let at = |fx: f64, fy: f64, fz: f64| [c[0] + fx * e[0], c[1] + fy * e[1], c[2] + fz * e[2]];
    let mut l = Landmarks::default();
    for (id, p) in [
        (L::IvcInferior, at(0.0, -0.3, -0.3)),
        (L::IvcSuperior, at(0.0, -0.3, 0.3)),
        (L::RhvConfluence, at(0.03, -0.25, 0.25)),
        (L::RhvDistal, at(0.3, 0.05, 0.2)),
        (L::MhvConfluence, at(0.0, -0.25, 0.25)),
        (L::MhvDistal, at(0.02, 0.25, 0.2)),
        (L::LhvConfluence, at(-0.03, -0.25, 0.25)),
        (L::LhvDistal, at(-0.3, 0.1, 0.2)),
        (L::PortalBifurcation, at(0.0, -0.05, 0.0)),
    ] {
        l.set(id, Some(p));
    }
    l
}
