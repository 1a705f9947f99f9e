//! The 3-D view's camera and picking, UI-free: orbit (trackball), zoom, pan, the six
//! standard views, projection of patient points to the screen, the ray through a
//! screen point and the first triangle it hits. Patient coordinates are mm, RAS+.
//! Screen coordinates are pixels from the viewport's top-left corner, y down.

use super::{Mesh, cross, dot, norm, sub};

/// Where the camera looks from (the eye is on the patient's ... side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandardView {
    Anterior,
    Posterior,
    Left,
    Right,
    Superior,
    Inferior,
}

impl StandardView {
    pub const ALL: [StandardView; 6] = [
        StandardView::Anterior,
        StandardView::Posterior,
        StandardView::Left,
        StandardView::Right,
        StandardView::Superior,
        StandardView::Inferior,
    ];

    pub fn letter(self) -> &'static str {
        match self {
            StandardView::Anterior => "A",
            StandardView::Posterior => "P",
            StandardView::Left => "L",
            StandardView::Right => "R",
            StandardView::Superior => "S",
            StandardView::Inferior => "I",
        }
    }

    /// (direction from the target to the eye, screen-up direction), RAS+.
    fn frame(self) -> ([f64; 3], [f64; 3]) {
        let s = [0.0, 0.0, 1.0];
        let a = [0.0, 1.0, 0.0];
        match self {
            StandardView::Anterior => (a, s),
            StandardView::Posterior => ([0.0, -1.0, 0.0], s),
            StandardView::Left => ([-1.0, 0.0, 0.0], s),
            StandardView::Right => ([1.0, 0.0, 0.0], s),
            StandardView::Superior => (s, a),
            // from the feet with anterior up: the radiological axial convention
            StandardView::Inferior => ([0.0, 0.0, -1.0], a),
        }
    }
}

/// The letters of the patient directions, with their RAS+ unit vectors.
pub const DIRECTIONS: [(&str, [f64; 3]); 6] = [
    ("R", [1.0, 0.0, 0.0]),
    ("L", [-1.0, 0.0, 0.0]),
    ("A", [0.0, 1.0, 0.0]),
    ("P", [0.0, -1.0, 0.0]),
    ("S", [0.0, 0.0, 1.0]),
    ("I", [0.0, 0.0, -1.0]),
];

/// A viewport size in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub width: f64,
    pub height: f64,
}

impl Viewport {
    pub fn aspect(&self) -> f64 {
        (self.width / self.height.max(1.0)).max(1e-6)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ray {
    pub origin: [f64; 3],
    /// Unit direction.
    pub dir: [f64; 3],
}

impl Ray {
    pub fn at(&self, t: f64) -> [f64; 3] {
        [
            self.origin[0] + t * self.dir[0],
            self.origin[1] + t * self.dir[1],
            self.origin[2] + t * self.dir[2],
        ]
    }
}

/// An orbiting perspective camera.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// The point orbited about and looked at (mm).
    pub target: [f64; 3],
    /// Eye-to-target distance (mm).
    pub distance: f64,
    /// Screen right, screen up and "back" (target to eye) as orthonormal RAS+ vectors.
    pub right: [f64; 3],
    pub up: [f64; 3],
    pub back: [f64; 3],
    /// Vertical field of view (radians).
    pub fov_y: f64,
    /// Radius of the scene around the target (mm), for the clip planes.
    pub radius: f64,
}

impl Default for Camera {
    fn default() -> Self {
        let mut c = Camera {
            target: [0.0; 3],
            distance: 500.0,
            right: [1.0, 0.0, 0.0],
            up: [0.0, 0.0, 1.0],
            back: [0.0, -1.0, 0.0],
            fov_y: 30f64.to_radians(),
            radius: 150.0,
        };
        c.set_view(StandardView::Anterior);
        c
    }
}

fn scale(a: [f64; 3], s: f64) -> [f64; 3] {
    [a[0] * s, a[1] * s, a[2] * s]
}
fn add(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}
fn unit(a: [f64; 3]) -> [f64; 3] {
    let l = norm(a);
    if l > 0.0 { scale(a, 1.0 / l) } else { a }
}

/// The unit vector along a x b (zero when they are parallel).
pub fn unit_cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    unit(cross(a, b))
}

/// Rotate `v` about the unit axis `k` by `angle` (Rodrigues).
fn rotate(v: [f64; 3], k: [f64; 3], angle: f64) -> [f64; 3] {
    let (s, c) = angle.sin_cos();
    add(
        add(scale(v, c), scale(cross(k, v), s)),
        scale(k, dot(k, v) * (1.0 - c)),
    )
}

impl Camera {
    /// Look at a box (min, max corners in mm) from the anterior, the whole box in view.
    pub fn fit(lo: [f64; 3], hi: [f64; 3]) -> Camera {
        let mut c = Camera::default();
        c.frame_box(lo, hi);
        c
    }

    /// Centre on a box and back off until it fits, keeping the direction.
    pub fn frame_box(&mut self, lo: [f64; 3], hi: [f64; 3]) {
        self.target = scale(add(lo, hi), 0.5);
        self.radius = (0.5 * norm(sub(hi, lo))).max(1.0);
        self.distance = self.radius / (0.5 * self.fov_y).sin() * 1.05;
    }

    pub fn eye(&self) -> [f64; 3] {
        add(self.target, scale(self.back, self.distance))
    }

    pub fn set_view(&mut self, v: StandardView) {
        let (back, up) = v.frame();
        self.back = back;
        self.up = up;
        self.right = cross(up, back);
    }

    /// Trackball rotation by a mouse drag of (dx, dy) pixels: the scene turns the way
    /// the mouse moves (about the screen's up axis for dx, its right axis for dy).
    pub fn orbit(&mut self, dx: f64, dy: f64) {
        const RAD_PER_PX: f64 = 0.008;
        let (yaw, pitch) = (-dx * RAD_PER_PX, -dy * RAD_PER_PX);
        let up = self.up;
        self.right = rotate(self.right, up, yaw);
        self.back = rotate(self.back, up, yaw);
        let right = self.right;
        self.up = rotate(self.up, right, pitch);
        self.back = rotate(self.back, right, pitch);
        self.orthonormalize();
    }

    fn orthonormalize(&mut self) {
        self.back = unit(self.back);
        self.right = unit(cross(self.up, self.back));
        self.up = cross(self.back, self.right);
    }

    /// Zoom by a factor (> 1 moves closer).
    pub fn zoom(&mut self, factor: f64) {
        if factor.is_finite() && factor > 0.0 {
            self.distance = (self.distance / factor).clamp(1.0, 1.0e5);
        }
    }

    /// mm per pixel at the target's depth.
    pub fn mm_per_pixel(&self, vp: Viewport) -> f64 {
        2.0 * self.distance * (0.5 * self.fov_y).tan() / vp.height.max(1.0)
    }

    /// Move the view with the mouse by (dx, dy) pixels (the scene follows the mouse).
    pub fn pan(&mut self, dx: f64, dy: f64, vp: Viewport) {
        let s = self.mm_per_pixel(vp);
        self.target = add(
            self.target,
            add(scale(self.right, -dx * s), scale(self.up, dy * s)),
        );
    }

    /// Near and far clip distances.
    pub fn clip(&self) -> (f64, f64) {
        let far = self.distance + 2.0 * self.radius + 10.0;
        let near = (self.distance - 2.0 * self.radius).max(far * 1e-3);
        (near, far)
    }

    /// Point in camera space (x right, y up, z back: visible points have z < 0).
    pub fn to_camera(&self, p: [f64; 3]) -> [f64; 3] {
        let d = sub(p, self.eye());
        [dot(self.right, d), dot(self.up, d), dot(self.back, d)]
    }

    /// Screen position (pixels) of a patient point, None if it is behind the eye.
    pub fn project(&self, p: [f64; 3], vp: Viewport) -> Option<[f64; 2]> {
        let c = self.to_camera(p);
        if c[2] >= -1e-9 {
            return None;
        }
        let t = (0.5 * self.fov_y).tan();
        let nx = c[0] / (-c[2] * t * vp.aspect());
        let ny = c[1] / (-c[2] * t);
        Some([(nx + 1.0) * 0.5 * vp.width, (1.0 - ny) * 0.5 * vp.height])
    }

    /// The ray from the eye through a screen point.
    pub fn ray(&self, screen: [f64; 2], vp: Viewport) -> Ray {
        let t = (0.5 * self.fov_y).tan();
        let nx = 2.0 * screen[0] / vp.width.max(1.0) - 1.0;
        let ny = 1.0 - 2.0 * screen[1] / vp.height.max(1.0);
        let d = add(
            add(
                scale(self.right, nx * t * vp.aspect()),
                scale(self.up, ny * t),
            ),
            scale(self.back, -1.0),
        );
        Ray {
            origin: self.eye(),
            dir: unit(d),
        }
    }

    /// Screen direction (x right, y down; unit length or shorter when the axis points
    /// at the viewer) of a patient direction: for the orientation marker.
    pub fn screen_direction(&self, d: [f64; 3]) -> [f64; 2] {
        [dot(self.right, d), -dot(self.up, d)]
    }

    /// Column-major 4x4 view-projection matrix (OpenGL clip space) for `vp`'s aspect.
    pub fn view_projection(&self, vp: Viewport) -> [f32; 16] {
        let e = self.eye();
        // view: rows right, up, back; translation -R e
        let v = [
            [
                self.right[0],
                self.right[1],
                self.right[2],
                -dot(self.right, e),
            ],
            [self.up[0], self.up[1], self.up[2], -dot(self.up, e)],
            [self.back[0], self.back[1], self.back[2], -dot(self.back, e)],
            [0.0, 0.0, 0.0, 1.0],
        ];
        let (n, f) = self.clip();
        let t = 1.0 / (0.5 * self.fov_y).tan();
        let p = [
            [t / vp.aspect(), 0.0, 0.0, 0.0],
            [0.0, t, 0.0, 0.0],
            [0.0, 0.0, (f + n) / (n - f), 2.0 * f * n / (n - f)],
            [0.0, 0.0, -1.0, 0.0],
        ];
        let mut out = [0f32; 16];
        for r in 0..4 {
            for c in 0..4 {
                let x: f64 = (0..4).map(|k| p[r][k] * v[k][c]).sum();
                out[c * 4 + r] = x as f32;
            }
        }
        out
    }
}

/// Where a ray first meets a mesh.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Distance along the ray (mm).
    pub t: f64,
    pub point: [f64; 3],
    pub triangle: usize,
}

/// The nearest triangle the ray hits in front of its origin (either face;
/// Moeller-Trumbore), or None.
pub fn first_hit(ray: &Ray, mesh: &Mesh) -> Option<Hit> {
    let mut best: Option<Hit> = None;
    let p = |i: u32| {
        let a = mesh.positions[i as usize];
        [a[0] as f64, a[1] as f64, a[2] as f64]
    };
    for (ti, tri) in mesh.triangles.iter().enumerate() {
        let [a, b, c] = tri.map(p);
        let (e1, e2) = (sub(b, a), sub(c, a));
        let h = cross(ray.dir, e2);
        let det = dot(e1, h);
        if det.abs() < 1e-12 {
            continue;
        }
        let inv = 1.0 / det;
        let s = sub(ray.origin, a);
        let u = inv * dot(s, h);
        if !(0.0..=1.0).contains(&u) {
            continue;
        }
        let q = cross(s, e1);
        let v = inv * dot(ray.dir, q);
        if v < 0.0 || u + v > 1.0 {
            continue;
        }
        let t = inv * dot(e2, q);
        if t > 1e-9 && best.is_none_or(|b| t < b.t) {
            best = Some(Hit {
                t,
                point: ray.at(t),
                triangle: ti,
            });
        }
    }
    best
}

/// The nearest hit over several meshes: (mesh index, hit).
pub fn first_hit_any<'a>(
    ray: &Ray,
    meshes: impl IntoIterator<Item = &'a Mesh>,
) -> Option<(usize, Hit)> {
    meshes
        .into_iter()
        .enumerate()
        .filter_map(|(i, m)| first_hit(ray, m).map(|h| (i, h)))
        .min_by(|a, b| a.1.t.total_cmp(&b.1.t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh::{MeshLayer, MeshOptions, mesh_layer};
    use crate::task::Task;
    use crate::volume::Geometry;

    /// A ball of radius 15 mm about (10, -20, 30) on a 1 mm grid, meshed.
    fn sphere() -> (Mesh, [f64; 3], f64) {
        let (c, r) = ([10.0, -20.0, 30.0], 15.0);
        let g = Geometry::axis_aligned([40, 40, 40], [1.0; 3], [-10.0, -40.0, 10.0]);
        let mut bits = vec![0u8; g.voxel_count()];
        for k in 0..40 {
            for j in 0..40 {
                for i in 0..40 {
                    let w = g.to_world([i as f64, j as f64, k as f64]);
                    if norm(sub(w, c)) <= r {
                        bits[g.index(i, j, k)] = 1;
                    }
                }
            }
        }
        let m = mesh_layer(
            &bits,
            &g,
            MeshLayer::Liver,
            &MeshOptions::default(),
            Task::none(),
        )
        .unwrap();
        (m, c, r)
    }

    const VP: Viewport = Viewport {
        width: 800.0,
        height: 500.0,
    };

    #[test]
    fn a_click_at_the_spheres_projected_centre_hits_its_front_surface() {
        let (mesh, c, r) = sphere();
        let (lo, hi) = mesh.bounds().unwrap();
        let mut cam = Camera::fit(lo.map(|x| x as f64), hi.map(|x| x as f64));
        for view in StandardView::ALL {
            cam.set_view(view);
            // rotate off the axes too, and pan so the sphere is not at the screen centre
            for (dx, dy, pan) in [(0.0, 0.0, 0.0), (37.0, -52.0, 0.0), (-90.0, 15.0, 60.0)] {
                let mut k = cam;
                k.orbit(dx, dy);
                k.pan(pan, -0.5 * pan, VP);
                let s = k.project(c, VP).unwrap();
                if pan != 0.0 {
                    assert!((s[0] - 400.0).abs() > 10.0, "pan moved the sphere");
                }
                let hit = first_hit(&k.ray(s, VP), &mesh).unwrap();
                // the front surface point: the centre moved r towards the eye
                let front = add(c, scale(unit(sub(k.eye(), c)), r));
                let err = norm(sub(hit.point, front));
                assert!(
                    err < 1.0,
                    "{view:?} ({dx},{dy}): {:?} vs {front:?}",
                    hit.point
                );
            }
        }
    }

    #[test]
    fn standard_views_put_the_patient_where_radiology_does() {
        let mut cam = Camera::default();
        cam.set_view(StandardView::Anterior);
        // seen from the front, the patient's right is on the screen's left, superior up
        assert_eq!(cam.screen_direction([1.0, 0.0, 0.0]), [-1.0, 0.0]);
        assert_eq!(cam.screen_direction([0.0, 0.0, 1.0]), [0.0, -1.0]);
        cam.set_view(StandardView::Inferior);
        // from the feet with anterior up, as an axial CT slice
        assert_eq!(cam.screen_direction([1.0, 0.0, 0.0]), [-1.0, 0.0]);
        assert_eq!(cam.screen_direction([0.0, 1.0, 0.0]), [0.0, -1.0]);
        cam.set_view(StandardView::Superior);
        assert!(cam.eye()[2] > cam.target[2]);
        cam.set_view(StandardView::Left);
        assert!(cam.eye()[0] < cam.target[0]);
        // a point straight ahead projects to the screen centre, a point to the
        // screen-right of it to the right
        let s = cam.project(cam.target, VP).unwrap();
        assert!((s[0] - 400.0).abs() < 1e-9 && (s[1] - 250.0).abs() < 1e-9);
        let r = cam
            .project(add(cam.target, scale(cam.right, 10.0)), VP)
            .unwrap();
        assert!(r[0] > 400.0);
    }

    #[test]
    fn zoom_orbit_and_the_gl_matrix_agree_with_project() {
        let mut cam = Camera::fit([-50.0, -60.0, -70.0], [50.0, 40.0, 30.0]);
        let d0 = cam.distance;
        cam.zoom(2.0);
        assert!((cam.distance - d0 / 2.0).abs() < 1e-9);
        cam.orbit(123.0, -45.0);
        // still orthonormal and right-handed
        assert!((dot(cam.right, cam.up)).abs() < 1e-9);
        assert!((norm(sub(cross(cam.right, cam.up), cam.back))) < 1e-9);
        let m = cam.view_projection(VP);
        let p = [12.0, -7.0, 3.0];
        let clip: Vec<f64> = (0..4)
            .map(|r| (0..3).map(|c| m[c * 4 + r] as f64 * p[c]).sum::<f64>() + m[12 + r] as f64)
            .collect();
        let sx = (clip[0] / clip[3] + 1.0) * 0.5 * VP.width;
        let sy = (1.0 - clip[1] / clip[3]) * 0.5 * VP.height;
        let s = cam.project(p, VP).unwrap();
        assert!(
            (sx - s[0]).abs() < 0.05 && (sy - s[1]).abs() < 0.05,
            "{sx},{sy} vs {s:?}"
        );
        let z = clip[2] / clip[3];
        assert!(z > -1.0 && z < 1.0);
        // a ray through a projected point passes through it
        let ray = cam.ray(s, VP);
        let t = dot(sub(p, ray.origin), ray.dir);
        assert!(norm(sub(ray.at(t), p)) < 1e-6);
    }

    #[test]
    fn a_ray_that_misses_hits_nothing() {
        let (mesh, _, _) = sphere();
        let (lo, hi) = mesh.bounds().unwrap();
        let cam = Camera::fit(lo.map(|x| x as f64), hi.map(|x| x as f64));
        assert!(first_hit(&cam.ray([2.0, 2.0], VP), &mesh).is_none());
    }
}
