//! Virtual resection by a plane: every liver voxel on the chosen side of a cutting
//! plane (given in patient coordinates, mm) joins the resection layer. Tracing and
//! the plane combine: the cut is added to whatever resection is already traced.

use super::layer::Layer;
use crate::volume::Geometry;
use serde::{Deserialize, Serialize};

/// A cutting plane in RAS+ mm, and which side is removed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CutPlane {
    pub point: [f64; 3],
    /// Need not be unit length; must not be zero.
    pub normal: [f64; 3],
    /// Remove the side the normal points to (true) or the other side (false).
    pub remove_positive: bool,
}

impl CutPlane {
    /// The plane through three points; the normal is (b - a) x (c - a).
    pub fn through(
        a: [f64; 3],
        b: [f64; 3],
        c: [f64; 3],
        remove_positive: bool,
    ) -> Option<CutPlane> {
        let u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
        let v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
        let n = [
            u[1] * v[2] - u[2] * v[1],
            u[2] * v[0] - u[0] * v[2],
            u[0] * v[1] - u[1] * v[0],
        ];
        let len = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
        (len > 1e-9).then_some(CutPlane {
            point: a,
            normal: n,
            remove_positive,
        })
    }

    /// The plane containing a line drawn on a view (two points) and the view's normal:
    /// "a line on one view swept through the volume".
    pub fn swept_line(
        a: [f64; 3],
        b: [f64; 3],
        view_normal: [f64; 3],
        remove_positive: bool,
    ) -> Option<CutPlane> {
        let c = [
            a[0] + view_normal[0],
            a[1] + view_normal[1],
            a[2] + view_normal[2],
        ];
        CutPlane::through(a, b, c, remove_positive)
    }

    pub fn is_valid(&self) -> bool {
        let n = self.normal;
        let all_finite = self.point.iter().chain(n.iter()).all(|v| v.is_finite());
        all_finite && (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) > 1e-18
    }

    /// Signed distance-like value: > 0 on the normal's side.
    fn side(&self, w: [f64; 3]) -> f64 {
        (0..3)
            .map(|a| (w[a] - self.point[a]) * self.normal[a])
            .sum()
    }
}

/// The voxels (linear indices) the cut adds to the resection: liver voxels on the
/// removed side that are not already resected. The caller applies them (undoably).
pub fn cut_voxels(bits: &[u8], g: &Geometry, plane: &CutPlane) -> Vec<usize> {
    if !plane.is_valid() || bits.len() != g.voxel_count() {
        return Vec::new();
    }
    let [nx, ny, nz] = g.dims;
    let liver = Layer::Liver.bit() | Layer::Tumour.bit();
    let r = Layer::Resection.bit();
    let mut out = Vec::new();
    // side(i, j, k) is affine in the index: start + i*di + j*dj + k*dk
    let a = &g.affine;
    let n = plane.normal;
    let d: Vec<f64> = (0..3)
        .map(|c| (0..3).map(|row| a[row][c] * n[row]).sum())
        .collect();
    let s0 = plane.side(g.origin());
    for k in 0..nz {
        for j in 0..ny {
            let base = s0 + d[1] * j as f64 + d[2] * k as f64;
            let row = nx * (j + ny * k);
            for i in 0..nx {
                let b = bits[row + i];
                if b & liver == 0 || b & r != 0 {
                    continue;
                }
                let s = base + d[0] * i as f64;
                if (s > 0.0) == plane.remove_positive && s != 0.0 {
                    out.push(row + i);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volumetry::Counts;

    #[test]
    fn plane_through_a_sphere_leaves_the_analytic_cap() {
        // sphere of radius 40 mm on a 0.8 x 0.8 x 1.0 mm grid; cut 15 mm from the centre
        let g = Geometry::axis_aligned([110, 110, 90], [0.8, 0.8, 1.0], [-44.0, -44.0, -45.0]);
        let mut bits = vec![0u8; g.voxel_count()];
        let r = 40.0;
        for k in 0..90 {
            for j in 0..110 {
                for i in 0..110 {
                    let w = g.to_world([i as f64, j as f64, k as f64]);
                    if w[0] * w[0] + w[1] * w[1] + w[2] * w[2] <= r * r {
                        bits[g.index(i, j, k)] = Layer::Liver.bit();
                    }
                }
            }
        }
        // oblique plane: normal (1, 1, 1), 15 mm from the centre; remove the big side
        let n = [1.0, 1.0, 1.0];
        let u = 1.0 / 3f64.sqrt();
        let p = [15.0 * u, 15.0 * u, 15.0 * u];
        let plane = CutPlane {
            point: p,
            normal: n,
            remove_positive: false,
        };
        for idx in cut_voxels(&bits, &g, &plane) {
            bits[idx] |= Layer::Resection.bit();
        }
        let c = Counts::from_bits(&bits);
        let vox = g.voxel_volume_mm3();
        // remnant = spherical cap of height h = r - 15: pi h^2 (3r - h) / 3
        let h = r - 15.0;
        let cap = std::f64::consts::PI * h * h * (3.0 * r - h) / 3.0;
        let got = c.remnant as f64 * vox;
        assert!(
            (got - cap).abs() / cap < 0.01,
            "remnant {got:.0} mm^3 vs analytic {cap:.0}"
        );
        assert_eq!(c.remnant + c.resected, c.total);
    }

    #[test]
    fn swept_line_and_degenerate_planes() {
        let p =
            CutPlane::swept_line([0.0, 0.0, 0.0], [10.0, 0.0, 0.0], [0.0, 0.0, 1.0], true).unwrap();
        // line along x on an axial view -> plane y = 0, normal along -y or +y
        assert!(p.normal[0].abs() < 1e-12 && p.normal[2].abs() < 1e-12 && p.normal[1].abs() > 0.0);
        assert!(CutPlane::through([0.0; 3], [1.0, 0.0, 0.0], [2.0, 0.0, 0.0], true).is_none());
        let bad = CutPlane {
            point: [f64::NAN, 0.0, 0.0],
            normal: [1.0, 0.0, 0.0],
            remove_positive: true,
        };
        let g = Geometry::axis_aligned([2, 2, 2], [1.0; 3], [0.0; 3]);
        assert!(cut_voxels(&[1u8; 8], &g, &bad).is_empty());
    }
}
