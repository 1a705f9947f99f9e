//! The 3-D snapshot of the traced liver for the PDF report: the layers' surfaces
//! rendered on the CPU (`mesh::raster`), so it works without a GPU and in the headless
//! `remnant report --pdf`. It joins the key images (`case::key_images`).

use super::KeyImage;
use crate::mesh::camera::{Camera, StandardView};
use crate::mesh::raster::{Paint, render};
use crate::mesh::scene::{SceneLayer, surface_style, update_scene};
use crate::mesh::{MeshLayer, MeshOptions};
use crate::segmentation::LabelMap;
use crate::task::Task;

pub const WIDTH: usize = 900;
pub const HEIGHT: usize = 700;

/// Render the scene from the front (anterior view), the whole liver in view.
pub fn render_scene(
    scene: &[SceneLayer],
    width: usize,
    height: usize,
) -> Option<crate::mesh::raster::Image> {
    let mut lo = [f64::MAX; 3];
    let mut hi = [f64::MIN; 3];
    for l in scene {
        let (a, b) = l.mesh.bounds()?;
        for k in 0..3 {
            lo[k] = lo[k].min(a[k] as f64);
            hi[k] = hi[k].max(b[k] as f64);
        }
    }
    if scene.is_empty() {
        return None;
    }
    let mut cam = Camera::fit(lo, hi);
    cam.set_view(StandardView::Anterior);
    let paints: Vec<Paint> = scene
        .iter()
        .map(|l| {
            let (color, alpha) = surface_style(l.layer);
            Paint {
                mesh: &l.mesh,
                color,
                alpha,
            }
        })
        .collect();
    Some(render(&paints, &cam, width, height, [255, 255, 255]))
}

/// The snapshot as a key image, or None when no liver is traced.
pub fn key_image(map: &LabelMap) -> Option<KeyImage> {
    let scene = update_scene(
        &[],
        &map.bits,
        &map.geometry,
        &MeshOptions::default(),
        None,
        Task::none(),
    )
    .ok()?;
    let img = render_scene(&scene, WIDTH, HEIGHT)?;
    let resected = scene.iter().any(|l| l.layer == MeshLayer::Resection);
    let caption = format!(
        "3-D view from the front (patient's right on the left, superior up): {}tumour red. \
         Surfaces are for orientation only; every volume is a voxel count.",
        if resected {
            "remnant green, resection orange (translucent), "
        } else {
            "liver green, "
        }
    );
    Some(KeyImage {
        caption,
        width: img.width as u32,
        height: img.height as u32,
        rgb: img.rgb,
        labels: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phantoms_snapshot_shows_its_layers_in_their_colours() {
        let (_ct, map) = crate::phantom::make();
        let k = key_image(&map).unwrap();
        assert_eq!((k.width, k.height), (WIDTH as u32, HEIGHT as u32));
        assert_eq!(k.rgb.len(), WIDTH * HEIGHT * 3);
        let px: Vec<&[u8]> = k.rgb.chunks(3).collect();
        // some green remnant, the resection tinting the white background orange, white
        let green = px
            .iter()
            .filter(|p| p[1] > 100 && p[0] < 100 && p[2] < 150)
            .count();
        let orange = px
            .iter()
            .filter(|p| p[0] as i32 > p[2] as i32 + 40 && p[1] as i32 > p[2] as i32 + 20)
            .count();
        let white = px.iter().filter(|p| **p == [255u8, 255, 255]).count();
        assert!(green > 10_000, "green {green}");
        assert!(orange > 10_000, "orange {orange}");
        assert!(white > 50_000, "white {white}");
        assert!(k.caption.contains("voxel count"));
        // nothing traced: no snapshot
        let empty = LabelMap::empty(map.geometry.clone());
        assert!(key_image(&empty).is_none());
    }
}
