//! `remnant volumetry`: volumes, FLR and the PVE verdict from files, as a table or JSON.

use super::args::{Args, Spec};
use crate::segmentation::components::{Component, components};
use crate::segmentation::io::{import_mask, load_label_map};
use crate::segmentation::{LabelMap, Layer};
use crate::task::Task;
use crate::volume::Geometry;
use crate::volume::nifti::{MaskSelect, read_header};
use crate::volumetry::{Assessment, Counts, LiverCondition, PlanInputs, assess};
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
    ],
    switches: &["json"],
};

pub const USAGE: &str = "remnant volumetry --ct CT.nii.gz|DICOM_DIR [--series UID] [--labels LABELS.nii.gz] [--liver-mask M.nii.gz [--liver-label N]]
        [--resection-mask M] [--tumour-mask M] [--condition normal|chemo|cirrhosis]
        [--height-cm H --weight-kg W] [--cut-point X,Y,Z --cut-normal NX,NY,NZ [--cut-remove positive|negative]]
        [--after-labels POST_PVE_LABELS.nii.gz --weeks N] [--json]";

/// Version of the JSON layout printed with --json (documented in the README).
pub const JSON_SCHEMA: &str = "remnant.volumetry/1";

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
    /// Post-PVE comparison, when --after-labels and --weeks are given.
    pub growth: Option<crate::volumetry::growth::Growth>,
    pub warnings: Vec<String>,
    pub seconds: f64,
}

pub fn run(argv: &[std::ffi::OsString]) -> Result<(), String> {
    let a = Args::parse(argv, &SPEC)?;
    let t0 = Instant::now();
    let ct = a.require_path("ct")?;
    let inputs = PlanInputs {
        condition: match a.text("condition") {
            None => LiverCondition::Normal,
            Some(c) => LiverCondition::parse(&c)
                .ok_or_else(|| format!("--condition \"{c}\" must be normal, chemo or cirrhosis"))?,
        },
        height_cm: a.number("height-cm")?,
        weight_kg: a.number("weight-kg")?,
        ..Default::default()
    };
    if let Some(h) = inputs.height_cm {
        crate::volumetry::body::check_height(h).map_err(|e| format!("--height-cm: {e}"))?;
    }
    if let Some(w) = inputs.weight_kg {
        crate::volumetry::body::check_weight(w).map_err(|e| format!("--weight-kg: {e}"))?;
    }
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
    let counts = Counts::from_bits(&map.bits);
    let assessment = assess(&counts, g.voxel_volume_mm3(), &inputs);
    if assessment.volumes.resection_outside_liver_ml > 0.0 {
        warnings.push(format!(
            "{:.1} mL of resection is traced outside the liver and not counted",
            assessment.volumes.resection_outside_liver_ml
        ));
    }
    let tumours = components(&map.bits, Layer::Tumour.bit(), &g);
    let growth = match (a.path("after-labels"), a.number("weeks")?) {
        (None, None) => None,
        (Some(p), Some(weeks)) => {
            let (vol, _) =
                crate::volume::nifti::read_labels(&p, Task::none()).map_err(|e| e.to_string())?;
            let after_map = LabelMap::from_labels(vol.geometry.clone(), vol.as_slice())
                .map_err(|e| format!("{}: {e}", p.display()))?;
            let after = assess(
                &Counts::from_bits(&after_map.bits),
                vol.geometry.voxel_volume_mm3(),
                &inputs,
            );
            Some(crate::volumetry::growth::compare(
                &assessment,
                &after,
                weeks,
            )?)
        }
        _ => return Err("--after-labels and --weeks go together".into()),
    };
    let report = Report {
        schema: JSON_SCHEMA,
        ct: ScanInfo::new(&ct, &g),
        assessment,
        tumours,
        growth,
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
        let (g, warnings, _) = crate::volume::dicom::open_geometry(ct, series, Task::none())
            .map_err(|e| e.to_string())?;
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
    if let (Some(bw), Some(ok)) = (a.flr_bw_percent, a.flr_bw_adequate) {
        let _ = writeln!(
            s,
            "FLR/BW      {bw:.2} % ({} 0.5 %, Truant 2007)",
            if ok { ">=" } else { "<" }
        );
    }
    let _ = writeln!(s, "Verdict     {}", a.verdict.text);
    if let Some(p) = &a.pve {
        let _ = writeln!(
            s,
            "After PVE   remnant {:.0}-{:.0} mL, {} {:.1}-{:.1} % expected in 2-4 weeks{}",
            p.remnant_ml.0,
            p.remnant_ml.1,
            a.verdict.basis.as_deref().unwrap_or("FLR"),
            p.percent.0,
            p.percent.1,
            if p.reaches_threshold_at_best {
                ""
            } else {
                " - even +40 % stays below the threshold: discuss a two-stage hepatectomy"
            }
        );
    }
    if !r.tumours.is_empty() {
        let _ = writeln!(
            s,
            "\nTumours     {} (6-connected components)",
            r.tumours.len()
        );
        for t in &r.tumours {
            let _ = writeln!(
                s,
                "  #{:<3} {:>9.3} mL  largest diameter {:>6.1} mm",
                t.id, t.volume_ml, t.diameter_mm
            );
        }
    }
    if let Some(g) = &r.growth {
        let _ = writeln!(s, "After PVE   {}", g.text);
    }
    for w in &r.warnings {
        let _ = writeln!(s, "Warning     {w}");
    }
    s
}
