//! A small CPU renderer for the 3-D snapshot (PDF report, headless CLI, benches):
//! perspective z-buffer rasterisation with a headlight, Gouraud shading and one
//! translucent pass. No GPU, no window.

use super::Mesh;
use super::camera::{Camera, Viewport};

/// One surface to draw.
pub struct Paint<'a> {
    pub mesh: &'a Mesh,
    pub color: [u8; 3],
    /// 1 = opaque; below 1 the surface is blended over what is behind it.
    pub alpha: f32,
}

/// An RGB image, rows top first.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub rgb: Vec<u8>,
}

/// Render the surfaces seen by `cam` into a `width` x `height` image.
pub fn render(
    layers: &[Paint],
    cam: &Camera,
    width: usize,
    height: usize,
    background: [u8; 3],
) -> Image {
    let (w, h) = (width.max(1), height.max(1));
    let vp = Viewport {
        width: w as f64,
        height: h as f64,
    };
    let mut canvas = Canvas {
        w,
        h,
        rgb: background
            .iter()
            .cycle()
            .take(w * h * 3)
            .map(|&c| c as f32)
            .collect(),
        depth: vec![f32::INFINITY; w * h],
    };
    let (near, _) = cam.clip();
    // opaque first, then translucent surfaces (front faces only) over them
    let mut order: Vec<&Paint> = layers.iter().collect();
    order.sort_by_key(|p| p.alpha < 1.0);
    for p in order {
        let proj = project(p.mesh, cam, &vp);
        let shade = Shade {
            color: p.color.map(|c| c as f32),
            alpha: p.alpha,
            translucent: p.alpha < 1.0,
        };
        for tri in &p.mesh.triangles {
            let [a, b, c] = tri.map(|i| proj[i as usize]);
            if a[2] < near as f32 || b[2] < near as f32 || c[2] < near as f32 {
                continue;
            }
            canvas.triangle([a, b, c], &shade);
        }
    }
    Image {
        width: w,
        height: h,
        rgb: canvas
            .rgb
            .iter()
            .map(|&v| v.round().clamp(0.0, 255.0) as u8)
            .collect(),
    }
}

/// Per vertex of `mesh`: screen x, y, view depth and headlight brightness.
fn project(mesh: &Mesh, cam: &Camera, vp: &Viewport) -> Vec<[f32; 4]> {
    let t = (0.5 * cam.fov_y).tan();
    let normals = mesh.vertex_normals();
    mesh.positions
        .iter()
        .zip(&normals)
        .map(|(v, n)| {
            let c = cam.to_camera([v[0] as f64, v[1] as f64, v[2] as f64]);
            let z = -c[2];
            let sx = (c[0] / (z * t * vp.aspect()) + 1.0) * 0.5 * vp.width;
            let sy = (1.0 - c[1] / (z * t)) * 0.5 * vp.height;
            // headlight: lit by the viewing direction, both faces
            let nd =
                (n[0] as f64 * cam.back[0] + n[1] as f64 * cam.back[1] + n[2] as f64 * cam.back[2])
                    .abs();
            let light = 0.3 + 0.7 * nd;
            [sx as f32, sy as f32, z as f32, light as f32]
        })
        .collect()
}

/// How one surface's triangles are painted.
struct Shade {
    color: [f32; 3],
    alpha: f32,
    /// Blended over what is behind, front faces only, without writing depth.
    translucent: bool,
}

/// The image being drawn: RGB as floats and the depth of the nearest opaque surface.
struct Canvas {
    w: usize,
    h: usize,
    rgb: Vec<f32>,
    depth: Vec<f32>,
}

impl Canvas {
    /// Rasterise one projected triangle (vertices as `project` gives them).
    fn triangle(&mut self, [a, b, c]: [[f32; 4]; 3], shade: &Shade) {
        let (w, h) = (self.w, self.h);
        // signed area in screen space (y down): > 0 for triangles facing away
        let area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
        if area == 0.0 || (shade.translucent && area > 0.0) {
            return;
        }
        let x0 = a[0].min(b[0]).min(c[0]).floor().max(0.0) as usize;
        let x1 = (a[0].max(b[0]).max(c[0]).ceil() as isize).min(w as isize - 1);
        let y0 = a[1].min(b[1]).min(c[1]).floor().max(0.0) as usize;
        let y1 = (a[1].max(b[1]).max(c[1]).ceil() as isize).min(h as isize - 1);
        if x1 < 0 || y1 < 0 {
            return;
        }
        let inv = 1.0 / area;
        let col = shade.color;
        for y in y0..=y1 as usize {
            let py = y as f32 + 0.5;
            for x in x0..=x1 as usize {
                let px = x as f32 + 0.5;
                let w0 = ((b[0] - px) * (c[1] - py) - (b[1] - py) * (c[0] - px)) * inv;
                let w1 = ((c[0] - px) * (a[1] - py) - (c[1] - py) * (a[0] - px)) * inv;
                let w2 = 1.0 - w0 - w1;
                if w0 < 0.0 || w1 < 0.0 || w2 < 0.0 {
                    continue;
                }
                let z = w0 * a[2] + w1 * b[2] + w2 * c[2];
                let i = y * w + x;
                if z >= self.depth[i] {
                    continue;
                }
                let l = w0 * a[3] + w1 * b[3] + w2 * c[3];
                let px_rgb = &mut self.rgb[i * 3..i * 3 + 3];
                if shade.translucent {
                    for k in 0..3 {
                        px_rgb[k] = px_rgb[k] * (1.0 - shade.alpha) + col[k] * l * shade.alpha;
                    }
                } else {
                    self.depth[i] = z;
                    for k in 0..3 {
                        px_rgb[k] = col[k] * l;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh::camera::StandardView;

    fn cube(c: [f32; 3], s: f32) -> Mesh {
        let mut positions = Vec::new();
        for k in 0..8 {
            positions.push([
                c[0] + if k & 1 != 0 { s } else { -s },
                c[1] + if k & 2 != 0 { s } else { -s },
                c[2] + if k & 4 != 0 { s } else { -s },
            ]);
        }
        // outward CCW faces
        let q = [
            [0, 2, 3, 1],
            [4, 5, 7, 6],
            [0, 1, 5, 4],
            [2, 6, 7, 3],
            [0, 4, 6, 2],
            [1, 3, 7, 5],
        ];
        let mut triangles = Vec::new();
        for f in q {
            triangles.push([f[0], f[1], f[2]]);
            triangles.push([f[0], f[2], f[3]]);
        }
        Mesh {
            positions,
            triangles,
        }
    }

    #[test]
    fn the_nearer_surface_hides_the_farther_one_and_translucency_blends() {
        let near = cube([0.0, 20.0, 0.0], 10.0); // anterior: nearer the eye in the A view
        let far = cube([0.0, -20.0, 0.0], 20.0);
        assert!(near.edge_report().watertight() && near.enclosed_volume_mm3() > 0.0);
        let mut cam = Camera::fit([-40.0; 3], [40.0; 3]);
        cam.set_view(StandardView::Anterior);
        let layers = [
            Paint {
                mesh: &far,
                color: [0, 0, 255],
                alpha: 1.0,
            },
            Paint {
                mesh: &near,
                color: [255, 0, 0],
                alpha: 1.0,
            },
        ];
        let img = render(&layers, &cam, 200, 200, [255, 255, 255]);
        let px = |x: usize, y: usize| &img.rgb[(y * 200 + x) * 3..(y * 200 + x) * 3 + 3];
        let centre = px(100, 100);
        assert!(
            centre[0] > 150 && centre[2] == 0,
            "red cube in front: {centre:?}"
        );
        assert_eq!(px(2, 2), [255, 255, 255]);
        // the blue cube shows around the small red one
        let side = cam
            .project(
                [15.0, -20.0, 15.0],
                Viewport {
                    width: 200.0,
                    height: 200.0,
                },
            )
            .unwrap();
        let s = px(side[0] as usize, side[1] as usize);
        assert!(s[2] > 150 && s[0] == 0, "{s:?}");
        // a translucent red cube tints the blue one behind it
        let layers = [
            Paint {
                mesh: &far,
                color: [0, 0, 255],
                alpha: 1.0,
            },
            Paint {
                mesh: &near,
                color: [255, 0, 0],
                alpha: 0.4,
            },
        ];
        let img = render(&layers, &cam, 200, 200, [255, 255, 255]);
        let c = &img.rgb[(100 * 200 + 100) * 3..(100 * 200 + 100) * 3 + 3];
        assert!(c[0] > 50 && c[2] > 50, "blend of red over blue: {c:?}");
    }
}
