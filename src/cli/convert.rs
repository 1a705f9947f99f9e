//! `remnant convert --dicom DIR [--series UID] --out CT.nii.gz`: one DICOM CT
//! series to NIfTI (int16 HU on the series' own grid, its affine in the sform
//! and the nearest rotation in the qform). `--list` shows the series found.
//! No patient or study field is written to the NIfTI file.
//! `--labels L --seg-out SEG.dcm` writes the layers as a DICOM Segmentation
//! referencing the series (or, with `--ct CT.nii.gz`, with new UIDs).

use super::CliError;
use crate::segmentation::io::load_label_map;
use crate::task::Task;
use crate::volume::dicom::{ScanResult, choose_series, load_series, scan_folder};
use crate::volume::geometry::fmt_dims;
use crate::volume::nifti::write_volume;

/// `remnant convert --dicom DIR [--series UID] --out CT.nii.gz` (or `--list`).
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The DICOM folder (searched recursively), a DICOMDIR or one image file
    #[arg(long, value_name = "DIR", required_unless_present = "ct")]
    pub dicom: Option<std::path::PathBuf>,
    /// With --seg-out instead of --dicom: a NIfTI CT (the SEG then gets new UIDs)
    #[arg(
        long,
        value_name = "CT.nii.gz",
        conflicts_with = "dicom",
        requires = "seg_out"
    )]
    pub ct: Option<std::path::PathBuf>,
    /// The series to convert, when the folder holds several: its SeriesInstanceUID, or the
    /// `no-uid-...` key `--list` shows for a series without one
    #[arg(long, value_name = "UID")]
    pub series: Option<String>,
    /// The NIfTI file to write (.nii or .nii.gz)
    #[arg(long, value_name = "CT.nii.gz", required_unless_present_any = ["list", "seg_out"])]
    pub out: Option<std::path::PathBuf>,
    /// Write the layers of --labels as a DICOM Segmentation (SEG) referencing the series
    #[arg(
        long,
        value_name = "SEG.dcm",
        requires = "labels",
        conflicts_with = "list"
    )]
    pub seg_out: Option<std::path::PathBuf>,
    /// With --seg-out: the volumes of the SEG's segments (and the FLR) as a DICOM
    /// Structured Report (TID 1500 measurement report) referencing the SEG
    #[arg(long, value_name = "SR.dcm", requires = "seg_out")]
    pub sr_out: Option<std::path::PathBuf>,
    /// The layers for --seg-out: a Remnant label map (or layer bits) on the scan's grid
    #[arg(long, value_name = "LABELS.nii.gz", requires = "seg_out")]
    pub labels: Option<std::path::PathBuf>,
    /// List the series found (and the files skipped, with why) instead of converting
    #[arg(long)]
    pub list: bool,
}

pub fn run(a: ConvertArgs) -> Result<(), CliError> {
    if let (Some(seg_out), Some(labels)) = (&a.seg_out, &a.labels)
        && a.out.is_none()
    {
        // the SEG alone: headers only, no pixel decoded
        let ct =
            a.ct.as_ref()
                .or(a.dicom.as_ref())
                .ok_or("--dicom is required")?;
        let (g, _, refs) = super::volumetry::ct_source(ct, a.series.as_deref())?;
        let map = load_label_map(labels, &g, Task::none())?;
        let w = super::seg::export(seg_out, &map, refs.as_ref())?;
        if let Some(sr) = &a.sr_out {
            super::seg::export_sr(sr, &w, &map, refs.as_ref())?;
        }
        return Ok(());
    }
    let dir = a.dicom.ok_or("--dicom is required")?;
    let uid = a.series;
    if a.list {
        let scan = scan_folder(&dir, Task::none()).map_err(|e| e.to_string())?;
        print!("{}", listing(&scan));
        return Ok(());
    }
    let out = a.out.ok_or("--out is required")?;
    let name = out.to_string_lossy().to_ascii_lowercase();
    if !(name.ends_with(".nii") || name.ends_with(".nii.gz")) {
        return Err(format!(
            "--out {}: the name must end in .nii or .nii.gz",
            out.display()
        )
        .into());
    }
    let scan = scan_folder(&dir, Task::none()).map_err(|e| e.to_string())?;
    if let Some(s) = skipped_summary(&scan) {
        eprintln!("remnant: warning: {s} (--list shows each file and why)");
    }
    let series = choose_series(&scan, uid.as_deref(), &dir).map_err(|e| {
        if uid.is_none() && scan.series.len() > 1 {
            format!("{e} (pass it with --series UID)")
        } else {
            e.to_string()
        }
    })?;
    let ct = load_series(series, Task::none()).map_err(|e| e.to_string())?;
    for w in &ct.warnings {
        eprintln!("remnant: warning: {w}");
    }
    let g = &ct.volume.geometry;
    write_volume(
        &out,
        ct.volume.as_slice(),
        g,
        None,
        &format!(
            "Remnant: {} from DICOM ({})",
            ct.units.modality,
            ct.units.symbol()
        ),
    )
    .map_err(|e| e.to_string())?;
    let sp = g.spacing();
    println!(
        "wrote {}: {} voxels, {:.3} x {:.3} x {:.3} mm, {}, series {} ({})",
        out.display(),
        fmt_dims(g.dims),
        sp[0],
        sp[1],
        sp[2],
        g.orientation(),
        series.key,
        series.label()
    );
    if let (Some(seg_out), Some(labels)) = (&a.seg_out, &a.labels) {
        let map = load_label_map(labels, g, Task::none())?;
        let w = super::seg::export(seg_out, &map, Some(&ct.refs))?;
        if let Some(sr) = &a.sr_out {
            super::seg::export_sr(sr, &w, &map, Some(&ct.refs))?;
        }
    }
    Ok(())
}

/// "3 files skipped: 2 not a DICOM file, 1 not an image", or None.
fn skipped_summary(scan: &ScanResult) -> Option<String> {
    if scan.skipped.is_empty() {
        return None;
    }
    let why: Vec<String> = scan
        .skipped_counts()
        .iter()
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    let n = scan.skipped.len();
    Some(format!(
        "{n} file{} skipped: {}",
        if n == 1 { "" } else { "s" },
        why.join(", ")
    ))
}

/// The series (UID, description, patient) and each skipped file with the reason.
fn listing(scan: &ScanResult) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    if scan.series.is_empty() {
        s.push_str("no DICOM image series found\n");
    }
    for x in &scan.series {
        let _ = writeln!(s, "series {}", x.key);
        if x.series_instance_uid.is_none() {
            let _ = writeln!(
                s,
                "  no SeriesInstanceUID: identified by its study, number, description, orientation and size; --series takes this key"
            );
        }
        let _ = writeln!(s, "  {}", x.label());
        let who = [&x.patient_name, &x.patient_id]
            .iter()
            .filter_map(|v| v.as_deref())
            .collect::<Vec<_>>()
            .join(", ");
        if !who.is_empty() {
            let _ = writeln!(s, "  patient {who}");
        }
    }
    if let Some(sum) = skipped_summary(scan) {
        let _ = writeln!(s, "{sum}");
        for (p, why) in &scan.skipped {
            let _ = writeln!(s, "  {}: {why}", p.display());
        }
    }
    s
}
