//! The pre-operative planning report: the liver plan apart from the operative report
//! of peritoneal surgery. Title, patient, "pre-operative plan, not the operation's
//! findings", the decision card (verdict, the four figures, alerts, next step: the same
//! order as the Plan tab), the key images, the volumes and every sentence with its
//! source.

use super::doc::{ALERT, BLACK, CONTENT_W, Doc, GREY, LEFT, RULE};
use super::flow::{self, BODY, SMALL, quantity};
use super::text::{self, Font};
use crate::report::model::{LiverFigures, Report};

pub(super) const TITLE: &str = "Pre-operative liver plan";

/// Verdict, the four figures, alerts and next step, framed by rules.
pub(super) fn card(doc: &mut Doc, f: &LiverFigures) {
    flow::heading(doc, "Decision", 90.0);
    let date = super::sections::plan_date(f);
    flow::paragraph(
        doc,
        LEFT,
        &format!("Pre-operative plan ({date}), not the operation's findings"),
        Font::Regular,
        SMALL,
        GREY,
    );
    doc.y -= 2.0;
    flow::paragraph(doc, LEFT, &f.verdict, Font::Bold, BODY + 1.5, BLACK);
    doc.y -= 4.0;
    let sflr = match (f.post_pve_sflr_percent, f.sflr_percent) {
        (Some(p), _) | (None, Some(p)) => quantity(Some(p), 1, "%"),
        _ => "enter height and weight".into(),
    };
    let figures = [
        (
            "FLR",
            quantity(f.post_pve_flr_percent.or(f.flr_percent), 1, "%"),
        ),
        ("sFLR", sflr),
        ("FLR / body weight", quantity(f.flr_bw_percent, 2, "%")),
        (
            "Remnant",
            quantity(f.post_pve_remnant_ml.or(f.remnant_ml), 0, "mL"),
        ),
    ];
    let w = CONTENT_W / figures.len() as f32;
    doc.ensure(28.0);
    let top = doc.y;
    for (i, (label, value)) in figures.iter().enumerate() {
        let x = LEFT + i as f32 * w;
        doc.text_at(x, top - 8.0, Font::Regular, SMALL, GREY, label);
        let value = text::one_line(value);
        doc.text_at(x, top - 21.0, Font::Bold, BODY + 2.0, BLACK, &value);
    }
    doc.y = top - 27.0;
    for a in &f.alerts {
        flow::bullet(doc, a, ALERT, None);
    }
    if let Some(n) = &f.next_step {
        doc.y -= 2.0;
        flow::paragraph(doc, LEFT, n, Font::Regular, BODY, BLACK);
    }
    doc.y -= 4.0;
    doc.hline(LEFT, LEFT + CONTENT_W, doc.y, RULE, 0.6);
}

/// The planning part: the card, then the volumes and every sentence (the liver
/// section's rows), images in between.
pub(super) fn part(doc: &mut Doc, report: &Report, images: &[super::KeyImage]) {
    match &report.liver.figures {
        Some(f) => {
            card(doc, f);
            super::gallery::key_images(doc, images);
            super::sections::liver_plan(doc, f);
        }
        None => {
            flow::heading(doc, "Decision", 30.0);
            flow::paragraph(
                doc,
                LEFT,
                "No liver volumetry in this report: trace the liver, its tumours and the resection in Remnant, then export again.",
                Font::Regular,
                BODY,
                BLACK,
            );
            super::gallery::key_images(doc, images);
        }
    }
}
