//! The PCI section: diagram with a summary panel beside it, then the
//! full-width region table and the flags.
//!
//! The table sits below the diagram rather than beside it so that text
//! extraction (pdftotext, screen readers) keeps each row on one line.

use super::diagram::{self, OUTLINE, shade};
use super::doc::{ALERT, BLACK, Doc, GREY, LEFT, RIGHT, RULE};
use super::flow::{self, BODY, SMALL};
use super::text::{self, Font};
use crate::pci::{CcScore, LesionSize, MAX_TOTAL, PCI_SOURCE, Pci, REGIONS};

const TABLE_SIZE: f32 = 8.0;
const CONTENTS_SIZE: f32 = 7.0;
/// Column offsets from the left margin: #, region, score, lesion size, contents.
const COLS: [f32; 5] = [0.0, 18.0, 92.0, 120.0, 236.0];

pub(super) fn draw(doc: &mut Doc, pci: &Pci, cc: Option<CcScore>) {
    flow::heading(
        doc,
        "Peritoneal Cancer Index (Sugarbaker)",
        diagram::HEIGHT + 8.0,
    );
    let top = doc.y - 4.0;
    diagram::draw(doc, pci, LEFT, top);
    panel(doc, pci, cc, LEFT + diagram::WIDTH + 28.0, top);
    doc.y = top - diagram::HEIGHT - 6.0;
    table(doc, pci);
    doc.y -= 4.0;
    for flag in pci.flags() {
        flow::bullet(doc, &flag.message, ALERT, Some(flag.source));
    }
    flow::paragraph(doc, LEFT, PCI_SOURCE, Font::Regular, SMALL, GREY);
}

/// Total, CC score and the colour key, beside the diagram.
fn panel(doc: &mut Doc, pci: &Pci, cc: Option<CcScore>, x: f32, top: f32) {
    let mut y = top - 14.0;
    let total = format!("PCI total: {} / {MAX_TOTAL}", pci.total());
    doc.text_at(x, y, Font::Bold, 15.0, BLACK, &total);
    let unscored = pci.unscored_count();
    if unscored > 0 {
        y -= 13.0;
        let plural = if unscored == 1 { "" } else { "s" };
        let note = format!("incomplete: {unscored} region{plural} not scored (lower bound)");
        doc.text_at(x, y, Font::Regular, BODY, ALERT, &note);
    }
    y -= 18.0;
    let cc_text = cc.map_or_else(
        || "not recorded".to_owned(),
        |c| format!("{} \u{2013} {}", c.label(), c.description()),
    );
    doc.text_at(x, y, Font::Bold, BODY, BLACK, "CC score:");
    let label_w = text::str_width(Font::Bold, BODY, "CC score:") + 4.0;
    // Every wrapped line, so that "CC-3 - ... unresectable disease" shows in full.
    let lines = text::wrap(Font::Regular, BODY, &cc_text, RIGHT - x - label_w);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            y -= flow::leading(BODY);
        }
        doc.bytes_at(x + label_w, y, Font::Regular, BODY, BLACK, line);
    }
    y -= 22.0;
    doc.text_at(x, y, Font::Bold, SMALL + 0.5, BLACK, "Lesion size score");
    let key = LesionSize::ALL
        .iter()
        .map(|&s| (Some(s), format!("{}  {}", s.label(), s.definition())))
        .chain([(None, "not scored".to_owned())]);
    for (score, label) in key {
        y -= 11.0;
        doc.rect((x, y - 1.5, 8.0, 8.0), Some(shade(score)), Some(OUTLINE));
        doc.text_at(x + 13.0, y, Font::Regular, SMALL + 0.5, BLACK, &label);
    }
}

/// One row per region: number, name, score, lesion size, contents.
fn table(doc: &mut Doc, pci: &Pci) {
    let lh = flow::leading(TABLE_SIZE);
    let header = |doc: &mut Doc| {
        doc.y -= lh;
        let titles = ["#", "Region", "Score", "Lesion size", "Contents"];
        for (col, title) in COLS.iter().zip(titles) {
            doc.text_at(LEFT + col, doc.y, Font::Bold, TABLE_SIZE, BLACK, title);
        }
        doc.hline(LEFT, RIGHT, doc.y - 3.0, RULE, 0.5);
        doc.y -= 3.0;
    };
    doc.ensure(lh * 4.0);
    header(doc);
    let contents_w = RIGHT - LEFT - COLS[4];
    let lc = flow::leading(CONTENTS_SIZE);
    for region in &REGIONS {
        let contents = text::wrap(Font::Regular, CONTENTS_SIZE, region.contents, contents_w);
        let extra = contents.len().saturating_sub(1) as f32 * lc;
        if !doc.fits(lh + extra + 4.0) {
            doc.new_page();
            header(doc);
        }
        doc.y -= lh;
        let y = doc.y;
        let score = pci.get(usize::from(region.index));
        let (mark, meaning, color) = match score {
            Some(s) => (s.points().to_string(), s.definition(), BLACK),
            None => ("\u{2013}".to_owned(), "not scored", GREY),
        };
        let index = region.index.to_string();
        doc.text_right(LEFT + 10.0, y, Font::Regular, TABLE_SIZE, BLACK, &index);
        doc.text_at(
            LEFT + COLS[1],
            y,
            Font::Regular,
            TABLE_SIZE,
            BLACK,
            region.name,
        );
        doc.text_centered(
            LEFT + COLS[2] + 8.0,
            y,
            Font::Bold,
            TABLE_SIZE,
            color,
            &mark,
        );
        doc.text_at(LEFT + COLS[3], y, Font::Regular, TABLE_SIZE, color, meaning);
        for (i, line) in contents.iter().enumerate() {
            let cy = y - i as f32 * lc;
            doc.bytes_at(LEFT + COLS[4], cy, Font::Regular, CONTENTS_SIZE, GREY, line);
        }
        doc.y = y - extra - 3.5;
        doc.hline(LEFT, RIGHT, doc.y + 1.0, [0.88, 0.88, 0.88], 0.3);
    }
}
