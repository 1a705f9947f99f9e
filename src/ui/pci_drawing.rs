//! The PCI as Sugarbaker's diagram (Jacquet & Sugarbaker 1996): the outline of the
//! abdomen with the nine regions 0-8 over it as a 3 x 3 grid, seen facing the patient
//! (patient's right on the left), and the four small-bowel regions 9-12 beside it.
//! Every region is a large click target: a click cycles the lesion size
//! (unscored -> LS-0 -> ... -> LS-3 -> LS-0), a right click offers the sizes.

use crate::pci::{DIAGRAM_GRID, LesionSize, Pci, REGIONS, SMALL_BOWEL_REGIONS};
use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Vec2, pos2, vec2};

/// The abdomen outline in unit coordinates (x right, y down; the 3 x 3 grid spans
/// the unit square): the costal arch on top, flanks, iliac crests and the groin.
const OUTLINE: &[(f32, f32)] = &[
    (0.10, 0.02),
    (0.30, -0.05),
    (0.50, -0.07),
    (0.70, -0.05),
    (0.90, 0.02),
    (0.97, 0.20),
    (0.95, 0.42),
    (0.98, 0.62),
    (1.00, 0.80),
    (0.88, 0.93),
    (0.66, 1.00),
    (0.50, 1.06),
    (0.34, 1.00),
    (0.12, 0.93),
    (0.00, 0.80),
    (0.02, 0.62),
    (0.05, 0.42),
    (0.03, 0.20),
];

/// A closed Catmull-Rom curve through `pts`, 8 segments per span.
fn smooth(pts: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let n = pts.len();
    let mut out = Vec::with_capacity(n * 8);
    for i in 0..n {
        let [p0, p1, p2, p3] = [n + i - 1, i, i + 1, i + 2].map(|k| pts[k % n]);
        for s in 0..8 {
            let t = s as f32 / 8.0;
            let (t2, t3) = (t * t, t * t * t);
            let f = |a: f32, b: f32, c: f32, d: f32| {
                0.5 * (2.0 * b
                    + (c - a) * t
                    + (2.0 * a - 5.0 * b + 4.0 * c - d) * t2
                    + (3.0 * b - a - 3.0 * c + d) * t3)
            };
            out.push((f(p0.0, p1.0, p2.0, p3.0), f(p0.1, p1.1, p2.1, p3.1)));
        }
    }
    out
}

pub fn fill(s: Option<LesionSize>) -> Color32 {
    match s.map(|l| l.points()) {
        None => Color32::from_rgba_unmultiplied(110, 110, 110, 60),
        Some(0) => Color32::from_rgba_unmultiplied(50, 140, 80, 170),
        Some(1) => Color32::from_rgba_unmultiplied(170, 150, 40, 200),
        Some(2) => Color32::from_rgba_unmultiplied(200, 110, 40, 210),
        _ => Color32::from_rgba_unmultiplied(200, 50, 50, 220),
    }
}

/// A region's score as shown in its box ("?" when unscored).
fn score_text(s: Option<LesionSize>) -> String {
    s.map_or("?".into(), |l| l.label().to_string())
}

/// The rectangles of the 13 regions for a drawing whose abdomen grid is `grid`.
pub fn region_rects(grid: Rect, bowel: Rect) -> [Rect; 13] {
    let mut out = [Rect::NOTHING; 13];
    let cell = vec2(grid.width() / 3.0, grid.height() / 3.0);
    for (y, row) in DIAGRAM_GRID.iter().enumerate() {
        for (x, &r) in row.iter().enumerate() {
            let min = grid.min + vec2(x as f32 * cell.x, y as f32 * cell.y);
            out[r] = Rect::from_min_size(min, cell);
        }
    }
    let h = bowel.height() / 4.0;
    for (i, &r) in SMALL_BOWEL_REGIONS.iter().enumerate() {
        out[r] = Rect::from_min_size(bowel.min + vec2(0.0, i as f32 * h), vec2(bowel.width(), h))
            .shrink2(vec2(0.0, 3.0));
    }
    out
}

/// Draw the diagram in a space `size` wide and high; returns the region clicked.
/// `selected` is outlined; a right click can set or clear a region directly.
pub fn draw(ui: &mut egui::Ui, pci: &mut Pci, selected: usize, size: Vec2) -> Option<usize> {
    let (area, _) = ui.allocate_exact_size(size, Sense::hover());
    // abdomen on the left (x 1.0), small bowel column beside it (x 0.42), gap 0.06
    let aw = (area.width() / 1.48).min((area.height() - 40.0) / 1.16);
    let grid = Rect::from_min_size(area.min + vec2(0.0, 0.09 * aw + 20.0), vec2(aw, aw));
    let bowel = Rect::from_min_size(
        pos2(grid.right() + 0.06 * aw, grid.top()),
        vec2(0.42 * aw, aw),
    );
    let rects = region_rects(grid, bowel);
    let p = ui.painter_at(area);
    let outline: Vec<Pos2> = smooth(OUTLINE)
        .into_iter()
        .map(|(x, y)| grid.min + vec2(x * aw, y * aw))
        .collect();
    paint_body(&p, &outline, grid.center());
    headings(&p, area, grid, bowel);
    let mut clicked = None;
    for (region, rect) in rects.iter().enumerate() {
        if region_target(ui, &p, pci, (region, *rect), selected) {
            clicked = Some(region);
        }
    }
    p.add(Shape::closed_line(
        outline,
        Stroke::new(2.5, Color32::from_rgb(220, 190, 170)),
    ));
    // the umbilicus, at the centre of region 0
    p.circle_stroke(
        rects[0].center() + vec2(0.0, rects[0].height() * 0.28),
        4.0,
        Stroke::new(1.5, Color32::from_rgb(220, 190, 170)),
    );
    clicked
}

/// The body, filled as a fan from its centre `c` (the outline is not convex at the waist).
fn paint_body(p: &egui::Painter, outline: &[Pos2], c: Pos2) {
    let mut body = egui::epaint::Mesh::default();
    let skin = Color32::from_rgb(58, 48, 44);
    body.colored_vertex(c, skin);
    for q in outline {
        body.colored_vertex(*q, skin);
    }
    let n = outline.len() as u32;
    for i in 0..n {
        body.add_triangle(0, 1 + i, 1 + (i + 1) % n);
    }
    p.add(Shape::mesh(body));
}

/// The captions above the abdomen and the small-bowel column.
fn headings(p: &egui::Painter, area: Rect, grid: Rect, bowel: Rect) {
    p.text(
        pos2(grid.center().x, area.top()),
        egui::Align2::CENTER_TOP,
        "Facing the patient: patient's right on the left",
        egui::FontId::proportional(12.0),
        Color32::from_gray(190),
    );
    p.text(
        pos2(bowel.center().x, area.top()),
        egui::Align2::CENTER_TOP,
        "Small bowel",
        egui::FontId::proportional(13.0),
        Color32::from_gray(210),
    );
}

/// One region as a click target at `rect`: painted with its score, a hover text
/// and a context menu of sizes; true when clicked.
fn region_target(
    ui: &mut egui::Ui,
    p: &egui::Painter,
    pci: &mut Pci,
    (region, rect): (usize, Rect),
    selected: usize,
) -> bool {
    let score = pci.get(region);
    let r = &REGIONS[region];
    let id = ui.scope_id().with(("pci-region", region));
    let resp = ui.interact(rect, id, Sense::click());
    let label = format!(
        "Region {} {}: {}",
        region,
        r.name,
        score.map_or("not scored".to_string(), |l| l.label().to_string())
    );
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let stroke = if region == selected {
        Stroke::new(3.0, Color32::WHITE)
    } else if resp.hovered() {
        Stroke::new(2.0, Color32::from_gray(200))
    } else {
        Stroke::new(1.0, Color32::from_gray(140))
    };
    paint_region(p, rect.shrink(2.0), region, score, stroke);
    let resp = resp.on_hover_text(format!(
        "{} - {}\n{}\nClick to cycle the lesion size, right click to choose it; keys 0-3 set it, Delete clears.",
        region, r.name, r.contents
    ));
    let clicked = resp.clicked();
    resp.context_menu(|ui| {
        ui.label(format!("Region {region} {}", r.name));
        for ls in LesionSize::ALL {
            if ui.button(ls.label()).clicked() {
                let _ = pci.set(region, ls);
                ui.close();
            }
        }
        if ui.button("Not scored").clicked() {
            let _ = pci.clear(region);
            ui.close();
        }
    });
    clicked
}

/// A region's box (`inner`): its fill by score, a loop of bowel for the small-bowel
/// regions, the outline `stroke`, its number, score and name.
fn paint_region(
    p: &egui::Painter,
    inner: Rect,
    region: usize,
    score: Option<LesionSize>,
    stroke: Stroke,
) {
    let bowel_region = SMALL_BOWEL_REGIONS.contains(&region);
    p.rect_filled(inner, if bowel_region { 14.0 } else { 2.0 }, fill(score));
    if bowel_region {
        // a loop of bowel across the box
        let n = 24;
        let pts: Vec<Pos2> = (0..=n)
            .map(|i| {
                let t = i as f32 / n as f32;
                pos2(
                    inner.left() + 8.0 + t * (inner.width() - 16.0),
                    inner.bottom() - 10.0 + 5.0 * (t * std::f32::consts::TAU * 3.0).sin(),
                )
            })
            .collect();
        p.add(Shape::line(pts, Stroke::new(2.0, Color32::from_gray(150))));
    }
    p.rect_stroke(inner, 2.0, stroke, egui::StrokeKind::Inside);
    let big = (inner.height() * 0.22).clamp(14.0, 30.0);
    p.text(
        inner.left_top() + vec2(6.0, 4.0),
        egui::Align2::LEFT_TOP,
        region.to_string(),
        egui::FontId::proportional(big * 0.8),
        Color32::from_gray(235),
    );
    p.text(
        inner.center(),
        egui::Align2::CENTER_CENTER,
        score_text(score),
        egui::FontId::proportional(big),
        Color32::WHITE,
    );
    p.text(
        inner.center_bottom() - vec2(0.0, if bowel_region { 18.0 } else { 6.0 }),
        egui::Align2::CENTER_BOTTOM,
        REGIONS[region].name,
        egui::FontId::proportional((big * 0.55).max(11.0)),
        Color32::from_gray(235),
    );
}
