//! `remnant report`: check a saved report or case (`--validate`) and render its PDF.

use super::CliError;
use crate::case;
use crate::report::{Report, Severity, render_pdf};
use crate::study::Study;
use crate::task::Task;

/// `remnant report --input CASE_OR_REPORT.json [--pdf OUT.pdf] [--validate]`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A case file or an operative report (JSON)
    #[arg(long, value_name = "CASE_OR_REPORT.json")]
    pub input: std::path::PathBuf,
    /// Write the printable report here
    #[arg(long, value_name = "OUT.pdf")]
    pub pdf: Option<std::path::PathBuf>,
    /// List what is missing or implausible; exit 1 when there are errors
    #[arg(long)]
    pub validate: bool,
}

pub fn run(a: ReportArgs) -> Result<(), CliError> {
    let input = a.input.clone();
    if a.pdf.is_none() && !a.validate {
        return Err("give --pdf OUT.pdf, --validate, or both".into());
    }
    let bytes = std::fs::read(&input).map_err(|e| format!("{}: {e}", input.display()))?;
    let is_case = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .is_some_and(|v| v.get("case_version").is_some());
    let (report, study, warnings, rulers) = if is_case {
        let opened = case::open(&input)?;
        let (report, study) = match (&opened.scan_path, &opened.layers_path) {
            (Some(sp), Some(lp)) if lp.exists() => {
                let mut s = Study::open_series(sp, opened.scan_series.as_deref(), Task::none())?;
                s.labels =
                    crate::segmentation::io::load_label_map(lp, &s.ct.geometry, Task::none())?;
                let mut r = opened.report.clone();
                let g = &s.ct.geometry;
                let tumours = crate::segmentation::components::components(
                    &s.labels.bits,
                    crate::segmentation::Layer::Tumour.bit(),
                    g,
                );
                let pci = (r.pci.unscored_count() < crate::pci::REGIONS.len())
                    .then(|| u32::from(r.pci.total()));
                let planning = &opened.case.planning;
                let after = crate::clinical::plan::after_pve(planning);
                let d = crate::clinical::decide(&s.labels.bits, g, planning, &tumours, pci, after);
                r.liver.figures = Some(case::liver_figures(&d, planning));
                (r, Some(s))
            }
            _ => (opened.report.clone(), None),
        };
        (report, study, opened.warnings, opened.case.rulers.clone())
    } else {
        (
            Report::load(&input).map_err(|e| e.to_string())?,
            None,
            Vec::new(),
            Vec::new(),
        )
    };
    for w in &warnings {
        eprintln!("remnant: warning: {w}");
    }
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
    if let Some(out) = a.pdf.clone() {
        let images = study
            .as_ref()
            .map(|s| case::key_images(s, &rulers))
            .unwrap_or_default();
        let pdf = render_pdf(&report, &images).map_err(|e| e.to_string())?;
        crate::fsutil::atomic_write(&out, &pdf).map_err(|e| e.to_string())?;
        println!("wrote {}", out.display());
    }
    if errors > 0 {
        return Err(format!("{errors} error(s) in {}", input.display()).into());
    }
    Ok(())
}
