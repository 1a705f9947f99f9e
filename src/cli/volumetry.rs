//! `remnant volumetry`: volumes, FLR and the PVE verdict from files, as a table or JSON.

use super::args::{Args, Spec};
use crate::clinical::Sentence;
use crate::clinical::{AfterPve, CheckLine, ChecklistInputs, Fong, FongInputs, decide};
use crate::segmentation::components::{Component, components};
use crate::segmentation::io::{import_mask, load_label_map};
use crate::segmentation::{LabelMap, Layer};
use crate::task::Task;
use crate::volume::Geometry;
use crate::volume::nifti::{MaskSelect, read_header};
use crate::volumetry::growth::{Growth, Timing};
use crate::volumetry::margins::{Placement, TumourMargin};
use crate::volumetry::{Assessment, Counts, LiverCondition, PlanInputs, Thresholds};
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

pub const SPEC: Spec = Spec {
    values: &[
        "ct",
        "series",
        "labels",
        "liver-mask",
        "liver-label",
        "resection-mask",
        "tumour-mask",
        "condition",
        "height-cm",
        "weight-kg",
        "cut-point",
        "cut-normal",
        "cut-remove",
        "after-labels",
        "weeks",
        "weeks-since-pve",
        "threshold",
        "plan-date",
        "pci",
        "node-positive",
        "dfi-under-12-months",
        "cea-over-200",
        "more-than-one-tumour",
        "largest-over-5cm",
        "tolerates-surgery",
        "primary-controlled",
        "extrahepatic-controlled",
    ],
    switches: &["json"],
};

pub const USAGE: &str = "remnant volumetry --ct CT.nii.gz|DICOM_DIR [--series UID] [--labels LABELS.nii.gz] [--liver-mask M.nii.gz [--liver-label N]]
        [--resection-mask M] [--tumour-mask M] [--condition normal|chemo|cirrhosis]
        [--height-cm H --weight-kg W] [--cut-point X,Y,Z --cut-normal NX,NY,NZ [--cut-remove positive|negative]]
        [--after-labels POST_PVE_LABELS.nii.gz [--weeks-since-pve N] [--weeks N]] [--threshold PCT] [--plan-date DATE]
        [--pci N] [--node-positive|--dfi-under-12-months|--cea-over-200|--more-than-one-tumour|--largest-over-5cm yes|no]
        [--tolerates-surgery|--primary-controlled|--extrahepatic-controlled yes|no] [--json]";

/// Version of the JSON layout printed with --json (documented in the README, with
/// what changed from version 1).
pub const JSON_SCHEMA: &str = "remnant.volumetry/2";

#[derive(Serialize)]
pub struct ScanInfo {
    pub path: String,
    pub dims: [usize; 3],
    pub spacing_mm: [f64; 3],
    pub voxel_volume_mm3: f64,
    pub orientation: String,
    pub affine_source: String,
}

impl ScanInfo {
    pub fn new(path: &Path, g: &Geometry) -> Self {
        ScanInfo {
            path: path.display().to_string(),
            dims: g.dims,
            spacing_mm: g.spacing(),
            voxel_volume_mm3: g.voxel_volume_mm3(),
            orientation: g.orientation().to_string(),
            affine_source: g.source.describe().to_string(),
        }
    }
}

#[derive(Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub ct: ScanInfo,
    #[serde(flatten)]
    pub assessment: Assessment,
    pub tumours: Vec<Component>,
    /// Margin, placement and diameters of each tumour (same order as `tumours`).
    pub margins: Vec<TumourMargin>,
    pub fong: Fong,
    pub checklist: Vec<CheckLine>,
    /// Post-PVE comparison, when --after-labels is given.
    pub growth: Option<Growth>,
    /// Why the post-PVE comparison could not be made.
    pub growth_error: Option<String>,
    /// The post-PVE scan's own assessment.
    pub after: Option<Assessment>,
    /// Every clinical sentence, in the order the table, the app and the PDF print them.
    pub sentences: Vec<Sentence>,
    pub plan_date: Option<String>,
    pub warnings: Vec<String>,
    pub seconds: f64,
}

fn yes_no(a: &Args, name: &str) -> Result<Option<bool>, String> {
    match a.text(name).as_deref().map(str::trim) {
        None => Ok(None),
        Some("yes" | "y" | "true" | "1") => Ok(Some(true)),
        Some("no" | "n" | "false" | "0") => Ok(Some(false)),
        Some(o) => Err(format!("--{name} \"{o}\" must be yes or no")),
    }
}

fn inputs(a: &Args) -> Result<PlanInputs, String> {
    let condition = match a.text("condition") {
        None => LiverCondition::Normal,
        Some(c) => LiverCondition::parse(&c)
            .ok_or_else(|| format!("--condition \"{c}\" must be normal, chemo or cirrhosis"))?,
    };
    let mut thresholds = Thresholds::default();
    if let Some(t) = a.number("threshold")? {
        match condition {
            LiverCondition::Normal => thresholds.normal = t,
            LiverCondition::Chemo => thresholds.chemo = t,
            LiverCondition::Cirrhosis => thresholds.cirrhosis = t,
        }
        thresholds
            .validate()
            .map_err(|e| format!("--threshold: {e}"))?;
    }
    let inputs = PlanInputs {
        condition,
        thresholds,
        height_cm: a.number("height-cm")?,
        weight_kg: a.number("weight-kg")?,
        plan_date: a.text("plan-date"),
        fong: FongInputs {
            node_positive_primary: yes_no(a, "node-positive")?,
            disease_free_interval_under_12_months: yes_no(a, "dfi-under-12-months")?,
            cea_over_200: yes_no(a, "cea-over-200")?,
            more_than_one_tumour: yes_no(a, "more-than-one-tumour")?,
            largest_over_5_cm: yes_no(a, "largest-over-5cm")?,
        },
        checklist: ChecklistInputs {
            tolerates_surgery: yes_no(a, "tolerates-surgery")?,
            primary_controlled: yes_no(a, "primary-controlled")?,
            extrahepatic_controlled: yes_no(a, "extrahepatic-controlled")?,
        },
    };
    if let Some(h) = inputs.height_cm {
        crate::volumetry::body::check_height(h).map_err(|e| format!("--height-cm: {e}"))?;
    }
    if let Some(w) = inputs.weight_kg {
        crate::volumetry::body::check_weight(w).map_err(|e| format!("--weight-kg: {e}"))?;
    }
    Ok(inputs)
}

pub fn run(argv: &[std::ffi::OsString]) -> Result<(), String> {
    let a = Args::parse(argv, &SPEC)?;
    let t0 = Instant::now();
    let ct = a.require_path("ct")?;
    let inputs = inputs(&a)?;
    let pci = match a.text("pci") {
        None => None,
        Some(t) => Some(
            t.trim()
                .parse::<u32>()
                .ok()
                .filter(|&p| p <= 39)
                .ok_or_else(|| format!("--pci \"{t}\" must be a whole number 0-39"))?,
        ),
    };
    let (g, mut warnings) = ct_geometry(&ct, a.text("series").as_deref())?;
    let mut map = match a.path("labels") {
        Some(p) => load_label_map(&p, &g, Task::none())?,
        None => LabelMap::empty(g.clone()),
    };
    let select = a.mask_select("liver-label")?;
    for (flag, layer, sel) in [
        ("liver-mask", Layer::Liver, select),
        ("resection-mask", Layer::Resection, MaskSelect::NonZero),
        ("tumour-mask", Layer::Tumour, MaskSelect::NonZero),
    ] {
        if let Some(p) = a.path(flag) {
            import_mask(&p, sel, layer, &mut map, Task::none())?;
        }
    }
    if a.path("labels").is_none() && a.path("liver-mask").is_none() {
        return Err("give --labels or --liver-mask: there is nothing to measure".into());
    }
    if let Some(plane) = cut_plane(&a)? {
        let added = crate::segmentation::plane_cut::cut_voxels(&map.bits, &g, &plane);
        for idx in added {
            map.bits[idx] |= Layer::Resection.bit();
        }
    }
    let tumours = components(&map.bits, Layer::Tumour.bit(), &g);
    let timing = Timing {
        weeks_since_pve: a.number("weeks-since-pve")?,
        weeks_between_scans: a.number("weeks")?,
    };
    let after = match a.path("after-labels") {
        None => {
            if timing != Timing::default() {
                return Err("--weeks and --weeks-since-pve go with --after-labels".into());
            }
            None
        }
        Some(p) => {
            if timing == Timing::default() {
                return Err(
                    "--after-labels needs --weeks-since-pve (or at least --weeks between the scans)"
                        .into(),
                );
            }
            let (vol, _) =
                crate::volume::nifti::read_labels(&p, Task::none()).map_err(|e| e.to_string())?;
            let after_map = LabelMap::from_labels(vol.geometry.clone(), vol.as_slice())
                .map_err(|e| format!("{}: {e}", p.display()))?;
            Some(AfterPve {
                counts: Counts::from_bits(&after_map.bits),
                voxel_mm3: vol.geometry.voxel_volume_mm3(),
                timing,
            })
        }
    };
    let d = decide(&map.bits, &g, &inputs, &tumours, pci, after);
    if d.assessment.volumes.resection_outside_liver_ml > 0.0 {
        warnings.push(format!(
            "{:.1} mL of resection is traced outside the liver and not counted",
            d.assessment.volumes.resection_outside_liver_ml
        ));
    }
    let report = Report {
        schema: JSON_SCHEMA,
        ct: ScanInfo::new(&ct, &g),
        assessment: d.assessment,
        tumours,
        margins: d.margins,
        fong: d.fong,
        checklist: d.checklist,
        growth: d.growth,
        growth_error: d.growth_error,
        after: d.after,
        sentences: d.sentences,
        plan_date: inputs.plan_date.clone(),
        warnings,
        seconds: t0.elapsed().as_secs_f64(),
    };
    if a.switch("json") {
        let s = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{s}");
    } else {
        print!("{}", table(&report));
    }
    Ok(())
}

/// The CT's grid and load warnings: a NIfTI header, or a DICOM series planned
/// from its headers (no pixel is decoded; its warnings also go to stderr).
fn ct_geometry(ct: &Path, series: Option<&str>) -> Result<(Geometry, Vec<String>), String> {
    if crate::volume::dicom::is_dicom_path(ct) {
        let (g, warnings, _) = crate::volume::dicom::open_geometry(ct, series, Task::none())?;
        for w in &warnings {
            eprintln!("remnant: warning: {w}");
        }
        return Ok((g, warnings));
    }
    if series.is_some() {
        return Err("--series chooses a series of a DICOM --ct folder".into());
    }
    let header = read_header(ct).map_err(|e| e.to_string())?;
    let g = header
        .geometry()
        .map_err(|e| format!("{}: {e}", ct.display()))?;
    Ok((g, header.warnings.clone()))
}

fn triple(a: &Args, name: &str) -> Result<Option<[f64; 3]>, String> {
    let Some(t) = a.text(name) else {
        return Ok(None);
    };
    let v: Vec<f64> = t.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    match v[..] {
        [x, y, z] if v.iter().all(|c| c.is_finite()) => Ok(Some([x, y, z])),
        _ => Err(format!(
            "--{name} \"{t}\" must be three numbers X,Y,Z (mm, RAS)"
        )),
    }
}

/// The cutting plane from --cut-point / --cut-normal / --cut-remove, if given.
fn cut_plane(a: &Args) -> Result<Option<crate::segmentation::plane_cut::CutPlane>, String> {
    let (p, n) = (triple(a, "cut-point")?, triple(a, "cut-normal")?);
    let remove_positive = match a.text("cut-remove").as_deref() {
        None | Some("positive") => true,
        Some("negative") => false,
        Some(o) => return Err(format!("--cut-remove \"{o}\" must be positive or negative")),
    };
    match (p, n) {
        (None, None) => Ok(None),
        (Some(point), Some(normal)) => {
            let plane = crate::segmentation::plane_cut::CutPlane {
                point,
                normal,
                remove_positive,
            };
            if !plane.is_valid() {
                return Err("--cut-normal must not be zero".into());
            }
            Ok(Some(plane))
        }
        _ => Err("--cut-point and --cut-normal go together".into()),
    }
}

fn table(r: &Report) -> String {
    use std::fmt::Write;
    let a = &r.assessment;
    let v = &a.volumes;
    let c = &a.counts;
    let mut s = String::new();
    let _ = writeln!(s, "Scan        {}", r.ct.path);
    let _ = writeln!(
        s,
        "Grid        {} x {} x {} voxels, {:.3} x {:.3} x {:.3} mm, {} ({}), voxel {:.4} mm^3",
        r.ct.dims[0],
        r.ct.dims[1],
        r.ct.dims[2],
        r.ct.spacing_mm[0],
        r.ct.spacing_mm[1],
        r.ct.spacing_mm[2],
        r.ct.orientation,
        r.ct.affine_source,
        r.ct.voxel_volume_mm3
    );
    let _ = writeln!(s, "\n{:<22} {:>12} {:>12}", "Structure", "voxels", "mL");
    for (name, n, ml) in [
        ("Total liver", c.total, v.total_ml),
        ("Tumour", c.tumour, v.tumour_ml),
        ("Functional liver", c.functional(), v.functional_ml),
        ("Resected liver", c.resected, v.resected_ml),
        ("Remnant (FLR)", c.remnant, v.remnant_ml),
    ] {
        let _ = writeln!(s, "{name:<22} {n:>12} {ml:>12.3}");
    }
    let _ = writeln!(s);
    match a.flr_percent {
        Some(f) => {
            let _ = writeln!(
                s,
                "FLR         {f:.1} % of the functional liver (remnant / (total - tumour))"
            );
        }
        None => {
            let _ = writeln!(s, "FLR         not available (no functional liver traced)");
        }
    }
    if let Some(b) = &a.body {
        let _ = writeln!(
            s,
            "Body        BSA {:.2} m^2 (Mosteller); sTLV {:.0} mL (Vauthey 2002); sFLR {:.1} %",
            b.bsa_m2, b.stlv_ml, b.sflr_percent
        );
    }
    if !r.tumours.is_empty() {
        let _ = writeln!(
            s,
            "\nTumours     {} (6-connected components)",
            r.tumours.len()
        );
        for (t, m) in r.tumours.iter().zip(&r.margins) {
            let margin = match (m.placement, m.margin_mm) {
                (Placement::InRemnant, _) => "in the remnant".to_string(),
                (Placement::Crosses, _) => "crosses the boundary".to_string(),
                (_, Some(d)) => format!("margin {d:.1} mm"),
                (_, None) => format!("margin > {:.0} mm", m.search_mm),
            };
            let _ = writeln!(
                s,
                "  #{:<3} {:>9.3} mL  axial diameter {:>6.1} mm  3-D extent {:>6.1} mm  {margin}",
                t.id, t.volume_ml, m.axial_diameter_mm, t.diameter_mm
            );
        }
    }
    let _ = writeln!(s);
    match &r.plan_date {
        Some(d) => {
            let _ = writeln!(s, "Pre-operative plan ({d})");
        }
        None => {
            let _ = writeln!(s, "Pre-operative plan (date not entered)");
        }
    }
    for sentence in &r.sentences {
        let _ = writeln!(s, "  - {}", sentence.text);
    }
    for w in &r.warnings {
        let _ = writeln!(s, "Warning     {w}");
    }
    s
}
