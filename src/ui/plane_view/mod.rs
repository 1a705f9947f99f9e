//! One plane of the scan on screen: the slice texture at its true physical aspect,
//! crosshair, orientation letters, slice number and position, a scale bar; and the
//! navigation habits of 3D Slicer / ITK-SNAP (wheel = slice, Ctrl+wheel = zoom about
//! the pointer, middle-drag or Space+drag = pan, right-drag = window/level).

mod annotations;
mod input;
mod texture;

pub use annotations::{Overlay, RulerMark, ruler_marks};
pub use input::PlaneInput;
pub use texture::PlaneCache;

use super::view_state::{ViewState, plane_index};
use crate::render::{Highlight, Plane, PlaneAxes};
use crate::study::Study;
use egui::{Rect, Sense, Vec2};

/// What the app adds to a plane this frame.
pub struct Extras<'a> {
    pub highlight: Option<&'a Highlight<'a>>,
    pub highlight_rev: u64,
    /// A tool takes the primary button (the crosshair does not follow it).
    pub painting: bool,
    pub overlay: &'a Overlay,
}

/// Where a plane sits this frame: its axes, slice and the image's screen rectangle.
pub(super) struct Frame<'a> {
    pub plane: Plane,
    pub study: &'a Study,
    pub axes: PlaneAxes,
    pub dims: [usize; 3],
    pub slice: usize,
    /// Index of the plane in the view's per-plane arrays.
    pub pi: usize,
    /// The whole cell, and the slice image inside it (zoomed and panned).
    pub rect: Rect,
    pub img: Rect,
    /// Image size in millimetres and in pixels.
    pub img_mm: Vec2,
    pub px: [usize; 2],
}

/// Where the image sits on screen: rect of the whole slice image.
pub fn image_rect(rect: Rect, img_mm: Vec2, zoom: f32, pan: Vec2) -> Rect {
    let fit = (rect.width() / img_mm.x)
        .min(rect.height() / img_mm.y)
        .max(1e-6);
    let size = img_mm * fit * zoom;
    Rect::from_center_size(rect.center() + pan, size)
}

pub fn show(
    ui: &mut egui::Ui,
    plane: Plane,
    study: &Study,
    view: &mut ViewState,
    cache: &mut PlaneCache,
    extras: Extras,
) -> PlaneInput {
    let Extras {
        highlight,
        highlight_rev,
        painting,
        overlay,
    } = extras;
    let g = &study.ct.geometry;
    let dims = g.dims;
    let axes = PlaneAxes::new(g, plane);
    let pi = plane_index(plane);
    let slice = view.cursor[axes.normal];
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    let view_name = format!("{} view", plane.name());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &view_name));
    texture::update(
        ui,
        plane,
        study,
        view,
        cache,
        axes,
        slice,
        highlight,
        highlight_rev,
    );
    let px = axes.size(dims);
    let pmm = axes.pixel_mm(g);
    let img_mm = Vec2::new(px[0] as f32 * pmm[0] as f32, px[1] as f32 * pmm[1] as f32);
    let img = image_rect(rect, img_mm, view.zoom[pi], view.pan[pi]);
    let f = Frame {
        plane,
        study,
        axes,
        dims,
        slice,
        pi,
        rect,
        img,
        img_mm,
        px,
    };
    let painter = ui.painter_at(rect);
    texture::paint(&painter, &f, cache);
    let input = input::read(ui, &response, view, &f, painting);
    annotations::draw(&painter, view, &f, overlay);
    input
}
