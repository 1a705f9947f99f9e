//! `remnant report`: check a saved report or case (`--validate`) and render its PDF.

use super::CliError;
use crate::report::{Report, Severity};

/// `remnant report --input CASE_OR_REPORT.json [--pdf OUT.pdf] [--pdf-dicom OUT.dcm] [--validate]`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A case file or an operative report (JSON)
    #[arg(long, value_name = "CASE_OR_REPORT.json")]
    pub input: std::path::PathBuf,
    /// Write the printable report here
    #[arg(long, value_name = "OUT.pdf")]
    pub pdf: Option<std::path::PathBuf>,
    /// Write the report as a DICOM Encapsulated PDF (modality DOC) here: in the CT's
    /// study and patient when the case's scan came from DICOM, else a new study (with
    /// a warning); with --pdf, the two hold the same PDF
    #[arg(long, value_name = "OUT.dcm")]
    pub pdf_dicom: Option<std::path::PathBuf>,
    /// List what is missing or implausible; exit 1 when there are errors
    #[arg(long)]
    pub validate: bool,
    /// Which report the PDF holds: the pre-operative liver plan, the operative report,
    /// or both in one file (default: what the input holds: both when it has a liver
    /// plan and operative findings)
    #[arg(long, value_name = "plan|operative|both", value_parser = ["plan", "operative", "both"])]
    pub kind: Option<String>,
}

pub fn run(a: ReportArgs) -> Result<(), CliError> {
    let input = a.input.clone();
    if a.pdf.is_none() && a.pdf_dicom.is_none() && !a.validate {
        return Err("give --pdf OUT.pdf, --pdf-dicom OUT.dcm, --validate, or several".into());
    }
    let bytes = std::fs::read(&input).map_err(|e| format!("{}: {e}", input.display()))?;
    let is_case = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .is_some_and(|v| v.get("case_version").is_some());
    // A case opens through the same workspace as in the app: its scan and layers, the
    // liver figures filled in as a case save fills them, the PDF as File > Export.
    let mut ws = crate::workspace::Workspace::new();
    let warnings = if is_case {
        // read only: nothing is written to the case (another Remnant may have it open)
        let notes = ws.open_case_now(&input, true)?;
        ws.fill_liver_figures();
        notes
    } else {
        ws.report = Report::load(&input).map_err(|e| e.to_string())?;
        Vec::new()
    };
    for w in &warnings {
        eprintln!("remnant: warning: {w}");
    }
    let report = &ws.report;
    let mut errors = 0;
    if a.validate {
        let problems = report.validate();
        for p in &problems {
            println!("{p}");
            if p.severity == Severity::Error {
                errors += 1;
            }
        }
        println!(
            "{}: {} problem(s), {errors} error(s); PCI {} / 39{}",
            input.display(),
            problems.len(),
            report.pci.total(),
            if report.pci.is_complete() {
                ""
            } else {
                " (not every region scored)"
            }
        );
    }
    let kind = a.kind.as_deref().and_then(crate::report::ReportKind::parse);
    match (a.pdf.clone(), a.pdf_dicom.clone()) {
        (pdf, Some(dcm)) => {
            let note = ws.export_pdf_dicom(&dcm, kind, pdf.as_deref())?;
            if let Some(out) = pdf {
                println!("wrote {}", out.display());
            }
            println!("wrote {}", dcm.display());
            for w in note.split(". Note: ").skip(1) {
                eprintln!("remnant: warning: {w}");
            }
        }
        (Some(out), None) => {
            ws.export_pdf(&out, kind)?;
            println!("wrote {}", out.display());
        }
        (None, None) => {}
    }
    if errors > 0 {
        return Err(format!("{errors} error(s) in {}", input.display()).into());
    }
    Ok(())
}
