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

/// Draw the cached texture into the image rectangle, on black. Only the margins around
/// the image are filled black, not the whole view under it: a software GL renderer
/// (Mesa's llvmpipe) pays for every blended pixel, and the 3-D view repaints the whole
/// window on every frame while it turns.
pub(super) fn paint(painter: &egui::Painter, f: &Frame, cache: &PlaneCache) {
    let (rect, img) = (f.rect, f.img);
    let shown = if cache.texture.is_some() {
        img.intersect(rect)
    } else {
        Rect::NOTHING
    };
    for m in margins(rect, shown) {
        painter.rect_filled(m, 0.0, Color32::BLACK);
    }
    if let Some(t) = &cache.texture {
        painter.image(
            t.id(),
            img,
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            Color32::WHITE,
        );
    }
}

/// The parts of `rect` outside `inner` (up to four strips: above, below, left, right);
/// all of `rect` when `inner` does not overlap it.
fn margins(rect: Rect, inner: Rect) -> Vec<Rect> {
    if !inner.is_positive() || !rect.intersects(inner) {
        return vec![rect];
    }
    let i = inner.intersect(rect);
    [
        Rect::from_min_max(rect.min, Pos2::new(rect.max.x, i.min.y)),
        Rect::from_min_max(Pos2::new(rect.min.x, i.max.y), rect.max),
        Rect::from_min_max(Pos2::new(rect.min.x, i.min.y), Pos2::new(i.min.x, i.max.y)),
        Rect::from_min_max(Pos2::new(i.max.x, i.min.y), Pos2::new(rect.max.x, i.max.y)),
    ]
    .into_iter()
    .filter(|r| r.is_positive())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(rs: &[Rect]) -> f32 {
        rs.iter().map(|r| r.area()).sum()
    }

    #[test]
    fn margins_cover_the_view_outside_the_image_once() {
        let view = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(300.0, 200.0));
        // letterboxed image: strips above and below only
        let img = Rect::from_min_max(Pos2::new(0.0, 40.0), Pos2::new(300.0, 160.0));
        let m = margins(view, img);
        assert_eq!(m.len(), 2);
        assert_eq!(area(&m), view.area() - img.area());
        // an image inside: four strips, no overlap with it or each other
        let img = Rect::from_min_max(Pos2::new(50.0, 30.0), Pos2::new(250.0, 170.0));
        let m = margins(view, img);
        assert_eq!(m.len(), 4);
        assert_eq!(area(&m), view.area() - img.area());
        assert!(m.iter().all(|r| !r.intersects(img.shrink(0.5))));
        // zoomed in past the view: nothing to fill; no image: all of it
        let big = view.expand(100.0);
        assert!(margins(view, big).is_empty());
        assert_eq!(margins(view, Rect::NOTHING), vec![view]);
        // panned off to one side
        let img = Rect::from_min_max(Pos2::new(200.0, -50.0), Pos2::new(500.0, 250.0));
        assert_eq!(area(&margins(view, img)), view.area() - 100.0 * 200.0);
    }
}
