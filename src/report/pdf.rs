//! PDF export of a [`Report`]: A4 pages, base-14 Helvetica text (WinAnsi),
//! the PCI diagram in vector graphics, key CT images and photos.

mod course;
mod diagram;
mod doc;
mod flow;
mod gallery;
mod image;
mod metrics;
mod pci_section;
mod photo;
mod plan;
pub(crate) use photo::jpeg_orientation;
mod sections;
pub mod snapshot3d;
mod text;

use super::error::ReportError;
use super::model::Report;
use doc::Doc;

/// A key CT slice with its overlays, rendered by the app.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyImage {
    pub caption: String,
    pub width: u32,
    pub height: u32,
    /// Row-major 8-bit RGB samples, top row first: width x height x 3 bytes.
    pub rgb: Vec<u8>,
    /// Text printed over the image (a ruler's length beside its line).
    pub labels: Vec<ImageLabel>,
}

/// A short text over a key image.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageLabel {
    /// Where its centre goes: fractions of the width and height from the top left.
    pub at: [f64; 2],
    pub text: String,
}

/// Which report a PDF holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportKind {
    /// The operative report of peritoneal surface surgery (PCI first).
    #[default]
    Operative,
    /// The pre-operative liver plan (decision card first).
    Plan,
    /// Both, in one file: the plan, then the operative report, each titled.
    Both,
}

impl ReportKind {
    pub fn parse(s: &str) -> Option<ReportKind> {
        match s {
            "operative" => Some(ReportKind::Operative),
            "plan" => Some(ReportKind::Plan),
            "both" => Some(ReportKind::Both),
            _ => None,
        }
    }

    /// The report a case calls for: both parts when it holds a liver plan and
    /// operative findings, the plan alone when it holds only the plan.
    pub fn for_report(report: &Report) -> ReportKind {
        let plan = report.liver.figures.is_some();
        let operative = report.pci.unscored_count() < crate::pci::REGIONS.len()
            || report.operation_date.is_some()
            || !report.findings.trim().is_empty();
        match (plan, operative) {
            (true, true) => ReportKind::Both,
            (true, false) => ReportKind::Plan,
            _ => ReportKind::Operative,
        }
    }
}

/// Renders the operative report as a PDF document ([`render_report_pdf`] with
/// [`ReportKind::Operative`]).
pub fn render_pdf(report: &Report, images: &[KeyImage]) -> Result<Vec<u8>, ReportError> {
    render_report_pdf(report, images, ReportKind::Operative)
}

/// Renders the report as a PDF document of the given kind.
///
/// Every input gives a PDF; the `Result` leaves room for output that can
/// fail (e.g. fonts embedded from files). Never fails because of one picture: a key image with inconsistent data
/// or a photo that cannot be read is listed with the reason instead.
pub fn render_report_pdf(
    report: &Report,
    images: &[KeyImage],
    kind: ReportKind,
) -> Result<Vec<u8>, ReportError> {
    let mut doc = Doc::default();
    if kind != ReportKind::Operative {
        sections::header(&mut doc, report, plan::TITLE);
        plan::part(&mut doc, report, images);
    }
    if kind == ReportKind::Both {
        doc.new_page();
    }
    if kind != ReportKind::Plan {
        sections::header(&mut doc, report, sections::TITLE);
        pci_section::draw(&mut doc, &report.pci, report.cc_score);
        sections::findings(&mut doc, report);
        sections::procedures(&mut doc, report);
        sections::hipec(&mut doc, report);
        course::operation(&mut doc, report);
        sections::liver(&mut doc, report);
        course::follow_up(&mut doc, report);
        if kind == ReportKind::Operative {
            gallery::key_images(&mut doc, images);
        }
        gallery::photos(&mut doc, &report.photos);
    }
    sections::checks(&mut doc, report);
    sections::provenance(&mut doc, report);

    let p = &report.patient;
    let id = text::one_line(p.patient_id.as_deref().unwrap_or(""));
    let name = text::one_line(p.name.as_deref().unwrap_or(""));
    let what = match kind {
        ReportKind::Operative => "Remnant operative report",
        ReportKind::Plan => "Remnant pre-operative liver plan",
        ReportKind::Both => "Remnant liver plan and operative report",
    };
    let mut footer = vec![what.to_owned()];
    if !name.is_empty() {
        footer.push(name);
    }
    if !id.is_empty() {
        footer.push(format!("ID {id}"));
    }
    let footer = footer.join(" \u{2013} ");
    let heading = match kind {
        ReportKind::Plan => plan::TITLE,
        ReportKind::Both => "Pre-operative liver plan and operative report",
        ReportKind::Operative => sections::TITLE,
    };
    let title = format!(
        "{} \u{2013} {}",
        heading,
        if id.is_empty() { "no patient ID" } else { &id }
    );
    Ok(doc.finish(&title, &footer))
}
