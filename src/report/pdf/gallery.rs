//! Key CT images and intra-operative photos, two per row with captions.
//! An image that cannot be used is listed with the reason instead.

use std::path::Path;

use super::KeyImage;
use super::doc::{ALERT, BLACK, CONTENT_W, Doc, LEFT, RULE};
use super::flow::{self, SMALL};
use super::image::{Coding, Color, PdfImage, deflate_rows};
use super::photo;
use super::text::{self, Font};
use crate::report::model::Photo;

const GUTTER: f32 = 16.0;
const COL_W: f32 = (CONTENT_W - GUTTER) / 2.0;
const MAX_H: f32 = 210.0;
const MAX_CAPTION_LINES: usize = 6;
/// Largest key image side accepted, in pixels.
const MAX_SIDE: u32 = 16_384;
/// Colour of the text over key images (the rulers' yellow).
const LABEL: super::doc::Rgb = [1.0, 0.84, 0.0];

/// One picture to lay out.
struct Tile {
    image: usize,
    /// EXIF orientation 1-8.
    orientation: u8,
    width: u32,
    height: u32,
    caption: String,
    /// Text over the image (key images: ruler lengths).
    labels: Vec<super::ImageLabel>,
}

/// Checks a key image and compresses its samples.
fn key_image(k: &KeyImage) -> Result<PdfImage, crate::report::ImageError> {
    if k.width == 0 || k.height == 0 || k.width > MAX_SIDE || k.height > MAX_SIDE {
        return Err(crate::report::ImageError::Size(k.width, k.height));
    }
    let expected = (k.width as usize) * (k.height as usize) * 3;
    if k.rgb.len() != expected {
        return Err(crate::report::ImageError::RgbLength {
            got: k.rgb.len(),
            width: k.width,
            height: k.height,
            expected,
        });
    }
    Ok(PdfImage {
        width: k.width,
        height: k.height,
        coding: Coding::FlateUp { channels: 3 },
        color: Color::Rgb,
        data: deflate_rows(&k.rgb, k.width, 3),
        alpha: None,
    })
}

/// The "Key images" section.
pub(super) fn key_images(doc: &mut Doc, images: &[KeyImage]) {
    if images.is_empty() {
        return;
    }
    let mut tiles = Vec::new();
    let mut failures = Vec::new();
    for (i, k) in images.iter().enumerate() {
        match key_image(k) {
            Ok(image) => tiles.push(Tile {
                width: image.width,
                height: image.height,
                image: doc.add_image(image),
                orientation: 1,
                caption: k.caption.clone(),
                labels: k.labels.clone(),
            }),
            Err(why) => failures.push(format!(
                "Key image {} ({}) could not be drawn: {why}",
                i + 1,
                k.caption
            )),
        }
    }
    section(doc, "Key images", &tiles, &failures);
}

/// The "Photos" section; unreadable photos are listed by name.
pub(super) fn photos(doc: &mut Doc, photos: &[Photo]) {
    if photos.is_empty() {
        return;
    }
    let mut tiles = Vec::new();
    let mut failures = Vec::new();
    for p in photos {
        match photo::load(Path::new(&p.path)) {
            Ok(loaded) => tiles.push(Tile {
                width: loaded.image.width,
                height: loaded.image.height,
                image: doc.add_image(loaded.image),
                orientation: loaded.orientation,
                caption: p.caption.clone(),
                labels: Vec::new(),
            }),
            Err(why) => {
                let name = Path::new(&p.path)
                    .file_name()
                    .map_or_else(|| p.path.clone(), |n| n.to_string_lossy().into_owned());
                let caption = if p.caption.trim().is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.caption.trim())
                };
                failures.push(format!("{name}{caption}: could not be read ({why})"));
            }
        }
    }
    section(doc, "Photos", &tiles, &failures);
}

fn section(doc: &mut Doc, title: &str, tiles: &[Tile], failures: &[String]) {
    let first_row = tiles
        .first()
        .map_or(20.0, |t| row_height(std::slice::from_ref(t)));
    flow::heading(doc, title, first_row);
    for row in tiles.chunks(2) {
        let h = row_height(row);
        doc.ensure(h);
        let top = doc.y - 4.0;
        for (col, tile) in row.iter().enumerate() {
            let x = LEFT + col as f32 * (COL_W + GUTTER);
            draw_tile(doc, tile, x, top);
        }
        doc.y -= h;
    }
    for failure in failures {
        flow::bullet(doc, failure, ALERT, None);
    }
}

/// Displayed size of a tile's image, fitted into a column.
fn display_size(tile: &Tile) -> (f32, f32) {
    let (w, h) = if tile.orientation >= 5 {
        (tile.height as f32, tile.width as f32)
    } else {
        (tile.width as f32, tile.height as f32)
    };
    let scale = (COL_W / w).min(MAX_H / h);
    (w * scale, h * scale)
}

/// Caption lines under a picture, at most [`MAX_CAPTION_LINES`].
fn caption_lines(tile: &Tile) -> Vec<Vec<u8>> {
    text::wrap_capped(
        Font::Regular,
        SMALL + 0.5,
        &tile.caption,
        COL_W,
        MAX_CAPTION_LINES,
    )
}

fn row_height(row: &[Tile]) -> f32 {
    row.iter()
        .map(|t| {
            let lines = caption_lines(t).len() as f32;
            display_size(t).1 + 8.0 + lines * flow::leading(SMALL + 0.5)
        })
        .fold(0.0, f32::max)
        + 10.0
}

fn draw_tile(doc: &mut Doc, tile: &Tile, x: f32, top: f32) {
    let (w, h) = display_size(tile);
    let y = top - h;
    doc.place_image(tile.image, placement(tile.orientation, x, y, w, h));
    doc.rect((x, y, w, h), None, Some(RULE));
    for l in &tile.labels {
        // a text over the upright image (key images are never rotated); kept inside it
        let size = SMALL + 1.0;
        let tw = text::str_width(Font::Bold, size, &l.text);
        // (max then min: never panics when the text is wider than the image)
        let cx = (x + l.at[0] as f32 * w)
            .max(x + tw / 2.0 + 2.0)
            .min(x + w - tw / 2.0 - 2.0);
        let cy = (y + h - l.at[1] as f32 * h - size / 2.0)
            .max(y + 3.0)
            .min(y + h - size - 1.0);
        doc.rect(
            (cx - tw / 2.0 - 1.5, cy - 2.5, tw + 3.0, size + 2.0),
            Some(BLACK),
            None,
        );
        doc.text_centered(cx, cy, Font::Bold, size, LABEL, &l.text);
    }
    let lh = flow::leading(SMALL + 0.5);
    let mut base = y - 4.0;
    for line in caption_lines(tile) {
        base -= lh;
        doc.bytes_at(x, base + 2.0, Font::Regular, SMALL + 0.5, BLACK, &line);
    }
}

/// Matrix placing the unit-square image so that, after applying the EXIF
/// `orientation`, it fills the box (x, y, w, h) upright.
fn placement(orientation: u8, x: f32, y: f32, w: f32, h: f32) -> [f32; 6] {
    match orientation {
        2 => [-w, 0.0, 0.0, h, x + w, y],
        3 => [-w, 0.0, 0.0, -h, x + w, y + h],
        4 => [w, 0.0, 0.0, -h, x, y + h],
        5 => [0.0, -h, -w, 0.0, x + w, y + h],
        6 => [0.0, -h, w, 0.0, x, y + h],
        7 => [0.0, h, w, 0.0, x, y],
        8 => [0.0, h, -w, 0.0, x + w, y],
        _ => [w, 0.0, 0.0, h, x, y],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the matrix sends image corner (u, v).
    fn apply(m: [f32; 6], u: f32, v: f32) -> (f32, f32) {
        (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5])
    }

    #[test]
    fn every_orientation_fills_the_box() {
        for o in 1..=8 {
            let m = placement(o, 10.0, 20.0, 30.0, 40.0);
            let mut xs = Vec::new();
            let mut ys = Vec::new();
            for (u, v) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
                let (px, py) = apply(m, u, v);
                xs.push(px);
                ys.push(py);
            }
            let span = |v: &[f32]| {
                (
                    v.iter().copied().fold(f32::MAX, f32::min),
                    v.iter().copied().fold(f32::MIN, f32::max),
                )
            };
            assert_eq!(span(&xs), (10.0, 40.0), "orientation {o}");
            assert_eq!(span(&ys), (20.0, 60.0), "orientation {o}");
        }
        // Orientation 6 (rotate 90 clockwise): the stored top-left corner
        // (u 0, v 1) ends up top-right.
        assert_eq!(
            apply(placement(6, 0.0, 0.0, 30.0, 40.0), 0.0, 1.0),
            (30.0, 40.0)
        );
    }

    #[test]
    fn bad_key_images_are_refused() {
        let k = |w, h, n| KeyImage {
            caption: String::new(),
            width: w,
            height: h,
            rgb: vec![0; n],
            labels: Vec::new(),
        };
        assert!(key_image(&k(2, 2, 12)).is_ok());
        assert!(key_image(&k(2, 2, 11)).is_err());
        assert!(key_image(&k(0, 2, 0)).is_err());
        assert!(key_image(&k(u32::MAX, u32::MAX, 3)).is_err());
    }
}
