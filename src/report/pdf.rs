//! PDF export of a [`Report`]: A4 pages, base-14 Helvetica text (WinAnsi),
//! the PCI diagram in vector graphics, key CT images and photos.

mod diagram;
mod doc;
mod flow;
mod gallery;
mod image;
mod metrics;
mod pci_section;
mod photo;
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

/// Renders the report as a PDF document.
///
/// Every input gives a PDF; the `Result` leaves room for output that can
/// fail (e.g. fonts embedded from files). Never fails because of one picture: a key image with inconsistent data
/// or a photo that cannot be read is listed with the reason instead.
pub fn render_pdf(report: &Report, images: &[KeyImage]) -> Result<Vec<u8>, ReportError> {
    let mut doc = Doc::default();
    sections::header(&mut doc, report);
    pci_section::draw(&mut doc, &report.pci, report.cc_score);
    sections::findings(&mut doc, report);
    sections::procedures(&mut doc, report);
    sections::hipec(&mut doc, report);
    sections::liver(&mut doc, report);
    gallery::key_images(&mut doc, images);
    gallery::photos(&mut doc, &report.photos);
    sections::checks(&mut doc, report);
    sections::provenance(&mut doc, report);

    let p = &report.patient;
    let id = text::one_line(p.patient_id.as_deref().unwrap_or(""));
    let name = text::one_line(p.name.as_deref().unwrap_or(""));
    let mut footer = vec!["Remnant operative report".to_owned()];
    if !name.is_empty() {
        footer.push(name);
    }
    if !id.is_empty() {
        footer.push(format!("ID {id}"));
    }
    let footer = footer.join(" \u{2013} ");
    let title = format!(
        "{} \u{2013} {}",
        sections::TITLE,
        if id.is_empty() { "no patient ID" } else { &id }
    );
    Ok(doc.finish(&title, &footer))
}
