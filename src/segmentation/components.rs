//! Connected components of a layer (6-connected, face neighbours, as ITK's and
//! scipy's defaults): the tumour count, each lesion's volume and largest diameter.

use crate::volume::Geometry;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Component {
    /// 1-based, in order of first voxel (scan order: i fastest, then j, then k).
    pub id: usize,
    pub voxels: usize,
    pub volume_ml: f64,
    /// Largest 3-D extent in mm: the longest distance across the voxelised lesion.
    pub diameter_mm: f64,
    /// Patient position (RAS+ mm) of the centre of mass.
    pub centre_mm: [f64; 3],
    /// A voxel of the lesion (i, j, k), to jump to it.
    pub seed: [usize; 3],
}

struct BitSet(Vec<u64>);
impl BitSet {
    fn new(n: usize) -> Self {
        BitSet(vec![0; n.div_ceil(64)])
    }
    fn get(&self, i: usize) -> bool {
        self.0[i >> 6] & (1 << (i & 63)) != 0
    }
    fn set(&mut self, i: usize) {
        self.0[i >> 6] |= 1 << (i & 63);
    }
}

/// Components of the voxels where `bits & mask != 0`, largest first.
pub fn components(bits: &[u8], mask: u8, g: &Geometry) -> Vec<Component> {
    let [nx, ny, nz] = g.dims;
    let n = nx * ny * nz;
    if bits.len() != n {
        return Vec::new();
    }
    let mut seen = BitSet::new(n);
    let mut out = Vec::new();
    let mut queue = Vec::new();
    let mut members = Vec::new();
    let vox_ml = g.voxel_volume_mm3() / 1000.0;
    for start in 0..n {
        if bits[start] & mask == 0 || seen.get(start) {
            continue;
        }
        seen.set(start);
        queue.clear();
        members.clear();
        queue.push(start);
        while let Some(idx) = queue.pop() {
            members.push(idx);
            let i = idx % nx;
            let j = (idx / nx) % ny;
            let k = idx / (nx * ny);
            let mut visit = |q: usize| {
                if bits[q] & mask != 0 && !seen.get(q) {
                    seen.set(q);
                    queue.push(q);
                }
            };
            if i > 0 {
                visit(idx - 1);
            }
            if i + 1 < nx {
                visit(idx + 1);
            }
            if j > 0 {
                visit(idx - nx);
            }
            if j + 1 < ny {
                visit(idx + nx);
            }
            if k > 0 {
                visit(idx - nx * ny);
            }
            if k + 1 < nz {
                visit(idx + nx * ny);
            }
        }
        let mut c = [0.0; 3];
        for &m in &members {
            c[0] += (m % nx) as f64;
            c[1] += ((m / nx) % ny) as f64;
            c[2] += (m / (nx * ny)) as f64;
        }
        let cnt = members.len() as f64;
        let centre = g.to_world([c[0] / cnt, c[1] / cnt, c[2] / cnt]);
        out.push(Component {
            id: 0,
            voxels: members.len(),
            volume_ml: members.len() as f64 * vox_ml,
            diameter_mm: diameter(&members, bits, mask, g),
            centre_mm: centre,
            seed: [start % nx, (start / nx) % ny, start / (nx * ny)],
        });
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.voxels));
    for (i, c) in out.iter_mut().enumerate() {
        c.id = i + 1;
    }
    out
}

/// Largest distance across the voxelised object: over pairs of surface voxels, the
/// centre distance plus the extent of one voxel along that line (so a single voxel
/// measures its own size and a voxelised sphere of radius r measures about 2r).
fn diameter(members: &[usize], bits: &[u8], mask: u8, g: &Geometry) -> f64 {
    let [nx, ny, nz] = g.dims;
    let inside = |i: isize, j: isize, k: isize| -> bool {
        if i < 0 || j < 0 || k < 0 || i >= nx as isize || j >= ny as isize || k >= nz as isize {
            return false;
        }
        bits[i as usize + nx * (j as usize + ny * k as usize)] & mask != 0
    };
    let mut pts: Vec<[f64; 3]> = Vec::new();
    for &m in members {
        let (i, j, k) = (
            (m % nx) as isize,
            ((m / nx) % ny) as isize,
            (m / (nx * ny)) as isize,
        );
        let surface = !(inside(i - 1, j, k)
            && inside(i + 1, j, k)
            && inside(i, j - 1, k)
            && inside(i, j + 1, k)
            && inside(i, j, k - 1)
            && inside(i, j, k + 1));
        if surface {
            pts.push(g.to_world([i as f64, j as f64, k as f64]));
        }
    }
    if pts.len() > 3000 {
        pts = extreme_points(&pts);
    }
    let lin = g.linear();
    let extent = |d: [f64; 3]| -> f64 {
        // projection of one voxel (a parallelepiped) on the unit direction d
        let n = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
        if n == 0.0 {
            return g.spacing().iter().cloned().fold(0.0, f64::max);
        }
        (0..3)
            .map(|c| ((lin[0][c] * d[0] + lin[1][c] * d[1] + lin[2][c] * d[2]) / n).abs())
            .sum()
    };
    let mut best = 0.0;
    let mut best_d = [0.0; 3];
    for a in 0..pts.len() {
        for b in a..pts.len() {
            let d = [
                pts[b][0] - pts[a][0],
                pts[b][1] - pts[a][1],
                pts[b][2] - pts[a][2],
            ];
            let l = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if l > best || (a == 0 && b == 0) {
                best = l;
                best_d = d;
            }
        }
    }
    best.sqrt() + extent(best_d)
}

/// Candidate end points of the longest chord: the extreme points along many directions.
fn extreme_points(pts: &[[f64; 3]]) -> Vec<[f64; 3]> {
    const DIRS: usize = 400;
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut keep = Vec::with_capacity(2 * DIRS);
    for d in 0..DIRS {
        let z = 1.0 - (d as f64 + 0.5) / DIRS as f64; // upper hemisphere suffices (min and max)
        let r = (1.0 - z * z).sqrt();
        let dir = [
            r * (golden * d as f64).cos(),
            r * (golden * d as f64).sin(),
            z,
        ];
        let (mut lo, mut hi) = (0, 0);
        let (mut vlo, mut vhi) = (f64::MAX, f64::MIN);
        for (i, p) in pts.iter().enumerate() {
            let v = p[0] * dir[0] + p[1] * dir[1] + p[2] * dir[2];
            if v < vlo {
                vlo = v;
                lo = i;
            }
            if v > vhi {
                vhi = v;
                hi = i;
            }
        }
        keep.push(lo);
        keep.push(hi);
    }
    keep.sort_unstable();
    keep.dedup();
    keep.into_iter().map(|i| pts[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_boxes_and_a_sphere() {
        let g = Geometry::axis_aligned([60, 60, 40], [0.5, 0.5, 1.0], [0.0; 3]);
        let mut bits = vec![0u8; g.voxel_count()];
        // box A: 4 x 6 x 3 voxels = 2 x 3 x 3 mm
        for k in 2..5 {
            for j in 2..8 {
                for i in 2..6 {
                    bits[g.index(i, j, k)] = 4;
                }
            }
        }
        // a single voxel, diagonal-only contact with box A: separate under 6-connectivity
        bits[g.index(6, 8, 5)] = 4;
        // sphere of radius 8 mm centred at (15, 15, 20) mm
        for k in 0..40 {
            for j in 0..60 {
                for i in 0..60 {
                    let (x, y, z) = (
                        i as f64 * 0.5 - 15.0,
                        j as f64 * 0.5 - 15.0,
                        k as f64 - 20.0,
                    );
                    if x * x + y * y + z * z <= 64.0 {
                        bits[g.index(i, j, k)] = 4 | 1;
                    }
                }
            }
        }
        let c = components(&bits, 4, &g);
        assert_eq!(c.len(), 3);
        let sphere = &c[0];
        let want_ml = 4.0 / 3.0 * std::f64::consts::PI * 512.0 / 1000.0;
        assert!(
            (sphere.volume_ml - want_ml).abs() / want_ml < 0.03,
            "{}",
            sphere.volume_ml
        );
        // within one voxel (1 mm along k) of the analytic 16 mm: it spans 17 voxels in k
        assert!(
            (sphere.diameter_mm - 16.0).abs() <= 1.0 + 1e-9,
            "{}",
            sphere.diameter_mm
        );
        let boxa = &c[1];
        assert_eq!(boxa.voxels, 72);
        // space diagonal of a 2 x 3 x 3 mm box
        let diag = (4.0f64 + 9.0 + 9.0).sqrt();
        assert!(
            (boxa.diameter_mm - diag).abs() < 0.35,
            "{}",
            boxa.diameter_mm
        );
        assert_eq!(c[2].voxels, 1);
        assert!((c[2].diameter_mm - 1.0).abs() < 1e-9);
    }
}
