//! The PCI diagram in vector graphics: Sugarbaker's 3x3 abdominopelvic grid
//! (as seen facing the patient) and the four small-bowel regions beside it,
//! each with its score, shaded by lesion size.

use super::doc::{BLACK, Doc, GREY, Rgb};
use super::text::Font;
use crate::pci::{DIAGRAM_GRID, LesionSize, Pci, REGIONS, SMALL_BOWEL_REGIONS};

const CELL: f32 = 50.0;
const GRID: f32 = CELL * 3.0;
const GAP: f32 = 10.0;
const BOWEL_W: f32 = 64.0;
const BOWEL_H: f32 = GRID / 4.0;
pub(super) const OUTLINE: Rgb = [0.25, 0.25, 0.25];

/// Width of the drawing.
pub(super) const WIDTH: f32 = GRID + GAP + BOWEL_W;
/// Height of the drawing, captions included.
pub(super) const HEIGHT: f32 = GRID + 14.0;

/// Fill colour for a score.
pub(super) fn shade(score: Option<LesionSize>) -> Rgb {
    match score {
        None => [0.9, 0.9, 0.9],
        Some(LesionSize::Ls0) => [1.0, 1.0, 1.0],
        Some(LesionSize::Ls1) => [1.0, 0.95, 0.72],
        Some(LesionSize::Ls2) => [1.0, 0.8, 0.55],
        Some(LesionSize::Ls3) => [0.95, 0.58, 0.5],
    }
}

/// The score as drawn in the diagram: its points, or an en dash.
fn mark(score: Option<LesionSize>) -> (String, Rgb) {
    match score {
        Some(s) => (s.points().to_string(), BLACK),
        None => ("\u{2013}".to_owned(), GREY),
    }
}

/// One region box with its top-left corner at (x, top).
fn region_box(doc: &mut Doc, pci: &Pci, region: usize, (x, top, w, h): (f32, f32, f32, f32)) {
    let score = pci.get(region);
    doc.rect((x, top - h, w, h), Some(shade(score)), Some(OUTLINE));
    let name = REGIONS.get(region).map_or("", |r| r.name);
    doc.text_at(
        x + 3.0,
        top - 8.0,
        Font::Bold,
        6.5,
        BLACK,
        &region.to_string(),
    );
    let offset = if region >= 10 { 11.0 } else { 7.5 };
    doc.text_at(x + 3.0 + offset, top - 8.0, Font::Regular, 6.0, BLACK, name);
    let (text, color) = mark(score);
    let size = if h >= CELL { 18.0 } else { 13.0 };
    let baseline = top - h / 2.0 - size * 0.35 - 3.0;
    doc.text_centered(x + w / 2.0, baseline, Font::Bold, size, color, &text);
}

/// Draws the diagram with its top-left corner at (x, top).
pub(super) fn draw(doc: &mut Doc, pci: &Pci, x: f32, top: f32) {
    for (row, regions) in DIAGRAM_GRID.iter().enumerate() {
        for (col, &region) in regions.iter().enumerate() {
            let cx = x + col as f32 * CELL;
            let cy = top - row as f32 * CELL;
            region_box(doc, pci, region, (cx, cy, CELL, CELL));
        }
    }
    let bx = x + GRID + GAP;
    for (i, &region) in SMALL_BOWEL_REGIONS.iter().enumerate() {
        let by = top - i as f32 * BOWEL_H;
        region_box(doc, pci, region, (bx, by, BOWEL_W, BOWEL_H));
    }
    // Orientation: the patient's right is on the viewer's left.
    let below = top - GRID - 9.0;
    doc.text_at(x, below, Font::Regular, 6.5, GREY, "patient's right");
    doc.text_right(x + GRID, below, Font::Regular, 6.5, GREY, "patient's left");
    doc.text_centered(
        bx + BOWEL_W / 2.0,
        below,
        Font::Regular,
        6.5,
        GREY,
        "small bowel",
    );
}
