//! Flowing text blocks: headings, paragraphs, key-value rows and bullets,
//! each moving the cursor down and breaking pages as needed.

use super::doc::{BLACK, CONTENT_W, Doc, GREY, LEFT, RIGHT, RULE, Rgb};
use super::text::{self, Font};

pub(super) const BODY: f32 = 9.0;
pub(super) const SMALL: f32 = 7.5;
const KEY_W: f32 = 150.0;

/// Line height for a font size.
pub(super) fn leading(size: f32) -> f32 {
    size * 1.3
}

/// Section heading with a rule below; kept with at least `keep` points of
/// what follows.
pub(super) fn heading(doc: &mut Doc, title: &str, keep: f32) {
    doc.y -= 8.0;
    doc.ensure(24.0 + keep);
    doc.y -= 12.0;
    doc.text_at(LEFT, doc.y, Font::Bold, 12.0, BLACK, title);
    doc.y -= 4.0;
    doc.hline(LEFT, RIGHT, doc.y, RULE, 0.6);
    doc.y -= 6.0;
}

/// Wrapped text from `x` to the right margin.
pub(super) fn paragraph(doc: &mut Doc, x: f32, s: &str, font: Font, size: f32, color: Rgb) {
    let lh = leading(size);
    for line in text::wrap(font, size, s, RIGHT - x) {
        doc.ensure(lh);
        doc.y -= lh;
        doc.bytes_at(x, doc.y + lh * 0.25, font, size, color, &line);
    }
}

/// A bold key and its wrapped value on the right.
pub(super) fn key_value(doc: &mut Doc, key: &str, value: &str) {
    key_value_styled(doc, key, value, Font::Regular, BLACK);
}

pub(super) fn key_value_styled(doc: &mut Doc, key: &str, value: &str, font: Font, color: Rgb) {
    let lh = leading(BODY);
    let key_lines = text::wrap(Font::Bold, BODY, key, KEY_W - 8.0);
    let mut value_lines = text::wrap(font, BODY, value, CONTENT_W - KEY_W);
    if value_lines.is_empty() {
        value_lines.push(Vec::new());
    }
    let rows = key_lines.len().max(value_lines.len());
    for row in 0..rows {
        doc.ensure(lh);
        doc.y -= lh;
        let base = doc.y + lh * 0.25;
        if let Some(k) = key_lines.get(row) {
            doc.bytes_at(LEFT, base, Font::Bold, BODY, BLACK, k);
        }
        if let Some(v) = value_lines.get(row) {
            doc.bytes_at(LEFT + KEY_W, base, font, BODY, color, v);
        }
    }
}

/// A bullet item, with an optional smaller grey note below it.
pub(super) fn bullet(doc: &mut Doc, s: &str, color: Rgb, note: Option<&str>) {
    let lh = leading(BODY);
    doc.ensure(lh * 2.0);
    doc.y -= lh;
    doc.text_at(
        LEFT + 4.0,
        doc.y + lh * 0.25,
        Font::Bold,
        BODY,
        color,
        "\u{2022}",
    );
    doc.y += lh;
    paragraph(doc, LEFT + 14.0, s, Font::Regular, BODY, color);
    if let Some(note) = note {
        paragraph(doc, LEFT + 14.0, note, Font::Regular, SMALL, GREY);
    }
    doc.y -= 2.0;
}

/// A number with at most `decimals` decimals, trailing zeros dropped.
pub(super) fn num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "invalid".to_owned();
    }
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    if s == "-0" { "0".to_owned() } else { s }
}

/// `value` with its unit, or "not recorded".
pub(super) fn quantity(value: Option<f64>, decimals: usize, unit: &str) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{} {unit}", num(v, decimals)),
        Some(_) => "invalid".to_owned(),
        None => "not recorded".to_owned(),
    }
}

pub(super) fn yes_no(v: bool) -> &'static str {
    if v { "yes" } else { "no" }
}

/// A trimmed text, or "not recorded" when empty.
pub(super) fn or_not_recorded(s: Option<&str>) -> String {
    match s.map(str::trim) {
        Some(t) if !t.is_empty() => t.to_owned(),
        _ => "not recorded".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(num(42.0, 1), "42");
        assert_eq!(num(41.55, 1), "41.5");
        assert_eq!(num(1520.0, 0), "1520");
        assert_eq!(num(-0.01, 1), "0");
        assert_eq!(num(f64::NAN, 1), "invalid");
        assert_eq!(quantity(Some(35.0), 1, "mg"), "35 mg");
        assert_eq!(quantity(None, 1, "mg"), "not recorded");
        assert_eq!(or_not_recorded(Some("  ")), "not recorded");
    }
}
