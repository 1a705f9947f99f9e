//! The operation's course and the follow-up entries (complications, 30- and 90-day
//! outcome) of the operative report PDF.

use super::doc::Doc;
use super::flow::{self, key_value, quantity};
use crate::report::model::{Outcome, Report};

/// A count, or "not recorded".
fn count(n: Option<u32>) -> String {
    n.map_or_else(|| "not recorded".to_owned(), |n| n.to_string())
}

/// Operative time, blood loss, transfusion, anastomoses and stoma.
pub(super) fn operation(doc: &mut Doc, report: &Report) {
    flow::heading(doc, "Operation", 40.0);
    let o = &report.operation;
    key_value(
        doc,
        "Operative time",
        &quantity(o.operative_time_min, 0, "min"),
    );
    key_value(doc, "Blood loss", &quantity(o.blood_loss_ml, 0, "mL"));
    key_value(
        doc,
        "Transfusion",
        &o.transfusion_units.map_or_else(
            || "not recorded".to_owned(),
            |n| format!("{n} red cell unit{}", if n == 1 { "" } else { "s" }),
        ),
    );
    key_value(doc, "Anastomoses", &count(o.anastomoses));
    key_value(doc, "Stoma", o.stoma.map_or("not recorded", |s| s.label()));
}

/// One outcome as a line: "alive; readmitted: no; reoperated: not recorded".
fn outcome(o: &Outcome) -> String {
    let known = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not recorded",
    };
    let alive = match o.alive {
        Some(true) => "alive",
        Some(false) => "died",
        None => "vital status not recorded",
    };
    format!(
        "{alive}; readmitted: {}; reoperated: {}",
        known(o.readmitted),
        known(o.reoperated)
    )
}

/// Complications with their Clavien-Dindo grade, and the 30- and 90-day outcome.
pub(super) fn follow_up(doc: &mut Doc, report: &Report) {
    let f = &report.follow_up;
    flow::heading(doc, "Follow-up", 40.0);
    if f.complications.is_empty() {
        key_value(doc, "Complications", "none recorded");
    }
    for (i, c) in f.complications.iter().enumerate() {
        let grade = c
            .clavien_dindo
            .map_or("grade not recorded".to_owned(), |g| {
                format!("Clavien-Dindo {}", g.label())
            });
        let date = c.date.as_deref().map(str::trim).unwrap_or("");
        let mut value = format!("{} ({grade}", flow::or_not_recorded(Some(&c.description)));
        if !date.is_empty() {
            value.push_str(&format!(", {date}"));
        }
        value.push(')');
        key_value(doc, &format!("Complication {}", i + 1), &value);
    }
    key_value(doc, "Day 30", &outcome(&f.day30));
    key_value(doc, "Day 90", &outcome(&f.day90));
}
