//! Resectability checklist: OncoSurge (all metastases resectable with margins > 1 cm
//! and a remnant > 20 %) and the five JSCCR 2010 criteria (Japanese Society for Cancer
//! of the Colon and Rectum), both as quoted by the review of surgery for colorectal
//! liver metastases (Akgül et al., World J Gastroenterol 2014). Each line is filled from
//! the plan where it can be, the rest is entered. Extrahepatic disease is linked to the
//! case's PCI: peritoneal metastases are extrahepatic disease, classically a
//! contraindication (the same review), for which combined CRS-HIPEC with liver
//! resection is an option in selected patients (Dagenborg et al., Ann Surg 2024) and,
//! by a 2008 consensus quoted by the review, only with three or fewer well-resectable
//! liver metastases. JSCCR (5) asks for the function of the remnant; Remnant measures
//! its volume only, so it never marks (5) as met.

use crate::volumetry::assessment::{Assessment, Decision};
use crate::volumetry::margins::{MarginClass, Placement, TumourMargin, fmt_mm, margin_class};
use serde::{Deserialize, Serialize};

pub use crate::volumetry::decision_inputs::ChecklistInputs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Met,
    NotMet,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckLine {
    /// "OncoSurge" or "JSCCR 2010".
    pub system: String,
    pub criterion: String,
    pub status: CheckStatus,
    /// "plan" (filled from the tracing) or "entered".
    pub origin: String,
    pub detail: String,
}

impl CheckLine {
    pub fn text(&self) -> String {
        let st = match self.status {
            CheckStatus::Met => "met",
            CheckStatus::NotMet => "NOT met",
            CheckStatus::Unknown => "not known",
        };
        let mut s = format!(
            "{} - {}: {st} ({})",
            self.system,
            self.criterion,
            if self.origin == "plan" {
                "from the plan"
            } else {
                "entered"
            }
        );
        if !self.detail.is_empty() {
            s.push_str(&format!("; {}", self.detail));
        }
        s
    }
}

fn entered(v: Option<bool>) -> CheckStatus {
    match v {
        Some(true) => CheckStatus::Met,
        Some(false) => CheckStatus::NotMet,
        None => CheckStatus::Unknown,
    }
}

/// OncoSurge "all metastases resectable with margins > 1 cm", from the plan.
fn margin_check(margins: &[TumourMargin], any_left: bool) -> (CheckStatus, String) {
    let (min_margin, resolution) = margins
        .iter()
        .filter_map(|m| m.margin_mm.map(|d| (d, m.resolution_mm)))
        .fold((f64::INFINITY, 0.0), |a, b| if b.0 < a.0 { b } else { a });
    let smallest = || {
        format!(
            "smallest planned margin {} ± {resolution:.1} mm (geometric, on the scan)",
            fmt_mm(min_margin, resolution)
        )
    };
    if margins.is_empty() {
        (CheckStatus::Unknown, "no tumour traced".to_string())
    } else if any_left {
        (
            CheckStatus::NotMet,
            "a tumour is left in the remnant or crosses the resection boundary".into(),
        )
    } else if min_margin.is_finite() {
        match margin_class(min_margin, resolution) {
            MarginClass::Below => (CheckStatus::NotMet, smallest()),
            MarginClass::Uncertain => (
                CheckStatus::Unknown,
                format!("{}: 10 mm lies within the uncertainty", smallest()),
            ),
            MarginClass::Above => (CheckStatus::Met, smallest()),
        }
    } else {
        (
            CheckStatus::Met,
            "every margin more than the distance searched".into(),
        )
    }
}

/// JSCCR (4)'s detail when the case scores peritoneal disease.
fn extrahepatic_detail(pci_total: Option<u32>, tumours: usize) -> String {
    match pci_total {
        Some(p) if p > 0 => {
            let mut d = format!(
                "peritoneal disease recorded in this case (PCI {p}): extrahepatic disease, classically a contraindication to curative resection of the liver metastases (and liver metastases to CRS-HIPEC); by a 2008 consensus concomitant liver metastases are resected only when confined to three or fewer well-resectable lesions (both as quoted by Akgül et al., World J Gastroenterol 2014); combined CRS-HIPEC with liver resection is an option only for selected patients (Dagenborg et al., Ann Surg 2024)"
            );
            if tumours > 3 {
                d.push_str(&format!(
                    "; this plan has {} traced liver tumours, more than three",
                    tumours
                ));
            }
            d
        }
        _ => String::new(),
    }
}

/// JSCCR (5): Remnant measures volume, never function.
fn function_check(a: &Assessment, basis: &str) -> (CheckStatus, String) {
    match a.verdict.decision {
        Decision::Adequate | Decision::Borderline => (
            CheckStatus::Unknown,
            format!(
                "not judged: Remnant measures the remnant's volume, not its function (volume is not function); remnant volume {} ({basis})",
                a.verdict.decision.word()
            ),
        ),
        Decision::Insufficient => (
            CheckStatus::NotMet,
            format!(
                "judged by volume alone: remnant volume insufficient ({basis}); function not measured"
            ),
        ),
        Decision::NoVerdict => (CheckStatus::Unknown, "no verdict yet".into()),
    }
}

/// The checklist of a plan. `pci_total` is the case's PCI when any region is scored.
pub fn checklist(
    inp: &ChecklistInputs,
    a: &Assessment,
    margins: &[TumourMargin],
    pci_total: Option<u32>,
) -> Vec<CheckLine> {
    let line = |system: &str, criterion: &str, status, origin: &str, detail: String| CheckLine {
        system: system.into(),
        criterion: criterion.into(),
        status,
        origin: origin.into(),
        detail,
    };
    let any_left = margins.iter().any(|m| m.placement != Placement::Resected);
    let (margin_status, margin_detail) = margin_check(margins, any_left);
    let judged = a
        .verdict
        .judged_percent
        .filter(|_| a.verdict.decision != Decision::NoVerdict);
    let basis = a.verdict.basis.clone().unwrap_or_else(|| "FLR".into());
    let (rem_status, rem_detail) = match judged {
        Some(p) if p > 20.0 => (CheckStatus::Met, format!("{basis} {p:.1} %")),
        Some(p) => (CheckStatus::NotMet, format!("{basis} {p:.1} %")),
        None => (CheckStatus::Unknown, "no verdict yet".into()),
    };
    let tumours_all_resected = if margins.is_empty() {
        (CheckStatus::Unknown, "no tumour traced".to_string())
    } else if any_left {
        (
            CheckStatus::NotMet,
            "traced tumour is left in the remnant".into(),
        )
    } else {
        (
            CheckStatus::Met,
            format!("all {} traced tumours inside the resection", margins.len()),
        )
    };
    let extra_detail = extrahepatic_detail(pci_total, margins.len());
    let (fn_status, fn_detail) = function_check(a, &basis);
    vec![
        line(
            "OncoSurge",
            "all metastases resectable with margins > 1 cm",
            margin_status,
            "plan",
            margin_detail,
        ),
        line(
            "OncoSurge",
            "remnant > 20 %",
            rem_status,
            "plan",
            rem_detail,
        ),
        line(
            "JSCCR 2010",
            "(1) the patient can tolerate surgery",
            entered(inp.tolerates_surgery),
            "entered",
            String::new(),
        ),
        line(
            "JSCCR 2010",
            "(2) the primary tumour is or can be controlled",
            entered(inp.primary_controlled),
            "entered",
            String::new(),
        ),
        line(
            "JSCCR 2010",
            "(3) the liver metastases can be completely resected",
            tumours_all_resected.0,
            "plan",
            tumours_all_resected.1,
        ),
        line(
            "JSCCR 2010",
            "(4) no extrahepatic metastases, or they can be controlled",
            entered(inp.extrahepatic_controlled),
            "entered",
            extra_detail,
        ),
        line(
            "JSCCR 2010",
            "(5) the function of the remaining liver will be adequate",
            fn_status,
            "plan",
            fn_detail,
        ),
    ]
}
