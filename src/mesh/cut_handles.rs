//! Moving and tilting the cutting plane in the 3-D view, UI-free: the plane drawn as
//! a square with three handles (the centre moves it along its normal; a handle on
//! each of two edges tilts it about the other in-plane axis, following the mouse),
//! and the resection and FLR the plane would give, for the live preview.

use super::camera::{Camera, Viewport};
use super::{cross, dot, norm, sub};
use crate::segmentation::Layer;
use crate::segmentation::plane_cut::{CutPlane, cut_voxels};
use crate::volume::Geometry;
use crate::volumetry::Counts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handle {
    /// Move the plane along its normal.
    Move,
    /// Tilt about the `w` axis (the handle sits at centre + half u).
    TiltU,
    /// Tilt about the `u` axis (the handle sits at centre + half w).
    TiltW,
}

/// The square drawn for a plane: its centre (the point of the plane nearest `about`),
/// in-plane unit axes u, w with u x w = the unit normal n, and its half size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaneFrame {
    pub centre: [f64; 3],
    pub u: [f64; 3],
    pub w: [f64; 3],
    pub n: [f64; 3],
    pub half: f64,
}

fn scale(a: [f64; 3], s: f64) -> [f64; 3] {
    a.map(|x| x * s)
}
fn add(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}
fn unit(a: [f64; 3]) -> Option<[f64; 3]> {
    let l = norm(a);
    (l > 1e-12).then(|| scale(a, 1.0 / l))
}

impl PlaneFrame {
    pub fn new(plane: &CutPlane, about: [f64; 3], half: f64) -> Option<PlaneFrame> {
        let n = unit(plane.normal)?;
        let d = dot(sub(about, plane.point), n);
        let centre = sub(about, scale(n, d));
        let helper = if n[2].abs() < 0.9 {
            [0.0, 0.0, 1.0]
        } else {
            [1.0, 0.0, 0.0]
        };
        let w = unit(cross(n, helper))?;
        let u = cross(w, n); // u x w = n
        Some(PlaneFrame {
            centre,
            u,
            w,
            n,
            half,
        })
    }

    pub fn handle(&self, h: Handle) -> [f64; 3] {
        match h {
            Handle::Move => self.centre,
            Handle::TiltU => add(self.centre, scale(self.u, self.half)),
            Handle::TiltW => add(self.centre, scale(self.w, self.half)),
        }
    }

    /// The square's corners.
    pub fn corners(&self) -> [[f64; 3]; 4] {
        [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map(|(a, b)| {
            add(
                self.centre,
                add(scale(self.u, a * self.half), scale(self.w, b * self.half)),
            )
        })
    }
}

/// The plane after dragging `handle` from screen point `from` to `to` (pixels).
pub fn drag(
    plane: &CutPlane,
    frame: &PlaneFrame,
    handle: Handle,
    cam: &Camera,
    vp: Viewport,
    from: [f64; 2],
    to: [f64; 2],
) -> CutPlane {
    let mut out = *plane;
    match handle {
        Handle::Move => {
            // pixels per mm along the normal, on screen
            let (Some(a), Some(b)) = (
                cam.project(frame.centre, vp),
                cam.project(add(frame.centre, frame.n), vp),
            ) else {
                return out;
            };
            let ns = [b[0] - a[0], b[1] - a[1]];
            let l2 = ns[0] * ns[0] + ns[1] * ns[1];
            if l2 < 1e-6 {
                return out; // the normal points at the viewer: turn the view first
            }
            let t = ((to[0] - from[0]) * ns[0] + (to[1] - from[1]) * ns[1]) / l2;
            out.point = add(frame.centre, scale(frame.n, t));
        }
        Handle::TiltU | Handle::TiltW => {
            // the handle follows the mouse on the plane it can turn in
            let axis = if handle == Handle::TiltU {
                frame.w
            } else {
                frame.u
            };
            let ray = cam.ray(to, vp);
            let den = dot(ray.dir, axis);
            if den.abs() < 1e-9 {
                return out;
            }
            let t = dot(sub(frame.centre, ray.origin), axis) / den;
            if t <= 0.0 {
                return out;
            }
            let q = sub(ray.at(t), frame.centre);
            let Some(v) = unit(sub(q, scale(axis, dot(q, axis)))) else {
                return out;
            };
            out.normal = if handle == Handle::TiltU {
                cross(v, frame.w)
            } else {
                cross(frame.u, v)
            };
            out.point = frame.centre;
        }
    }
    out
}

/// What a cutting plane would do: the voxels it adds to the resection and the counts
/// (so the FLR) after it, from the current layer bits.
pub fn preview(bits: &[u8], g: &Geometry, plane: &CutPlane) -> (Vec<usize>, Counts) {
    let idx = cut_voxels(bits, g, plane);
    // the layer-bit histogram as if the cut were applied: every compartment, tumours
    // left outside the resection included, comes out as after accepting it
    let mut hist = [0u64; crate::volumetry::volumes::HIST_BINS];
    for &b in bits {
        hist[(b & 15) as usize] += 1;
    }
    let r = Layer::Resection.bit();
    for &i in &idx {
        let b = bits[i] & 15;
        hist[b as usize] -= 1;
        hist[(b | r) as usize] += 1;
    }
    (idx, Counts::from_histogram(&hist))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh::camera::StandardView;

    const VP: Viewport = Viewport {
        width: 800.0,
        height: 600.0,
    };

    fn setup() -> (Camera, CutPlane, PlaneFrame) {
        let mut cam = Camera::fit([-100.0; 3], [100.0; 3]);
        cam.set_view(StandardView::Anterior);
        cam.orbit(30.0, -20.0);
        let plane = CutPlane {
            point: [10.0, 0.0, 0.0],
            normal: [1.0, 0.2, 0.0],
            remove_positive: true,
        };
        let f = PlaneFrame::new(&plane, cam.target, 60.0).unwrap();
        (cam, plane, f)
    }

    #[test]
    fn the_move_handle_follows_the_mouse_along_the_normal() {
        let (cam, plane, f) = setup();
        let from = cam.project(f.centre, VP).unwrap();
        let ns = cam.project(add(f.centre, f.n), VP).unwrap();
        // drag 40 px along the normal's screen direction
        let d = [ns[0] - from[0], ns[1] - from[1]];
        let l = (d[0] * d[0] + d[1] * d[1]).sqrt();
        let to = [from[0] + 40.0 * d[0] / l, from[1] + 40.0 * d[1] / l];
        let p = drag(&plane, &f, Handle::Move, &cam, VP, from, to);
        assert_eq!(p.normal, plane.normal);
        let moved = dot(sub(p.point, f.centre), f.n);
        assert!(moved > 0.0);
        let s = cam.project(p.point, VP).unwrap();
        // perspective: within a pixel of where the mouse went
        assert!(
            (s[0] - to[0]).abs() < 1.5 && (s[1] - to[1]).abs() < 1.5,
            "{s:?} vs {to:?}"
        );
    }

    #[test]
    fn a_tilt_handle_follows_the_mouse_and_keeps_its_axis() {
        let (cam, plane, f) = setup();
        for h in [Handle::TiltU, Handle::TiltW] {
            let from = cam.project(f.handle(h), VP).unwrap();
            let to = [from[0] + 25.0, from[1] - 30.0];
            let p = drag(&plane, &f, h, &cam, VP, from, to);
            let n = unit(p.normal).unwrap();
            let axis = if h == Handle::TiltU { f.w } else { f.u };
            assert!(
                dot(n, axis).abs() < 1e-9,
                "the tilt axis stays in the plane"
            );
            assert!(dot(n, f.n) < 0.9999, "the plane turned");
            // the handle of the new plane (same centre, same in-plane axis) is under the mouse
            let g = PlaneFrame::new(&p, f.centre, f.half).unwrap();
            let hp = match h {
                Handle::TiltU => add(g.centre, scale(unit(cross(f.w, n)).unwrap(), f.half)),
                _ => add(g.centre, scale(unit(cross(n, f.u)).unwrap(), f.half)),
            };
            let s = cam.project(hp, VP).unwrap();
            let ray = cam.ray(to, VP);
            let _ = ray;
            let dir = [
                s[0] - cam.project(g.centre, VP).unwrap()[0],
                s[1] - cam.project(g.centre, VP).unwrap()[1],
            ];
            let want = [
                to[0] - cam.project(g.centre, VP).unwrap()[0],
                to[1] - cam.project(g.centre, VP).unwrap()[1],
            ];
            let cosang = (dir[0] * want[0] + dir[1] * want[1])
                / ((dir[0].hypot(dir[1])) * (want[0].hypot(want[1])));
            assert!(
                cosang > 0.999,
                "{h:?}: handle towards the mouse, cos {cosang}"
            );
        }
    }

    #[test]
    fn the_preview_counts_match_the_cut_applied() {
        let (_ct, mut map) = crate::phantom::make();
        let g = map.geometry.clone();
        for b in &mut map.bits {
            *b &= !Layer::Resection.bit();
        }
        let centre = g.to_world([50.0, 40.0, 20.0]);
        let plane = CutPlane {
            point: centre,
            normal: [1.0, 0.3, 0.1],
            remove_positive: true,
        };
        let (idx, c) = preview(&map.bits, &g, &plane);
        assert!(!idx.is_empty());
        for i in idx {
            map.bits[i] |= Layer::Resection.bit();
        }
        assert_eq!(c, Counts::from_bits(&map.bits));
    }
}
