//! The text sections of the PDF, one function each, in report order.

use super::doc::{ALERT, BLACK, CONTENT_W, Doc, GREY, LEFT, RULE};
use super::flow::{self, BODY, SMALL, key_value, or_not_recorded, quantity, yes_no};
use super::text::{self, Font};
use crate::report::model::{Ascites, LiverFigures, Report};
use crate::report::validate::Severity;

pub(super) const TITLE: &str = "Operative report \u{2013} peritoneal surface surgery";

/// Title and the patient / operation block.
pub(super) fn header(doc: &mut Doc, report: &Report, title: &str) {
    doc.y -= 14.0;
    doc.text_at(LEFT, doc.y, Font::Bold, 16.0, BLACK, title);
    doc.y -= 8.0;
    doc.hline(LEFT, LEFT + CONTENT_W, doc.y, BLACK, 1.0);
    let p = &report.patient;
    let dash = |s: &Option<String>| match s.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_owned(),
        _ => "\u{2013}".to_owned(),
    };
    let left = [
        ("Patient", dash(&p.name)),
        ("Patient ID", dash(&p.patient_id)),
        ("Birth date", dash(&p.birth_date)),
        ("Sex", dash(&p.sex)),
    ];
    let right = [
        ("Surgeon", dash(&report.surgeon)),
        ("Operation date", dash(&report.operation_date)),
        ("Study date", dash(&p.study_date)),
        ("Accession", dash(&p.accession)),
    ];
    let half = CONTENT_W / 2.0;
    let size = BODY + 1.0;
    let lh = flow::leading(size);
    doc.y -= 4.0;
    for (l, r) in left.iter().zip(&right) {
        let cells = [(LEFT, l), (LEFT + half, r)].map(|(x, (key, value))| {
            let value = text::one_line(value);
            (
                x,
                *key,
                text::wrap_capped(Font::Regular, size, &value, half - 88.0, 3),
            )
        });
        let rows = cells.iter().map(|c| c.2.len()).max().unwrap_or(1).max(1);
        let top = doc.y;
        for (x, key, lines) in cells {
            doc.text_at(x, top - lh + 3.0, Font::Bold, BODY, BLACK, key);
            for (i, line) in lines.iter().enumerate() {
                let y = top - (i + 1) as f32 * lh + 3.0;
                doc.bytes_at(x + 80.0, y, Font::Regular, size, BLACK, line);
            }
        }
        doc.y = top - rows as f32 * lh;
    }
    doc.y -= 4.0;
    doc.hline(LEFT, LEFT + CONTENT_W, doc.y, RULE, 0.6);
}

pub(super) fn findings(doc: &mut Doc, report: &Report) {
    flow::heading(doc, "Findings", 40.0);
    let ascites = match report.ascites {
        Ascites::NotRecorded => "not recorded".to_owned(),
        Ascites::None => "none".to_owned(),
        Ascites::Present { volume_ml: None } => "present, volume not measured".to_owned(),
        Ascites::Present { volume_ml } => format!("present, {}", quantity(volume_ml, 0, "mL")),
    };
    key_value(doc, "Ascites", &ascites);

    let sb = &report.small_bowel;
    key_value(
        doc,
        "Small bowel and mesentery",
        &or_not_recorded(Some(&sb.description)),
    );
    key_value(doc, "Serosal disease only", yes_no(sb.serosal_only));
    key_value(
        doc,
        "Mesenteric root involved",
        yes_no(sb.mesenteric_root_involved),
    );
    key_value(doc, "Segments resected", &sb.segments_resected.to_string());
    key_value(
        doc,
        "Length resected",
        &quantity(sb.length_resected_cm, 1, "cm"),
    );

    let rd = &report.right_diaphragm;
    let involvement = rd.involvement.map_or("not recorded", |i| i.label());
    key_value(doc, "Right diaphragm dome", involvement);
    let mobile = rd.cupola_mobile.map_or("not recorded", yes_no);
    key_value(doc, "Cupola mobile", mobile);
    if !report.findings.trim().is_empty() {
        doc.y -= 4.0;
        flow::paragraph(doc, LEFT, &report.findings, Font::Regular, BODY, BLACK);
    }
}

pub(super) fn procedures(doc: &mut Doc, report: &Report) {
    flow::heading(doc, "Procedures", 40.0);
    for (name, done) in report.peritonectomies.list() {
        let mark = if done { "done" } else { "\u{2013}" };
        key_value_wide(doc, name, mark, done);
    }
    let organs: Vec<&str> = report
        .organ_resections
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    let organs = if organs.is_empty() {
        "none recorded".to_owned()
    } else {
        organs.join("; ")
    };
    doc.y -= 3.0;
    key_value(doc, "Organ resections", &organs);
}

/// A procedure line: long name on the left, status at a fixed column.
fn key_value_wide(doc: &mut Doc, name: &str, status: &str, done: bool) {
    let lh = flow::leading(BODY);
    doc.ensure(lh);
    doc.y -= lh;
    let base = doc.y + lh * 0.25;
    let font = if done { Font::Bold } else { Font::Regular };
    let color = if done { BLACK } else { GREY };
    doc.text_at(LEFT, base, Font::Regular, BODY, color, name);
    doc.text_at(LEFT + 330.0, base, font, BODY, color, status);
}

pub(super) fn hipec(doc: &mut Doc, report: &Report) {
    flow::heading(doc, "HIPEC", 14.0);
    let Some(h) = &report.hipec else {
        key_value(doc, "HIPEC", "none given");
        return;
    };
    key_value(doc, "Drug", &or_not_recorded(Some(&h.drug)));
    key_value(doc, "Dose", &quantity(h.dose_mg, 1, "mg"));
    if let Some(per_m2) = h.dose_mg_per_m2 {
        key_value(doc, "Dose per m2", &quantity(Some(per_m2), 1, "mg/m2"));
    }
    key_value(doc, "Temperature", &quantity(h.temperature_c, 1, "\u{b0}C"));
    key_value(doc, "Duration", &quantity(h.duration_min, 0, "min"));
    key_value(
        doc,
        "Technique",
        h.technique.map_or("not recorded", |t| t.label()),
    );
    key_value(doc, "Carrier volume", &quantity(h.carrier_volume_l, 1, "L"));
    key_value(
        doc,
        "Inflow / outflow",
        &format!(
            "{} / {}",
            quantity(h.inflow_temperature_c, 1, "\u{b0}C"),
            quantity(h.outflow_temperature_c, 1, "\u{b0}C")
        ),
    );
}

pub(super) fn liver(doc: &mut Doc, report: &Report) {
    flow::heading(doc, "Liver", 40.0);
    let l = &report.liver;
    key_value(doc, "Liver resection", yes_no(l.resection_performed));
    key_value(doc, "Ablation", yes_no(l.ablation_performed));
    if let Some(t) = l.resection_type.as_deref().filter(|t| !t.trim().is_empty()) {
        key_value(doc, "Resection type", t.trim());
    }
    let Some(f) = &l.figures else {
        key_value(doc, "Volumetry", "not done");
        return;
    };
    plan_rows(doc, f, true);
}

/// The planning report's volumes and sentences (its decision card above holds the
/// verdict and the "pre-operative plan" line).
pub(super) fn liver_plan(doc: &mut Doc, f: &LiverFigures) {
    flow::heading(doc, "Volumes, criteria and sources", 40.0);
    plan_rows(doc, f, false);
    couinaud_segments(doc, f);
}

/// The Couinaud segment table (when landmarks gave segments) and its caveat.
fn couinaud_segments(doc: &mut Doc, f: &LiverFigures) {
    if f.segments.is_empty() {
        return;
    }
    flow::heading(doc, "Couinaud segments", 40.0);
    for s in &f.segments {
        let tumours = if s.tumours.is_empty() {
            String::new()
        } else {
            let ids: Vec<String> = s.tumours.iter().map(|i| format!("#{i}")).collect();
            format!(", tumour {}", ids.join(", "))
        };
        flow::key_value(
            doc,
            &format!("Segment {}", s.segment),
            &format!(
                "{}, {} of the functional liver{tumours}",
                quantity(Some(s.volume_ml), 0, "mL"),
                quantity(s.percent, 1, "%")
            ),
        );
    }
    if let Some(c) = &f.segments_caveat {
        flow::paragraph(doc, LEFT, c, Font::Regular, BODY, BLACK);
    }
}

/// The plan's date as entered, or "date not recorded".
pub(super) fn plan_date(f: &LiverFigures) -> &str {
    f.plan_date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or("date not recorded")
}

/// The liver figures as rows, then every sentence but the verdict; `full`: with the
/// "pre-operative plan" and verdict rows (the operative report has no card).
fn plan_rows(doc: &mut Doc, f: &LiverFigures, full: bool) {
    doc.y -= 3.0;
    let date = plan_date(f);
    if full {
        flow::key_value_styled(
            doc,
            "Pre-operative plan",
            &format!("pre-operative plan ({date}), not the operation's findings"),
            Font::Bold,
            BLACK,
        );
    }
    let mut rows = vec![
        ("Total liver volume", quantity(f.total_ml, 0, "mL")),
        ("Tumour volume", quantity(f.tumour_ml, 0, "mL")),
        ("Functional volume", quantity(f.functional_ml, 0, "mL")),
        ("Resected volume", quantity(f.resected_ml, 0, "mL")),
        ("Remnant volume", quantity(f.remnant_ml, 0, "mL")),
        ("FLR", quantity(f.flr_percent, 1, "%")),
    ];
    if f.stage1_resected_ml.is_some() {
        // two-stage plan: "Resected volume" and "FLR" above are the second stage's
        rows.push((
            "Stage-1 resected volume",
            quantity(f.stage1_resected_ml, 0, "mL"),
        ));
        rows.push(("FLR after stage 1", quantity(f.stage1_flr_percent, 1, "%")));
    }
    rows.extend([("Standardised FLR", quantity(f.sflr_percent, 1, "%"))]);
    if f.bsa_m2.is_some() || f.stlv_ml.is_some() {
        rows.push(("BSA (Mosteller)", quantity(f.bsa_m2, 2, "m2")));
        rows.push(("sTLV (Vauthey 2002)", quantity(f.stlv_ml, 0, "mL")));
    }
    if f.flr_bw_percent.is_some() {
        rows.push(("FLR / body weight", quantity(f.flr_bw_percent, 2, "%")));
    }
    rows.push(("Judged on", or_not_recorded(f.basis.as_deref())));
    rows.push(("Liver condition", or_not_recorded(Some(&f.condition))));
    rows.push(("Required FLR", quantity(f.threshold_percent, 1, "%")));
    if f.threshold_source.is_some() {
        rows.push((
            "Threshold source",
            or_not_recorded(f.threshold_source.as_deref()),
        ));
    }
    let post_pve = f.post_pve_flr_percent.is_some() || f.post_pve_remnant_ml.is_some();
    if post_pve {
        rows.push((
            "Remnant after PVE (post-PVE scan)",
            quantity(f.post_pve_remnant_ml, 0, "mL"),
        ));
        rows.push((
            "FLR after PVE (post-PVE scan)",
            quantity(f.post_pve_flr_percent, 1, "%"),
        ));
        if f.post_pve_sflr_percent.is_some() {
            rows.push((
                "Standardised FLR after PVE",
                quantity(f.post_pve_sflr_percent, 1, "%"),
            ));
        }
    }
    if f.kgr_percent_per_week.is_some() {
        let kgr = quantity(f.kgr_percent_per_week, 2, "%/week");
        rows.push((
            "KGR after PVE",
            if f.kgr_is_lower_bound == Some(true) {
                format!("at least {kgr} (a lower bound: weeks since PVE not entered)")
            } else {
                kgr
            },
        ));
    }
    if f.degree_of_hypertrophy_points.is_some() {
        rows.push((
            "Degree of hypertrophy",
            quantity(f.degree_of_hypertrophy_points, 1, "points"),
        ));
    }
    if f.grade.is_some() {
        rows.push((
            if post_pve {
                "Grade (post-PVE scan)"
            } else {
                "Grade"
            },
            or_not_recorded(f.grade.as_deref()),
        ));
    }
    for (key, value) in rows {
        key_value(doc, key, &value);
    }
    if full {
        flow::key_value_styled(
            doc,
            "Verdict",
            &or_not_recorded(Some(&f.verdict)),
            Font::Bold,
            BLACK,
        );
    }
    let rest: Vec<&String> = f
        .statements
        .iter()
        .filter(|s| s.trim() != f.verdict.trim())
        .collect();
    if !rest.is_empty() {
        doc.y -= 3.0;
        for s in rest {
            flow::bullet(doc, s, BLACK, None);
        }
    }
}

/// Problems found by validation, if any.
pub(super) fn checks(doc: &mut Doc, report: &Report) {
    let problems = report.validate();
    if problems.is_empty() {
        return;
    }
    flow::heading(doc, "Data checks", 14.0);
    for p in problems {
        let color = match p.severity {
            Severity::Error => ALERT,
            Severity::Warning => GREY,
        };
        flow::bullet(doc, &p.to_string(), color, None);
    }
}

/// Closing note tying the PDF to the exact report data.
pub(super) fn provenance(doc: &mut Doc, report: &Report) {
    let note = match report.fingerprint() {
        Ok(hash) => format!("Generated by Remnant. SHA-256 of the report data (JSON): {hash}"),
        Err(_) => "Generated by Remnant.".to_owned(),
    };
    doc.y -= 10.0;
    flow::paragraph(doc, LEFT, &note, Font::Regular, SMALL, GREY);
}
