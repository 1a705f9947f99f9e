//! One plane of the scan on screen: the slice texture at its true physical aspect,
//! crosshair, orientation letters, slice number and position, a scale bar; and the
//! navigation habits of 3D Slicer / ITK-SNAP (wheel = slice, Ctrl+wheel = zoom about
//! the pointer, middle-drag or Space+drag = pan, right-drag = window/level).

use super::view_state::{ViewState, plane_index};
use crate::render::{Highlight, Plane, PlaneAxes, render_slice};
use crate::study::Study;
use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2};
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

/// Tool graphics drawn over a plane: lines and a brush outline, in voxel coordinates.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    pub lines: Vec<([f64; 3], [f64; 3])>,
    /// Brush outline: centre (voxel coordinates) and radius in mm.
    pub circle: Option<([f64; 3], f64)>,
    /// A polygon being traced on this plane (voxel coordinates).
    pub polyline: Vec<[f64; 3]>,
}

/// What the app adds to a plane this frame.
pub struct Extras<'a> {
    pub highlight: Option<&'a Highlight<'a>>,
    pub highlight_rev: u64,
    /// A tool takes the primary button (the crosshair does not follow it).
    pub painting: bool,
    pub overlay: &'a Overlay,
}

/// What a user did on the plane this frame, for the app to act on.
#[derive(Debug, Clone, Default)]
pub struct PlaneInput {
    /// Voxel under a primary press or drag (for tools), and whether the button went down now.
    pub primary: Option<([usize; 3], bool)>,
    /// The primary button was released this frame.
    pub released: bool,
    /// Voxel clicked (press and release without drag).
    pub clicked: Option<[usize; 3]>,
    /// Continuous voxel position under the pointer (for brush outlines).
    pub hover: Option<[f64; 3]>,
}

fn hash_f64s(v: &[f64]) -> u64 {
    v.iter().fold(0xcbf29ce484222325u64, |h, x| {
        (h ^ x.to_bits()).wrapping_mul(0x100000001b3)
    })
}

/// Where the image sits on screen: rect of the whole slice image.
pub fn image_rect(rect: Rect, img_mm: Vec2, zoom: f32, pan: Vec2) -> Rect {
    let fit = (rect.width() / img_mm.x)
        .min(rect.height() / img_mm.y)
        .max(1e-6);
    let size = img_mm * fit * zoom;
    Rect::from_center_size(rect.center() + pan, size)
}

/// Screen position -> image pixel (continuous).
fn to_pixel(img: Rect, px: [usize; 2], pos: Pos2) -> Vec2 {
    Vec2::new(
        (pos.x - img.min.x) / img.width() * px[0] as f32,
        (pos.y - img.min.y) / img.height() * px[1] as f32,
    )
}

fn letters(plane: Plane) -> [char; 4] {
    // left, right, top, bottom edges (radiological convention, see render.rs)
    match plane {
        Plane::Axial => ['R', 'L', 'A', 'P'],
        Plane::Coronal => ['R', 'L', 'S', 'I'],
        Plane::Sagittal => ['A', 'P', 'S', 'I'],
    }
}

#[allow(clippy::too_many_arguments)]
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

    let px = axes.size(dims);
    let pmm = axes.pixel_mm(g);
    let img_mm = Vec2::new(px[0] as f32 * pmm[0] as f32, px[1] as f32 * pmm[1] as f32);
    let img = image_rect(rect, img_mm, view.zoom[pi], view.pan[pi]);
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::BLACK);
    if let Some(t) = &cache.texture {
        painter.image(
            t.id(),
            img,
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            Color32::WHITE,
        );
    }

    // Input.
    let mut input = PlaneInput::default();
    let pointer = response.hover_pos();
    let voxel_at = |pos: Pos2| -> Option<([usize; 3], [f64; 3])> {
        let p = to_pixel(img, px, pos);
        if p.x < 0.0 || p.y < 0.0 || p.x >= px[0] as f32 || p.y >= px[1] as f32 {
            return None;
        }
        let v = axes.voxel(dims, slice, p.x as usize, p.y as usize);
        let mut c = [v[0] as f64, v[1] as f64, v[2] as f64];
        let fx = if axes.h_flip {
            px[0] as f32 - p.x - 0.5
        } else {
            p.x - 0.5
        };
        let fy = if axes.v_flip {
            px[1] as f32 - p.y - 0.5
        } else {
            p.y - 0.5
        };
        c[axes.h] = fx as f64;
        c[axes.v] = fy as f64;
        Some((v, c))
    };
    if let Some(pos) = pointer {
        view.active = plane;
        if let Some((v, c)) = voxel_at(pos) {
            view.hover = Some((v, study.ct.get(v[0], v[1], v[2])));
            input.hover = Some(c);
        }
        let (scroll, ctrl, space) = ui.input(|i| {
            let mut lines = 0.0f32;
            for e in &i.events {
                if let egui::Event::MouseWheel { unit, delta, .. } = e {
                    lines += match unit {
                        egui::MouseWheelUnit::Point => delta.y / 40.0,
                        egui::MouseWheelUnit::Line => delta.y,
                        egui::MouseWheelUnit::Page => delta.y * 10.0,
                    };
                }
            }
            (
                lines,
                i.modifiers.command || i.modifiers.ctrl,
                i.key_down(egui::Key::Space),
            )
        });
        if scroll != 0.0 {
            if ctrl {
                // zoom about the pointer: keep the point under the pointer fixed
                let old = view.zoom[pi];
                let new =
                    (old * (1.0 + 0.1 * scroll.signum() * scroll.abs().min(5.0))).clamp(0.25, 32.0);
                let anchor = pos - (rect.center() + view.pan[pi]);
                view.pan[pi] += anchor - anchor * (new / old);
                view.zoom[pi] = new;
            } else {
                let step = scroll.signum() as isize * (scroll.abs().ceil() as isize).max(1);
                let n = dims[axes.normal] as isize;
                view.cursor[axes.normal] = (slice as isize + step).clamp(0, n - 1) as usize;
            }
        }
        let pan_drag = response.dragged_by(egui::PointerButton::Middle)
            || (space && response.dragged_by(egui::PointerButton::Primary));
        if pan_drag {
            view.pan[pi] += response.drag_delta();
        } else if response.dragged_by(egui::PointerButton::Secondary) {
            let d = response.drag_delta();
            view.window.width = (view.window.width + d.x as f64 * 4.0).clamp(1.0, 8000.0);
            view.window.level = (view.window.level - d.y as f64 * 2.0).clamp(-2000.0, 4000.0);
        } else if response.is_pointer_button_down_on()
            && ui.input(|i| i.pointer.button_down(egui::PointerButton::Primary))
            && !space
            && let Some((v, _)) = voxel_at(pos)
        {
            let pressed = ui.input(|i| i.pointer.button_pressed(egui::PointerButton::Primary));
            input.primary = Some((v, pressed));
            if !painting {
                // navigate: the crosshair follows the pointer, moving the other planes
                view.cursor = v;
            }
        }
    } else if view.active == plane {
        view.hover = None;
    }
    if ui.input(|i| i.pointer.button_released(egui::PointerButton::Primary)) {
        input.released = true;
    }
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        input.clicked = voxel_at(pos).map(|(v, _)| v);
    }

    // Overlays: crosshair, letters, slice and position, scale bar.
    let c = axes.pixel(dims, view.cursor);
    let cx = img.min.x + (c[0] as f32 + 0.5) / px[0] as f32 * img.width();
    let cy = img.min.y + (c[1] as f32 + 0.5) / px[1] as f32 * img.height();
    let cross = Stroke::new(1.0, Color32::from_rgba_unmultiplied(255, 230, 80, 140));
    painter.line_segment(
        [Pos2::new(rect.min.x, cy), Pos2::new(rect.max.x, cy)],
        cross,
    );
    painter.line_segment(
        [Pos2::new(cx, rect.min.y), Pos2::new(cx, rect.max.y)],
        cross,
    );
    let font = egui::FontId::proportional(16.0);
    let col = Color32::from_rgb(255, 210, 80);
    let [l, r, t, b] = letters(plane);
    let m = 6.0;
    painter.text(
        Pos2::new(rect.min.x + m, rect.center().y),
        egui::Align2::LEFT_CENTER,
        l,
        font.clone(),
        col,
    );
    painter.text(
        Pos2::new(rect.max.x - m, rect.center().y),
        egui::Align2::RIGHT_CENTER,
        r,
        font.clone(),
        col,
    );
    painter.text(
        Pos2::new(rect.center().x, rect.min.y + m),
        egui::Align2::CENTER_TOP,
        t,
        font.clone(),
        col,
    );
    painter.text(
        Pos2::new(rect.center().x, rect.max.y - m),
        egui::Align2::CENTER_BOTTOM,
        b,
        font,
        col,
    );
    let world = g.to_world([
        view.cursor[0] as f64,
        view.cursor[1] as f64,
        view.cursor[2] as f64,
    ]);
    let (wa, name) = match plane {
        Plane::Axial => (2, "S"),
        Plane::Coronal => (1, "A"),
        Plane::Sagittal => (0, "R"),
    };
    let small = egui::FontId::monospace(12.0);
    let info = Color32::from_gray(220);
    painter.text(
        rect.min + Vec2::new(m, m + 22.0),
        egui::Align2::LEFT_TOP,
        format!(
            "{}  {}/{}  {name} {:.1} mm",
            plane.name(),
            slice + 1,
            dims[axes.normal],
            world[wa]
        ),
        small.clone(),
        info,
    );
    // scale bar: a round length about a fifth of the view
    let pts_per_mm = img.width() / img_mm.x;
    let target = rect.width() / 5.0 / pts_per_mm;
    let len_mm = [5.0, 10.0, 20.0, 50.0, 100.0, 200.0]
        .into_iter()
        .rfind(|&v| v <= target)
        .unwrap_or(5.0);
    let bar = len_mm * pts_per_mm;
    let y = rect.max.y - 24.0;
    let x0 = rect.min.x + 12.0;
    let bs = Stroke::new(2.0, info);
    painter.line_segment([Pos2::new(x0, y), Pos2::new(x0 + bar, y)], bs);
    painter.line_segment([Pos2::new(x0, y - 4.0), Pos2::new(x0, y + 4.0)], bs);
    painter.line_segment(
        [Pos2::new(x0 + bar, y - 4.0), Pos2::new(x0 + bar, y + 4.0)],
        bs,
    );
    painter.text(
        Pos2::new(x0 + bar / 2.0, y - 4.0),
        egui::Align2::CENTER_BOTTOM,
        format!("{len_mm:.0} mm"),
        small,
        info,
    );
    // tool overlay: voxel coordinates -> screen
    let to_screen = |c: [f64; 3]| -> Pos2 {
        let fx = c[axes.h] as f32 + 0.5;
        let fy = c[axes.v] as f32 + 0.5;
        let x = if axes.h_flip { px[0] as f32 - fx } else { fx };
        let y = if axes.v_flip { px[1] as f32 - fy } else { fy };
        Pos2::new(
            img.min.x + x / px[0] as f32 * img.width(),
            img.min.y + y / px[1] as f32 * img.height(),
        )
    };
    let tool = Stroke::new(2.0, Color32::from_rgb(80, 220, 255));
    for (a, b) in &overlay.lines {
        painter.line_segment([to_screen(*a), to_screen(*b)], tool);
    }
    for w in overlay.polyline.windows(2) {
        painter.line_segment([to_screen(w[0]), to_screen(w[1])], tool);
    }
    if let Some((c, r_mm)) = overlay.circle {
        let r = r_mm as f32 * pts_per_mm;
        painter.circle_stroke(
            to_screen(c),
            r,
            Stroke::new(1.5, Color32::from_rgb(80, 220, 255)),
        );
    }
    if view.active == plane {
        painter.rect_stroke(
            rect,
            0.0,
            Stroke::new(1.0, Color32::from_rgb(90, 140, 220)),
            egui::StrokeKind::Inside,
        );
    }
    input
}
