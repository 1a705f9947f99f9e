//! The slice texture of one plane: rebuilt only when what it shows changed.

use super::Frame;
use crate::render::{Highlight, Plane, PlaneAxes, render_slice};
use crate::study::Study;
use crate::ui::view_state::ViewState;
use egui::{Color32, Pos2, Rect};
use std::time::Instant;

/// The texture of one plane and what it was built from (rebuilt only when that changes).
#[derive(Default)]
pub struct PlaneCache {
    key: Option<(usize, u64, u64, u64, u64)>,
    texture: Option<egui::TextureHandle>,
    buf: Vec<u8>,
    lut: Vec<u8>,
    lut_key: u64,
    /// Milliseconds the last rebuild took (slice + overlays into RGBA).
    pub last_render_ms: f64,
    pub rebuilds: u64,
}

fn hash_f64s(v: &[f64]) -> u64 {
    v.iter().fold(0xcbf29ce484222325u64, |h, x| {
        (h ^ x.to_bits()).wrapping_mul(0x100000001b3)
    })
}

/// Re-render the slice into the cache's texture when the slice, window, layer styles,
/// layers or highlight changed.
#[allow(clippy::too_many_arguments)]
pub(super) fn update(
    ui: &egui::Ui,
    plane: Plane,
    study: &Study,
    view: &ViewState,
    cache: &mut PlaneCache,
    axes: PlaneAxes,
    slice: usize,
    highlight: Option<&Highlight>,
    highlight_rev: u64,
) {
    let dims = study.ct.geometry.dims;
    // Rebuild the texture only when what it shows changed.
    let style_key = hash_f64s(
        &view
            .styles
            .iter()
            .flat_map(|(_, s)| {
                [
                    s.visible as u8 as f64,
                    s.opacity as f64,
                    s.contour as u8 as f64,
                ]
            })
            .collect::<Vec<_>>(),
    );
    let lut_key = hash_f64s(&[view.window.width, view.window.level]);
    let key = (slice, lut_key, style_key, study.revision, highlight_rev);
    if cache.key != Some(key) || cache.texture.is_none() {
        let t0 = Instant::now();
        if cache.lut_key != lut_key || cache.lut.is_empty() {
            cache.lut = view.window.lut();
            cache.lut_key = lut_key;
        }
        render_slice(
            &study.ct,
            Some(&study.labels.bits),
            axes,
            slice,
            &cache.lut,
            &view.styles,
            highlight,
            &mut cache.buf,
        );
        let size = axes.size(dims);
        let image = egui::ColorImage::from_rgba_unmultiplied(size, &cache.buf);
        match &mut cache.texture {
            Some(t) => t.set(image, egui::TextureOptions::NEAREST),
            None => {
                cache.texture = Some(ui.ctx().load_texture(
                    format!("plane-{}", plane.name()),
                    image,
                    egui::TextureOptions::NEAREST,
                ))
            }
        }
        cache.key = Some(key);
        cache.last_render_ms = t0.elapsed().as_secs_f64() * 1000.0;
        cache.rebuilds += 1;
    }
}

/// Draw the cached texture into the image rectangle, on black.
pub(super) fn paint(painter: &egui::Painter, f: &Frame, cache: &PlaneCache) {
    let (rect, img) = (f.rect, f.img);
    painter.rect_filled(rect, 0.0, Color32::BLACK);
    if let Some(t) = &cache.texture {
        painter.image(
            t.id(),
            img,
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            Color32::WHITE,
        );
    }
}
