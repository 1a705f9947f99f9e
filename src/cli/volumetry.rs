//! `remnant volumetry`: volumes, FLR and the PVE verdict from files, as a table or JSON.

use super::CliError;
use super::values;
use crate::clinical::{AfterPve, CheckLine, ChecklistInputs, Fong, FongInputs, Sentence, decide};
use crate::segmentation::components::{Component, components};
use crate::segmentation::io::{import_mask, load_label_map};
use crate::segmentation::{LabelMap, Layer};
use crate::task::Task;
use crate::volume::Geometry;
use crate::volume::dicom::SourceRefs;
use crate::volume::nifti::{MaskSelect, read_header};
use crate::volumetry::growth::{Growth, Timing};
use crate::volumetry::margins::{Placement, TumourMargin};
use crate::volumetry::{Assessment, Counts, LiverCondition, PlanInputs, Thresholds};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `remnant volumetry`: the CT (NIfTI file or DICOM folder) and its layers.
#[derive(Debug, clap::Args)]
pub struct VolumetryArgs {
    /// The CT: a NIfTI file, or a DICOM folder / DICOMDIR / image file
    #[arg(long, value_name = "CT.nii.gz|DICOM_DIR")]
    pub ct: PathBuf,
    /// With a DICOM folder holding several series: the SeriesInstanceUID to use
    #[arg(long, value_name = "UID")]
    pub series: Option<String>,
    /// A Remnant label map (1 remnant, 2 resected, 3 tumour in resection, 4 tumour in
    /// remnant; two-stage plans: 5 liver and 6 tumour removed at stage 1)
    #[arg(long, value_name = "LABELS.nii.gz")]
    pub labels: Option<PathBuf>,
    /// A DICOM Segmentation (SEG) made elsewhere, as the layers (instead of --labels):
    /// segments mapped by code or label, resampled onto the CT's grid if needed
    #[arg(long, value_name = "SEG.dcm", conflicts_with = "labels")]
    pub seg: Option<PathBuf>,
    /// A liver mask from another tool (non-zero = liver, or the label of --liver-label)
    #[arg(long, value_name = "M.nii.gz")]
    pub liver_mask: Option<PathBuf>,
    /// Which label of --liver-mask is the liver (default: every non-zero voxel)
    #[arg(long, value_name = "N", value_parser = values::label, requires = "liver_mask")]
    pub liver_label: Option<MaskSelect>,
    /// A mask of the part to resect (non-zero = resected)
    #[arg(long, value_name = "M.nii.gz")]
    pub resection_mask: Option<PathBuf>,
    /// A mask of the tumours (non-zero = tumour)
    #[arg(long, value_name = "M.nii.gz")]
    pub tumour_mask: Option<PathBuf>,
    /// Liver condition, which sets the required FLR: normal 20 %, chemo 30 %, cirrhosis 40 %
    #[arg(long, value_name = "normal|chemo|cirrhosis", value_parser = values::condition, default_value = "normal")]
    pub condition: LiverCondition,
    /// Height in cm (with --weight-kg: BSA, sTLV and sFLR)
    #[arg(long, value_name = "CM", value_parser = values::number)]
    pub height_cm: Option<f64>,
    /// Weight in kg (with --height-cm: BSA, sTLV and sFLR; FLR / body weight)
    #[arg(long, value_name = "KG", value_parser = values::number)]
    pub weight_kg: Option<f64>,
    /// A point of a cutting plane, patient mm (RAS)
    #[arg(long, value_name = "X,Y,Z", value_parser = values::triple, requires = "cut_normal")]
    pub cut_point: Option<[f64; 3]>,
    /// The cutting plane's normal (RAS)
    #[arg(long, value_name = "NX,NY,NZ", value_parser = values::triple, requires = "cut_point")]
    pub cut_normal: Option<[f64; 3]>,
    /// Which side of the plane is resected
    #[arg(long, value_name = "positive|negative", value_parser = ["positive", "negative"], default_value = "positive", requires = "cut_point")]
    pub cut_remove: String,
    /// The label map traced on the post-PVE scan (with --weeks-since-pve and/or --weeks)
    #[arg(long, value_name = "POST_PVE_LABELS.nii.gz")]
    pub after_labels: Option<PathBuf>,
    /// Weeks between the two scans (without --weeks-since-pve the KGR is a lower bound)
    #[arg(long, value_name = "N", value_parser = values::number, requires = "after_labels")]
    pub weeks: Option<f64>,
    /// The decision's entered criteria (threshold, plan date, PCI, Fong, JSCCR).
    #[command(flatten)]
    pub decision: Box<DecisionArgs>,
    /// Print JSON (schema remnant.volumetry/3) instead of a table
    #[arg(long)]
    pub json: bool,
}

/// What the surgeon enters for the decision (boxed: keeps the command enum small).
#[derive(Debug, clap::Args)]
pub struct DecisionArgs {
    /// Couinaud segments from landmarks, and a resection by segments (here, in the
    /// boxed part, to keep the command enum small).
    #[command(flatten)]
    pub segments: SegmentArgs,
    /// Two-stage hepatectomy: a mask of the liver removed at stage 1 (non-zero); the
    /// resection (--resection-mask, labels 2/3, or the cut plane) is then stage 2
    #[arg(long, value_name = "M.nii.gz")]
    pub stage1_mask: Option<PathBuf>,
    /// Weeks since the portal vein embolisation: the KGR's divisor (Shindoh 2013)
    #[arg(long, value_name = "N", value_parser = values::number, requires = "after_labels")]
    pub weeks_since_pve: Option<f64>,
    /// A custom FLR threshold (%) for the chosen condition, labelled as the user's
    #[arg(long, value_name = "PCT", value_parser = values::number)]
    pub threshold: Option<f64>,
    /// Date of the pre-operative plan
    #[arg(long, value_name = "DATE")]
    pub plan_date: Option<String>,
    /// The case's PCI (0-39), linked to the extrahepatic-disease criterion
    #[arg(long, value_name = "N", value_parser = pci_value)]
    pub pci: Option<u32>,
    /// Fong: node-positive primary
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    pub node_positive: Option<bool>,
    /// Fong: disease-free interval from the primary < 12 months
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    pub dfi_under_12_months: Option<bool>,
    /// Fong: CEA > 200 ng/mL
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    pub cea_over_200: Option<bool>,
    /// Fong: override "more than one tumour" (default: from the traced tumours)
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    pub more_than_one_tumour: Option<bool>,
    /// Fong: override "largest tumour > 5 cm" (default: from the traced tumours)
    #[arg(long = "largest-over-5cm", value_name = "yes|no", value_parser = yes_no)]
    pub largest_over_5cm: Option<bool>,
    /// JSCCR 2010 (1): the patient can tolerate surgery
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    pub tolerates_surgery: Option<bool>,
    /// JSCCR 2010 (2): the primary tumour is or can be controlled
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    pub primary_controlled: Option<bool>,
    /// JSCCR 2010 (4): no extrahepatic metastases, or they can be controlled
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    pub extrahepatic_controlled: Option<bool>,
}

/// Couinaud segments from landmarks.
#[derive(Debug, clap::Args)]
pub struct SegmentArgs {
    /// Couinaud landmarks (remnant.landmarks/1, patient RAS mm): adds the segment
    /// volumes, the tumours' segments and the resection options
    #[arg(long, value_name = "L.json")]
    pub landmarks: Option<PathBuf>,
    /// Resect a named hepatectomy (Brisbane 2000): right-hemihepatectomy,
    /// left-hemihepatectomy, right-trisectionectomy, left-trisectionectomy,
    /// left-lateral-sectionectomy, right-anterior-sectionectomy or
    /// right-posterior-sectionectomy; replaces the traced resection
    #[arg(long, value_name = "NAME", value_parser = hepatectomy, requires = "landmarks",
          conflicts_with_all = ["resect_segments", "resection_mask", "cut_point"])]
    pub hepatectomy: Option<crate::segments::Hepatectomy>,
    /// Resect these Couinaud segments (e.g. 2,3; 4 = 4a and 4b); replaces the traced
    /// resection
    #[arg(long, value_name = "2,3", value_parser = segment_set, requires = "landmarks",
          conflicts_with_all = ["resection_mask", "cut_point"])]
    pub resect_segments: Option<crate::segments::SegmentSet>,
    /// Write the segments as a label map on the CT's grid (value = segment; 4a = 4, 4b = 9)
    #[arg(long, value_name = "SEGMENTS.nii.gz", requires = "landmarks")]
    pub segments_out: Option<PathBuf>,
}

fn hepatectomy(s: &str) -> Result<crate::segments::Hepatectomy, String> {
    crate::segments::Hepatectomy::parse(s)
        .ok_or_else(|| format!("must be one of {}", crate::segments::Hepatectomy::keys()))
}

fn segment_set(s: &str) -> Result<crate::segments::SegmentSet, String> {
    crate::segments::SegmentSet::parse(s)
}

/// `yes` or `no`.
fn yes_no(s: &str) -> Result<bool, String> {
    match s.trim() {
        "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err("must be yes or no".into()),
    }
}

/// A PCI total, 0-39.
fn pci_value(s: &str) -> Result<u32, String> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|&p| p <= 39)
        .ok_or_else(|| "must be a whole number 0-39".into())
}

/// Version of the JSON layout printed with --json (documented in docs/command-line.md, with
/// what changed from versions 1 and 2).
pub const JSON_SCHEMA: &str = "remnant.volumetry/3";

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
    /// With --landmarks: the Couinaud segments, the options and the resection chosen.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub couinaud: Option<SegmentsReport>,
    pub plan_date: Option<String>,
    pub warnings: Vec<String>,
    pub seconds: f64,
}

/// The segment part of the JSON (with --landmarks).
#[derive(Serialize)]
pub struct SegmentsReport {
    /// Each Couinaud segment: id, volume_ml, functional_ml, percent (of the functional
    /// liver), tumours (ids).
    pub segments: Vec<crate::segments::SegmentVolume>,
    /// Which segments each tumour occupies (mL in each).
    pub tumour_segments: Vec<crate::segments::TumourSegments>,
    /// Every named hepatectomy and the smallest segment sets removing every tumour.
    pub options: Vec<crate::segments::ResectionOption>,
    /// The resection by segments measured (--hepatectomy or --resect-segments).
    pub resection_by_segments: Option<String>,
    /// How far segment volumes can be trusted, and the caudate rule.
    pub segments_notes: Vec<&'static str>,
}

/// Read the landmarks and assign the segments; with a hepatectomy or segment set, the
/// resection layer becomes exactly its liver.
fn apply_segments(
    a: &SegmentArgs,
    map: &mut LabelMap,
) -> Result<Option<(crate::segments::Couinaud, Option<String>)>, CliError> {
    let Some(p) = &a.landmarks else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
    let lm = crate::segments::Landmarks::from_json(&text)
        .map_err(|e| format!("{}: {e}", p.display()))?;
    let c = crate::segments::compute(&lm, &map.bits, &map.geometry)
        .map_err(|e| format!("{}: {e}", p.display()))?;
    let set = match (a.hepatectomy, a.resect_segments) {
        (Some(h), _) => Some((
            h.segments(),
            format!("{} ({})", h.label(), h.segments().describe()),
        )),
        (None, Some(s)) => Some((s, format!("Segments {}", s.describe()))),
        _ => None,
    };
    if let Some(out) = &a.segments_out {
        crate::segments::save_label_map(out, &c, &map.geometry, None).map_err(|e| e.to_string())?;
    }
    let chosen = set.map(|(set, label)| {
        let table = set.code_table();
        let r = Layer::Resection.bit();
        for b in map.bits.iter_mut() {
            *b &= !r;
        }
        let [nx, ny, _] = map.geometry.dims;
        let m = &c.map;
        for (l, &code) in m.codes.iter().enumerate() {
            if code != 0 && table[code as usize] {
                let (i, j, k) = (
                    l % m.size[0],
                    (l / m.size[0]) % m.size[1],
                    l / (m.size[0] * m.size[1]),
                );
                map.bits[(i + m.lo[0]) + nx * ((j + m.lo[1]) + ny * (k + m.lo[2]))] |= r;
            }
        }
        label
    });
    Ok(Some((c, chosen)))
}

/// The segment part of the report: volumes, the tumours' segments and the options.
fn segments_report(
    c: &crate::segments::Couinaud,
    chosen: Option<String>,
    map: &LabelMap,
    tumours: &[Component],
    inputs: &PlanInputs,
) -> SegmentsReport {
    let g = &map.geometry;
    let ts = crate::segments::table::tumour_segments(&map.bits, g, &c.map, tumours);
    let cov = crate::volumetry::coverage::liver_coverage(&map.bits, g.dims);
    let options =
        crate::segments::options::options(&map.bits, g, &c.map, tumours, &ts, inputs, cov);
    SegmentsReport {
        segments: crate::segments::table::volumes(&c.map, g, &ts),
        tumour_segments: ts,
        options,
        resection_by_segments: chosen,
        segments_notes: vec![
            crate::clinical::segments::SEGMENTS_CAVEAT,
            crate::clinical::segments::CAUDATE_RULE,
            crate::clinical::segments::SEGMENTS_SOURCE,
        ],
    }
}

fn inputs(a: &VolumetryArgs) -> Result<PlanInputs, String> {
    let condition = a.condition;
    let mut thresholds = Thresholds::default();
    if let Some(t) = a.decision.threshold {
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
        height_cm: a.height_cm,
        weight_kg: a.weight_kg,
        plan_date: a.decision.plan_date.clone(),
        fong: FongInputs {
            node_positive_primary: a.decision.node_positive,
            disease_free_interval_under_12_months: a.decision.dfi_under_12_months,
            cea_over_200: a.decision.cea_over_200,
            more_than_one_tumour: a.decision.more_than_one_tumour,
            largest_over_5_cm: a.decision.largest_over_5cm,
        },
        checklist: ChecklistInputs {
            tolerates_surgery: a.decision.tolerates_surgery,
            primary_controlled: a.decision.primary_controlled,
            extrahepatic_controlled: a.decision.extrahepatic_controlled,
        },
        ..Default::default()
    };
    if let Some(h) = inputs.height_cm {
        crate::volumetry::body::check_height(h).map_err(|e| format!("--height-cm: {e}"))?;
    }
    if let Some(w) = inputs.weight_kg {
        crate::volumetry::body::check_weight(w).map_err(|e| format!("--weight-kg: {e}"))?;
    }
    Ok(inputs)
}

pub fn run(a: VolumetryArgs) -> Result<(), CliError> {
    let t0 = Instant::now();
    let ct = a.ct.clone();
    let inputs = inputs(&a)?;
    let (g, mut warnings, refs) = ct_source(&ct, a.series.as_deref())?;
    let mut map = match (&a.labels, &a.seg) {
        (Some(p), _) => load_label_map(p, &g, Task::none())?,
        (None, Some(p)) => {
            let (m, w) = super::seg::import(p, &g, refs.as_ref())?;
            warnings.extend(w);
            m
        }
        (None, None) => LabelMap::empty(g.clone()),
    };
    let select = a.liver_label.unwrap_or(MaskSelect::NonZero);
    for (path, layer, sel) in [
        (&a.liver_mask, Layer::Liver, select),
        (&a.resection_mask, Layer::Resection, MaskSelect::NonZero),
        (&a.tumour_mask, Layer::Tumour, MaskSelect::NonZero),
        (&a.decision.stage1_mask, Layer::Stage1, MaskSelect::NonZero),
    ] {
        if let Some(p) = path {
            import_mask(p, sel, layer, &mut map, Task::none())?;
        }
    }
    if a.labels.is_none() && a.seg.is_none() && a.liver_mask.is_none() {
        return Err("give --labels, --seg or --liver-mask: there is nothing to measure".into());
    }
    if let Some(plane) = cut_plane(&a)? {
        let added = crate::segmentation::plane_cut::cut_voxels(&map.bits, &g, &plane);
        for idx in added {
            map.bits[idx] |= Layer::Resection.bit();
        }
    }
    let seg = apply_segments(&a.decision.segments, &mut map)?;
    let tumours = components(&map.bits, Layer::Tumour.bit(), &g);
    let couinaud = seg.map(|(c, chosen)| segments_report(&c, chosen, &map, &tumours, &inputs));
    let timing = Timing {
        weeks_since_pve: a.decision.weeks_since_pve,
        weeks_between_scans: a.weeks,
    };
    let after = match &a.after_labels {
        None => None,
        Some(p) => {
            if timing == Timing::default() {
                return Err(
                    "--after-labels needs --weeks-since-pve (or at least --weeks between the scans)"
                        .into(),
                );
            }
            let (vol, _) =
                crate::volume::nifti::read_labels(p, Task::none()).map_err(|e| e.to_string())?;
            let after_map = LabelMap::from_labels(vol.geometry.clone(), vol.as_slice())
                .map_err(|e| format!("{}: {e}", p.display()))?;
            Some(AfterPve {
                coverage: Some(crate::volumetry::coverage::liver_coverage(
                    &after_map.bits,
                    vol.geometry.dims,
                )),
                counts: Counts::from_bits(&after_map.bits),
                voxel_mm3: vol.geometry.voxel_volume_mm3(),
                timing,
            })
        }
    };
    let d = decide(&map.bits, &g, &inputs, &tumours, a.decision.pci, after);
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
        couinaud,
        plan_date: inputs.plan_date.clone(),
        warnings,
        seconds: t0.elapsed().as_secs_f64(),
    };
    if a.json {
        let s = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{s}");
    } else {
        print!("{}", table(&report));
    }
    Ok(())
}

/// The CT's grid and load warnings: a NIfTI header, or a DICOM series planned
/// from its headers (no pixel is decoded; its warnings also go to stderr).
pub(super) fn ct_geometry(
    ct: &Path,
    series: Option<&str>,
) -> Result<(Geometry, Vec<String>), CliError> {
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

/// The CT's grid, warnings and (DICOM only) references, from the headers alone.
pub(super) fn ct_source(
    ct: &Path,
    series: Option<&str>,
) -> Result<(Geometry, Vec<String>, Option<SourceRefs>), CliError> {
    if crate::volume::dicom::is_dicom_path(ct) {
        let (g, warnings, _, refs) = crate::volume::dicom::open_source(ct, series, Task::none())
            .map_err(|e| e.to_string())?;
        for w in &warnings {
            eprintln!("remnant: warning: {w}");
        }
        return Ok((g, warnings, Some(refs)));
    }
    let (g, w) = ct_geometry(ct, series)?;
    Ok((g, w, None))
}

/// The cutting plane from --cut-point / --cut-normal / --cut-remove, if given.
fn cut_plane(
    a: &VolumetryArgs,
) -> Result<Option<crate::segmentation::plane_cut::CutPlane>, CliError> {
    let (Some(point), Some(normal)) = (a.cut_point, a.cut_normal) else {
        return Ok(None);
    };
    let plane = crate::segmentation::plane_cut::CutPlane {
        point,
        normal,
        remove_positive: a.cut_remove == "positive",
    };
    if !plane.is_valid() {
        return Err("--cut-normal must not be zero".into());
    }
    Ok(Some(plane))
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
    if let Some(c) = &r.couinaud {
        segments_table(&mut s, c);
    }
    for w in &r.warnings {
        let _ = writeln!(s, "Warning     {w}");
    }
    s
}

/// The segment volumes and the options, as text.
fn segments_table(s: &mut String, c: &SegmentsReport) {
    use std::fmt::Write;
    if let Some(r) = &c.resection_by_segments {
        let _ = writeln!(s, "\nResection   {r} (by segments)");
    }
    let _ = writeln!(s, "\n{:<10} {:>10} {:>8}  tumours", "Segment", "mL", "% FL");
    for v in &c.segments {
        let t: Vec<String> = v.tumours.iter().map(|i| format!("#{i}")).collect();
        let pct = v.percent.map_or("-".into(), |p| format!("{p:.1}"));
        let _ = writeln!(
            s,
            "{:<10} {:>10.1} {:>8}  {}",
            v.id.name(),
            v.volume_ml,
            pct,
            t.join(" ")
        );
    }
    let _ = writeln!(s, "\nOptions that remove every tumour");
    for o in c.options.iter().filter(|o| o.clears_all_tumours) {
        option_line(s, o);
    }
    let left: Vec<_> = c.options.iter().filter(|o| !o.clears_all_tumours).collect();
    if !left.is_empty() {
        let _ = writeln!(s, "Options that leave a tumour");
        for o in left {
            let _ = writeln!(
                s,
                "  {}",
                crate::clinical::segments::tumours_left_text(&o.label, &o.tumours_left)
            );
        }
    }
    for n in &c.segments_notes {
        let _ = writeln!(s, "Note        {n}");
    }
}

fn option_line(s: &mut String, o: &crate::segments::ResectionOption) {
    use std::fmt::Write;
    let flr = o.flr_percent.map_or("-".into(), |f| format!("{f:.1} %"));
    let sflr = o.sflr_percent.map_or("-".into(), |f| format!("{f:.1} %"));
    let margin = crate::clinical::segments::option_margin_text(
        o.closest_margin_mm,
        o.margin_over_1cm,
        o.clears_all_tumours,
    );
    let _ = writeln!(
        s,
        "  {:<44} FLR {flr:>8}  sFLR {sflr:>8}  {:<12} margin {margin}",
        o.label,
        o.decision.word()
    );
}
