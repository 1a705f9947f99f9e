//! A ruler: a straight distance on one slice of a plane. Its end points are kept in
//! continuous voxel coordinates (voxel centres at integers, as the tools use them);
//! its length comes from the scan's full affine (voxel -> RAS+ mm), so oblique and
//! sheared grids measure right and no spacing is guessed.

use crate::render::{Plane, PlaneAxes};
use crate::volume::Geometry;
use serde::{Deserialize, Serialize};

/// A distance placed on a plane: end points `a` and `b` in voxel coordinates
/// (i, j, k; continuous), both on the same slice of `plane`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ruler {
    pub plane: Plane,
    pub a: [f64; 3],
    pub b: [f64; 3],
}

/// Why a ruler does not fit the open scan (a case's rulers are checked when its
/// scan has loaded).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RulerError {
    #[error("an end point is not a finite number")]
    NotFinite,
    #[error(
        "an end point ({:.1}, {:.1}, {:.1}) lies outside the scan's {} x {} x {} voxel grid",
        .point[0], .point[1], .point[2], .dims[0], .dims[1], .dims[2]
    )]
    Outside { point: [f64; 3], dims: [usize; 3] },
    #[error("its end points are not on one {plane} slice ({first:.2} and {second:.2})")]
    NotOnOneSlice {
        plane: &'static str,
        first: f64,
        second: f64,
    },
}

/// Patient position (RAS+ mm) of a continuous voxel index through a row-major 4x4
/// affine.
fn apply(affine: &[[f64; 4]; 4], p: [f64; 3]) -> [f64; 3] {
    let mut w = [0.0; 3];
    for (r, wr) in w.iter_mut().enumerate() {
        *wr = affine[r][0] * p[0] + affine[r][1] * p[1] + affine[r][2] * p[2] + affine[r][3];
    }
    w
}

impl Ruler {
    /// Length in mm: both end points through the affine (voxel -> patient mm), then
    /// the Euclidean distance.
    pub fn length_mm(&self, affine: &[[f64; 4]; 4]) -> f64 {
        let (wa, wb) = (apply(affine, self.a), apply(affine, self.b));
        (0..3).map(|k| (wa[k] - wb[k]).powi(2)).sum::<f64>().sqrt()
    }

    /// "43.2 mm", as the planes, the Tools tab and the PDF print it.
    pub fn label(&self, affine: &[[f64; 4]; 4]) -> String {
        format!("{:.1} mm", self.length_mm(affine))
    }

    /// The voxel axis through the slices of the ruler's plane on this grid.
    pub fn normal_axis(&self, g: &Geometry) -> usize {
        PlaneAxes::new(g, self.plane).normal
    }

    /// The slice (0-based) of its plane the ruler lies on.
    pub fn slice(&self, g: &Geometry) -> usize {
        let n = self.normal_axis(g);
        self.a[n].round().max(0.0) as usize
    }

    /// True when the ruler lies on `slice` of `plane` (within half a slice).
    pub fn is_on(&self, g: &Geometry, plane: Plane, slice: usize) -> bool {
        plane == self.plane && (self.a[self.normal_axis(g)] - slice as f64).abs() < 0.5
    }

    /// The ruler fits the scan: finite end points inside the grid (voxel centres
    /// 0..n-1, half a voxel of margin), both on one slice of its plane.
    pub fn check(&self, g: &Geometry) -> Result<(), RulerError> {
        if self.a.iter().chain(&self.b).any(|v| !v.is_finite()) {
            return Err(RulerError::NotFinite);
        }
        for p in [self.a, self.b] {
            if (0..3).any(|k| p[k] < -0.5 || p[k] > g.dims[k] as f64 - 0.5) {
                return Err(RulerError::Outside {
                    point: p,
                    dims: g.dims,
                });
            }
        }
        let n = self.normal_axis(g);
        if (self.a[n] - self.b[n]).abs() > 1e-6 {
            return Err(RulerError::NotOnOneSlice {
                plane: self.plane.name(),
                first: self.a[n],
                second: self.b[n],
            });
        }
        Ok(())
    }
}

/// Draws rulers into an RGB image (a key image of the report): a line with a tick
/// across each end, in yellow. `to_pixel` maps voxel coordinates to continuous
/// image pixel coordinates (x right, y down; pixel centres at +0.5). Returns, for
/// each ruler drawn, where its label goes (image fractions 0..1 from the top left,
/// beside the line's middle) and its text ("43.2 mm").
pub fn draw_rulers(
    rgb: &mut [u8],
    width: usize,
    height: usize,
    rulers: &[Ruler],
    affine: &[[f64; 4]; 4],
    to_pixel: impl Fn([f64; 3]) -> [f64; 2],
) -> Vec<([f64; 2], String)> {
    const COLOUR: [u8; 3] = [255, 215, 0];
    let mut labels = Vec::new();
    if width == 0 || height == 0 || rgb.len() < width * height * 3 {
        return labels;
    }
    // thickness in pixels: about 1/250 of the image, at least 1
    let half = (width.max(height) as f64 / 500.0).max(0.6);
    let mut plot = |x: f64, y: f64| {
        let r = half.ceil() as i64;
        for dy in -r..=r {
            for dx in -r..=r {
                let (px, py) = (x.floor() as i64 + dx, y.floor() as i64 + dy);
                let (cx, cy) = (px as f64 + 0.5 - x, py as f64 + 0.5 - y);
                if cx * cx + cy * cy > half * half + 0.25 {
                    continue;
                }
                if px >= 0 && py >= 0 && (px as usize) < width && (py as usize) < height {
                    let i = (py as usize * width + px as usize) * 3;
                    rgb[i..i + 3].copy_from_slice(&COLOUR);
                }
            }
        }
    };
    let mut segment = |p: [f64; 2], q: [f64; 2]| {
        let len = ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)).sqrt();
        let steps = (len * 2.0).ceil().max(1.0) as usize;
        for s in 0..=steps {
            let t = s as f64 / steps as f64;
            plot(p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t);
        }
    };
    for r in rulers {
        let (p, q) = (to_pixel(r.a), to_pixel(r.b));
        if !(p.iter().chain(&q).all(|v| v.is_finite())) {
            continue;
        }
        segment(p, q);
        let d = [q[0] - p[0], q[1] - p[1]];
        let len = (d[0] * d[0] + d[1] * d[1]).sqrt().max(1e-9);
        let tick = (width.max(height) as f64 / 60.0).max(3.0);
        let n = [-d[1] / len * tick, d[0] / len * tick];
        for e in [p, q] {
            segment([e[0] - n[0], e[1] - n[1]], [e[0] + n[0], e[1] + n[1]]);
        }
        // the label beside the middle, on the side of the normal that points up
        let side = if n[1] > 0.0 { -1.0 } else { 1.0 };
        let m = [
            (p[0] + q[0]) / 2.0 + side * n[0] * 1.5,
            (p[1] + q[1]) / 2.0 + side * n[1] * 1.5,
        ];
        labels.push((
            [
                (m[0] / width as f64).clamp(0.0, 1.0),
                (m[1] / height as f64).clamp(0.0, 1.0),
            ],
            r.label(affine),
        ));
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity_scaled(s: [f64; 3]) -> [[f64; 4]; 4] {
        let mut m = [[0.0; 4]; 4];
        for k in 0..3 {
            m[k][k] = s[k];
        }
        m[3][3] = 1.0;
        m
    }

    #[test]
    fn anisotropic_spacing_counts_each_axis_with_its_own_spacing() {
        // 0.7 x 0.7 x 5 mm: 30 voxels along i and 4 slices along k
        let affine = identity_scaled([0.7, 0.7, 5.0]);
        let r = Ruler {
            plane: Plane::Coronal,
            a: [10.0, 20.0, 3.0],
            b: [40.0, 20.0, 7.0],
        };
        // by hand: (30 * 0.7, 0, 4 * 5) = (21, 0, 20) mm
        let expected = (21.0f64 * 21.0 + 20.0 * 20.0).sqrt();
        assert!((r.length_mm(&affine) - expected).abs() < 1e-12);
        assert!((expected - 29.0).abs() < 0.01, "29.00 mm, not voxel counts");
        assert_eq!(r.label(&affine), "29.0 mm");
        // not the isotropic guess (30, 0, 4) voxels * 0.7 mm
        assert!((r.length_mm(&affine) - 0.7 * (900.0f64 + 16.0).sqrt()).abs() > 5.0);
    }

    #[test]
    fn oblique_sheared_affine_matches_the_affine_applied_by_hand() {
        // rotated 30 degrees about z, sheared (k moves along x), spacing 0.8/0.8/2.5,
        // translated: the kind of grid a tilted-gantry CT gives
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let affine = [
            [0.8 * c, -0.8 * s, 0.4, -120.0],
            [0.8 * s, 0.8 * c, 0.0, 35.0],
            [0.0, 0.0, 2.5, -60.0],
            [0.0, 0.0, 0.0, 1.0],
        ];
        let r = Ruler {
            plane: Plane::Axial,
            a: [12.5, 40.0, 9.0],
            b: [70.25, 3.5, 11.0],
        };
        // by hand: world points
        let wa = [
            0.8 * c * 12.5 - 0.8 * s * 40.0 + 0.4 * 9.0 - 120.0,
            0.8 * s * 12.5 + 0.8 * c * 40.0 + 35.0,
            2.5 * 9.0 - 60.0,
        ];
        let wb = [
            0.8 * c * 70.25 - 0.8 * s * 3.5 + 0.4 * 11.0 - 120.0,
            0.8 * s * 70.25 + 0.8 * c * 3.5 + 35.0,
            2.5 * 11.0 - 60.0,
        ];
        let expected =
            ((wa[0] - wb[0]).powi(2) + (wa[1] - wb[1]).powi(2) + (wa[2] - wb[2]).powi(2)).sqrt();
        assert!((r.length_mm(&affine) - expected).abs() < 1e-9);
        // the shear matters: spacing times voxel distance is not the answer
        let d: [f64; 3] = [57.75 * 0.8, 36.5 * 0.8, 2.0 * 2.5];
        let naive = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
        assert!((expected - naive).abs() > 0.1, "{expected} vs {naive}");
        // the geometry's own to_world agrees
        let g = Geometry {
            dims: [100, 100, 20],
            affine,
            source: crate::volume::geometry::AffineSource::Synthetic,
        };
        let (ga, gb) = (g.to_world(r.a), g.to_world(r.b));
        let gd = (0..3).map(|k| (ga[k] - gb[k]).powi(2)).sum::<f64>().sqrt();
        assert!((gd - expected).abs() < 1e-9);
    }

    #[test]
    fn check_refuses_points_outside_the_grid_or_off_the_slice() {
        let g = Geometry::axis_aligned([50, 40, 10], [1.0, 1.0, 3.0], [0.0; 3]);
        let ok = Ruler {
            plane: Plane::Axial,
            a: [1.0, 2.0, 4.0],
            b: [30.0, 20.0, 4.0],
        };
        assert_eq!(ok.check(&g), Ok(()));
        assert_eq!(ok.slice(&g), 4);
        assert!(ok.is_on(&g, Plane::Axial, 4));
        assert!(!ok.is_on(&g, Plane::Axial, 5));
        assert!(!ok.is_on(&g, Plane::Coronal, 4));
        let out = Ruler {
            b: [30.0, 45.0, 4.0],
            ..ok
        };
        let e = out.check(&g).unwrap_err();
        assert!(
            e.to_string().contains("outside the scan's 50 x 40 x 10"),
            "{e}"
        );
        let tilted = Ruler {
            b: [30.0, 20.0, 5.0],
            ..ok
        };
        assert!(matches!(
            tilted.check(&g),
            Err(RulerError::NotOnOneSlice { .. })
        ));
        let nan = Ruler {
            a: [f64::NAN, 0.0, 4.0],
            ..ok
        };
        assert_eq!(nan.check(&g), Err(RulerError::NotFinite));
    }

    #[test]
    fn draw_rulers_marks_the_line_and_returns_its_label() {
        let (w, h) = (64, 48);
        let mut rgb = vec![0u8; w * h * 3];
        let r = Ruler {
            plane: Plane::Axial,
            a: [10.0, 24.0, 0.0],
            b: [50.0, 24.0, 0.0],
        };
        let affine = identity_scaled([0.5, 0.5, 1.0]);
        let labels = draw_rulers(&mut rgb, w, h, &[r], &affine, |c| [c[0] + 0.5, c[1] + 0.5]);
        assert_eq!(labels.len(), 1);
        assert_eq!(labels[0].1, "20.0 mm");
        let yellow =
            |x: usize, y: usize| rgb[(y * w + x) * 3..(y * w + x) * 3 + 3] == [255, 215, 0];
        for x in 10..=50 {
            assert!(yellow(x, 24), "pixel ({x}, 24) on the line");
        }
        assert!(yellow(10, 21) && yellow(50, 27), "end ticks");
        assert!(!yellow(30, 10) && !yellow(5, 24) && !yellow(55, 24));
    }
}
