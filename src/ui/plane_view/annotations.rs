//! Drawn over a plane's slice: crosshair, orientation letters, slice number and
//! position, a scale bar, tool graphics and the active plane's frame.

use super::Frame;
use crate::render::Plane;
use crate::ui::view_state::ViewState;
use egui::{Color32, Pos2, Stroke, Vec2};

/// Tool graphics drawn over a plane: lines and a brush outline, in voxel coordinates.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    pub lines: Vec<([f64; 3], [f64; 3])>,
    /// Brush outline: centre (voxel coordinates) and radius in mm.
    pub circle: Option<([f64; 3], f64)>,
    /// A polygon being traced on this plane (voxel coordinates).
    pub polyline: Vec<[f64; 3]>,
    /// Rulers lying on this slice, and the one being placed.
    pub rulers: Vec<RulerMark>,
    /// Text at a voxel position: the Couinaud segment numbers.
    pub labels: Vec<([f64; 3], String)>,
    /// Landmarks on (or near) this slice: position and short name.
    pub marks: Vec<([f64; 3], String)>,
}

/// A ruler drawn on a plane: end points (voxel coordinates) and its length.
#[derive(Debug, Clone, PartialEq)]
pub struct RulerMark {
    pub a: [f64; 3],
    pub b: [f64; 3],
    /// "43.2 mm".
    pub label: String,
    /// Still being placed.
    pub draft: bool,
}

/// The rulers to draw on `slice` of `plane`: those lying on it (within half a
/// slice; rulers on other slices are not shown) and the one being placed.
pub fn ruler_marks(
    rulers: &[crate::measure::Ruler],
    draft: Option<&crate::workspace::tracing::RulerDraft>,
    g: &crate::volume::Geometry,
    plane: Plane,
    slice: usize,
) -> Vec<RulerMark> {
    let placed = rulers.iter().map(|r| (r, false));
    let drafted = draft.map(|d| (&d.ruler, true));
    placed
        .chain(drafted)
        .filter(|(r, _)| r.is_on(g, plane, slice))
        .map(|(r, draft)| RulerMark {
            a: r.a,
            b: r.b,
            label: r.label(&g.affine),
            draft,
        })
        .collect()
}

/// A ruler: the line, a tick across each end, the length beside the middle.
fn draw_ruler(painter: &egui::Painter, a: Pos2, b: Pos2, label: &str, draft: bool) {
    let colour = if draft {
        Color32::from_rgb(255, 240, 150)
    } else {
        Color32::from_rgb(255, 215, 0)
    };
    let stroke = Stroke::new(2.0, colour);
    painter.line_segment([a, b], stroke);
    let d = b - a;
    let len = d.length().max(1e-3);
    let n = Vec2::new(-d.y, d.x) / len * 6.0;
    for e in [a, b] {
        painter.line_segment([e - n, e + n], stroke);
    }
    if len < 2.0 {
        return;
    }
    // the label beside the middle, on the side away from the line's lower side
    let side = if n.y > 0.0 { -1.0 } else { 1.0 };
    let at = a + d / 2.0 + n * side * 2.2;
    let galley = painter.layout_no_wrap(label.to_owned(), egui::FontId::proportional(14.0), colour);
    let rect = egui::Align2::CENTER_CENTER.anchor_size(at, galley.size());
    painter.rect_filled(
        rect.expand(2.0),
        3.0,
        Color32::from_rgba_unmultiplied(0, 0, 0, 170),
    );
    painter.galley(rect.min, galley, colour);
}

/// The direction letters of a plane's left, right, top and bottom edges.
fn letters(plane: Plane) -> [char; 4] {
    // left, right, top, bottom edges (radiological convention, see render.rs)
    match plane {
        Plane::Axial => ['R', 'L', 'A', 'P'],
        Plane::Coronal => ['R', 'L', 'S', 'I'],
        Plane::Sagittal => ['A', 'P', 'S', 'I'],
    }
}

/// Draw the crosshair, orientation letters, slice and position, scale bar, tool
/// graphics and the active plane's frame over one plane.
pub(super) fn draw(painter: &egui::Painter, view: &ViewState, f: &Frame, overlay: &Overlay) {
    crosshair(painter, view, f);
    edge_letters(painter, f);
    slice_info(painter, view, f);
    scale_bar(painter, f);
    tool_overlay(painter, f, overlay);
    if view.active == f.plane {
        painter.rect_stroke(
            f.rect,
            0.0,
            Stroke::new(1.0, Color32::from_rgb(90, 140, 220)),
            egui::StrokeKind::Inside,
        );
    }
}

/// Screen points per mm of the image.
fn pts_per_mm(f: &Frame) -> f32 {
    f.img.width() / f.img_mm.x
}

/// Margin (points) of the letters and the slice line from the view's edges.
const MARGIN: f32 = 6.0;

/// The crosshair through the cursor, across the whole view.
fn crosshair(painter: &egui::Painter, view: &ViewState, f: &Frame) {
    let &Frame {
        axes,
        dims,
        rect,
        img,
        px,
        ..
    } = f;
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
}

/// The patient direction letters at the middle of each edge.
fn edge_letters(painter: &egui::Painter, f: &Frame) {
    let rect = f.rect;
    let font = egui::FontId::proportional(16.0);
    let col = Color32::from_rgb(255, 210, 80);
    let [l, r, t, b] = letters(f.plane);
    let m = MARGIN;
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
}

/// The plane's name, slice number of the total and the cursor's position along the
/// plane's normal (mm).
fn slice_info(painter: &egui::Painter, view: &ViewState, f: &Frame) {
    let &Frame {
        plane,
        study,
        axes,
        dims,
        slice,
        rect,
        ..
    } = f;
    let g = &study.ct.geometry;
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
    let m = MARGIN;
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
        egui::FontId::monospace(12.0),
        Color32::from_gray(220),
    );
}

/// A scale bar of a round length about a fifth of the view, bottom left.
fn scale_bar(painter: &egui::Painter, f: &Frame) {
    let rect = f.rect;
    let info = Color32::from_gray(220);
    let pts_per_mm = pts_per_mm(f);
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
        egui::FontId::monospace(12.0),
        info,
    );
}

/// The tool graphics: lines, the traced polygon, rulers and the brush outline.
fn tool_overlay(painter: &egui::Painter, f: &Frame, overlay: &Overlay) {
    let &Frame { axes, img, px, .. } = f;
    // voxel coordinates -> screen
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
    for r in &overlay.rulers {
        draw_ruler(painter, to_screen(r.a), to_screen(r.b), &r.label, r.draft);
    }
    for (c, text) in &overlay.labels {
        let p = to_screen(*c);
        let font = egui::FontId::proportional(18.0);
        painter.text(
            p + egui::vec2(1.0, 1.0),
            egui::Align2::CENTER_CENTER,
            text,
            font.clone(),
            Color32::BLACK,
        );
        painter.text(p, egui::Align2::CENTER_CENTER, text, font, Color32::WHITE);
    }
    for (c, text) in &overlay.marks {
        let p = to_screen(*c);
        let mark = Color32::from_rgb(255, 60, 200);
        painter.circle_stroke(p, 6.0, Stroke::new(2.0, mark));
        painter.circle_filled(p, 2.0, mark);
        painter.text(
            p + egui::vec2(8.0, -8.0),
            egui::Align2::LEFT_BOTTOM,
            text,
            egui::FontId::proportional(12.0),
            mark,
        );
    }
    if let Some((c, r_mm)) = overlay.circle {
        let r = r_mm as f32 * pts_per_mm(f);
        painter.circle_stroke(
            to_screen(c),
            r,
            Stroke::new(1.5, Color32::from_rgb(80, 220, 255)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Ruler;
    use crate::workspace::tracing::RulerDraft;

    #[test]
    fn rulers_show_only_on_their_own_slice_and_plane() {
        let g = crate::volume::Geometry::axis_aligned([40, 30, 20], [0.5, 0.5, 2.0], [0.0; 3]);
        let r = Ruler {
            plane: Plane::Axial,
            a: [2.0, 3.0, 7.0],
            b: [22.0, 3.0, 7.0],
        };
        let marks = ruler_marks(&[r], None, &g, Plane::Axial, 7);
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].label, "10.0 mm");
        assert!(!marks[0].draft);
        assert!(ruler_marks(&[r], None, &g, Plane::Axial, 8).is_empty());
        assert!(ruler_marks(&[r], None, &g, Plane::Axial, 6).is_empty());
        assert!(ruler_marks(&[r], None, &g, Plane::Coronal, 3).is_empty());
        // the one being placed is drawn too, marked as such
        let d = RulerDraft {
            ruler: Ruler {
                b: [2.0, 13.0, 7.0],
                ..r
            },
            normal: 2,
            waiting: false,
        };
        let marks = ruler_marks(&[r], Some(&d), &g, Plane::Axial, 7);
        assert_eq!(marks.len(), 2);
        assert!(marks[1].draft);
        assert_eq!(marks[1].label, "5.0 mm");
    }
}
